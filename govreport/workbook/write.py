"""Writing facts into a workbook laid out like the official tables.

The tables come from ``official.grids`` (the same grids the Word template and the HTML are
built from);
every 总计 is an Excel formula, so a user who changes a number in Excel or WPS
sees the totals follow — and nothing else is a formula: every text goes in as text
(``cells.put_text``), whatever it starts with. Number cells carry data validation
(whole numbers from 0), so a typo is caught where it is typed. Each sheet prints
landscape, one page wide, its header rows on every page (``page``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .. import official as fmt
from ..facts.fields import FEE_PLACES, MAX_COUNT
from ..facts.model import Facts
from ..files.output import write_bytes
from ..official.grids import PREFORMATTED, Grid, GridCell, official_grids
from .cells import (
    BOLD,
    BORDER,
    CENTER,
    COMPUTED_FILL,
    HEADER_FILL,
    LEFT,
    TITLE,
    TOP_LEFT,
    put_formula,
    put_text,
    put_value,
)
from .naming import quote_sheet, sheet_names
from .page import fit_row_heights, set_page
from .sheets import (
    INFO_FIELDS,
    INFO_SHEET,
    SUMMARY_SHEET,
    TABLE_SHEETS,
    TEXT_HEADER,
    TEXT_SHEET,
    text_slots,
)


def write_workbook(facts: Facts, target: str | Path) -> None:
    """One agency's workbook: 基本信息, the three tables on their own sheets, 正文."""
    book = Workbook()
    info = book.active
    assert isinstance(info, Worksheet)  # a new workbook's one sheet
    info.title = INFO_SHEET
    _put_info(info, facts, top=1)
    set_page(info)
    for title, grid in zip(TABLE_SHEETS, official_grids(), strict=True):
        sheet = book.create_sheet(title)
        _put_grid(sheet, grid, facts, top=1)
        _set_table_widths(sheet, grid)
        heading = 1 + grid.header_rows  # the title row and the column headers
        set_page(
            sheet,
            title_rows=heading,
            freeze=f"{get_column_letter(grid.label_columns + 1)}{heading + 1}",
        )
    texts = book.create_sheet(TEXT_SHEET)
    _put_texts(texts, facts)
    set_page(texts, title_rows=1, freeze="A2")
    _save(book, Path(target))


def write_folder_workbook(agencies: Sequence[tuple[str, Facts]], target: str | Path) -> None:
    """A 政务公开办's workbook: a summary sheet, then one sheet per agency with its tables,
    each table starting a printed page; the sheets are named so each says which agency
    it is (``naming``).

    ``agencies`` pairs a name for each (the facts file's name) with its facts.
    """
    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)  # a new workbook's one sheet
    summary.title = SUMMARY_SHEET
    names = sheet_names(agencies)
    for sheet_name, (_, facts) in zip(names, agencies, strict=True):
        sheet = book.create_sheet(sheet_name)
        row = _put_info(sheet, facts, top=1) + 1
        breaks = []
        for grid in official_grids():
            breaks.append(row - 1)  # each table starts a page
            row = _put_grid(sheet, grid, facts, top=row) + 1
        for grid in official_grids():
            _set_table_widths(sheet, grid)
        set_page(sheet, breaks=tuple(breaks[1:]))
    _put_summary(summary, names, [facts for _, facts in agencies])
    set_page(summary, title_rows=1, freeze="C2")
    _save(book, Path(target))


# --------------------------------------------------------------------------- sheets


def _put_info(sheet: Worksheet, facts: Facts, top: int) -> int:
    """The agency lines as label | value; returns the row after them."""
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 16)
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 40)
    for offset, field in enumerate(INFO_FIELDS):
        row = top + offset
        label = sheet.cell(row, 1)
        put_text(label, field.label)
        label.font, label.fill, label.border = BOLD, HEADER_FILL, BORDER
        value = sheet.cell(row, 2)
        put_value(value, _info_value(facts, field.path))
        value.border, value.alignment = BORDER, LEFT
        if field.path == ("published",):
            value.number_format = "yyyy-mm-dd"
    return top + len(INFO_FIELDS)


def _info_value(facts: Facts, path: tuple[str, ...]) -> Any:
    value = facts.value(path) if path[0] != "agency" else _attr(facts, path)
    if path == ("agency", "level"):
        return fmt.LEVELS[value]
    return value


