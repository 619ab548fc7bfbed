"""``govreport audit``: published reports checked as printed, one by one and as a region.

The reports are the examples rendered to Markdown (as an office publishes them), then
edited the way published reports go wrong: a printed total that is not the sum, a blank
cell, a retyped label, a missing section, a date before the year ended, a narrative
number that is not the table's. Then the run-wide checks (last year's report, copied
text, a government with its department) and hostile input.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from audit_support import (
    DEPARTMENT,
    GOVERNMENT,
    edit,
    example,
    last_year,
    publish,
    set_cell,
    set_review_cell,
)
from click.testing import CliRunner

from govreport import load
from govreport import official as fmt
from govreport.auditing import audit
from govreport.auditing.sources import find_reports
from govreport.cli.main import main


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> dict[str, Path]:
    """This year's department and government reports, and last year's department report.

    The government copied section 五 word for word from the department's report.
    """
    root = tmp_path_factory.mktemp("region")
    department, government = example(DEPARTMENT), example(GOVERNMENT)
    government["problems"] = department["problems"]
    return {
        "department": publish(department, root / "this" / "zrzy"),
        "government": publish(government, root / "this" / "shi"),
        "last": publish(last_year(department), root / "last" / "zrzy-2022"),
        "this": root / "this",
        "last_dir": root / "last",
    }


def one(path: Path):
    run = audit([path])
    assert len(run.reports) == 1
    return run.reports[0]


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def found(report, code: str) -> list:
    return [f for f in report.findings if f.code == code]


def invoke(*args) -> object:
    return CliRunner().invoke(main, ["audit", *map(str, args)])


# --------------------------------------------------------------------------- one report


def test_a_consistent_report_has_no_error(region):
    report = one(region["department"])
    assert report.agency == "某市自然资源和规划局" and report.year == 2023
    assert [f for f in report.findings if f.severity == "error"] == []
    assert not {"R1", "R2", "R3", "R4", "R9", "D1"} & set(codes(report))


def test_derived_figures_come_from_the_printed_table(region):
    facts = example(DEPARTMENT)
    results = facts["requests"]["results"]
    reviews = facts["reviews"]
    report = one(region["department"])
    figures = {f.key: f for f in report.figures}
    disclosed = sum(results["disclosed"]) + sum(results["partially_disclosed"])
    handled = sum(
        sum(v) if isinstance(v, list) else sum(sum(x) for x in v.values()) for v in results.values()
    )
    assert (figures["disclosure_rate"].numerator, figures["disclosure_rate"].denominator) == (
        disclosed,
        handled,
    )
    assert figures["disclosure_rate"].value == pytest.approx(disclosed / handled)
    reconsideration = reviews["reconsideration"]
    assert figures["reconsideration_correction_rate"].numerator == reconsideration["corrected"]
    assert figures["reconsideration_correction_rate"].denominator == sum(reconsideration.values())
    lawsuits = [reviews["litigation_direct"], reviews["litigation_after_reconsideration"]]
    litigation = figures["litigation_correction_rate"]
    assert litigation.numerator == sum(b["corrected"] for b in lawsuits)
    assert litigation.denominator == sum(sum(b.values()) for b in lawsuits)


def test_a_printed_total_that_is_not_the_sum_is_an_error_at_its_cell(region, tmp_path):
    text = region["department"].read_text(encoding="utf-8")
    text = set_cell(text, "一、本年新收政府信息公开申请数量", 6, "561")
    text = set_review_cell(text, 4, "15")  # 行政复议 总计 14 printed as 15
    report_path = tmp_path / "totals.md"
    report_path.write_text(text, encoding="utf-8")
    report = one(report_path)
    (r2,) = found(report, "R2")
    assert r2.severity == "error"
    assert r2.place == "一、本年新收政府信息公开申请数量 · 总计"
    assert "561" in r2.message and "560" in r2.message
    (r4,) = found(report, "R4")
    assert r4.place == "四、行政复议 · 总计" and "15" in r4.message
    # the figure takes the printed total, as a reviewer with the table in hand would
    figure = next(f for f in report.figures if f.key == "reconsideration_correction_rate")
    assert figure.denominator == 15
    result = invoke(report_path)
    assert result.exit_code == 1, result.output
    assert "R2" in result.output and "一、本年新收政府信息公开申请数量 · 总计" in result.output


def test_a_results_total_row_that_is_not_the_sum_is_r3(region, tmp_path):
    text = region["department"].read_text(encoding="utf-8")
    text = set_cell(text, "（七）总计", 0, "999")
    path = tmp_path / "r3.md"
    path.write_text(text, encoding="utf-8")
    report = one(path)
    r3 = [f for f in found(report, "R3") if f.place == "三、（七）总计 · 自然人"]
    assert r3 and r3[0].severity == "error" and "999" in r3[0].message
    r1 = found(report, "R1")
    assert r1 and "999" in r1[0].message  # R1 judged on the printed （七）总计 too


@pytest.mark.parametrize("symbol", ["/", "—", ""])
def test_a_blank_or_symbol_cell_is_named(region, tmp_path, symbol):
    text = region["department"].read_text(encoding="utf-8")
    text = set_cell(text, "1.属于国家秘密", 0, symbol)
    path = tmp_path / "blank.md"
    path.write_text(text, encoding="utf-8")
    report = one(path)
    blanks = found(report, "R9")
    assert [f.place for f in blanks] == ["三、（三）1.属于国家秘密 · 自然人"]
    assert (f"印为“{symbol}”" if symbol else "留空") in blanks[0].message
    assert blanks[0].severity == fmt.IDENTITIES["R9"].severity


def test_label_drift_and_a_missing_section(region, tmp_path):
    path = edit(
        region["department"],
        tmp_path / "drift.md",
        ("5.属于三类内部事务信息", "5.属于三类内容事务信息"),
        ("# 五、存在的主要问题及改进情况\n", ""),
    )
    report = one(path)
    assert [f.place for f in found(report, "L1")] == ["三、（三）5.属于三类内部事务信息"]
    assert "内容事务" in found(report, "L1")[0].message
    assert fmt.SECTION_HEADINGS["problems"] in [f.place for f in found(report, "M1")]


def test_dates_and_narrative_numbers(region, tmp_path):
    path = edit(
        region["department"],
        tmp_path / "dates.md",
        ("2024年1月20日", "2023年12月20日"),
        ("共收到政府信息公开申请560件", "共收到政府信息公开申请565件"),
    )
    report = one(path)
    (d1,) = found(report, "D1")
    assert d1.severity == "error" and d1.place == "落款日期"
    r8 = [f for f in found(report, "R8") if "565" in f.message]
    assert r8 and r8[0].place == "一、总体情况 · 依申请公开" and "560" in r8[0].message


def test_a_report_without_a_closing_date_is_a_date_finding(region, tmp_path):
    path = edit(region["department"], tmp_path / "undated.md", ("2024年1月20日", ""))
    assert "D3" in codes(one(path))


# --------------------------------------------------------------------------- a region


def test_last_year_breaks_r5_and_its_text_is_copied(region):
    run = audit([region["department"]], previous_year=region["last_dir"])
    (report,) = run.reports
    (r5,) = found(report, "R5")
    assert r5.severity == "error"
    assert r5.place == "二、上年结转政府信息公开申请数量 · 自然人"
    assert "本年上年结转 11 件" in r5.message and "结转下年度继续办理是 10 件" in r5.message
    copied = {f.place: f for f in found(report, "S1")}
    assert fmt.SECTION_HEADINGS["problems"] in copied
    finding = copied[fmt.SECTION_HEADINGS["problems"]]
    assert finding.quotes and all(len(q) >= 20 for q in finding.quotes)
    problems_text = "".join(example(DEPARTMENT)["problems"].values()).replace("\n", "")
    assert all(q in problems_text for q in finding.quotes)
    assert "某市自然资源和规划局2022年度报告" in finding.message
    similarity = [s for s in report.similarity if s.section == "problems"]
    assert similarity[0].share > 0.9
    assert run.exit_status == 1


def test_last_year_in_the_same_run_is_found_by_name(region):
    run = audit([region["department"], region["last"]])
    this = next(r for r in run.reports if r.year == 2023)
    assert found(this, "R5") and found(this, "S1")
    last = next(r for r in run.reports if r.year == 2022)
    assert not found(last, "S2")  # the same agency is never "another agency"


def test_text_copied_from_another_agency_and_the_parent_sum(region):
    run = audit([region["this"]])
    reports = {r.agency: r for r in run.reports}
    assert set(reports) == {"某市自然资源和规划局", "某市人民政府"}
    government = reports["某市人民政府"]
    copied = [f for f in found(government, "S2") if f.place == fmt.SECTION_HEADINGS["problems"]]
    assert copied and "某市自然资源和规划局" in copied[0].message
    assert not found(government, "S1")
    # the government's tables are not the department's alone: C1 per differing cell
    c1 = {f.place: f for f in found(government, "C1")}
    label = fmt.describe(("requests", "received", "natural_person"))
    department = load(example(DEPARTMENT)).requests.received.natural_person
    assert label in c1 and f"下级单位合计 {department}" in c1[label].message
    assert not found(reports["某市自然资源和规划局"], "C1")


# --------------------------------------------------------------------------- hostile input


def test_unreadable_files_among_good_ones(region, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(region["department"], folder / "good.md")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "notes.txt").write_text("会议纪要：政府信息公开工作安排。", encoding="utf-8")
    (folder / "README.md").write_text("# Sample reports\n", encoding="utf-8")
    (folder / "table.json").write_text("{}", encoding="utf-8")
    result = invoke(folder, tmp_path / "missing-folder", "--format", "json")
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    by_name = {Path(r["file"]).name: r for r in data["reports"]}
    # README without 信息公开 and .json are passed over; notes.txt is read and is no report
    assert set(by_name) == {"good.md", "broken.docx", "scan.pdf", "missing-folder"}
    assert [Path(s["file"]).name for s in data["skipped"]] == ["notes.txt"]
    assert by_name["good.md"]["unreadable"] is None
    assert by_name["good.md"]["agency"] == "某市自然资源和规划局"
    for name in ("broken.docx", "scan.pdf", "missing-folder"):
        assert by_name[name]["unreadable"], name
        assert "Traceback" not in by_name[name]["unreadable"]
    assert data["unreadable"] == 3 and data["exit_status"] == 2
    assert "无法读取" in result.stderr and "已跳过（不是年度报告）" in result.stderr
    # named on its own, a file that is no report is unreadable input
    named = invoke(folder / "notes.txt", folder / "good.md", "--format", "json")
    assert named.exit_code == 2
    (notes,) = [r for r in json.loads(named.stdout)["reports"] if r["unreadable"]]
    assert Path(notes["file"]).name == "notes.txt" and "年度报告" in notes["unreadable"]


def test_symlink_loops_and_duplicates_are_read_once(region, tmp_path):
    folder = tmp_path / "linked"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(region["department"], folder / "sub" / "a.md")
    os.symlink(folder, folder / "sub" / "loop")
    os.symlink(folder / "sub" / "a.md", folder / "alias.md")
    files, missing = find_reports([folder, folder / "sub" / "a.md"])
    assert len(files) == 1 and missing == [] and files[0].named
    assert len(audit([folder]).reports) == 1


def test_json_fields(region):
    result = invoke(region["department"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (report,) = data["reports"]
    assert report["agency"] == "某市自然资源和规划局"
    assert report["year"] == 2023 and report["published"] == "2024-01-20"
    assert report["level"] == "department"
    assert [f["label"] for f in report["figures"]] == ["实质公开率", "复议纠错率", "诉讼纠错率"]
    assert set(report["counts"]) == {"error", "warning", "info"}
    for finding in report["findings"]:
        assert set(finding) >= {"code", "severity", "category", "place", "page", "message"}


def test_outputs_need_a_file_and_a_writable_place(region, tmp_path):
    result = invoke(region["department"], "--format", "html")
    assert result.exit_code == 1 and "需要用 -o 指定输出文件" in result.output
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    result = invoke(region["department"], "-o", blocked / "out.xlsx")
    assert result.exit_code == 5 and "无法写入" in result.output
    assert "Traceback" not in result.output


def test_text_summary_to_a_file(region, tmp_path):
    target = tmp_path / "summary.txt"
    result = invoke(region["this"], "-o", target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "某市人民政府" in text and "审核汇总" in text and "S2" in text


def test_a_date_taken_from_the_web_page_is_not_held_against_the_report(region, tmp_path):
    text = region["department"].read_text(encoding="utf-8").replace("2024年1月20日", "")
    path = tmp_path / "page-date.md"
    path.write_text("发布时间：2023-12-01 09:30\n\n" + text, encoding="utf-8")
    report = one(path)
    assert found(report, "D4")  # no 落款 date: the date is the web page's
    (d1,) = found(report, "D1")
    assert d1.severity == "warning" and "取自网页" in d1.message


def test_the_page_of_a_finding_comes_from_import(region, tmp_path, monkeypatch):
    """When import says on which PDF page a row was read, the finding names the page."""
    from govreport.auditing import sources

    text = set_cell(
        region["department"].read_text(encoding="utf-8"),
        "一、本年新收政府信息公开申请数量",
        6,
        "561",
    )
    path = tmp_path / "paged.md"
    path.write_text(text, encoding="utf-8")
    real = sources.import_report

    def with_pages(source):
        result = real(source)
        for path, cell in list(result.cells.items()):
            if path[:2] == ("requests", "received"):
                result.cells[path] = dataclasses.replace(cell, page=3)
        return result

    monkeypatch.setattr(sources, "import_report", with_pages)
    (report,) = audit([path], jobs=1).reports
    (r2,) = found(report, "R2")
    assert r2.page == 3 and r2.where().endswith("（第 3 页）")
    assert all(f.page is None for f in report.findings if not f.path.startswith("requests"))


def test_a_folder_without_reports_is_unreadable_input(tmp_path):
    (tmp_path / "README.md").write_text("# nothing here\n", encoding="utf-8")
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert "没有找到可审核的年度报告" in result.output and "Traceback" not in result.output


def test_r5_against_a_last_year_table_not_read_whole_is_a_warning(region, tmp_path):
    folder = tmp_path / "last"
    folder.mkdir()
    text = region["last"].read_text(encoding="utf-8")
    text = set_cell(text, "四、结转下年度继续办理", 0, "十")  # not a number import can read
    (folder / "zrzy-2022.md").write_text(text, encoding="utf-8")
    run = audit([region["department"]], previous_year=folder)
    r5 = {f.place: f for f in found(run.reports[0], "R5")}
    natural = r5["二、上年结转政府信息公开申请数量 · 自然人"]
    assert natural.severity == "warning" and "上年报告该表有未能读取的格" in natural.message
    assert run.exit_status == 0


def test_a_missing_previous_year_folder_is_unreadable_input(region, tmp_path):
    result = invoke(region["department"], "--previous-year", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "无法读取（上年报告）" in result.output and "nowhere" in result.output


# --------------------------------------------------------------------------- wording


def found_in(findings, code):
    return [f for f in findings if f.code == code]


def test_findings_do_not_depend_on_the_wording_of_check_messages(region, tmp_path, monkeypatch):
    """The audit reads what check compared (``Problem.values``, ``reader_message``), never
    its Chinese message: reworded messages give the same findings, pages included."""
    from govreport import checks
    from govreport.auditing import sources

    text = set_cell(
        region["department"].read_text(encoding="utf-8"),
        "一、本年新收政府信息公开申请数量",
        6,
        "561",
    )
    text = text.replace("共收到政府信息公开申请560件", "共收到政府信息公开申请565件")
    path = tmp_path / "reworded.md"
    path.write_text(text.replace("2024年1月20日", ""), encoding="utf-8")
    real_import = sources.import_report

    def on_page_two(source):  # every narrative paragraph printed on page 2 of a PDF
        result = real_import(source)
        result.paragraphs = [(section, text, 2) for section, text, _ in result.paragraphs]
        return result

    monkeypatch.setattr(sources, "import_report", on_page_two)

    def audited() -> list:
        (report,) = audit([path], jobs=1).reports
        return report.findings

    before = audited()
    real_problem = checks.balances.problem

    def reworded(facts, code, severity, message, *args, **kwargs):
        return real_problem(facts, code, severity, "（另一种说法，没有引号）", *args, **kwargs)

    for module in (checks.balances, checks.dates, checks.quoted_numbers, checks.years):
        monkeypatch.setattr(module, "problem", reworded)
    after = audited()

    def where(findings):
        return [(f.code, f.severity, f.place, f.path, f.page) for f in findings]

    assert where(after) == where(before)
    assert {"R2", "R8", "D3"} <= {f.code for f in after}
    r8 = [f for f in after if f.code == "R8"]
    assert r8 and all(f.page == 2 for f in r8)  # the page of the paragraph it quotes
    for code in ("R8", "D3"):  # said of the published report by the rule itself
        assert [f.message for f in found_in(before, code)] == [
            f.message for f in found_in(after, code)
        ]
    assert "{{" not in found_in(after, "R8")[0].message


def test_import_caveats_are_mapped_by_code_not_by_wording():
    from govreport.auditing.findings import from_import_problem
    from govreport.diagnostics import ERROR, WARNING, Problem

    def meaning(code: str, message: str, path: tuple, severity=ERROR) -> tuple[str, str]:
        finding = from_import_problem(Problem(code, severity, message, path))
        return finding.code, finding.severity

    for message in ("没有找到“五、存在的主要问题及改进情况”部分", "this part is absent"):
        assert meaning("I8", message, ("problems",)) == ("M1", "warning")
    for message in ("没有找到这一部分", "表四读到 1 个数，应为 15 个"):
        assert meaning("I5", message, ("reviews",)) == ("U1", "warning")
        # only the heading is missing, the table was read by its content (I5 as a warning)
        assert meaning("I5", message, ("requests",), WARNING) == ("M1", "warning")


def test_a_reader_message_replaces_the_authors_advice_whatever_the_wording():
    from govreport.auditing.findings import from_problem
    from govreport.diagnostics import WARNING, Problem

    said = Problem("G1", WARNING, "any wording (overview.assessment)", ("overview", "assessment"))
    assert from_problem(said).message == said.message
    for_readers = dataclasses.replace(said, reader_message="报告没有说明考核情况")
    assert from_problem(for_readers).message == "报告没有说明考核情况"
