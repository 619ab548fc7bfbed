"""The tables of a filled workbook read back into facts: 基本信息, 表二, 表三, 表四, 正文.

Each table is found by its official labels wherever it stands (another sheet,
rows inserted above) and each number by its row's and its column's label, the
way ``write_workbook`` lays them out: table 三's rows are told apart by the group
labels above them, table 四's columns by the block header over them. Labels and
numbers are read through ``xlsx_cells``; a table or label not found is reported
and read as 0.

A table that stands twice where a person sees it (copied to another sheet, or below
itself) is never resolved silently: every copy is read, the first is taken, and the
others are named — a warning when they hold the same numbers, an error naming the
cells where they differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from ... import official as fmt
from ...diagnostics import ERROR, WARNING
from ...workbook.sheets import INFO_FIELDS, REQUIRED_INFO, TEXT_HEADER, text_slots
from ..base import CODE_DRIFT, CODE_MISSING, CODE_NOT_IMPORTED
from ..labels import canon, norm
from .xlsx_cells import LabelledCells, Sheet, Spot, merged_value, place, set_path

#: Differing cells of a table's second copy named in its message, at most.
MAX_DIFFERENCES_NAMED = 3

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
            self._other_info(info_field.label, value)

    def _other_info(self, label: str, value: Any) -> None:
        """A 基本信息 line that stands twice with another value: the first is read, the
        other named (two agencies' 机关名称 are refused before this, in ``xlsx``)."""
        for spot in self.labels.get(canon(label), [])[1:]:
            other = merged_value(spot.at(spot.row, spot.column + 1))
            if other is not None and str(other).strip() != str(value).strip():
                self.report(
                    CODE_NOT_IMPORTED,
                    WARNING,
                    f"“{label}”有两处且内容不同：另一处在{spot.at(spot.row, spot.column + 1).name}"
                    f"（“{str(other).strip()[:40]}”），按第一处“{str(value).strip()[:40]}”读入",
                )

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

    def proactive_copies(self) -> list[Spot]:
        """Where each copy of table 二 stands: the spots of its most repeated row label."""
        rows = [row for block in fmt.PROACTIVE_BLOCKS for row in block.rows]
        return max((self.labels.get(canon(row.label), []) for row in rows), key=len)

    def proactive(self, data: dict[str, Any], copy: int = 0) -> None:
        for block in fmt.PROACTIVE_BLOCKS:
            columns = iter(block.cells())
            for row in block.rows:
                spot = self._copy(row.label, copy, ("proactive", row.key))
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

    def requests_copies(self) -> list[Spot]:
        """Where each copy of table 三 stands: its 商业企业 header, table 三's alone."""
        return self.labels.get(canon(fmt.APPLICANT_COLUMNS[1].label), [])

    def requests(self, data: dict[str, Any], copy: int = 0) -> None:
        columns = {c.key: self.find(c.label) for c in fmt.REQUEST_COLUMNS}
        anchor = self._copy(fmt.APPLICANT_COLUMNS[1].label, copy)
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
        for r in sheet.rows_from(anchor.row + 1):
            for c in range(1, anchor.column):
                value = sheet.value(r, c)
                if not isinstance(value, str) or not value.strip() or sheet.hidden(r, c):
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

    def reviews_copies(self) -> list[Spot]:
        """Where each copy of table 四 stands: the headers of its most repeated block."""
        return max((self._block_headers(block) for block in fmt.REVIEW_BLOCKS), key=len)

    def reviews(self, data: dict[str, Any], copy: int = 0) -> None:
        """Table 四: each block's outcome columns under its header; the numbers stand in
        the one row below the deepest header row (行政复议's labels span two rows)."""
        found: dict[tuple[str, ...], Spot] = {}
        for block in fmt.REVIEW_BLOCKS:
            headers = self._block_headers(block)
            header = headers[min(copy, len(headers) - 1)] if headers else None
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

    def _block_headers(self, block: fmt.ReviewBlock) -> list[Spot]:
        """行政复议 / 未经复议直接起诉 / 复议后起诉 — each one above outcome labels (行政诉讼's
        own header row, with its blocks below it, is not one)."""
        found = []
        for spot in self.labels.get(canon(block.label), []):
            below = spot.at(spot.row + 1, spot.column).value
            if isinstance(below, str) and canon(below) in _OUTCOME_LABELS:
                found.append(spot)
        return found

    def _outcome(self, header: Spot, label: str) -> Spot | None:
        width = _span_width(header)
        for c in range(header.column, header.column + width):
            value = header.sheet.value(header.row + 1, c)
            if isinstance(value, str) and canon(value) == canon(label):
                return Spot(header.sheet, header.row + 1, c, value)
        return None

    # ------------------------------------------------------------------ 正文

    def texts(self, sheets: list[Sheet], data: dict[str, Any]) -> None:
        """The 正文 sheet: a text per row, found by its section and item titles; a text
        that stands twice with different words is read from the first and said so."""
        slots = {(canon(s.heading), canon(s.title)): s for s in text_slots()}
        taken: dict[tuple[str, ...], tuple[Sheet, int, str]] = {}
        for sheet, row, heading, title, text in _text_rows(sheets):
            slot = slots.get((canon(str(heading or "")), canon(str(title or ""))))
            if slot is None or not isinstance(text, str) or not text.strip():
                continue
            text = text.replace("\r\n", "\n")
            if slot.path not in taken:
                taken[slot.path] = (sheet, row, text)
                set_path(data, slot.path, text)
            elif taken[slot.path][2] != text:
                first, at, _ = taken[slot.path]
                self.report(
                    CODE_NOT_IMPORTED,
                    WARNING,
                    f"“{slot.heading} · {slot.title}”有两处且文字不同：工作表“{first.title}” "
                    f"{place(at, 3)}、工作表“{sheet.title}” {place(row, 3)}；按第一处读入",
                )

    # ------------------------------------------------------------------ copies

    def read_table(
        self,
        name: str,
        read: Callable[[dict[str, Any], int], None],
        copies: list[Spot],
        data: dict[str, Any],
    ) -> None:
        """Read a table from its first copy; read every other copy as well and say where
        it stands and whether its numbers differ (an error then: which is right is the
        user's to say)."""
        read(data, 0)
        for copy in range(1, len(copies)):
            kept = len(self.problems)
            other: dict[str, Any] = {}
            read(other, copy)
            del self.problems[kept:]  # the copy's own blanks and drifts are not news
            differ = [
                f"【{fmt.describe(path)}】第一处 {value}，第二处 {_at(other, path)}"
                for path, value in _leaves(data)
                if path[0] in other and _at(other, path) != value
            ]
            places = f"{copies[0].name}、{copies[copy].name}"
            if differ:
                shown = "；".join(differ[:MAX_DIFFERENCES_NAMED])
                more = f" 等 {len(differ)} 处" if len(differ) > MAX_DIFFERENCES_NAMED else ""
                self.report(
                    CODE_MISSING,
                    ERROR,
                    f"{name}在工作簿中出现两次（{places}），数字不同：{shown}{more}；"
                    "已按第一处读入，请删去多余的一份后再导入",
                )
            else:
                self.report(
                    CODE_NOT_IMPORTED,
                    WARNING,
                    f"{name}在工作簿中出现两次（{places}），数字相同，按第一处读入",
                )

    def _copy(self, label: str, copy: int, path: tuple = ()) -> Spot | None:
        """The cell labelled ``label`` in the given copy of its table (the first copy if
        that copy lacks it)."""
        spots = self.labels.get(canon(label), [])
        if copy == 0 or len(spots) <= copy:
            return self.find(label, path)
        return spots[copy]


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
    merged = spot.sheet.span(spot.row, spot.column)
    return merged[3] - merged[1] + 1 if merged else len(fmt.REVIEW_COLUMNS)


def _below_header(spot: Spot) -> int:
    """The first row under a header cell, past its vertical merge."""
    merged = spot.sheet.span(spot.row, spot.column)
    return merged[2] + 1 if merged else spot.row + 1


def _text_rows(sheets: list[Sheet]) -> Iterator[tuple[Sheet, int, Any, Any, Any]]:
    """The rows of every visible 正文 sheet (headed 部分 | 事项 | 内容), hidden rows left out."""
    for sheet in sheets:
        first = [sheet.value(1, c) for c in range(1, 4)]
        if not sheet.visible or [norm(str(v or "")) for v in first] != list(TEXT_HEADER):
            continue
        for row in sheet.rows_from(2):
            if row not in sheet.hidden_rows:
                heading, title, text = (sheet.value(row, c) for c in range(1, 4))
                yield sheet, row, heading, title, text


def _leaves(data: dict[str, Any], path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*path, key))
        else:
            yield (*path, key), value


def _at(data: dict[str, Any], path: tuple) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node
