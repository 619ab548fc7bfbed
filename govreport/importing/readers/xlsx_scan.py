"""A workbook measured before it is loaded: its parts' sizes, each sheet's rows and cells.

openpyxl builds every cell of a sheet and every shared string in memory before
anything can be checked, so a 10 MB workbook of two million rows, or four million
shared strings, costs a minute and a gigabyte before it could be refused. Here the
zip's directory is checked first (the size each part unpacks to, and how much it
grew), then each sheet's XML is streamed and its ``<row>`` and ``<c>`` elements
counted, stopping at the first one past the limit, and the shared strings counted
the same way; only a workbook within every limit is handed to openpyxl.

The same pass notes what a person looking at the workbook does not see (hidden
sheets, hidden rows and columns) and the merged ranges, which openpyxl's read-only
mode does not read.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from ...errors import InputError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STRINGS_TYPE = f"{_SHEETML}.sharedStrings+xml"
#: The workbook part's content types, in the order openpyxl looks for them.
_BOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    f"{_SHEETML}.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    f"{_SHEETML}.sheet.main+xml",
)
#: Where openpyxl reads the styles from, whatever the package says.
STYLES_PART = "xl/styles.xml"

#: A workbook is a zip: refuse one whose file or unpacked parts are beyond any real report.
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000
#: One part (a sheet, the shared strings, the styles) unpacked, and how much it may grow:
#: a filled workbook's parts are a few hundred KB and XML packs about ten to one.
MAX_PART_BYTES = 30_000_000
MAX_RATIO = 200
#: Cells and rows per sheet and in the whole workbook (a filled report has a few hundred
#: cells; a 政务公开办's summary workbook of a hundred agencies some tens of thousands),
#: the widest row openpyxl is asked to build, and the shared strings.
MAX_CELLS = 200_000
MAX_BOOK_CELLS = 400_000
MAX_ROWS = 100_000
MAX_ROW_SPAN = 2_000_000
MAX_STRINGS = 200_000
#: Sheets, and elements of the styles part (openpyxl keeps a few KB for each cell format;
#: a real workbook has dozens, Excel allows 64,000, a bomb a hundred thousand more).
MAX_SHEETS = 1_000
#: Merged ranges and XML elements of one sheet (a cell is two or three elements).
MAX_MERGES = 10_000
MAX_SHEET_ELEMENTS = 1_000_000
#: Elements of any other part read here (the package's lists, the workbook, the strings).
MAX_PART_ELEMENTS = 1_000_000
MAX_STYLE_ELEMENTS = 50_000


@dataclass
class SheetScan:
    """One sheet as the scan found it."""

    name: str
    part: str
    state: str = "visible"
    rows: int = 0
    cells: int = 0
    widest: int = 0
    dimension: str = ""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    #: where the stream stands: the row being read and its last cell's column
    row: int = field(default=0, repr=False)
    column: int = field(default=0, repr=False)

    @property
    def visible(self) -> bool:
        return self.state in ("", "visible")


def scan_workbook(archive: zipfile.ZipFile, file: str) -> list[SheetScan]:
    """Every sheet of the workbook, measured; ``InputError`` for one beyond the limits."""
    _check_parts(archive, file)
    types = _content_types(archive, file)
    sheets = _sheets(archive, _workbook_part(types), file)
    if len(sheets) > MAX_SHEETS:
        raise InputError(f"工作簿中的工作表过多（{len(sheets):,} 张），未读入", file=file)
    total = 0
    for sheet in sheets:
        _scan_sheet(archive, sheet, file)
        total += sheet.cells
        if total > MAX_BOOK_CELLS:
            raise InputError(
                f"工作簿过大：单元格超过 {MAX_BOOK_CELLS:,} 个，未读入",
                file=file,
                hint="年度报告的工作簿只需几百个单元格；请只保留本单位的表格",
            )
    for part in {"xl/sharedStrings.xml", *types.get(_STRINGS_TYPE, [])}:
        if part in archive.NameToInfo:
            _count_strings(archive, part, file)
    _count_styles(archive, file)
    return sheets


def _check_parts(archive: zipfile.ZipFile, file: str) -> None:
    unpacked = 0
    for info in archive.infolist():
        unpacked += info.file_size
        grew = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > 1_000_000 and grew > MAX_RATIO):
            raise InputError(
                f"工作簿中的“{info.filename}”解压后过大（{info.file_size:,} 字节，"
                f"压缩比 {grew:.0f} 倍），未读入",
                file=file,
            )
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"工作簿解压后过大（{unpacked:,} 字节），上限 {MAX_UNPACKED_BYTES:,} 字节", file=file
        )


def _content_types(archive: zipfile.ZipFile, file: str) -> dict[str, list[str]]:
    """The parts the package names, by content type."""
    types: dict[str, list[str]] = {}
    for element in _walk(archive, "[Content_Types].xml", file):
        if element.tag == f"{_TYPES}Override":
            part = element.get("PartName", "").lstrip("/")
            types.setdefault(element.get("ContentType", ""), []).append(part)
    return types


def _workbook_part(types: dict[str, list[str]]) -> str:
    """The workbook part, found as openpyxl finds it."""
    for kind in _BOOK_TYPES:
        if types.get(kind):
            return types[kind][0]
    return "xl/workbook.xml"


def _sheets(archive: zipfile.ZipFile, book: str, file: str) -> list[SheetScan]:
    """The sheets in workbook order, with their state and the part that holds each."""
    folder, name = posixpath.split(book)
    targets = {}
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    for element in _walk(archive, rels, file):
        if element.tag != f"{_RELS}Relationship":
            continue
        target = element.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[element.get("Id")] = posixpath.normpath(part)
    sheets = []
    for element in _walk(archive, book, file):
        if element.tag != f"{_MAIN}sheet":
            continue
        part = targets.get(element.get(_R_ID))
        if part is not None and part in archive.NameToInfo:
            sheets.append(SheetScan(element.get("name", ""), part, element.get("state") or ""))
    return sheets


def _scan_sheet(archive: zipfile.ZipFile, sheet: SheetScan, file: str) -> None:
    """Count rows and cells (refusing past the limits), note hidden rows and columns,
    merged ranges and the stated dimension. Each element is dropped from its parent
    once it ends, so the scan holds one path of the tree at a time, whatever the size."""
    for elements, element in enumerate(_walk(archive, sheet.part, file, limit=None), start=1):
        if elements > MAX_SHEET_ELEMENTS:
            _too_big(sheet, file, f"超过 {MAX_SHEET_ELEMENTS:,} 个 XML 元素")
        _note(sheet, element, file)


def _note(sheet: SheetScan, element: Any, file: str) -> None:
    """What one element of a sheet tells (its attributes are all there at its start)."""
    tag = element.tag
    if tag == f"{_MAIN}c":
        sheet.cells += 1
        _note_column(sheet, element.get("r"), file)
        if sheet.cells > MAX_CELLS:
            _too_big(sheet, file, f"超过 {MAX_CELLS:,} 个单元格")
    elif tag == f"{_MAIN}row":
        _start_row(sheet, element, file)
    elif tag == f"{_MAIN}dimension":
        sheet.dimension = element.get("ref", "")
    elif tag == f"{_MAIN}col" and _hidden(element, "width"):
        first, last = _int(element.get("min"), 0), _int(element.get("max"), 0)
        sheet.hidden_columns.update(range(max(first, 1), min(last, 16_384) + 1))
    elif tag == f"{_MAIN}mergeCell":
        _note_merge(sheet, element.get("ref", ""), file)


def _hidden(element: Any, size: str) -> bool:
    """Hidden, or so narrow (a column) or low (a row) that nothing in it shows."""
    if element.get("hidden") in ("1", "true"):
        return True
    stated = element.get(size)
    try:
        return stated is not None and float(stated) < 0.5
    except ValueError:
        return False


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _start_row(sheet: SheetScan, element: Any, file: str) -> None:
    sheet.rows += 1
    if sheet.rows > MAX_ROWS:
        _too_big(sheet, file, f"超过 {MAX_ROWS:,} 行")
    sheet.row = _int(element.get("r"), sheet.row + 1)
    if _hidden(element, "ht"):
        sheet.hidden_rows.add(sheet.row)
    sheet.column = 0


def _note_column(sheet: SheetScan, reference: str | None, file: str) -> None:
    """The widest row so far: openpyxl builds each row as wide as its last cell."""
    column = sheet.column + 1
    if reference:
        with contextlib.suppress(ValueError):
            column = column_index_from_string(coordinate_from_string(reference)[0])
    sheet.column = column
    sheet.widest = max(sheet.widest, column)
    if sheet.widest * max(sheet.rows, 1) > MAX_ROW_SPAN:
        _too_big(sheet, file, f"{sheet.rows:,} 行，最宽一行到第 {sheet.widest:,} 列")


def _note_merge(sheet: SheetScan, reference: str, file: str) -> None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(reference)
    except (ValueError, TypeError):
        return
    if min_col is None or min_row is None or max_col is None or max_row is None:
        return
    sheet.merged.append((min_row, min_col, max_row, max_col))
    if len(sheet.merged) > MAX_MERGES:
        _too_big(sheet, file, f"超过 {MAX_MERGES:,} 处合并单元格")


def _too_big(sheet: SheetScan, file: str, what: str) -> None:
    raise InputError(
        f"工作表“{sheet.name}”过大（{what}），未读入",
        file=file,
        hint="年度报告的工作簿只需几百个单元格；请删去多余的行和列，或只保留本单位的表格",
    )


def _count_strings(archive: zipfile.ZipFile, part: str, file: str) -> None:
    """The shared strings, counted as they stream past: openpyxl keeps them all."""
    count = 0
    for element in _walk(archive, part, file):
        count += element.tag == f"{_MAIN}si"
        if count > MAX_STRINGS:
            raise InputError(
                f"工作簿过大：共享字符串超过 {MAX_STRINGS:,} 个，未读入",
                file=file,
                hint="年度报告的工作簿只需几百段文字；请确认选择的是本单位的工作簿",
            )


def _count_styles(archive: zipfile.ZipFile, file: str) -> None:
    """The styles part's elements, counted before openpyxl builds an object for each."""
    if STYLES_PART not in archive.NameToInfo:
        return
    for count, _ in enumerate(_walk(archive, STYLES_PART, file), start=1):
        if count > MAX_STYLE_ELEMENTS:
            raise InputError(
                f"工作簿中的单元格样式过多（超过 {MAX_STYLE_ELEMENTS:,} 项），未读入",
                file=file,
                hint="请用 Excel 或 WPS 清除多余的单元格样式后另存为 .xlsx 再试",
            )


