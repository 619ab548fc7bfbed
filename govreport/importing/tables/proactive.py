"""Table 二 (主动公开政府信息情况): each block's header names its columns; rows by label;
the 2019 trial format's rows and columns mapped where they map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ... import official as fmt
from ..base import CODE_MISSING, CODE_NOT_FOUND, CODE_NOT_IMPORTED, CODE_TRIAL, Cell, error, warning
from ..labels import LabelIndex, Match, canon
from . import (
    TableRead,
    Value,
    blank_warning,
    drift,
    is_value,
    set_path,
    split_values,
    trimmed,
    values_after,
    whole,
)


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


def _cut_column(text: str, taken: list[_ProactiveColumn]) -> _ProactiveColumn | None:
    """A header cell cut short (本年新 for 本年新制作数量 and 本年新公开数量): the first
    column, in the format's order, that it begins and the header has not had yet."""
    start = canon(text)
    if len(start) < 3:
        return None
    labels = [c.label for b in fmt.PROACTIVE_BLOCKS for c in b.columns]
    labels += list(fmt.TRIAL_PROACTIVE_COLUMNS)
    used = {c.label for c in taken}
    for label in labels:
        if canon(label).startswith(start) and label not in used:
            match = _proactive_columns().match(label)
            return match.target if match else None  # type: ignore[return-value]
    return None


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
            elif self.in_header and (cut := _cut_column(cell.text, self.header)):
                self.header.append(cut)
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
            self.result.problems.append(drift(match, found, ("proactive", row.key)))
        elif row.trial and row.key and columns and not any(c.trial for c in columns):
            # a 2019 row label (规范性文件) in a table with 2021 columns: label drift
            official = Match(row, _official_row_label(row.key), True)
            self.result.problems.append(drift(official, found, ("proactive", row.key)))
        where = ("proactive", row.key) if row.key else ("proactive",)
        values = trimmed(values, len(columns))
        if len(values) != len(columns) and columns:
            split = split_values(values, [len(columns)], False, where, self.result.problems)
            if split == []:
                self._unread(row, columns)
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
            self._unread(row, columns)
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
            self.result.problems.append(blank_warning(where, blanks))
        if unmapped:
            self._not_imported(row.label, unmapped, where)

    def _unread(self, row: _ProactiveRow, columns: list[_ProactiveColumn]) -> None:
        """The row was found and reported unreadable: its cells are not also 'not found'."""
        for column in columns or self._default_columns(row):
            path = self._path(row, column)
            if path is not None:
                self.seen.add(path)

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
        self.result.keep(path, value)
        if any(c.path == path and c.decimal for c in fmt.PROACTIVE_CELLS):
            number: Any = format(value.number if value.number is not None else Decimal(0), "f")
        else:
            number = whole(value, path, self.result.problems)
        set_path(self.result.data, path[1:], number)

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
                error(CODE_NOT_FOUND, "没有找到表二（主动公开政府信息情况）", ("proactive",))
            )
            return
        by_path = {c.path: c for c in fmt.PROACTIVE_CELLS}
        for label, paths in self.mapped.items():
            rows = "、".join(by_path[p].row_label for p in paths)
            column = by_path[paths[0]].column_label
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


def _official_row_label(key: str) -> str:
    return next(r.label for b in fmt.PROACTIVE_BLOCKS for r in b.rows if r.key == key)


def _shown(value: Value) -> str:
    return "空白" if value.number is None else format(value.number, "f")
