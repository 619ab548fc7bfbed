"""Reading a PDF report with pdfplumber: tables by their ruling lines, text by lines.

A published PDF (made with WPS or Word) draws each table with ruling lines, so
pdfplumber finds the cells by their boxes; a cell's text wrapped over lines is
joined again (商业企 / 业 → 商业企业; a merged label written one character per line
→ 三、本年度办理结果). Text outside tables comes line by line with its position: a
paragraph starts where a line is indented and ends where a line stops short of
the right margin, and runs on across a page break; the margins are the document's
(``pdf_lines``: a page with a heading and two short paragraphs on it says nothing
about them itself). Page furniture (``- 3 -``, ``— 3 —``, 第 3 页, a running header)
is dropped. A table that runs on to the next page is one table: a merged label broken
at the page end (（四）无 / 法提供) is joined again. A text frame drawn as a one-column
box is text, not a table, and so is a framed paragraph drawn against a table's edge.
A table drawn without ruling lines arrives as text: its numbers are put in their
columns by where they stand under the column headers (``pdf_columns``).

``read_pdf`` never does this in the caller's process: a worker process bounded in
memory and time calls ``extract_blocks`` (``pdf_process``), which measures the file
before laying it out (``pdf_budget``) and refuses a text layer that is no text
(``pdf_text``: private-use or unmapped glyphs, a case for OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import InputError
from ..base import Block, Cell, Paragraph, Rows, Table, clean, is_page_number
from .flat import is_label
from .pdf_budget import check_budget
from .pdf_columns import ColumnPlacer, PlacedRow
from .pdf_lines import Line, Margins, line_text, page_margins, without_furniture
from .pdf_process import read_in_worker
from .pdf_text import glyph_kind, unreadable_text_layer

Grid = list[list[str | None]]
MAX_PAGES = 300  # a report is 5–20 pages; a 300-page PDF is something else
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_GAP = 50  # points: only a wider gap (another column) breaks words; spaces are glyphs
_SENTENCE_END = re.compile(r"[。；！？]")
#: what is kept of each character while the document is read (pdfplumber gives 20 keys)
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "fontname")
_BOLD_FONT = re.compile(r"bold|heavy|black|semibold|demi", re.IGNORECASE)
_INDENT = 1.5  # characters: a paragraph's first line is indented by two
_SHORT = 2.5  # characters short of the right margin: the paragraph's last line (a line of
#: left-aligned text may end up to two characters short: a character that may not start a
#: line takes the one before it along)


def read_pdf(path: Path) -> list[Block]:
    """The report in ``path`` as paragraphs and tables, in reading order, read by a
    worker process bounded in memory and time (see ``pdf_process``)."""
    return read_in_worker(path)


def extract_blocks(path: Path) -> list[Block]:
    """``read_pdf``'s work, in this process: only the bounded worker calls it."""
    import pdfplumber  # imported here: only PDF import pays for it
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(
                    f"PDF 有 {len(pdf.pages)} 页，超过年度报告的合理篇幅（{MAX_PAGES} 页），未导入",
                    file=str(path),
                )
            check_budget(pdf.doc, [page.page_obj for page in pdf.pages])
            reader = _Reader()
            pages = []
            for page in pdf.pages:
                pages.append(reader.take(page))
                page.flush_cache()
            reader.read(pages)
    except (PDFSyntaxError, PdfminerException, ValueError, KeyError, TypeError, OSError) as exc:
        if _out_of_memory(exc):  # pdfplumber wraps what pdfminer raised, MemoryError too
            raise MemoryError from None
        raise InputError(
            "无法作为 PDF 文件读取：文件已损坏、加密，或不是 PDF 格式",
            file=str(path),
            hint="请用 PDF 阅读器打开确认；加密的 PDF 请先解除密码",
        ) from None
    if not reader.characters:
        raise InputError(
            "这是扫描（图片）版 PDF，没有文字层，无法读取其中的文字和数字",
            file=str(path),
            hint="请使用带文字的 PDF（由 Word/WPS 直接导出），或先用 OCR 软件识别后另存为 Word",
        )
    unreadable_text_layer(reader.glyphs, path)
    return reader.blocks


@dataclass
class _Page:
    """What a page holds, taken before the whole document's layout is known: its
    tables (by their top) and its lines of text outside them."""

    number: int
    tables: list[tuple[float, Grid]]
    lines: list[Line]


