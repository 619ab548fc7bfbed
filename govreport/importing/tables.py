"""Reading tables 二, 三 and 四 from cells: rows by their labels, numbers by column.

Rows are found by matching labels against ``_format``'s official ones (tolerantly,
see ``labels``), never by position, so a report with a row missing or out
of order is still read right. A row's numbers are the value cells after its label:
in its own row when the source kept rows, otherwise up to the next label. Columns
come from the header where the source is a grid, otherwise from their official
order. A blank, "/" or "—" is 0 with a warning naming the cell (R9); a total the
report states is kept when it disagrees with the sum, so that ``check`` reports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .. import _format as fmt
from .._problems import Problem
from .base import (
    CODE_BLANK,
    CODE_DRIFT,
    CODE_MISSING,
    CODE_NOT_IMPORTED,
    CODE_SPLIT,
    CODE_TRIAL,
    Cell,
    error,
    warning,
)
from .labels import LabelIndex, Match, canon, norm
from .runs import is_run, split_runs

_PLACEHOLDERS = {"", "/", "-", "--", "---", "无", "空", "\\"}
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNITS = re.compile(r"(?:件|条|项|个|次|万元|元)$")
_MAX_LABEL_PIECES = 3


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    """A value cell: its number, or ``None`` when it is blank ("", "/", "—")."""

    cell: Cell
    number: Decimal | None


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


def _drift(match: Match, found: str, path: tuple) -> Problem:
    return warning(
        CODE_DRIFT,
        f"表格中的标签“{found.strip()}”与官方表述“{match.official}”不一致，已按官方栏目读入",
        path,
    )


def _blank_warning(path: tuple, names: list[str]) -> Problem:
    return warning(
        CODE_BLANK,
        f"{'、'.join(names)} {'为空白' if len(names) == 1 else f'共 {len(names)} 格为空白'}"
        "或填“/”“—”，已按 0 读入（表格每格都应填写数字，R9）",
        path,
    )


def _whole(value: Value, path: tuple, problems: list[Problem]) -> int:
    number = value.number or Decimal(0)
    if number != number.to_integral_value() or number < 0:
        problems.append(
            error(
                CODE_MISSING, f"“{value.cell.text.strip()}”不是非负整数，无法读入，按 0 填入", path
            )
        )
        return 0
    return int(number)


def split_values(
    values: list[Value], blocks: list[int], totals: bool, where: tuple, problems: list[Problem]
) -> list[Value] | None:
    """``values`` whose digits ran together, read as ``sum(blocks)`` numbers when the
    split is certain (see ``runs``); ``None`` when they are no run or no split fits,
    ``[]`` (with an error) when several splits fit."""
    texts = [norm(v.cell.text) for v in values]
    if not is_run(texts):
        return None
    answers = split_runs(texts, blocks, totals)
    shown = " ".join(texts)
    if not answers:
        return None
    if len(answers) > 1:
        problems.append(
            error(
                CODE_MISSING,
                f"“{shown}”的数字连在一起，{'按本行总计' if totals else ''}不能唯一拆分"
                f"（可读作 {'、'.join(map(str, answers[0]))} 或 {'、'.join(map(str, answers[1]))}），"
                "无法读取，按 0 填入，请对照原报告填写",
                where,
            )
        )
        return []
    numbers = answers[0]
    problems.append(
        warning(
            CODE_SPLIT,
            f"“{shown}”的数字连在一起，{'按总计等于各栏之和' if totals else '按栏数'}"
            f"只有一种拆法：{'、'.join(map(str, numbers))}，请核对",
            where,
        )
    )
    cell = values[0].cell
    return [Value(Cell(str(n), cell.row, None), Decimal(n)) for n in numbers]


@dataclass
class TableRead:
    """One table as read: the facts-file data, what to tell the user, which format."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    trial: bool = False
    found: bool = False


# --------------------------------------------------------------------------- table 三


@cache
def _request_index() -> LabelIndex:
    return LabelIndex([(row.label, row) for row in fmt.walk()])


_COLUMN_TITLES = {canon(c.label) for c in fmt.REQUEST_COLUMNS}


def read_requests(cells: Sequence[Cell]) -> TableRead:
    """Table 三 (25 rows × 6 applicant columns, 总计 per row)."""
    reader = _RequestReader(cells)
    reader.read()
    return reader.result