def _attr(facts: Facts, path: tuple[str, ...]) -> Any:
    node: Any = facts
    for key in path:
        node = getattr(node, key)
    return node


_FACTS_PATHS = {shown: path for path, shown in PREFORMATTED.items()}


def facts_path(cell: GridCell) -> tuple[str, ...] | None:
    """The facts path of a number cell (the grid names the template context's value)."""
    return None if cell.value is None else _FACTS_PATHS.get(cell.value, cell.value)


def is_computed(path: tuple[str, ...]) -> bool:
    """A 总计 the format defines as a sum: a row's or a block's total, and （七）总计."""
    return path[-1] == fmt.TOTAL.key or path[1:-1] == fmt.RESULT_TOTAL_PATH


def _put_grid(sheet: Worksheet, grid: Grid, facts: Facts, top: int) -> int:
    """A table with its title row at ``top``; returns the row after the table."""
    title = sheet.cell(top, 1)
    put_text(title, fmt.SECTION_HEADINGS[grid.key])
    title.font = TITLE
    sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=grid.width)
    first = top + 1
    for r in range(first, first + grid.height):
        for c in range(1, grid.width + 1):
            sheet.cell(r, c).border = BORDER
    formulas = _formulas(grid, first)
    counts, amounts = _validations(sheet)
    for placed in grid.cells:
        cell = sheet.cell(first + placed.row, placed.column + 1)
        path = facts_path(placed)
        if path is None:
            put_text(cell, placed.text)
            cell.alignment = CENTER if placed.header else LEFT
            if placed.header:
                cell.font, cell.fill = BOLD, HEADER_FILL
        elif is_computed(path):
            put_formula(cell, formulas[path])
            cell.fill, cell.font, cell.alignment = COMPUTED_FILL, BOLD, CENTER
        else:
            cell.value = _number(facts.value(path))
            cell.alignment = CENTER
            (amounts if isinstance(cell.value, Decimal) else counts).add(cell.coordinate)
        if placed.rows > 1 or placed.columns > 1:
            sheet.merge_cells(
                start_row=first + placed.row,
                start_column=placed.column + 1,
                end_row=first + placed.bottom,
                end_column=placed.right + 1,
            )
    return first + grid.height


def _validations(sheet: Worksheet) -> tuple[DataValidation, DataValidation]:
    """Whole numbers for counts and a non-negative amount for the fee, checked as typed."""
    counts = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(MAX_COUNT - 1),
        showErrorMessage=True,
        errorTitle="数字不正确",
        error=f"请填写 0 到 {MAX_COUNT - 1} 之间的整数",
    )
    amounts = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorTitle="数字不正确",
        error=f"请填写不小于 0 的金额（万元，至多 {FEE_PLACES} 位小数）",
    )
    sheet.add_data_validation(counts)
    sheet.add_data_validation(amounts)
    return counts, amounts


def _number(value: Any) -> Any:
    """Counts as int; the fee as an exact decimal (openpyxl writes it as a number)."""
    if isinstance(value, Decimal):
        return value
    return int(value)


def _formulas(grid: Grid, first: int) -> dict[tuple[str, ...], str]:
    """The Excel formula of every computed cell: a row's 总计 sums its columns to the left
    that belong to it; （七）总计 sums the result rows above it (R2, R3, R4)."""
    at = {path: cell for cell in grid.cells if (path := facts_path(cell)) is not None}
    found: dict[tuple[str, ...], str] = {}
    for path in at:
        if not is_computed(path):
            continue
        parts: list[tuple[str, ...]]
        if path[0] == "reviews":
            parts = [("reviews", path[1], c.key) for c in fmt.REVIEW_OUTCOMES]
        elif path[-1] == fmt.TOTAL.key and path[1:-1] != fmt.RESULT_TOTAL_PATH:
            parts = [(*path[:-1], c.key) for c in fmt.APPLICANT_COLUMNS]
        else:  # （七）总计 of one column
            parts = [("requests", *row.path, path[-1]) for row in fmt.result_rows()]
        found[path] = _sum([at[part] for part in parts], first)
    return found


