"""Tables 二, 三 and 四, laid out from ``govreport.official.grids``.

The grids say which cells merge and which labels stand where (the same the HTML and
Markdown writers read); this module turns them into bordered, fixed-width Word tables
whose rows never split and which keep together on a page where they fit.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from govreport import official as fmt
from govreport.official.grids import Grid, proactive_grid, requests_grid, reviews_grid

from .layout import CELL_MARGIN, TABLE_TEXT, TEXT_WIDTH_MM
from .ooxml import _element, _replace_child


def new_table(doc: DocxDocument, rows: int, widths_mm: Iterable[float]) -> Table:
    """A bordered, centred, fixed-layout table whose columns fill the 156 mm text width."""
    widths = list(widths_mm)
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 0.01, sum(widths)
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _replace_child(
        tbl_pr,
        _element("w:tblW", w=str(Mm(TEXT_WIDTH_MM).twips), type="dxa"),
        ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:tblLayout"),
    )
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="single", sz="4", space="0", color="000000"))
    _replace_child(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    margins = _element("w:tblCellMar")
    for edge in ("left", "right"):
        margins.append(_element(f"w:{edge}", w=str(CELL_MARGIN.twips), type="dxa"))
    _replace_child(tbl_pr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def put(
    table: Table,
    top: int,
    left: int,
    text: str,
    bottom: int | None = None,
    right: int | None = None,
) -> None:
    """Write ``text`` as one run into a cell, first merging it down to ``bottom``/``right``."""
    bottom = top if bottom is None else bottom
    right = left if right is None else right
    cell = table.cell(top, left)
    if (bottom, right) != (top, left):
        cell = cell.merge(table.cell(bottom, right))
    cell.paragraphs[0].add_run(text)


def finish_table(table: Table, header_rows: int = 0) -> None:
    """Rows never split across pages; header rows repeat; every cell paragraph is table text."""
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_element("w:cantSplit"))
        if index < header_rows:
            tr_pr.append(_element("w:tblHeader"))
    style_id = table.part.document.styles[TABLE_TEXT].style_id
    for paragraph in table._tbl.iter(qn("w:p")):  # the hidden parts of merged cells too
        paragraph.get_or_add_pPr().style = style_id


def keep_together(table: Table) -> None:
    """Keep a table on one page: each row's paragraphs keep with the next row.

    A table that fits moves to the next page whole (with its heading, which keeps
    with the first row) instead of splitting; one longer than a page breaks where
    the page ends, between rows (cantSplit), under its repeated header rows."""
    for row in table.rows[:-1]:
        # every paragraph of the row, the hidden parts of merged cells too: python-docx's
        # row.cells gives a vertically merged cell's first part for each of its rows
        for p in row._tr.iter(qn("w:p")):
            Paragraph(p, table).paragraph_format.keep_with_next = True


def fill(table: Table, grid: Grid) -> None:
    """Write the grid's labels and placeholders into ``table``, merging as the grid says.

    The layout (which cells merge, in which order the labels stand) is ``govreport.official.grids``',
    the same the HTML and Markdown writers read, so every format shows the same tables.
    """
    for cell in grid.cells:
        text = f"{{{{ {'.'.join(cell.value)} }}}}" if cell.value else cell.text
        put(table, cell.row, cell.column, text, bottom=cell.bottom, right=cell.right)


def build_proactive_table(doc: DocxDocument) -> Table:
    """Table 二 as the official single 4-column table: per block an article row, a
    header row and its rows; a one-column block's cells span the three number columns."""
    grid = proactive_grid()
    numbers = grid.width - 1
    number_width = 36.0  # fits 本年收费金额（单位：万元） spanned, 本年制发件数 alone
    table = new_table(
        doc, grid.height, [TEXT_WIDTH_MM - number_width * numbers] + [number_width] * numbers
    )
    fill(table, grid)
    finish_table(table)
    keep_together(table)
    return table


def build_requests_table(doc: DocxDocument) -> Table:
    """Table 三: three merged label columns (一、 / （一） / 1.) and the seven applicant columns."""
    grid = requests_grid()
    # 自然人 fits its label on one line and six digits, 总计 seven; the other labels
    # wrap two characters a line at word ends (商业/企业, 社会/公益/组织) and fit five
    # digits (in Times New Roman and in the wider free faces LibreOffice may use).
    # Column 1 holds 三、… one character a line; column 2 fits （三）不予公开.
    number_widths = [13.0] + [11.5] * (len(fmt.APPLICANT_COLUMNS) - 1) + [14.0]
    label_widths = [6.0, 27.5, TEXT_WIDTH_MM - 33.5 - sum(number_widths)]
    assert len(label_widths) == grid.label_columns
    table = new_table(doc, grid.height, label_widths + number_widths)
    fill(table, grid)
    finish_table(table, grid.header_rows)
    keep_together(table)
    return table


def build_reviews_table(doc: DocxDocument) -> Table:
    """Table 四: 行政复议 (outcomes merged down two rows) and 行政诉讼's two blocks."""
    grid = reviews_grid()
    table = new_table(doc, grid.height, [TEXT_WIDTH_MM / grid.width] * grid.width)
    fill(table, grid)
    finish_table(table, header_rows=grid.header_rows)
    keep_together(table)
    return table