class _RequestReader:
    def __init__(self, cells: Sequence[Cell]):
        self.cells = cells
        self.result = TableRead()
        self.header: dict[int, str] = {}
        self.rows: dict[tuple[str, ...], dict[str, int]] = {}
        self.stated: dict[tuple[str, ...], int] = {}
        self.started = False
        self.trial_other: tuple[fmt.RequestRow, list[Value], bool] | None = None

    def read(self) -> None:
        i = 0
        while i < len(self.cells):
            cell = self.cells[i]
            if is_value(cell):
                i += 1
                continue
            match, used = match_at(_request_index(), self.cells, i, self._acceptable)
            if match is None:
                self._header_cell(cell)
                i += 1
                continue
            self.started = True
            row: fmt.RequestRow = match.target  # type: ignore[assignment]
            text = "".join(c.text for c in self.cells[i : i + used])
            if match.drift:
                self.result.problems.append(_drift(match, text, ("requests", *row.path)))
            values, i = values_after(self.cells, i + used, cell.row)
            self._row(row, values, explicit=cell.row is not None)
        self._finish()

    def _acceptable(self, match: Match) -> bool:
        """Before the first row, 其他 and 总计 are column headers, not rows."""
        row: fmt.RequestRow = match.target  # type: ignore[assignment]
        return self.started or canon(row.title) not in _COLUMN_TITLES

    def _header_cell(self, cell: Cell) -> None:
        if self.started or cell.column is None:
            return
        for column in fmt.REQUEST_COLUMNS:
            if canon(cell.text) == canon(column.label):
                self.header[cell.column] = column.key

    def _row(self, row: fmt.RequestRow, values: list[Value], explicit: bool) -> None:
        path = row.path
        if row.is_group:
            if path == fmt.TRIAL_OTHER_PROCESSING[:-1] and values:
                self.trial_other = (row, values, explicit)
            elif any(v.number for v in values):
                self.result.problems.append(
                    warning(
                        CODE_NOT_IMPORTED,
                        f"“{row.label}”行的数字未导入：它是各小项之和，由程序计算",
                        ("requests", *path),
                    )
                )
            return
        numbers, stated = self._numbers(path, values, explicit)
        self.rows[path] = numbers
        if stated is not None:
            self.stated[path] = stated

    def _trial_other(self) -> None:
        """The 2019 trial format's single （六）其他处理 row, unless the 2021 sub-rows are there."""
        if self.trial_other is None:
            return
        row, values, explicit = self.trial_other
        target = fmt.REQUEST_ROW_BY_PATH[fmt.TRIAL_OTHER_PROCESSING]
        if any(path[: len(row.path)] == row.path for path in self.rows):
            if any(v.number for v in values):
                self.result.problems.append(
                    warning(
                        CODE_NOT_IMPORTED,
                        f"“{row.label}”行的数字未导入：它是各小项之和，由程序计算",
                        ("requests", *row.path),
                    )
                )
            return
        self.result.trial = True
        self.result.problems.append(
            warning(
                CODE_TRIAL,
                f"“{row.label}”只有一行数字（{fmt.TRIAL_FORMAT_SOURCE}试行格式），"
                f"已按“{target.full_label}”读入",
                ("requests", *target.path),
            )
        )
        self._row(target, values, explicit)

    def _numbers(
        self, path: tuple[str, ...], values: list[Value], explicit: bool
    ) -> tuple[dict[str, int], int | None]:
        where = ("requests", *path)
        if not values:
            self.result.problems.append(
                _blank_warning(where, [c.label for c in fmt.REQUEST_COLUMNS])
            )
            return {}, None
        by_key = self._by_column(values, explicit, where)
        numbers: dict[str, int] = {}
        blanks: list[str] = []
        for column in fmt.REQUEST_COLUMNS:
            value = by_key.get(column.key)
            if value is None or value.number is None:
                blanks.append(column.label)
                continue
            numbers[column.key] = _whole(value, (*where, column.key), self.result.problems)
        if blanks and by_key:
            self.result.problems.append(_blank_warning(where, blanks))
        stated = numbers.pop("total", None)
        return numbers, stated

    def _by_column(self, values: list[Value], explicit: bool, where: tuple) -> dict[str, Value]:
        keys = [c.key for c in fmt.REQUEST_COLUMNS]
        if len(set(self.header.values())) == len(keys) and all(
            v.cell.column in self.header for v in values
        ):
            return {self.header[v.cell.column]: v for v in values}  # type: ignore[index]
        if len(values) != len(keys):
            split = split_values(values, [len(keys)], True, where, self.result.problems)
            if split is not None:
                return dict(zip(keys, split, strict=False))
        if len(values) in (len(keys), len(keys) - 1):
            return dict(zip(keys, values, strict=False))
        if not explicit and len(values) == 1:
            return {"total": values[0]}  # the applicant cells were blank and fell away
        if explicit and all(v.number is None for v in values):
            return {"total": values[0]}
        self.result.problems.append(
            error(
                CODE_MISSING,
                f"读到 {len(values)} 个数，应为 7 个（六类申请人和总计），无法确定各栏，按 0 填入",
                where,
            )
        )
        return {}

    def _finish(self) -> None:
        self._trial_other()
        self.result.found = bool(self.rows)
        if not self.rows:
            self.result.problems.append(
                error(CODE_MISSING, "没有找到表三（收到和处理政府信息公开申请情况）", ("requests",))
            )
            return
        data: dict[str, Any] = {}
        for row in fmt.REQUEST_ROWS:
            if row.computed:
                continue
            numbers = self.rows.get(row.path)
            if numbers is None:
                if not (self.result.trial and row.path[:2] == fmt.TRIAL_OTHER_PROCESSING[:2]):
                    self.result.problems.append(
                        error(
                            CODE_MISSING,
                            "表三中没有找到这一行，按 0 填入",
                            ("requests", *row.path),
                        )
                    )
                numbers = {}
            _set(data, row.path, self._row_value(row.path, numbers))
        self._results_total(data)
        self.result.data = data

    def _row_value(self, path: tuple[str, ...], numbers: dict[str, int]) -> Any:
        applicants = [numbers.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS]
        stated = self.stated.get(path)
        if stated is None or stated == sum(applicants):
            return applicants
        value: dict[str, int] = {
            c.key: n for c, n in zip(fmt.APPLICANT_COLUMNS, applicants, strict=True)
        }
        value["total"] = stated
        return value

    def _results_total(self, data: dict[str, Any]) -> None:
        """（七）总计 as the report states it, kept only where it breaks R3."""
        path = fmt.RESULT_TOTAL_PATH
        numbers = self.rows.get(path)
        if numbers is None:
            return
        sums = [0] * len(fmt.APPLICANT_COLUMNS)
        for row in fmt.result_rows():
            found = self.rows.get(row.path, {})
            sums = [
                s + found.get(c.key, 0) for s, c in zip(sums, fmt.APPLICANT_COLUMNS, strict=True)
            ]
        stated = [numbers.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS]
        total = self.stated.get(path)
        if stated != sums or (total is not None and total != sum(sums)):
            value = {c.key: n for c, n in zip(fmt.APPLICANT_COLUMNS, stated, strict=True)}
            if total is not None:
                value["total"] = total
            _set(data, path, value)


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


