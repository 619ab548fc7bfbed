"""The audit's HTML page (in headless Chromium) and .xlsx workbook (read with openpyxl).

One run over three published reports: a clean one, one whose printed totals are wrong
(errors) and a file that cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_support import DEPARTMENT, example, publish, set_cell
from click.testing import CliRunner
from openpyxl import load_workbook

from govreport import load
from govreport import official as fmt
from govreport.auditing.report_workbook import FINDING_HEADERS, FINDINGS_SHEET, TABLES_SHEET
from govreport.cli.main import main


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outputs")
    clean = publish(example(DEPARTMENT), folder / "a-clean")
    text = set_cell(clean.read_text(encoding="utf-8"), "一、本年新收政府信息公开申请数量", 6, "561")
    text = set_cell(text, "1.属于国家秘密", 1, "/")  # 商业企业 0 printed as a mark
    (folder / "b-totals.md").write_text(text, encoding="utf-8")
    (folder / "c-broken.docx").write_bytes(b"not a zip")
    return folder


@pytest.fixture(scope="module")
def outputs(reports, tmp_path_factory) -> dict[str, Path]:
    target = tmp_path_factory.mktemp("written")
    written = {}
    for kind in ("html", "xlsx"):
        path = target / f"audit.{kind}"
        result = CliRunner().invoke(main, ["audit", str(reports), "-o", str(path)])
        assert result.exit_code == 2, result.output  # the broken file: unreadable input
        assert path.is_file()
        assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp left
        written[kind] = path
    return written


# --------------------------------------------------------------------------- HTML


def test_the_page_is_self_contained(outputs):
    html = outputs["html"].read_text(encoding="utf-8")
    for external in ("<link", "src=", "http://", "https://", "@import", "url("):
        assert external not in html


@pytest.mark.browser
def test_one_row_per_report_with_findings_expandable(page, outputs):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(outputs["html"].as_uri())
    assert [r for r in requests if not r.startswith("file://")] == []
    rows = page.locator("#reports tbody tr.report")
    assert rows.count() == 3
    files = [Path(t).name for t in rows.locator("td.file").all_inner_texts()]
    assert files == ["a-clean.md", "b-totals.md", "c-broken.docx"]
    totals = rows.nth(1)
    assert int(totals.locator("td.errors").inner_text()) >= 1
    r2 = totals.locator("li.finding", has_text="一、本年新收政府信息公开申请数量 · 总计")
    assert not r2.is_visible()  # findings start folded
    totals.locator("details > summary").click()
    assert r2.is_visible()
    assert "一、本年新收政府信息公开申请数量 · 总计" in r2.inner_text()
    assert "561" in r2.inner_text()
    assert "无法读取" in rows.nth(2).inner_text()
    figures = rows.nth(0).locator("td.num").all_inner_texts()
    assert any(t.endswith("%") for t in figures)


@pytest.mark.browser
def test_rows_sort_by_severity(page, outputs):
    page.goto(outputs["html"].as_uri())
    header = page.locator('th[data-sort="severity"]')
    button = page.locator("#sort-severity")

    def order() -> list[str]:
        texts = page.locator("#reports tbody tr.report td.file").all_inner_texts()
        return [Path(t).name for t in texts]

    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert order() == ["c-broken.docx", "b-totals.md", "a-clean.md"]
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert order() == ["a-clean.md", "b-totals.md", "c-broken.docx"]


# --------------------------------------------------------------------------- xlsx


def test_the_findings_sheet(outputs):
    book = load_workbook(outputs["xlsx"])
    assert book.sheetnames == [FINDINGS_SHEET, TABLES_SHEET]
    sheet = book[FINDINGS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == FINDING_HEADERS
    body = [dict(zip(FINDING_HEADERS, r, strict=True)) for r in rows[1:]]
    (r2,) = [r for r in body if r["代码"] == "R2" and "561" in r["说明"]]
    assert Path(r2["报告文件"]).name == "b-totals.md"
    assert r2["机关"] == "某市自然资源和规划局" and r2["年度"] == 2023
    assert r2["严重程度"] == "错误" and r2["类别"] == "勾稽关系"
    assert r2["栏目或段落"] == "一、本年新收政府信息公开申请数量 · 总计"
    blank = [r for r in body if r["代码"] == "R9"]
    assert blank and blank[0]["栏目或段落"] == "三、（三）1.属于国家秘密 · 商业企业"
    assert "印为“/”" in blank[0]["说明"]
    broken = [r for r in body if Path(r["报告文件"]).name == "c-broken.docx"]
    assert [r["严重程度"] for r in broken] == ["无法读取"]
    assert not [r for r in body if Path(r["报告文件"]).name == "a-clean.md" and r["代码"] == "R2"]


def test_the_tables_sheet_puts_reports_side_by_side(outputs):
    facts = load(example(DEPARTMENT))
    sheet = load_workbook(outputs["xlsx"])[TABLES_SHEET]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    assert header[0] == "栏目" and len(header) == 3  # the unreadable file has no column
    assert "a-clean.md" in header[1] and "b-totals.md" in header[2]
    marked = fmt.describe(("requests", "results", "withheld", "state_secret", "business"))
    for cell in fmt.table_cells():
        clean, totals = rows[cell.label]
        assert clean == pytest.approx(float(facts.value(cell.path))), cell.label
        assert totals == ("/" if cell.label == marked else clean), cell.label
    received_total = fmt.describe(("requests", "received", "total"))
    assert rows[received_total] == (560, 561)  # the total as printed
    disclosure = rows["实质公开率"]
    results = facts.requests.results
    expected = (results.disclosed.total + results.partially_disclosed.total) / results.total.total
    assert disclosure[0] == pytest.approx(expected)
    assert sheet.cell(sheet.max_row, 2).number_format == "0.0%"


def test_text_from_a_report_never_becomes_a_formula(tmp_path):
    """A published page is not ours to run: ``=HYPERLINK(…)`` in it stays text in the workbook."""
    from govreport.auditing import AuditRun, ReportAudit
    from govreport.auditing.findings import Finding
    from govreport.auditing.report_workbook import write_xlsx

    report = ReportAudit(Path("=cmd.txt"), unreadable='=HYPERLINK("http://x","y")')
    report.findings = [Finding("R8", "warning", "=1+1")]
    target = tmp_path / "formula.xlsx"
    write_xlsx(AuditRun([report]), target)
    sheet = load_workbook(target)[FINDINGS_SHEET]
    row = [c for c in sheet[2]]
    assert row[0].value == "=cmd.txt" and row[0].data_type == "s"
    assert row[8].value == '=HYPERLINK("http://x","y")' and row[8].data_type == "s"
