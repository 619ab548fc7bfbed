"""The tables of a filled workbook read back into facts: 基本信息, 表二, 表三, 表四, 正文.

Each table is found by its official labels wherever it stands (another sheet,
rows inserted above) and each number by its row's and its column's label, the
way ``write_workbook`` lays them out: table 三's rows are told apart by the group
labels above them, table 四's columns by the block header over them. Labels and
numbers are read through ``xlsx_cells``; a table or label not found is reported
and read as 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ... import official as fmt
from ...diagnostics import ERROR, WARNING
from ...workbook.sheets import INFO_FIELDS, REQUIRED_INFO, TEXT_HEADER, text_slots
from ..base import CODE_DRIFT, CODE_MISSING
from ..labels import canon, norm
from .xlsx_cells import LabelledCells, Spot, merged_value, set_path

_LEVELS_BY_LABEL = {label: key for key, label in fmt.LEVELS.items()}
#: Table 四: the outcome labels under a block header, and the blocks' own labels.
_OUTCOME_LABELS = {canon(c.label) for c in fmt.REVIEW_COLUMNS}
_BLOCK_LABELS = {canon(b.label) for b in fmt.REVIEW_BLOCKS}


class TableReader(LabelledCells):
    """Reads each table of one workbook into the facts data, noting what it questions."""

    # ------------------------------------------------------------------ 基本信息

    def info(self, data: dict[str, Any]) -> None:
        for info_field in INFO_FIELDS:
            spot = self.find(info_field.label, info_field.path)
            value = merged_value(spot.at(spot.row, spot.column + 1)) if spot else None
            if value is None or (isinstance(value, str) and not value.strip()):
                if info_field.path in REQUIRED_INFO:
                    self.report(
                        CODE_MISSING,
                        ERROR,
                        f"工作簿中没有填写“{info_field.label}”",
                        info_field.path,
                    )
                continue
            set_path(data, info_field.path, self._info_value(info_field.path, value))

    def _info_value(self, path: tuple[str, ...], value: Any) -> Any:
        if path == ("agency", "level"):
            return _LEVELS_BY_LABEL.get(str(value).strip(), str(value).strip())
        if path == ("year",):
            return int(value) if isinstance(value, (int, float)) else str(value).strip()
        if path == ("published",):
            if isinstance(value, dt.datetime):
                return value.date()
            return value if isinstance(value, dt.date) else str(value).strip()
        return str(value).strip() if not isinstance(value, str) else value.strip()

    # ------------------------------------------------------------------ 表二

    def proactive(self, data: dict[str, Any]) -> None:
        for block in fmt.PROACTIVE_BLOCKS:
            columns = iter(block.cells())
            for row in block.rows:
                spot = self.find(row.label, ("proactive", row.key))
                for column in block.columns:
                    cell = next(columns)
                    if spot is None:
                        self.missing(f"表二 {row.label}", cell.path)
                        continue
                    at = self._proactive_column(spot, column.label, len(block.columns) == 1)
                    value = self.number(at, cell.path, decimal=cell.decimal)
                    set_path(data, cell.path, value)

    def _proactive_column(self, row_label: Spot, column_label: str, single: bool) -> Spot:
        """The number cell of a row under the column header nearest above it."""
        for header in sorted(self.labels.get(canon(column_label), []), key=lambda s: -s.row):
            if header.sheet is row_label.sheet and header.row < row_label.row:
                return row_label.at(row_label.row, header.column)
        return row_label.at(row_label.row, row_label.column + 1) if single else row_label

    # ------------------------------------------------------------------ 表三

    def requests(self, data: dict[str, Any]) -> None:
        columns = {c.key: self.find(c.label) for c in fmt.REQUEST_COLUMNS}
        anchor = self.find(fmt.APPLICANT_COLUMNS[1].label)  # 商业企业: table 三's alone
        rows = self._request_rows(anchor)
        for row in fmt.REQUEST_ROWS:
            spot = rows.get(row.path)
            path = ("requests", *row.path)
            if spot is None:
                if not row.computed:
                    self.missing(f"表三 {row.full_label}", path)
                continue
            for column in fmt.REQUEST_COLUMNS:
                header = self._column_in(columns.get(column.key), anchor)
                cell_path = (*path, column.key)
                if header is None:
                    if not row.computed and column is not fmt.TOTAL:
                        self.missing(f"表三 {column.label}列", cell_path)
                    continue
                cell = spot.at(spot.row, header.column)
                if row.computed or column is fmt.TOTAL:
                    self._stated_total(cell, data, cell_path, row.computed)
                    continue
                set_path(data, cell_path, self.number(cell, cell_path))

    def _column_in(self, header: Spot | None, anchor: Spot | None) -> Spot | None:
        """A table 三 column header, taken from the same sheet as 商业企业."""
        if header is None or anchor is None:
            return None
        if header.sheet is anchor.sheet and abs(header.row - anchor.row) <= 2:
            return header
        for spot in self.labels.get(canon(header.value), []):
            if spot.sheet is anchor.sheet and abs(spot.row - anchor.row) <= 2:
                return spot
        return None

    def _request_rows(self, anchor: Spot | None) -> dict[tuple[str, ...], Spot]:
        """Each table 三 row's label cell, read top to bottom with its group labels as
        context (the three 1. rows under （三）, （四）, （五） are told apart so)."""
        if anchor is None:
            return {}
        sheet = anchor.sheet
        groups = [g for g in fmt.walk() if g.is_group]
        context: dict[int, fmt.RequestRow] = {}
        found: dict[tuple[str, ...], Spot] = {}
        for r in range(anchor.row + 1, sheet.max_row + 1):
            for c in range(1, anchor.column):
                value = sheet.cell(r, c).value
                if not isinstance(value, str) or not value.strip():
                    continue
                text = canon(value)
                group = next((g for g in groups if canon(g.label) == text), None)
                if group is not None:
                    context = {d: g for d, g in context.items() if d < group.depth}
                    context[group.depth] = group
                    continue
                row = _match_row(text, context, found)
                if row is not None:
                    found[row.path] = Spot(sheet, r, c, value)
                    if norm(value) != norm(row.label):
                        self.report(
                            CODE_DRIFT,
                            WARNING,
                            f"{found[row.path].name}的标签“{value.strip()}”与官方表述"
                            f"“{row.label}”不同，按官方栏目读入",
                            ("requests", *row.path),
                        )
        return found

    def _stated_total(self, cell: Spot, data: dict, path: tuple, computed_row: bool) -> None:
        """A 总计 the user typed over the formula is kept as stated, so check shows R2/R3."""
        value = cell.value
        if value is None or (isinstance(value, str) and value.startswith("=")):
            return
        if computed_row:
            return  # （七）总计 is always computed from the rows above (R3 is checked there)
        set_path(data, path, self.number(cell, path))

    # ------------------------------------------------------------------ 表四

    def reviews(self, data: dict[str, Any]) -> None:
        """Table 四: each block's outcome columns under its header; the numbers stand in
        the one row below the deepest header row (行政复议's labels span two rows)."""
        found: dict[tuple[str, ...], Spot] = {}
        for block in fmt.REVIEW_BLOCKS:
            header = self._block_header(block)
            for column in fmt.REVIEW_COLUMNS:
                path = ("reviews", block.key, column.key)
                spot = self._outcome(header, column.label) if header else None
                if spot is not None:
                    found[path] = spot
                elif column is not fmt.TOTAL:
                    self.missing(f"表四 {block.full_label} · {column.label}", path)
        if not found:
            return
        row = max(_below_header(spot) for spot in found.values())
        for where, spot in found.items():
            cell = spot.at(row, spot.column)
            if where[-1] == fmt.TOTAL.key:
                self._stated_total(cell, data, where, False)
            else:
                set_path(data, where, self.number(cell, where))

    def _block_header(self, block: fmt.ReviewBlock) -> Spot | None:
        """行政复议 / 未经复议直接起诉 / 复议后起诉 — the one above outcome labels."""
        for spot in self.labels.get(canon(block.label), []):
            below = spot.at(spot.row + 1, spot.column).value
            if isinstance(below, str) and canon(below) in _OUTCOME_LABELS:
                return spot
            if isinstance(below, str) and canon(below) in _BLOCK_LABELS:
                continue  # 行政诉讼's own header row; its blocks are below
        return None

    def _outcome(self, header: Spot, label: str) -> Spot | None:
        width = _span_width(header)
        for c in range(header.column, header.column + width):
            value = header.sheet.cell(header.row + 1, c).value
            if isinstance(value, str) and canon(value) == canon(label):
                return Spot(header.sheet, header.row + 1, c, value)
        return None

    # ------------------------------------------------------------------ 正文

    def texts(self, book: Any, data: dict[str, Any]) -> None:
        """The 正文 sheet: a text per row, found by its section and item titles."""
        slots = {(canon(s.heading), canon(s.title)): s for s in text_slots()}
        for sheet in book.worksheets:
            first = [sheet.cell(1, c).value for c in range(1, 4)]
            if [norm(str(v or "")) for v in first] != list(TEXT_HEADER):
                continue
            for heading, title, text in sheet.iter_rows(min_row=2, max_col=3, values_only=True):
                slot = slots.get((canon(str(heading or "")), canon(str(title or ""))))
                if slot is not None and isinstance(text, str) and text.strip():
                    set_path(data, slot.path, text.replace("\r\n", "\n"))


def _match_row(
    text: str, context: dict[int, fmt.RequestRow], found: dict[tuple[str, ...], Spot]
) -> fmt.RequestRow | None:
    """The table 三 row labelled ``text`` under the groups seen so far."""
    for row in fmt.REQUEST_ROWS:
        if row.path in found or canon(row.label) != text:
            continue
        if all(context.get(parent.depth) == parent for parent in row.parents):
            return row
    return None


def _span_width(spot: Spot) -> int:
    for merged in spot.sheet.merged_cells.ranges:
        if merged.min_row == spot.row and merged.min_col == spot.column:
            return merged.max_col - merged.min_col + 1
    return len(fmt.REVIEW_COLUMNS)


def _below_header(spot: Spot) -> int:
    """The first row under a header cell, past its vertical merge."""
    for merged in spot.sheet.merged_cells.ranges:
        if merged.min_row == spot.row and merged.min_col == spot.column:
            return merged.max_row + 1
    return spot.row + 1
