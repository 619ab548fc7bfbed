"""What the readers of tables 二 (``proactive``), 三 (``requests``) and 四 (``reviews``) share.

Rows are found by matching labels against ``official``'s official ones (tolerantly,
see ``labels``), never by position, so a report with a row missing or out
of order is still read right. A row's numbers are the value cells after its label:
in its own row when the source kept rows, otherwise up to the next label. Columns
come from the header where the source is a grid, otherwise from their official
order. A blank, "/" or "—" is 0 with a warning naming the cell (R9); a total the
report states is kept when it disagrees with the sum, so that ``check`` reports it.

A number is never placed by guess. Digits run together are split where the row's own
arithmetic (its total) leaves one way; where only "one digit a cell" fits and nothing
confirms it, the cells are read with a warning (I9) and marked ``assumed``, since a
blank cell that vanished from the text would make the reading wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ...diagnostics import Problem
from ..base import (
    CODE_ASSUMED,
    CODE_BLANK,
    CODE_DRIFT,
    CODE_MISSING,
    CODE_NOT_A_COUNT,
    CODE_SPLIT,
    Cell,
    error,
    warning,
)
from ..labels import LabelIndex, Match, norm
from ..runs import is_run, split_runs

_PLACEHOLDERS = {"", "/", "-", "--", "---", "无", "空", "\\", "不适用", "//"}
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNITS = re.compile(r"(?:件|条|项|个|次|万元|元)$")
_MAX_LABEL_PIECES = 3


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    """A value cell: its number, or ``None`` when it is blank ("", "/", "—"); ``assumed``
    when it comes from digits split one a cell with nothing to confirm the split."""

    cell: Cell
    number: Decimal | None
    assumed: bool = False


def value_of(text: str) -> Value | None:
    """The cell as a value, or ``None`` when it is a label (not a number, not blank)."""
    plain = _UNITS.sub("", norm(text))
    if plain in _PLACEHOLDERS:
        return Value(Cell(text), None)
    if _NUMBER.match(plain):
        try:
            return Value(Cell(text), Decimal(plain.replace(",", "")))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


def is_value(cell: Cell) -> bool:
    return value_of(cell.text) is not None


def trimmed(values: list[Value], width: int) -> list[Value]:
    """``values`` without the empty cells that pad a row beyond the table's ``width`` (a
    Markdown or pipe row ending in ``| |``): the same rule for every table."""
    while len(values) > width and values[-1].number is None and not values[-1].cell.text.strip():
        values = values[:-1]
    return values


def values_after(cells: Sequence[Cell], start: int, row: int | None) -> tuple[list[Value], int]:
    """The value cells from ``start`` on: in ``row`` when rows are known, else up to a label."""
    found: list[Value] = []
    index = start
    while index < len(cells):
        cell = cells[index]
        value = value_of(cell.text)
        if value is None or (row is not None and cell.row is not None and cell.row != row):
            break
        found.append(Value(cell, value.number))
        index += 1
    return found, index


def match_at(
    index: LabelIndex, cells: Sequence[Cell], i: int, accept: Callable[[Match], bool]
) -> tuple[Match | None, int]:
    """The label at ``cells[i]``, or broken over it and the next cells (a label split
    over two lines, or at spaces); exact matches are tried before near ones."""
    texts = [(cells[i].text, 1)]
    for used in range(2, _MAX_LABEL_PIECES + 1):
        piece = cells[i + used - 1] if i + used - 1 < len(cells) else None
        if piece is None or is_value(piece) or piece.row != cells[i].row:
            break
        texts.append((texts[-1][0] + piece.text, used))
    for fuzzy in (False, True):
        for text, used in texts:
            match = index.match(text, fuzzy=fuzzy)
            if match is not None and accept(match):
                return match, used
    return None, 1


def drift(match: Match, found: str, path: tuple) -> Problem:
    return warning(
        CODE_DRIFT,
        f"表格中的标签“{found.strip()}”与官方表述“{match.official}”不一致，已按官方栏目读入",
        path,
    )


def blank_warning(path: tuple, names: list[str]) -> Problem:
    return warning(
        CODE_BLANK,
        f"{'、'.join(names)} {'为空白' if len(names) == 1 else f'共 {len(names)} 格为空白'}"
        "或填“/”“—”，已按 0 读入（表格每格都应填写数字，R9）",
        path,
    )


def whole(value: Value, path: tuple, problems: list[Problem]) -> int:
    """A count as the facts hold it. A count printed negative or with a fraction was read
    all right: it is the report's error (I10), not unreadable; the facts hold 0 there."""
    number = value.number or Decimal(0)
    if number != number.to_integral_value() or number < 0:
        problems.append(
            error(
                CODE_NOT_A_COUNT,
                f"原报告这一格印的是“{value.cell.text.strip()}”，件数应为非负整数，"
                "事实文件中按 0 填入，请核实",
                path,
            )
        )
        return 0
    return int(number)