@dataclass
class _Reader:
    rows: Rows = field(default_factory=Rows)
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the paragraph being gathered
    bold: list[str] = field(default_factory=list)  # the bold text each of its lines starts with
    number: int = 0  # the page being read
    started: int | None = None  # the page the paragraph being gathered starts on
    characters: int = 0
    glyphs: Counter[str] = field(default_factory=Counter)  # what the text layer says, by kind
    # the grid of the table the last page ended with, for a continuation
    open_table: list[list[str | None]] | None = None
    # the columns of a table drawn without ruling lines, kept over a page break
    placer: ColumnPlacer = field(default_factory=ColumnPlacer)

    def take(self, page: Any) -> _Page:
        """The page's tables and text lines (page numbers dropped)."""
        self.characters += len(page.chars)
        self.glyphs.update(glyph_kind(char["text"]) for char in page.chars)
        tables = [_without_text_rows(t) for t in page.find_tables() if _columns(t) > 1]
        boxes = [box for box, _ in tables]
        text = page.filter(lambda obj: not _inside(obj, boxes))
        # spaces are the PDF's own space characters: the gap a word processor leaves
        # between 2023 and 年 is typography, not a space in the text (two numbers set
        # apart are two numbers all the same: ``line_text``)
        found = text.extract_text_lines(keep_blank_chars=True, x_tolerance=_GAP)
        for line in found:
            line["text"] = line_text(line["chars"])
            # kept until the whole document is read: only what the reading looks at
            line["chars"] = [{k: c[k] for k in _CHAR_KEYS if k in c} for c in line["chars"]]
        lines = [line for line in found if not is_page_number(line["text"])]
        return _Page(page.page_number, [(box[1], grid) for box, grid in tables], lines)

    def read(self, pages: list[_Page]) -> None:
        """The pages in order, measured by the document's layout, furniture dropped."""
        texts = without_furniture([page.lines for page in pages])
        for page, lines, margins in zip(pages, texts, page_margins(texts), strict=True):
            self.page(page, lines, margins)
        self.end_paragraph()

    def page(self, page: _Page, lines: list[Line], margins: Margins) -> None:
        self.number = page.number
        placed = self.placer.place(lines, margins.size)
        first = True
        for item in _in_order(sorted(page.tables, key=lambda t: t[0]), placed):
            if isinstance(item, dict):
                self.line(item, margins)
                self.open_table = None
            elif isinstance(item, PlacedRow):
                self.placed(item)
            else:
                self.table(item, continued=first)
            first = False

    def placed(self, row: PlacedRow) -> None:
        """A row of a table without ruling lines, its numbers in their columns."""
        self.end_paragraph()
        number = self.rows.next()
        # each number stood apart on the page: a whole number, no digits run together
        cells = tuple(Cell(text, number, column, self.number, True) for text, column in row.cells)
        self.blocks.append(Table(cells))
        self.open_table = None

    def line(self, line: Line, margins: Margins) -> None:
        left, right, size = margins.left, margins.right, margins.size
        text = clean(line["text"]).strip()
        if not text:
            return
        if line["x0"] > left + _INDENT * size:  # indented: a new paragraph (or a heading)
            self.end_paragraph()
        if not self.lines:
            self.started = self.number
        self.lines.append(text)
        self.bold.append(_bold_lead(line["chars"], text))
        short = line["x1"] < right - _SHORT * size
        set_right = line["x0"] > (left + right) / 2  # a right-aligned line: 落款, date
        if short or set_right:
            self.end_paragraph()

    def end_paragraph(self) -> None:
        if self.lines:
            text = _join(self.lines)
            lead = _join(_lead_lines(self.lines, self.bold))
            if lead and text.startswith(lead) and text[len(lead) :].strip():
                text = f"**{lead}**{text[len(lead) :]}"
            self.blocks.append(Paragraph(text, self.started))
            self.lines, self.bold = [], []

    def table(self, grid: list[list[str | None]], continued: bool) -> None:
        self.end_paragraph()
        previous = self.blocks[-1] if self.blocks else None
        joining = continued and self.open_table is not None and isinstance(previous, Table)
        cells: list[Cell] = list(previous.cells) if joining else []  # type: ignore[union-attr]
        for r, row in enumerate(grid):
            number = self.rows.next()
            for column, text in enumerate(row):
                if text is None:
                    continue  # covered by a merged cell
                text = _cell_text(text)
                if joining and r == 0 and text and self._fragment(row, column, text):
                    cells = _append_to_column(cells, column, text)
                    continue
                cells.append(Cell(text, number, column, self.number))
        if joining:
            self.blocks[-1] = Table(tuple(cells))
        else:
            self.blocks.append(Table(tuple(cells)))
        self.open_table = grid

    def _fragment(self, row: list[str | None], column: int, text: str) -> bool:
        """Whether ``text``, first on the next page, finishes a merged label cut by the
        page break (（四）无 / 法提供): same grid, the column held a label just before the
        break, the row's own label stands to its right, and the piece is no label itself."""
        last = self.open_table[-1] if self.open_table else []
        return (
            len(row) == len(last)
            and bool(last[column])
            and not is_value_text(last[column] or "")
            and not is_value_text(text)
            and any(t and not is_value_text(t) for t in row[column + 1 :])
            and not is_label(text)
        )


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or wraps, a ``MemoryError``: the worker's memory cap, not a
    damaged file, and to be said as such."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        if isinstance(item, MemoryError):
            return True
        seen.add(id(item))
        stack += [item.__cause__, item.__context__, *item.args]
    return False


