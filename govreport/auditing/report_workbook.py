"""The audit as an .xlsx workbook, what a 政务公开办 forwards: findings, and the tables.

Sheet 审核问题 lists every finding, one a row, with the report it is in. Sheet 表格对照
puts every report's tables side by side: one row per official cell (labels from
``official``), one column per report, the numbers as printed (a printed total that
differs from the sum is shown as printed, a blank or a mark as printed), then the
derived figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import official as fmt
from ..facts.model import Facts
from ..files.output import atomic_output
from .caveats import is_assumed, is_unread, unread_paths
from .figures import (
    FIGURE_LABELS,
    printed_results_row,
    printed_results_total,
    printed_review_total,
    printed_row_total,
)
from .run import AuditRun, ReportAudit

FINDINGS_SHEET = "审核问题"
TABLES_SHEET = "表格对照"
FINDING_HEADERS = (
    "报告文件",
    "机关",
    "年度",
    "严重程度",
    "代码",
    "类别",
    "栏目或段落",
    "页码",
    "说明",
    "雷同原文",
)
#: the 报告文件 of a finding about the run as a whole (an agency with no report)
RUN_ROW = "（本次审核）"
#: how the tables sheet shows a cell import could not read, or of a table it did not find
UNREAD = "未读取"
ASSUMED_NOTE = "连在一起的数字按每格一位拆开，未经总计核实，请对照原报告"
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE3EA")
_FILLS = {"error": "F8D7DA", "warning": "FFE8CC"}


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of values; text is always text, never a formula (a report's text is not ours
    to run: ``=HYPERLINK(…)`` in a published page stays the characters it is)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def _header(sheet: Any, values: tuple[str, ...] | list[str]) -> None:
    _append(sheet, list(values))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    sheet.freeze_panes = "A2"


def _findings_sheet(sheet: Any, run: AuditRun) -> None:
    sheet.title = FINDINGS_SHEET
    _header(sheet, FINDING_HEADERS)
    for report in run.reports:
        base = [report.file, report.agency, report.year]
        if report.unreadable:
            _append(sheet, [*base, "无法读取", "", "", "", None, report.unreadable, ""])
            continue
        for f in report.findings:
            _append(
                sheet,
                [
                    *base,
                    f.severity_label,
                    f.code,
                    f.category,
                    f.place,
                    f.page,
                    f.message,
                    "\n".join(f.quotes),
                ],
            )
            fill = _FILLS.get(f.severity)
            if fill:
                sheet.cell(sheet.max_row, 4).fill = PatternFill("solid", fgColor=fill)
    for f in run.findings:  # the run's own (agencies with no report): after every report's
        said = [f.severity_label, f.code, f.category, f.place, None, f.message]
        _append(sheet, [RUN_ROW, "", None, *said])
        if f.severity in _FILLS:
            sheet.cell(sheet.max_row, 4).fill = PatternFill("solid", fgColor=_FILLS[f.severity])
    for column, width in zip("ABCDEFGHIJ", (28, 24, 6, 8, 6, 16, 36, 6, 70, 50), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row[8:10]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions
    _for_print(sheet, "1:1")


def table_rows() -> Iterator[tuple[str, tuple[str, ...], Any]]:
    """(official label, facts path, how to read it from facts) for every cell of the three
    tables, totals included."""
    for cell in fmt.PROACTIVE_CELLS:
        yield cell.full_label, cell.path, (lambda f, p=cell.path: f.value(p))
    for row in fmt.REQUEST_ROWS:
        for column in fmt.REQUEST_COLUMNS:
            path = ("requests", *row.path, column.key)
            read = lambda f, r=row, c=column.key: _request_cell(f, r, c)  # noqa: E731
            yield fmt.describe(path), path, read
    for block in fmt.REVIEW_BLOCKS:
        for column in fmt.REVIEW_COLUMNS:
            path = ("reviews", block.key, column.key)
            read = lambda f, b=block.key, c=column.key: _review_cell(f, b, c)  # noqa: E731
            yield fmt.describe(path), path, read


def _request_cell(facts: Facts, row: fmt.RequestRow, column: str) -> int:
    if row.path == fmt.RESULT_TOTAL_PATH:
        if column == "total":
            return printed_results_total(facts)
        return printed_results_row(facts)[column]
    value = facts.requests.row(row.path)
    return printed_row_total(value) if column == "total" else value[column]


def _review_cell(facts: Facts, block: str, column: str) -> int:
    counts = getattr(facts.reviews, block)
    return printed_review_total(counts) if column == "total" else getattr(counts, column)


def _printed(report: ReportAudit, path: tuple[str, ...], read: Any, unread: list) -> Any:
    """The cell as the report printed it (a blank mark as its text), else from the facts;
    a cell import could not read, or a table it did not find, is 未读取, never 0 (a cell
    split by assumption shows its number, with a note)."""
    assert report.published is not None
    if is_unread(report.published, path, unread):
        return UNREAD
    printed = report.published.printed(path)
    return _number(read(report.published.facts) if printed is None else printed)


def _tables_sheet(sheet: Any, run: AuditRun) -> None:
    reports = [r for r in run.reports if r.published is not None]
    _header(sheet, ["栏目", *(f"{r.agency}{r.year}年度\n{r.source.name}" for r in reports)])
    unread = [unread_paths(r.published, assumed=False) for r in reports if r.published]
    for label, path, read in table_rows():
        row = [_printed(r, path, read, u) for r, u in zip(reports, unread, strict=True)]
        _append(sheet, [label, *row])
        for n, report in enumerate(reports):
            assert report.published is not None
            if is_assumed(report.published, path):
                sheet.cell(sheet.max_row, n + 2).comment = Comment(ASSUMED_NOTE, "govreport")
    for n, label in enumerate(FIGURE_LABELS):
        _append(sheet, [label, *(_ratio(r.figures[n].value) for r in reports)])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 60
    for n in range(len(reports)):
        sheet.column_dimensions[get_column_letter(n + 2)].width = 22
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    _for_print(sheet, "1:1", columns="A:A")


def _for_print(sheet: Any, rows: str, columns: str | None = None) -> None:
    """Printed as an office prints a list to forward: landscape A4, the columns fitted to
    the page's width (as many pages down as it takes), the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = rows
    if columns:
        sheet.print_title_cols = columns
    sheet.print_options.gridLines = True


def _number(value: Any) -> Any:
    """Whole numbers as int, fees as float (Excel has no decimal type), marks as text."""
    if isinstance(value, (int, str)):
        return value
    return int(value) if value == int(value) else float(value)


def _ratio(value: float | None) -> float | str:
    return "—" if value is None else value


def audit_workbook(run: AuditRun) -> Workbook:
    book = Workbook()
    _findings_sheet(book.active, run)
    _tables_sheet(book.create_sheet(TABLES_SHEET), run)
    return book


def write_xlsx(run: AuditRun, target: Path) -> None:
    """Write the workbook atomically."""
    book = audit_workbook(run)
    with atomic_output(target) as tmp:
        book.save(tmp)
