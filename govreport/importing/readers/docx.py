"""Reading a .docx report: paragraphs with their bold lead-ins, tables cell by cell.

python-docx hands back the same cell object for every grid position a merged cell
covers (across with ``w:gridSpan``, down with ``w:vMerge``), so a merged cell is
taken once, at its first position. A table whose cells hold tables is page layout,
not a report table: its content is read as if it stood in the page.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import XMLSyntaxError

from ...errors import InputError
from ..base import Block, Cell, Paragraph, Rows, Table, clean, paragraphs_of

MAX_PART_BYTES = 30 * 2**20  # one XML part unpacked; a long report's document.xml is ~2 MB
MAX_UNPACKED_BYTES = 200 * 2**20  # every part unpacked, images included
MAX_PARTS = 5_000
MAX_TABLE_DEPTH = 20  # tables inside tables, as layout; deeper is not a report


def read_docx(path: Path) -> list[Block]:
    """The report in ``path`` as paragraphs and tables, in document order."""
    check_package(path)
    try:
        document = Document(str(path))
    except (BadZipFile, OpcError, KeyError, ValueError, OSError, XMLSyntaxError):
        raise InputError(
            "无法作为 Word 文件（.docx）读取：文件已损坏，或不是 .docx 格式",
            file=str(path),
            hint="如是旧版 .doc 文件，请先在 Word 或 WPS 中另存为 .docx",
        ) from None
    return list(_blocks(document.element.body, document, Rows()))


def check_package(path: Path) -> None:
    """Refuse a .docx whose parts unpack to far more than any report (a zip bomb)
    before python-docx unpacks and parses them: the sizes are in the zip's directory."""
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (BadZipFile, OSError, ValueError):
        return  # not a zip: python-docx says so below, in the words used for it
    xml = max((i.file_size for i in infos if not _is_media(i.filename)), default=0)
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or xml > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"Word 文件解压后过大（{len(infos)} 个部件，共 {total / 2**20:.0f} MB，"
            f"最大的文本部件 {xml / 2**20:.0f} MB），超过导入上限，未导入",
            file=str(path),
            hint=f"上限：文本部件 {MAX_PART_BYTES // 2**20} MB，"
            f"合计 {MAX_UNPACKED_BYTES // 2**20} MB；年度报告远小于此",
        )


def _is_media(name: str) -> bool:
    return name.startswith("word/media/") or name.startswith("word/embeddings/")


def _blocks(element: Any, parent: Any, rows: Rows, depth: int = 0) -> Iterator[Block]:
    if depth > MAX_TABLE_DEPTH:
        return
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield from _paragraphs(DocxParagraph(child, parent))
        elif tag == "tbl":
            yield from _table(DocxTable(child, parent), rows, depth)
        elif tag == "sdt":  # content controls wrap ordinary paragraphs and tables
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent, rows, depth + 1)


def _paragraphs(paragraph: DocxParagraph) -> list[Paragraph]:
    """The paragraph, split at manual line breaks; a bold start becomes ``**lead**``."""
    found = paragraphs_of(paragraph.text)
    if not found:
        return []
    lead = _bold_lead(paragraph)
    first = found[0].text
    if lead and first.startswith(lead) and first[len(lead) :].strip():
        found[0] = Paragraph(f"**{lead}**{first[len(lead) :]}")
    return found


def _bold_lead(paragraph: DocxParagraph) -> str:
    """The text of the bold runs the paragraph starts with (blank runs skipped)."""
    lead = ""
    for run in paragraph.runs:
        text = clean(run.text)
        if not text.strip():
            if lead:
                lead += text
            continue
        if run.bold:
            lead += text
        else:
            break
    return lead.strip() if "\n" not in lead else ""


def _table(table: DocxTable, rows: Rows, depth: int) -> Iterator[Block]:
    """A report table as cells; a layout table as the blocks inside its cells."""
    seen: set[Any] = set()
    grid: list[list[Any]] = []
    for row in table.rows:
        line: list[Any] = []
        for cell in row.cells:
            if cell._tc in seen:
                line.append(None)
                continue
            seen.add(cell._tc)
            line.append(cell)
        grid.append(line)
    unique = [cell for row in grid for cell in row if cell is not None]
    if any(cell.tables for cell in unique):
        for cell in unique:
            yield from _blocks(cell._tc, cell, rows, depth + 1)
        return
    cells: list[Cell] = []
    for row in grid:
        number = rows.next()
        for column, cell in enumerate(row):
            if cell is not None:
                cells.append(Cell(clean(cell.text).strip(), number, column))
    yield Table(tuple(cells))
