"""A filled workbook's cells by their labels, and the number each cell holds.

The Excel reader finds nothing by position: every text cell of every sheet is
indexed by its folded label, so a table is found wherever the user moved it.
Reading a cell as a number is where what a careful reader would question is
said: a blank read as 0 (I1), a drifted label (I2), text or an out-of-range
number where a count belongs (I5). ``xlsx_tables`` reads the tables with these.

Only what a person sees is read: a hidden sheet, and a hidden row or column, is not
indexed, and a number there is named in a warning (I4) rather than taken silently.
The sheets are plain values (``Sheet``), read once in openpyxl's read-only mode.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ... import official as fmt
from ...diagnostics import ERROR, WARNING, Problem
from ...facts.fields import FEE_PLACES, MAX_COUNT
from ..base import CODE_BLANK, CODE_DRIFT, CODE_MISSING, CODE_NOT_IMPORTED
from ..labels import canon, norm

#: Hidden places holding numbers named one by one, at most (then counted).
MAX_HIDDEN_NAMED = 10
#: What people type in a cell that means “nothing”: read as 0, and said so.
_BLANKS = {"", "/", "／", "-", "—", "——", "－", "无", "空", "不适用", "\\"}


class Formula(str):
    """A cell's formula (``=SUM(…)``), told apart from a text typed as ``=1+1``."""