# --------------------------------------------------------------------------- table 四


@cache
def _review_headers() -> frozenset[str]:
    labels = [c.label for c in fmt.REVIEW_COLUMNS] + [b.label for b in fmt.REVIEW_BLOCKS]
    labels += [fmt.RECONSIDERATION_HEADER, fmt.LITIGATION_HEADER]
    return frozenset(canon(label) for label in labels)


def read_reviews(cells: Sequence[Cell]) -> TableRead:
    """Table 四: 15 numbers after its header, in official order."""
    result = TableRead()
    last = max((i for i, c in enumerate(cells) if canon(c.text) in _review_headers()), default=-1)
    if last < 0:
        result.problems.append(
            error(CODE_MISSING, "没有找到表四（行政复议、行政诉讼情况）", ("reviews",))
        )
        return result
    start = last + 1
    while start < len(cells) and not is_value(cells[start]):
        start += 1
    values, _ = values_after(cells, start, None)
    width = len(fmt.REVIEW_COLUMNS)
    if len(values) != width * len(fmt.REVIEW_BLOCKS):
        blocks = [width] * len(fmt.REVIEW_BLOCKS)
        split = split_values(values, blocks, True, ("reviews",), result.problems)
        if split == []:
            return result
        values = split or values
    if len(values) != width * len(fmt.REVIEW_BLOCKS):
        result.problems.append(
            error(
                CODE_MISSING,
                f"表四读到 {len(values)} 个数，应为 {width * len(fmt.REVIEW_BLOCKS)} 个，"
                "无法确定各栏，按 0 填入",
                ("reviews",),
            )
        )
        return result
    result.found = True
    for b, block in enumerate(fmt.REVIEW_BLOCKS):
        result.data[block.key] = _review_block(
            block, values[b * width : (b + 1) * width], result.problems
        )
    return result


