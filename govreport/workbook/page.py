"""How each sheet prints: landscape A4, one page wide, the header rows on every page.

Without a page setup Calc and Excel print a sheet portrait at 100 %, and table 三's
ten columns fall apart into vertical strips on separate pages. Every sheet is set
to fit its width on one page (its height runs on as many pages as it needs), with
its header rows repeated on each page, a print area covering exactly the table,
and panes frozen below the header so the labels stay in view on screen as well.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

#: The paper of a 政府信息公开工作年度报告 (GB/T 9704): A4.
A4 = 9
MARGIN_INCHES = 0.4


def set_page(
    sheet: Worksheet,
    *,
    title_rows: int = 0,
    freeze: str | None = None,
    breaks: tuple[int, ...] = (),
) -> None:
    """Landscape A4 one page wide; the first ``title_rows`` rows repeated on every page;
    the used range as print area; panes frozen at ``freeze``; a page break after each
    row in ``breaks`` (so a table starts a page of its own)."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the sheet needs
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = margins.top = margins.bottom = MARGIN_INCHES
    if title_rows:
        sheet.print_title_rows = f"1:{title_rows}"
    last = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
    sheet.print_area = f"A1:{last}"
    if freeze:
        sheet.freeze_panes = freeze
    for row in breaks:
        sheet.row_breaks.append(Break(id=row))


#: Points per line of 11-point text, and the width of a CJK character in Excel's units.
LINE_POINTS = 15.0
DEFAULT_WIDTH = 8.43


def fit_row_heights(sheet: Worksheet) -> None:
    """Each row tall enough for its wrapped text. Calc and Excel size rows to their text
    only for unmerged cells and only when they recalculate, so a long label in a merged
    cell would print over the row below it: the height is set here, from the text's
    width (a CJK character takes two units of Excel's column width) and the columns the
    cell spans."""
    spans = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
    needed: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.data_type == "f":
                continue
            merged = spans.get((cell.row, cell.column))
            first, last = (merged.min_col, merged.max_col) if merged else (cell.column,) * 2
            rows = merged.max_row - merged.min_row + 1 if merged else 1
            width = sum(_width(sheet, c) for c in range(first, last + 1))
            size = (cell.font.sz or 11) if cell.font else 11
            points = _lines(cell.value, width * 11 / size) * LINE_POINTS * size / 11 / rows
            for r in range(cell.row, cell.row + rows):
                needed[r] = max(needed.get(r, LINE_POINTS), points)
    for r, points in needed.items():
        if points > LINE_POINTS:
            sheet.row_dimensions[r].height = round(points + 1, 1)


def _width(sheet: Worksheet, column: int) -> float:
    dimension = sheet.column_dimensions.get(get_column_letter(column))
    return dimension.width if dimension is not None and dimension.width else DEFAULT_WIDTH


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (a little margin kept)."""
    usable = max(width - 1.5, 2.0)
    lines = 0
    for paragraph in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1.1 for ch in paragraph)
        lines += max(1, -int(-units // usable))
    return lines