@dataclass(eq=False)
class Sheet:
    """One sheet's values by (row, column), and what of it is merged or hidden."""

    title: str
    values: dict[tuple[int, int], Any]
    #: merged ranges as (first row, first column, last row, last column)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    visible: bool = True
    row_numbers: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.row_numbers = sorted({r for r, _ in self.values})

    def value(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    def hidden(self, row: int, column: int) -> bool:
        return not self.visible or row in self.hidden_rows or column in self.hidden_columns

    def rows_from(self, first: int) -> Iterator[int]:
        """The numbers of the rows from ``first`` on that hold anything, in order."""
        yield from self.row_numbers[bisect_left(self.row_numbers, first) :]

    def cells(self) -> Iterator[tuple[int, int, Any]]:
        """Every cell holding a value, row by row."""
        for (row, column), value in sorted(self.values.items()):
            yield row, column, value

    def span(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        """The merged range whose top-left cell this is."""
        return next((m for m in self.merged if m[0] == row and m[1] == column), None)


def place(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


@dataclass(frozen=True)
class Spot:
    """A cell of the workbook: sheet, 1-based row and column, and its value."""

    sheet: Sheet
    row: int
    column: int
    value: Any

    @property
    def name(self) -> str:
        return f"工作表“{self.sheet.title}” {place(self.row, self.column)}"

    def at(self, row: int, column: int) -> Spot:
        return Spot(self.sheet, row, column, self.sheet.value(row, column))


@dataclass
class LabelledCells:
    """A workbook's text cells by label, and the problems found reading its cells."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, list[Spot]] = field(default_factory=dict)

    # ------------------------------------------------------------------ bookkeeping

    def index(self, sheets: list[Sheet]) -> None:
        """Every text cell a person sees, by its folded label; numbers out of sight are
        named in a warning."""
        hidden: list[str] = []
        for sheet in sheets:
            if not sheet.visible:
                hidden += _hidden_sheet(sheet)
                continue
            for row, column, value in sheet.cells():
                if sheet.hidden(row, column):
                    if _is_number(value):
                        hidden.append(
                            f"工作表“{sheet.title}” {place(row, column)}（{value}）"
                            f"位于隐藏的{'行' if row in sheet.hidden_rows else '列'}"
                        )
                elif isinstance(value, str) and not isinstance(value, Formula) and value.strip():
                    spot = Spot(sheet, row, column, value)
                    self.labels.setdefault(canon(value), []).append(spot)
        for where in hidden[:MAX_HIDDEN_NAMED]:
            self.report(CODE_NOT_IMPORTED, WARNING, f"{where}，看不见的内容未读入")
        if len(hidden) > MAX_HIDDEN_NAMED:
            self.report(
                CODE_NOT_IMPORTED,
                WARNING,
                f"另有 {len(hidden) - MAX_HIDDEN_NAMED} 处隐藏的数字未读入",
            )

    def report(self, code: str, severity: str, message: str, path: tuple = ()) -> None:
        label = fmt.describe(path) if path else ""
        self.problems.append(Problem(code, severity, message, path, label, file=str(self.path)))

    def find(self, label: str, path: tuple = ()) -> Spot | None:
        """The first cell holding ``label``; a drifted spelling is read with a warning."""
        spots = self.labels.get(canon(label))
        if not spots:
            return None
        spot = spots[0]
        if norm(spot.value) != norm(label):
            self.report(
                CODE_DRIFT,
                WARNING,
                f"{spot.name}的标签“{spot.value.strip()}”与官方表述“{label}”不同，按官方栏目读入",
                path,
            )
        return spot

    def missing(self, what: str, path: tuple) -> None:
        self.report(CODE_MISSING, ERROR, f"工作簿中找不到“{what}”，按 0 读入", path)

    # ------------------------------------------------------------------ values

    def number(self, spot: Spot, path: tuple, *, decimal: bool = False) -> int | Decimal:
        """A count (or the fee) from a cell; blanks are 0 and said so; text is an error."""
        value = merged_value(spot)
        if value is not None and spot.sheet.hidden(spot.row, spot.column):
            self.report(
                CODE_MISSING,
                ERROR,
                f"{spot.name}位于隐藏的行或列，未读入，按 0 读入（请取消隐藏后核对）",
                path,
            )
            return Decimal(0) if decimal else 0
        if value is None or (isinstance(value, str) and value.strip() in _BLANKS):
            shown = "空白" if value is None or not str(value).strip() else f"“{value.strip()}”"
            self.report(CODE_BLANK, WARNING, f"{spot.name}为{shown}，按 0 读入", path)
            return Decimal(0) if decimal else 0
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            return self._not_a_number(spot, value, path, decimal)
        if isinstance(value, str):
            if isinstance(value, Formula):  # a formula where a number belongs
                return self._not_a_number(spot, value, path, decimal)
            try:
                number = Decimal(norm(value).replace(",", ""))
            except InvalidOperation:
                return self._not_a_number(spot, value, path, decimal)
        else:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return self._checked(spot, number, path, decimal)

    def _checked(self, spot: Spot, number: Decimal, path: tuple, decimal: bool) -> int | Decimal:
        if not number.is_finite() or number < 0 or number >= MAX_COUNT:
            self.report(
                CODE_MISSING,
                ERROR,
                f"{spot.name}的数字 {number} 超出范围（应小于 {MAX_COUNT:,}）",
                path,
            )
            return Decimal(0) if decimal else 0
        if decimal:
            exponent = number.as_tuple().exponent  # an int: ``number`` is finite
            if isinstance(exponent, int) and -exponent > FEE_PLACES:
                self.report(
                    CODE_MISSING,
                    ERROR,
                    f"{spot.name}的金额 {number} 超过 {FEE_PLACES} 位小数",
                    path,
                )
            return number.normalize() if number == number.to_integral() else number
        if number != number.to_integral():
            self.report(CODE_MISSING, ERROR, f"{spot.name}应为整数，实际是 {number}", path)
            return 0
        return int(number)

    def _not_a_number(self, spot: Spot, value: Any, path: tuple, decimal: bool) -> int | Decimal:
        self.report(
            CODE_MISSING, ERROR, f"{spot.name}不是数字（“{str(value)[:40]}”），按 0 读入", path
        )
        return Decimal(0) if decimal else 0


def merged_value(spot: Spot) -> Any:
    """The value shown at a cell: a merged range keeps it in its top-left cell."""
    if spot.value is not None:
        return spot.value
    for top, left, bottom, right in spot.sheet.merged:
        if top <= spot.row <= bottom and left <= spot.column <= right:
            return spot.sheet.value(top, left)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _hidden_sheet(sheet: Sheet) -> list[str]:
    """A hidden sheet, named with the first number it holds (or its first text)."""
    cells = list(sheet.cells())
    first = next((c for c in cells if _is_number(c[2])), cells[0] if cells else None)
    if first is None:
        return []
    row, column, value = first
    shown = str(value).strip()[:20]
    what = "数字" if _is_number(value) else "文字"
    return [f"工作表“{sheet.title}”是隐藏的工作表（其中 {place(row, column)} 有{what}“{shown}”）"]


def set_path(data: dict[str, Any], path: tuple, value: Any) -> None:
    """Put ``value`` at ``path`` in the facts data, making the mappings on the way."""
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