def _walk(
    archive: zipfile.ZipFile, part: str, file: str, limit: int | None = MAX_PART_ELEMENTS
) -> Iterator[Any]:
    """Each element of the part as it starts (its attributes are all there then). It is
    dropped from its parent once it ends, so only one path of the tree is ever held,
    however large the part; DTDs and entities are refused (defusedxml)."""
    open_elements: list[Any] = []
    for count, (event, element) in enumerate(_stream(archive, part, file)):
        if event == "end":
            open_elements.pop()
            if open_elements:
                open_elements[-1].remove(element)
            continue
        if limit is not None and count > 2 * limit:
            raise InputError(f"工作簿中的“{part}”过大（超过 {limit:,} 个元素），未读入", file=file)
        open_elements.append(element)
        yield element


def _stream(archive: zipfile.ZipFile, part: str, file: str) -> Iterator[tuple[str, Any]]:
    """The part's XML as (event, element) pairs."""
    try:
        with archive.open(part) as source:
            yield from _parse(source)
    except KeyError:
        raise InputError(
            f"不是有效的 .xlsx 工作簿（缺少 {part}）",
            file=file,
            hint="请用 Excel 或 WPS 另存为 .xlsx 后再试",
        ) from None
    except Exception:  # expat, defusedxml and zlib raise many kinds; none is the user's bug
        raise InputError(
            "工作簿已损坏，无法读取", file=file, hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
        ) from None


def _parse(source: IO[bytes]) -> Iterator[tuple[str, Any]]:
    yield from iterparse(source, events=("start", "end"), forbid_dtd=True)
