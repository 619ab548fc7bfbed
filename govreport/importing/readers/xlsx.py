"""Reading a filled Excel workbook back into facts, cell by cell by its labels.

Nothing is read by position: each table is found by its official labels wherever
the user moved it (another sheet, rows inserted above), each number by its row's
and its column's label. What a careful reader would question is reported the way
``import`` reports it: a blank cell read as 0 (I1), a label that differs from the
official wording (I2), text in a number cell or a label not found (I5).

This module opens the file (refusing one no real report would be) and puts the
facts together; ``xlsx_cells`` indexes the cells by label and reads numbers,
``xlsx_tables`` reads each table.
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
from .xlsx_tables import TableReader

__all__ = ["MAX_FILE_BYTES", "MAX_UNPACKED_BYTES", "read_workbook"]

#: A workbook is a zip: refuse one whose file or unpacked parts are beyond any real report.
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000


def read_workbook(path: str | Path) -> ImportResult:
    """The facts in a workbook written by ``write_workbook`` (or laid out like it)."""
    path = Path(path)
    book = _open(path)
    reader = TableReader(path)
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