def _append_to_column(cells: list[Cell], column: int, text: str) -> list[Cell]:
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell.column == column and cell.text:
            cells[index] = Cell(cell.text + text, cell.row, cell.column, cell.page)
            return cells
    return cells


def _bold_lead(chars: list[dict[str, Any]], text: str) -> str:
    """The bold text ``text`` starts with (a lead-in such as **一是规范公开。**)."""
    lead = ""
    for char in chars:
        if char["text"].isspace():
            lead += char["text"] if lead else ""
            continue
        if not _BOLD_FONT.search(char.get("fontname", "")):
            break
        lead += char["text"]
    lead = lead.strip()
    return lead if text.startswith(lead) else ""


def _lead_lines(lines: list[str], bold: list[str]) -> list[str]:
    """The paragraph's bold lead, line by line: whole bold lines, then the bold start
    of the first line that is not bold throughout."""
    lead = []
    for line, start in zip(lines, bold, strict=True):
        lead.append(start)
        if start != line:
            break
    return lead


def is_value_text(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s/\-—]*", text))


def _columns(table: Any) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _without_text_rows(table: Any) -> tuple[tuple[float, float, float, float], Grid]:
    """The table's box and cells without the rows of text at its top or foot: a framed
    paragraph (a text box, a bordered heading) drawn against a table's edge joins it in
    pdfplumber's eyes as one cell across the table, and its words would be lost as a
    cell. A row of one cell with sentences in it is no row of a report's table."""
    grid = table.extract()
    rows = list(table.rows)
    start, end = 0, len(grid)
    while start < end - 1 and _text_row(grid[start]):
        start += 1
    while end - 1 > start and _text_row(grid[end - 1]):
        end -= 1
    x0, top, x1, bottom = table.bbox
    if start:
        top = rows[start].bbox[1]
    if end < len(grid):
        bottom = rows[end - 1].bbox[3]
    return (x0, top, x1, bottom), grid[start:end]


def _text_row(row: list[str | None]) -> bool:
    cells = [cell for cell in row if cell is not None]
    return len(cells) == 1 and bool(_SENTENCE_END.search(cells[0] or ""))


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _top(item: Line | PlacedRow) -> float:
    return item.top if isinstance(item, PlacedRow) else float(item["top"])


def _in_order(
    tables: list[tuple[float, list[list[str | None]]]], placed: list[Line | PlacedRow]
) -> list[Any]:
    """The page's tables among its lines and rows by height; the lines and rows keep
    their order (a label's wrapped end comes before its row's numbers)."""
    items: list[Any] = []
    waiting = list(tables)
    for item in placed:
        while waiting and waiting[0][0] <= _top(item):
            items.append(waiting.pop(0)[1])
        items.append(item)
    return items + [grid for _, grid in waiting]


def _cell_text(text: str) -> str:
    """A cell's lines joined: wrapping inside a cell is layout, not a space."""
    return _join(clean(text).split("\n"))


def _join(lines: list[str]) -> str:
    """Wrapped lines as one text: no space where a line broke between two Chinese
    characters, one space where it broke between two words of Latin text."""
    text = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return _SPACE_IN_CJK.sub("", text)
