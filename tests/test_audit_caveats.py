"""The audit never blames a report for what import could not read.

A narrative number is not compared with a table that was not found or a row that was
not read (R8); an identity that rests on digits split by assumption is a warning with
the caveat; the 表格对照 sheet shows an unread cell as 未读取, never as 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_import_guess import report_text

from govreport import official as fmt
from govreport.auditing import audit
from govreport.auditing.report_workbook import TABLES_SHEET, UNREAD, write_xlsx


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _without_table_three(text: str) -> str:
    start = text.index("三、收到和处理")
    end = text.index("四、政府信息公开行政复议")
    return text[:start] + text[end:]


QUOTING = "2023年，我局依法公开政府信息，收到政府信息公开申请75件，行政复议3件。"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("caveats")
    quoting = report_text({}).replace("2023年，我局依法公开政府信息。", QUOTING)
    _write(folder, "a-no-table.txt", _without_table_three(quoting).replace("某县", "甲县"))
    unread = report_text({("received",): "3 0 0 0 2 5"}).replace("某县", "乙县")
    _write(folder, "b-unread-row.txt", unread.replace("2023年，我局依法公开政府信息。", QUOTING))
    _write(folder, "c-assumed.txt", report_text({("received",): "5100000"}).replace("某县", "丙县"))
    return audit([folder], jobs=1)


def _report(run, name: str):
    (report,) = [r for r in run.reports if r.source.name == name]
    return report


def test_no_narrative_comparison_with_a_table_that_is_not_there(run):
    report = _report(run, "a-no-table.txt")
    r8 = [f for f in report.findings if f.code == "R8"]
    assert [f.message for f in r8 if "申请" in f.message] == []
    assert any("行政复议" in f.message for f in r8)  # table 四 was read: that one stands
    assert any(f.code == "M1" and f.path == "requests" for f in report.findings)


def test_no_narrative_comparison_with_a_row_that_was_not_read(run):
    report = _report(run, "b-unread-row.txt")
    assert not [f for f in report.findings if f.code == "R8" and "申请" in f.message]
    assert any(f.code == "U1" and f.path == "requests.received" for f in report.findings)


def test_an_identity_on_digits_split_by_assumption_is_a_warning_with_the_caveat(run):
    report = _report(run, "c-assumed.txt")
    r2 = [f for f in report.findings if f.code == "R2" and f.path.startswith("requests.received")]
    assert r2 and all(f.severity == "warning" for f in r2)
    assert all("未能读取" in f.message for f in r2)
    assert any(f.code == "U1" and "每格一位" in f.message for f in report.findings)


def test_the_tables_sheet_marks_unread_cells_never_zero(run, tmp_path):
    target = tmp_path / "audit.xlsx"
    write_xlsx(run, target)
    sheet = load_workbook(target)[TABLES_SHEET]
    columns = {cell.value.split("\n")[1]: cell.column for cell in sheet[1][1:]}
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    received = fmt.describe(("requests", "received", "natural_person"))
    disclosed = fmt.describe(("requests", "results", "disclosed", "total"))
    no_table = columns["a-no-table.txt"]
    assert sheet.cell(rows[received], no_table).value == UNREAD
    assert sheet.cell(rows[disclosed], no_table).value == UNREAD
    assert sheet.cell(rows[received], columns["b-unread-row.txt"]).value == UNREAD
    assert sheet.cell(rows[disclosed], columns["b-unread-row.txt"]).value == 0
    assumed = sheet.cell(rows[received], columns["c-assumed.txt"])
    assert assumed.value == 5 and assumed.comment is not None
