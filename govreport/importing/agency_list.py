"""The agency list a 政务公开办 already keeps, read as the hostile file it may be.

The list is an .xlsx or .csv with a header row naming the columns 名称, 简称, 层级
(部门 / 政府, or the facts file's ``department`` / ``government``) and 上级 (the
parent's name, empty at the top). The service imports it to create its agencies;
``audit --agencies`` reads it to say which agencies have no report. Both read it here,
so a list accepted by one is accepted by the other.

A list is small (a province's agencies are some thousands), so anything larger is
refused before it is parsed: the file's size, then for a workbook the zip's parts and
each sheet's rows, cells and shared strings (``readers.xlsx_scan``, the checks import
runs on a report's workbook) before openpyxl loads anything, and for a .csv its rows
and cells as they are read. Every refusal names the file, and the line where there is one.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import official as fmt
from ..errors import InputError
from .readers.choose import regular_file_size
from .readers.decoding import decode, utf16_without_bom
from .readers.xlsx_scan import scan_workbook

MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_AGENCIES = 20_000
#: The longest name, short name or parent a list may give (a real one is under 40).
MAX_NAME_CHARS = 100
#: Replacement characters tolerated in a decoded .csv before it is called mis-encoded.
MAX_REPLACED = 3
#: How the service and the audit call the file when the user's own name is not known.
DEFAULT_FILE = "机关名单"
SUFFIXES = (".xlsx", ".csv")
COLUMNS = {
    "名称": "name",
    "机关名称": "name",
    "简称": "short_name",
    "层级": "level",
    "上级": "parent",
}
LEVEL_WORDS = {
    "部门": "department",
    "政府": "government",
    **{key: key for key in fmt.LEVELS},
    **{label: key for key, label in fmt.LEVELS.items()},
}


@dataclass(frozen=True)
class ListedAgency:
    """One agency of the list, its level known (stated, or from its name)."""

    name: str
    short_name: str
    level: str
    parent: str
    line: int


def level_of(text: str, name: str, *, file: str | None = None, line: int | None = None) -> str:
    """The level a list's 层级 cell states; from the name (人民政府 or not) when blank."""
    text = text.strip()
    if not text:
        return fmt.level_for(name)
    if text not in LEVEL_WORDS:
        raise InputError(
            f"机关“{name}”的层级“{text}”无法识别，应为“部门”或“政府”", file=file, line=line
        )
    return LEVEL_WORDS[text]


def read_agency_list(path: Path, file: str | None = None) -> list[ListedAgency]:
    """The agencies of the list at ``path``; ``InputError`` naming the file (and line) for
    a list that is too large, not a list, or states a level that is neither."""
    file = file or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("机关名单应是 .xlsx 或 .csv 文件", file=file)
    try:
        size = regular_file_size(path)
    except InputError as exc:  # said of the list, not of a report to import
        raise InputError(exc.message, file=file) from None
    if size > MAX_LIST_BYTES:
        raise InputError(_too_large(size), file=file)
    try:
        with path.open("rb") as source:
            data = source.read(MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取：{exc.strerror or exc}", file=file) from None
    return agencies(read_rows(data, suffix, file=file), file=file)


def agencies(rows: list[dict[str, str]], *, file: str | None = None) -> list[ListedAgency]:
    """The rows of ``read_rows`` as agencies, each level checked."""
    found = []
    for row in rows:
        name, line = row["name"], int(row["line"])
        found.append(
            ListedAgency(
                name,
                row.get("short_name", ""),
                level_of(row.get("level", ""), name, file=file, line=line),
                row.get("parent", ""),
                line,
            )
        )
    return found


def read_rows(data: bytes, suffix: str, *, file: str = DEFAULT_FILE) -> list[dict[str, str]]:
    """The list's rows by column (名称, 简称, 层级, 上级); a header row names the columns."""
    if len(data) > MAX_LIST_BYTES:
        raise InputError(_too_large(len(data)), file=file)
    if suffix == ".csv":
        rows = _csv_rows(data, file)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(data, file)
    else:
        raise InputError("机关名单应是 .xlsx 或 .csv 文件", file=file)
    return list(_by_header(rows, file))


def _too_large(size: int) -> str:
    return f"文件过大（{size:,} 字节），机关名单不能超过 {MAX_LIST_BYTES // 1024 // 1024} MB"


def _csv_rows(data: bytes, file: str) -> Iterator[list[str]]:
    """The rows of a .csv in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16."""
    encoding = utf16_without_bom(data)
    text = data.decode(encoding, errors="replace") if encoding else decode(data)
    if text.count("\ufffd") > MAX_REPLACED or "\x00" in text:
        raise InputError(
            "无法识别文件的文字编码（按 UTF-8、GBK、UTF-16 读都是乱码），不是机关名单",
            file=file,
            hint="请用 Excel 或 WPS 另存为 .xlsx，或另存为“CSV UTF-8”后再试",
        )
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error:  # a field past csv's own limit (128 KB), or a broken quote
        raise InputError("无法按 CSV 读取这一行", file=file, line=reader.line_num) from None


def _xlsx_rows(data: bytes, file: str) -> Iterator[list[str]]:
    """The first sheet's rows, the workbook measured (``scan_workbook``) before openpyxl
    loads it: a bomb of rows or shared strings is refused in the time it takes to stream."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scans = scan_workbook(archive, file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise InputError("不是有效的 .xlsx 文件，无法读取机关名单", file=file) from None
    if not scans:
        raise InputError("工作簿中没有工作表，无法读取机关名单", file=file)
    first = scans[0]
    if first.rows > MAX_AGENCIES + 1:
        raise InputError(
            f"机关名单超过 {MAX_AGENCIES:,} 行（工作表“{first.name}”有 {first.rows:,} 行）",
            file=file,
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise InputError("不是有效的 .xlsx 文件，无法读取机关名单", file=file) from None
    try:
        sheet = book[first.name] if first.name in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()  # a stated dimension may lie; only the rows count
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    except InputError:
        raise
    except Exception:
        raise InputError("工作簿已损坏，无法读取机关名单", file=file) from None
    finally:
        book.close()


def _by_header(rows: Iterable[list[str]], file: str) -> Iterator[dict[str, str]]:
    header: list[str | None] | None = None
    for number, row in enumerate(rows, 1):
        if number > MAX_AGENCIES + 1:
            raise InputError(f"机关名单超过 {MAX_AGENCIES:,} 行", file=file, line=number)
        if header is None:
            header = [COLUMNS.get(cell.strip()) for cell in row]
            if "name" not in header:
                raise InputError(
                    "应是表头，至少有“名称”一列（可选：简称、层级、上级）", file=file, line=number
                )
            continue
        found = {key: (cell or "").strip() for key, cell in zip(header, row, strict=False) if key}
        if any(len(value) > MAX_NAME_CHARS for value in found.values()):
            raise InputError(
                f"有一格超过 {MAX_NAME_CHARS} 个字，不像机关的名称、简称、层级或上级",
                file=file,
                line=number,
            )
        if found.get("name"):
            found["line"] = str(number)
            yield found