def _review_block(block: fmt.ReviewBlock, values: list[Value], problems: list[Problem]) -> dict:
    where = ("reviews", block.key)
    counts: dict[str, int] = {}
    blanks = []
    for column, value in zip(fmt.REVIEW_COLUMNS, values, strict=True):
        if value.number is None:
            blanks.append(column.label)
            continue
        counts[column.key] = _whole(value, (*where, column.key), problems)
    if blanks:
        problems.append(_blank_warning(where, blanks))
    stated = counts.pop("total", None)
    data = {c.key: counts.get(c.key, 0) for c in fmt.REVIEW_OUTCOMES}
    if stated is not None and stated != sum(data.values()):
        data["total"] = stated
    return data


# --------------------------------------------------------------------------- table 二


@dataclass(frozen=True)
class _ProactiveRow:
    key: str | None  # None: a 2019 row with no 2021 counterpart
    label: str
    block: fmt.ProactiveBlock | None
    trial: bool


@dataclass(frozen=True)
class _ProactiveColumn:
    key: str | None  # issued / repealed / in_force / count / amount; None: not in 2021
    label: str
    trial: bool


@cache
def _proactive_rows() -> LabelIndex:
    entries: list[tuple[str, object]] = []
    blocks = {row.key: block for block in fmt.PROACTIVE_BLOCKS for row in block.rows}
    for block in fmt.PROACTIVE_BLOCKS:
        entries += [
            (row.label, _ProactiveRow(row.key, row.label, block, False)) for row in block.rows
        ]
    for label, key in fmt.TRIAL_PROACTIVE_ROWS.items():
        entries.append((label, _ProactiveRow(key, label, blocks.get(key or ""), True)))
    return LabelIndex(entries)


def _column_key(block: fmt.ProactiveBlock, column: fmt.Column) -> str:
    if block.columns == fmt.DOCUMENT_COLUMNS:
        return column.key
    return "amount" if block.decimal else "count"


@cache
def _proactive_columns() -> LabelIndex:
    entries: list[tuple[str, object]] = []
    for block in fmt.PROACTIVE_BLOCKS:
        for column in block.columns:
            entries.append(
                (column.label, _ProactiveColumn(_column_key(block, column), column.label, False))
            )
            short = column.label.split("（")[0]
            if short != column.label:  # 本年收费金额 without （单位：万元）
                entries.append(
                    (short, _ProactiveColumn(_column_key(block, column), column.label, False))
                )
    for label, key in fmt.TRIAL_PROACTIVE_COLUMNS.items():
        entries.append((label, _ProactiveColumn(key, label, True)))
    return LabelIndex(entries)


@cache
def _proactive_articles() -> frozenset[str]:
    articles = [b.article for b in fmt.PROACTIVE_BLOCKS] + list(fmt.TRIAL_PROACTIVE_BLOCKS)
    return frozenset(canon(a) for a in articles)


def read_proactive(cells: Sequence[Cell]) -> TableRead:
    """Table 二: each block's header names its columns; rows by label."""
    reader = _ProactiveReader(cells)
    reader.read()
    return reader.result