def split_values(
    values: list[Value], blocks: list[int], totals: bool, where: tuple, problems: list[Problem]
) -> list[Value] | None:
    """``values`` whose digits ran together, read as ``sum(blocks)`` numbers: ``None`` when
    they are no run (or were seen as whole numbers) or cannot be split, ``[]`` (with an error) when several splits fit.

    The split is certain when the totals (``totals``: each block's last number is the
    sum of the others) leave exactly one way (I7 says so when a number has several
    digits). Without totals, or when the printed total disagrees with every split, a
    split is only *assumed*: it is taken when the digits stand in one run, no space in
    it, and one split is the only one (one digit a cell, or the only length that fits);
    every cell then carries ``assumed`` and an I9 warning says so.
    """
    texts = [norm(v.cell.text) for v in values]
    if not is_run(texts) or any(v.cell.whole for v in values):
        return None
    count = sum(blocks)
    answers = split_runs(texts, blocks, totals)
    shown = " ".join(texts)
    if len(answers) > 1:
        problems.append(ambiguous_split(shown, answers, totals, where))
        return []
    if answers and totals:
        numbers = answers[0]
        if sum(len(t) for t in texts) > len(numbers):
            problems.append(
                warning(
                    CODE_SPLIT,
                    f"“{shown}”的数字连在一起，按总计等于各栏之和只有一种拆法："
                    f"{'、'.join(map(str, numbers))}，请核对",
                    where,
                )
            )
        return _split_cells(values, numbers, assumed=False)
    if len(texts) > 1:
        return None  # a space is a border: a cell that vanished beside it may be the one
    if not answers and totals and len(texts[0]) == count:
        answers = [tuple(int(d) for d in texts[0])]  # the printed total disagrees
    if not answers:
        return None
    numbers = answers[0]
    if not _fewer_fit(texts[0], count):  # 000: no cell can have vanished from it
        return _split_cells(values, numbers, assumed=False)
    reason = "与印出的总计不符，" if totals else ""
    digits = sum(len(t) for t in texts)
    problems.append(
        warning(
            CODE_ASSUMED,
            f"“{shown}”的数字连在一起，{reason}只能按{'每格一位' if digits == count else '栏数'}"
            f"读作 {'、'.join(map(str, numbers))}；原表如有空白格在文字中消失，这一读法就不对，"
            "未经总计核实，请对照原报告",
            where,
        )
    )
    return _split_cells(values, numbers, assumed=True)


def _fewer_fit(digits: str, count: int) -> bool:
    """Whether ``digits`` also read as fewer numbers than ``count`` (a blank cell gone from
    the row would leave that): if not, the one split is certain (``000`` is 0, 0, 0)."""
    return any(split_runs([digits], [fewer], False, limit=1) for fewer in range(1, count))


def _split_cells(values: list[Value], numbers: tuple[int, ...], *, assumed: bool) -> list[Value]:
    cell = values[0].cell
    return [Value(Cell(str(n), cell.row, None, cell.page), Decimal(n), assumed) for n in numbers]


def ambiguous_split(
    shown: str, answers: list[tuple[int, ...]], totals: bool, where: tuple
) -> Problem:
    """The error for digits that can be split more than one way, or whose one split does
    not agree with the table's other rows: unreadable, not guessed."""
    ways = ["、".join(map(str, answer)) for answer in answers[:2]]
    if len(ways) == 2:
        said = f"{'按总计' if totals else ''}不能唯一拆分（可读作 {ways[0]} 或 {ways[1]}）"
    elif ways:
        said = f"唯一的拆分 {ways[0]} 与表内勾稽关系不符"
    else:
        said = "无法拆分"
    return error(
        CODE_MISSING,
        f"“{shown}”的数字连在一起，{said}，无法读取，按 0 填入，请对照原报告填写",
        where,
    )


@dataclass(frozen=True)
class PrintedCell:
    """A table cell as the report printed it: its text, its number (``None`` for a blank
    or a mark such as ``/``, ``—``, ``无``, ``不适用``, which the facts hold as 0), its PDF page.
    An audit judges the report as published from these, not from the facts."""

    text: str
    number: Decimal | None
    page: int | None = None
    #: digits split one a cell with nothing to confirm it (I9): a reading, not what was seen
    assumed: bool = False

    @property
    def blank(self) -> bool:
        return self.number is None


@dataclass
class TableRead:
    """One table as read: the facts-file data, what to tell the user, which format, and
    every cell as printed, by its facts path."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    trial: bool = False
    found: bool = False
    printed: dict[tuple[str, ...], PrintedCell] = field(default_factory=dict)

    def keep(self, path: tuple[str, ...], value: Value) -> None:
        """Record the cell at ``path`` as printed."""
        cell = value.cell
        self.printed[path] = PrintedCell(cell.text.strip(), value.number, cell.page, value.assumed)


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
