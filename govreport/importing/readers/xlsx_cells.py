"""A filled workbook's cells by their labels, and the number each cell holds.

The Excel reader finds nothing by position: every text cell of every sheet is
indexed by its folded label, so a table is found wherever the user moved it.
Reading a cell as a number is where what a careful reader would question is
said: a blank read as 0 (I1), a drifted label (I2), text or an out-of-range
number where a count belongs (I5). ``xlsx_tables`` reads the tables with these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ... import official as fmt
from ...diagnostics import ERROR, WARNING, Problem
from ...errors import InputError
from ...facts.fields import FEE_PLACES, MAX_COUNT
from ..base import CODE_BLANK, CODE_DRIFT, CODE_MISSING
from ..labels import canon, norm

#: Cells read per sheet at most (a filled report uses a few hundred).
MAX_CELLS = 200_000
#: What people type in a cell that means “nothing”: read as 0, and said so.
_BLANKS = {"", "/", "／", "-", "—", "——", "－", "无", "空", "不适用", "\\"}


@dataclass(frozen=True)
class Spot:
    """A cell of the workbook: sheet, 1-based row and column, and its value."""

    sheet: Worksheet
    row: int
    column: int
    value: Any

    @property
    def name(self) -> str:
        return f"工作表“{self.sheet.title}” {get_column_letter(self.column)}{self.row}"

    def at(self, row: int, column: int) -> Spot:
        return Spot(self.sheet, row, column, self.sheet.cell(row, column).value)


@dataclass
class LabelledCells:
    """A workbook's text cells by label, and the problems found reading its cells."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, list[Spot]] = field(default_factory=dict)

    # ------------------------------------------------------------------ bookkeeping

    def index(self, book: Any) -> None:
        """Every text cell of every sheet, by its folded label."""
        for sheet in book.worksheets:
            if sheet.max_row * sheet.max_column > MAX_CELLS:
                raise InputError(
                    f"工作表“{sheet.title}”过大（{sheet.max_row} 行 × {sheet.max_column} 列）",
                    file=str(self.path),
                )
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.strip():
                        spot = Spot(sheet, cell.row, cell.column, cell.value)
                        self.labels.setdefault(canon(cell.value), []).append(spot)

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
        if value is None or (isinstance(value, str) and value.strip() in _BLANKS):
            shown = "空白" if value is None or not str(value).strip() else f"“{value.strip()}”"
            self.report(CODE_BLANK, WARNING, f"{spot.name}为{shown}，按 0 读入", path)
            return Decimal(0) if decimal else 0
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            return self._not_a_number(spot, value, path, decimal)
        if isinstance(value, str):
            if value.startswith("="):  # a formula where a number belongs
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
    for merged in spot.sheet.merged_cells.ranges:
        if spot.row in range(merged.min_row, merged.max_row + 1) and spot.column in range(
            merged.min_col, merged.max_col + 1
        ):
            return spot.sheet.cell(merged.min_row, merged.min_col).value
    return None


def set_path(data: dict[str, Any], path: tuple, value: Any) -> None:
    """Put ``value`` at ``path`` in the facts data, making the mappings on the way."""
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