def _sum(cells: Iterable[GridCell], first: int) -> str:
    """``=SUM(…)`` over the cells, consecutive runs written as ranges."""
    refs = sorted((cell.column + 1, first + cell.row) for cell in cells)
    ranges: list[str] = []
    start = previous = refs[0]
    for ref in [*refs[1:], None]:
        if ref is not None and _next_to(previous, ref):
            previous = ref
            continue
        a = f"{get_column_letter(start[0])}{start[1]}"
        b = f"{get_column_letter(previous[0])}{previous[1]}"
        ranges.append(a if a == b else f"{a}:{b}")
        if ref is not None:
            start = previous = ref
    return f"=SUM({','.join(ranges)})"


def _next_to(a: tuple[int, int], b: tuple[int, int]) -> bool:
    same_column = a[0] == b[0] and b[1] == a[1] + 1
    same_row = a[1] == b[1] and b[0] == a[0] + 1
    return same_column or same_row


def _set_table_widths(sheet: Worksheet, grid: Grid) -> None:
    labels = [c for c in grid.cells if c.value is None and not c.header and c.columns == 1]
    for c in range(1, grid.width + 1):
        letter = get_column_letter(c)
        longest = max((len(p.text) for p in labels if p.column + 1 == c), default=0)
        width = min(max(10, longest * 2 + 2), 48)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, width
        )


def _put_texts(sheet: Worksheet, facts: Facts) -> None:
    """Each narrative text on a row of its own: section, item, text."""
    for c, label in enumerate(TEXT_HEADER, start=1):
        cell = sheet.cell(1, c)
        put_text(cell, label)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BORDER
    for r, slot in enumerate(text_slots(), start=2):
        text = _attr(facts, slot.path) if slot.path != ("problems",) else facts.problems.text
        for c, value in enumerate((slot.heading, slot.title, text), start=1):
            cell = sheet.cell(r, c)
            put_value(cell, value)
            cell.border, cell.alignment = BORDER, TOP_LEFT
    for letter, width in zip("ABC", (24, 30, 90), strict=True):
        sheet.column_dimensions[letter].width = width


def _put_summary(sheet: Worksheet, names: Sequence[str], agencies: Sequence[Facts]) -> None:
    """One row per agency with the figures a 政务公开办 forwards, and a 合计 row."""
    columns = _summary_columns()
    header = ["单位", "报告年度", *(label for label, _ in columns)]
    for c, label in enumerate(header, start=1):
        cell = sheet.cell(1, c)
        put_text(cell, label)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, CENTER
        sheet.column_dimensions[get_column_letter(c)].width = 14 if c > 2 else 28
    for r, (name, facts) in enumerate(zip(names, agencies, strict=True), start=2):
        values = [facts.agency.name, facts.year, *(facts.value(path) for _, path in columns)]
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(r, c)
            put_value(cell, _number(value) if c > 2 else value)
            cell.border = BORDER
        link = sheet.cell(r, 1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheet(name)}!A1")
    last = len(agencies) + 1
    total_row = last + 1
    sheet.cell(total_row, 1, "合计").font = BOLD
    for c in range(3, len(header) + 1):
        letter = get_column_letter(c)
        cell = sheet.cell(total_row, c)
        if last >= 2:
            put_formula(cell, f"=SUM({letter}2:{letter}{last})")
        else:
            cell.value = 0
        cell.font, cell.fill, cell.border = BOLD, COMPUTED_FILL, BORDER


def _summary_columns() -> list[tuple[str, tuple[str, ...]]]:
    """The summary's figures, named by the official labels."""
    picks = [
        ("received", fmt.TOTAL.key),
        ("carried_over", fmt.TOTAL.key),
        (*fmt.RESULT_TOTAL_PATH, fmt.TOTAL.key),
        ("results", "disclosed", fmt.TOTAL.key),
        ("results", "partially_disclosed", fmt.TOTAL.key),
        ("carried_forward", fmt.TOTAL.key),
    ]
    columns = [
        (fmt.REQUEST_ROW_BY_PATH[path[:-1]].full_label, ("requests", *path)) for path in picks
    ]
    for block in fmt.REVIEW_BLOCKS:
        columns.append((f"{block.full_label} · 总计", ("reviews", block.key, "total")))
    columns += [(cell.full_label, cell.path) for cell in fmt.PROACTIVE_CELLS if cell.decimal]
    return columns


def _save(book: Workbook, target: Path) -> None:
    for sheet in book.worksheets:
        fit_row_heights(sheet)
    buffer = io.BytesIO()
    book.properties.creator = "govreport"
    book.save(buffer)
    write_bytes(target, buffer.getvalue())
