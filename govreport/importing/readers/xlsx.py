"""Reading a filled Excel workbook back into facts, cell by cell by its labels.

Nothing is read by position: each table is found by its official labels wherever
the user moved it (another sheet, rows inserted above), each number by its row's
and its column's label. What a careful reader would question is reported the way
``import`` reports it: a blank cell read as 0 (I1), a label that differs from the
official wording (I2), text in a number cell or a label not found (I5).

This module opens the file (refusing one no real report would be: ``xlsx_scan``
measures it before anything is loaded), reads every sheet's values once in
openpyxl's read-only mode and puts the facts together; ``xlsx_cells`` indexes the
cells a person sees by label and reads numbers, ``xlsx_tables`` reads each table.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ... import official as fmt
from ...errors import FactsError, InputError
from ...facts.loading import load
from ...workbook.sheets import INFO_FIELDS
from ..labels import canon
from ..result import ImportResult
from .choose import regular_file_size
from .xlsx_cells import Formula, Sheet
from .xlsx_scan import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, SheetScan, scan_workbook
from .xlsx_tables import TableReader

__all__ = ["MAX_FILE_BYTES", "MAX_UNPACKED_BYTES", "read_workbook"]


def read_workbook(path: str | Path) -> ImportResult:
    """The facts in a workbook written by ``write_workbook`` (or laid out like it)."""
    path = Path(path)
    sheets = _open(path)
    reader = TableReader(path)
    reader.index(sheets)
    names = reader.labels.get(canon(INFO_FIELDS[0].label), [])
    if len(names) > 1:
        raise InputError(
            f"工作簿中有 {len(names)} 个单位的表格，一次只能读入一个单位",
            file=str(path),
            hint="汇总工作簿请拆成各单位的工作簿，或用 govreport excel 事实文件.yaml 逐个生成",
        )
    data: dict[str, Any] = {"format": fmt.FORMAT_VERSION}
    reader.info(data)
    reader.read_table("表二", reader.proactive, reader.proactive_copies(), data)
    reader.read_table("表三", reader.requests, reader.requests_copies(), data)
    reader.read_table("表四", reader.reviews, reader.reviews_copies(), data)
    reader.texts(sheets, data)
    try:
        facts = load(data)
    except FactsError as exc:
        raise InputError(
            f"工作簿中的数据无法通过校验：{exc.format_message()}", file=str(path)
        ) from None
    return ImportResult(path, data, facts, reader.problems)


def _open(path: Path) -> list[Sheet]:
    """Every sheet's values, after checking that the file is a regular file and that no
    part of it is beyond the limits (``xlsx_scan``), before openpyxl loads anything."""
    file = str(path)
    size = regular_file_size(path)
    if size > MAX_FILE_BYTES:
        raise InputError(f"工作簿过大（{size:,} 字节），上限 {MAX_FILE_BYTES:,} 字节", file=file)
    try:
        with zipfile.ZipFile(path) as archive:
            scans = scan_workbook(archive, file)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            "不是有效的 .xlsx 工作簿", file=file, hint="请用 Excel 或 WPS 另存为 .xlsx 后再试"
        ) from None
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; none is the user's bug
        raise InputError(
            "工作簿已损坏，无法读取", file=file, hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
        ) from None
    try:
        return [_values(book, scan) for scan in scans if scan.name in book.sheetnames]
    except InputError:
        raise
    except Exception:
        raise InputError(
            "工作簿已损坏，无法读取", file=file, hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
        ) from None
    finally:
        book.close()


def _values(book: Any, scan: SheetScan) -> Sheet:
    """One sheet's values, streamed in read-only mode (its size checked by the scan)."""
    sheet = book[scan.name]
    sheet.reset_dimensions()  # the stated dimension may lie; the rows are what counts
    values: dict[tuple[int, int], Any] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            if cell.data_type == "f" and isinstance(value, str):
                value = Formula(value)
            values[cell.row, cell.column] = value
    return Sheet(
        scan.name,
        values,
        scan.merged,
        scan.hidden_rows,
        scan.hidden_columns,
        visible=scan.visible,
    )