class _ProactiveReader:
    def __init__(self, cells: Sequence[Cell]):
        self.cells = cells
        self.result = TableRead()
        self.header: list[_ProactiveColumn] = []
        self.in_header = False
        self.seen: set[tuple[str, ...]] = set()
        # 2019 columns read as 2021 ones: trial label → the cells they went to
        self.mapped: dict[str, list[tuple[str, ...]]] = {}

    def read(self) -> None:
        i = 0
        while i < len(self.cells):
            cell = self.cells[i]
            text = canon(cell.text)
            if is_value(cell):
                i += 1
            elif text in _proactive_articles():
                self.header, self.in_header = [], False
                self.result.trial |= text in {canon(a) for a in fmt.TRIAL_PROACTIVE_BLOCKS}
                i += 1
            elif text == canon(fmt.PROACTIVE_ITEM_HEADER):
                self.header, self.in_header = [], True
                i += 1
            elif self.in_header and (column := _proactive_columns().match(cell.text)):
                self.header.append(column.target)  # type: ignore[arg-type]
                i += 1
            elif row := _proactive_rows().match(cell.text):
                self.in_header = False
                values, i = values_after(self.cells, i + 1, cell.row)
                self._row(row, cell.text, values)
            else:
                i += 1
        self._finish()

    def _row(self, match: Match, found: str, values: list[Value]) -> None:
        row: _ProactiveRow = match.target  # type: ignore[assignment]
        self.result.found = True
        columns = self.header or self._default_columns(row)
        if row.trial or any(c.trial for c in columns):
            self.result.trial = True
        if match.drift and not row.trial:
            self.result.problems.append(_drift(match, found, ("proactive", row.key)))
        where = ("proactive", row.key) if row.key else ("proactive",)
        while len(values) > len(columns) and values[-1].number is None:
            values = values[:-1]  # a row padded with empty cells to the table's width
        if len(values) != len(columns) and columns:
            split = split_values(values, [len(columns)], False, where, self.result.problems)
            if split == []:
                return
            values = split or values
        if len(values) != len(columns):
            self.result.problems.append(
                error(
                    CODE_MISSING,
                    f"“{row.label}”读到 {len(values)} 个数，表头有 {len(columns)} 栏，"
                    "无法确定各栏，按 0 填入",
                    where,
                )
            )
            return
        pairs = list(zip(columns, values, strict=True))
        if row.key is None:
            self._not_imported(row.label, pairs, where)
            return
        unmapped, blanks = [], []
        for column, value in pairs:
            path = self._path(row, column)
            if path is None:
                unmapped.append((column, value))
                continue
            if value.number is None:
                blanks.append(column.label)
            self._store(path, value)
            if column.trial:
                self.mapped.setdefault(column.label, []).append(path)
        if blanks:
            self.result.problems.append(_blank_warning(where, blanks))
        if unmapped:
            self._not_imported(row.label, unmapped, where)

    def _default_columns(self, row: _ProactiveRow) -> list[_ProactiveColumn]:
        if row.block is None:
            return []
        block = row.block
        return [_ProactiveColumn(_column_key(block, c), c.label, False) for c in block.columns]

    def _path(self, row: _ProactiveRow, column: _ProactiveColumn) -> tuple[str, ...] | None:
        block = row.block
        if block is None or row.key is None or column.key is None:
            return None
        if block.columns == fmt.DOCUMENT_COLUMNS:
            keys = {c.key for c in fmt.DOCUMENT_COLUMNS}
            return ("proactive", row.key, column.key) if column.key in keys else None
        wanted = "amount" if block.decimal else "count"
        return ("proactive", row.key) if column.key == wanted else None

    def _store(self, path: tuple[str, ...], value: Value) -> None:
        self.seen.add(path)
        if any(c.path == path and c.decimal for c in fmt.PROACTIVE_CELLS):
            number: Any = format(value.number if value.number is not None else Decimal(0), "f")
        else:
            number = _whole(value, path, self.result.problems)
        _set(self.result.data, path[1:], number)

    def _not_imported(self, label: str, cells: list[tuple[Any, Value]], where: tuple) -> None:
        listed = "、".join(f"{column.label} {_shown(value)}" for column, value in cells)
        self.result.problems.append(
            warning(
                CODE_NOT_IMPORTED,
                f"“{label}”的 {listed} 在2021年格式中没有对应栏目，未导入",
                where,
            )
        )

    def _finish(self) -> None:
        if not self.result.found:
            self.result.problems.append(
                error(CODE_MISSING, "没有找到表二（主动公开政府信息情况）", ("proactive",))
            )
            return
        cells = {c.path: c for c in fmt.PROACTIVE_CELLS}
        for label, paths in self.mapped.items():
            rows = "、".join(cells[p].row_label for p in paths)
            column = cells[paths[0]].column_label
            self.result.problems.append(
                warning(
                    CODE_TRIAL,
                    f"{fmt.TRIAL_FORMAT_SOURCE}试行格式的“{label}”已按“{column}”读入"
                    f"（{rows}），请核对",
                    paths[0],
                )
            )
        absent: dict[str, list[fmt.ProactiveCell]] = {}
        for cell in fmt.PROACTIVE_CELLS:
            if cell.path not in self.seen:
                absent.setdefault(cell.column_label, []).append(cell)
        for column, cells in absent.items():
            rows = "、".join(c.row_label for c in cells)
            if self.result.trial:
                self.result.problems.append(
                    warning(
                        CODE_TRIAL,
                        f"{fmt.TRIAL_FORMAT_SOURCE}试行格式没有“{column}”栏（{rows}），"
                        "按 0 填入，请按实际填写",
                        cells[0].path,
                    )
                )
            else:
                for cell in cells:
                    self.result.problems.append(
                        error(CODE_MISSING, "表二中没有找到这一格，按 0 填入", cell.path)
                    )


def _shown(value: Value) -> str:
    return "空白" if value.number is None else format(value.number, "f")
