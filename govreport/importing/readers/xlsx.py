"""Reading a filled Excel workbook back into facts, cell by cell by its labels.

Nothing is read by position: each table is found by its official labels wherever
the user moved it (another sheet, rows inserted above), each number by its row's
and its column's label. What a careful reader would question is reported the way
``import`` reports it: a blank cell read as 0 (I1), a label that differs from the
official wording (I2), text in a number cell or a label not found (I5).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ... import official as fmt
from ...diagnostics import ERROR, WARNING, Problem
from ...errors import FactsError, InputError
from ...facts.fields import FEE_PLACES, MAX_COUNT
from ...facts.loading import load
from ...workbook.sheets import INFO_FIELDS, REQUIRED_INFO, TEXT_HEADER, text_slots
from ..base import CODE_BLANK, CODE_DRIFT, CODE_MISSING
from ..labels import canon, norm
from ..result import ImportResult
from .choose import regular_file_size

#: A workbook is a zip: refuse one whose file or unpacked parts are beyond any real report.
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000
#: Cells read per sheet at most (a filled report uses a few hundred).
MAX_CELLS = 200_000
_BLANKS = {"", "/", "／", "-", "—", "——", "－", "无", "空", "不适用", "\\"}
_LEVELS_BY_LABEL = {label: key for key, label in fmt.LEVELS.items()}


def read_workbook(path: str | Path) -> ImportResult:
    """The facts in a workbook written by ``write_workbook`` (or laid out like it)."""
    path = Path(path)
    book = _open(path)
    reader = _Reader(path)
    reader.index(book)
    names = reader.labels.get(canon(INFO_FIELDS[0].label), [])
    if len(names) > 1:
        raise InputError(
            f"工作簿中有 {len(names)} 个单位的表格，一次只能读入一个单位",
            file=str(path),
            hint="汇总工作簿请拆成各单位的工作簿，或用 govreport excel 事实文件.yaml 逐个生成",
        )
    data: dict[str, Any] = {"format": fmt.FORMAT_VERSION}
    reader.info(data)
    reader.proactive(data)
    reader.requests(data)
    reader.reviews(data)
    reader.texts(book, data)
    try:
        facts = load(data)
    except FactsError as exc:
        raise InputError(
            f"工作簿中的数据无法通过校验：{exc.format_message()}", file=str(path)
        ) from None
    return ImportResult(path, data, facts, reader.problems)


def _open(path: Path) -> Any:
    """The workbook, after checking that it is a regular file of a sane size."""
    file = str(path)
    size = regular_file_size(path)
    if size > MAX_FILE_BYTES:
        raise InputError(f"工作簿过大（{size:,} 字节），上限 {MAX_FILE_BYTES:,} 字节", file=file)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            "不是有效的 .xlsx 工作簿", file=file, hint="请用 Excel 或 WPS 另存为 .xlsx 后再试"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"工作簿解压后过大（{unpacked:,} 字节），上限 {MAX_UNPACKED_BYTES:,} 字节", file=file
        )
    try:
        return load_workbook(path, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; none is the user's bug
        raise InputError(
            "工作簿已损坏，无法读取", file=file, hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
        ) from None


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
class _Reader:
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
        value = _merged_value(spot)
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
            if -number.as_tuple().exponent > FEE_PLACES:
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

    # ------------------------------------------------------------------ 基本信息

    def info(self, data: dict[str, Any]) -> None:
        for info_field in INFO_FIELDS:
            spot = self.find(info_field.label, info_field.path)
            value = _merged_value(spot.at(spot.row, spot.column + 1)) if spot else None
            if value is None or (isinstance(value, str) and not value.strip()):
                if info_field.path in REQUIRED_INFO:
                    self.report(
                        CODE_MISSING,
                        ERROR,
                        f"工作簿中没有填写“{info_field.label}”",
                        info_field.path,
                    )
                continue
            _set(data, info_field.path, self._info_value(info_field.path, value))

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
                    _set(data, cell.path, value)

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
                _set(data, cell_path, self.number(cell, cell_path))

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
        _set(data, path, self.number(cell, path))

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
        for path, spot in found.items():
            cell = spot.at(row, spot.column)
            if path[-1] == fmt.TOTAL.key:
                self._stated_total(cell, data, path, False)
            else:
                _set(data, path, self.number(cell, path))

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
                    _set(data, slot.path, text.replace("\r\n", "\n"))


_OUTCOME_LABELS = {canon(c.label) for c in fmt.REVIEW_COLUMNS}
_BLOCK_LABELS = {canon(b.label) for b in fmt.REVIEW_BLOCKS}


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


def _merged_value(spot: Spot) -> Any:
    """The value shown at a cell: a merged range keeps it in its top-left cell."""
    if spot.value is not None:
        return spot.value
    for merged in spot.sheet.merged_cells.ranges:
        if spot.row in range(merged.min_row, merged.max_row + 1) and spot.column in range(
            merged.min_col, merged.max_col + 1
        ):
            return spot.sheet.cell(merged.min_row, merged.min_col).value
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


def _set(data: dict[str, Any], path: tuple, value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
