"""The run-wide side of the audit: paragraphs compared as paragraphs, stock sentences left
out, agencies matched with or without their city, a government against its own
departments only, the same report audited twice, and outputs an office can forward."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_support import DEPARTMENT, GOVERNMENT, example, publish
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from govreport.auditing import audit
from govreport.auditing.names import NameIndex, is_child, same_agency
from govreport.auditing.report_workbook import FINDINGS_SHEET, TABLES_SHEET
from govreport.auditing.results import FORMAT_VERSION
from govreport.auditing.similarity import joined, without_boilerplate
from govreport.auditing.sources import Paragraph
from govreport.cli.main import main


def _paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(("problems",), n, text) for n, text in enumerate(texts, start=1)]


def test_hard_wrapped_lines_are_joined_into_their_paragraph():
    lines = _paragraphs(
        "（一）存在的主要问题",
        "2023年，我局政府信息公开工作取得了一定成效，但",
        "对照上级要求仍有差距。",
        "**一是提升质量。**2024年，我局将修订",
        "办理规程。",
    )
    texts = [p.text for p in joined(lines)]
    assert texts == [
        "（一）存在的主要问题",
        "2023年，我局政府信息公开工作取得了一定成效，但对照上级要求仍有差距。",
        "**一是提升质量。**2024年，我局将修订办理规程。",
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("本机关本年度没有收取信息处理费。", ""),
        ("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", ""),
        ("根据《中华人民共和国政府信息公开条例》，现公布本年度报告。", ""),
        (
            "根据《中华人民共和国政府信息公开条例》编制本报告。我局今年培训三次。",
            "我局今年培训三次。",
        ),
        ("我局今年重点推进了征地信息公开，群众满意度明显提升。", None),
    ],
)
def test_sentences_of_statutory_wording_are_not_copying(text, kept):
    assert without_boilerplate(text) == (text if kept is None else kept)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("清江浦区人民政府", "淮安市清江浦区人民政府", True),
        ("清江浦区人民政府", "江苏省淮安市清江浦区人民政府", True),
        ("淮安市财政局", "淮安市财政局", True),
        ("清江浦区财政局", "淮安市淮安区财政局", False),
        ("财政局", "淮安市财政局", False),  # too short to stand for an agency
    ],
)
def test_the_same_agency_with_or_without_its_city(a, b, same):
    assert same_agency(a, b) is same


@pytest.mark.parametrize(
    ("department", "child"),
    [
        ("淮安市财政局", True),
        ("淮安市住房和城乡建设局", True),
        ("淮安市城市管理局", True),
        ("淮安市人民政府办公室", True),
        ("淮安市清江浦区财政局", False),  # a district's department
        ("淮安市涟水县教育局", False),
        ("盐城市财政局", False),
    ],
)
def test_only_the_governments_own_departments_are_its_children(department, child):
    assert is_child("淮安市人民政府", department) is child


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("region") / "各单位2023年报"
    department = publish(example(DEPARTMENT), root / "zrzy")
    (root / "zrzy-copy.md").write_text(department.read_text(encoding="utf-8"), encoding="utf-8")
    government = example(GOVERNMENT)
    publish(government, root / "shi")
    district = example(DEPARTMENT)
    district["agency"]["name"] = "某市某区财政局"
    publish(district, root / "qu")
    return root


@pytest.fixture(scope="module")
def run(region):
    return audit([region], jobs=1)


def _by_file(run, name: str):
    (report,) = [r for r in run.reports if r.source.name == name]
    return report


def test_the_same_report_audited_twice_is_said_on_both(run):
    for name, other in (("zrzy.md", "zrzy-copy.md"), ("zrzy-copy.md", "zrzy.md")):
        duplicates = [f for f in _by_file(run, name).findings if f.code == "A1"]
        assert len(duplicates) == 1 and other in duplicates[0].message
    assert not [f for f in _by_file(run, "shi.md").findings if f.code == "A1"]


def test_a_districts_department_is_not_summed_into_the_city(run):
    government = _by_file(run, "shi.md")
    said = " ".join(f.message for f in government.findings if f.category == "上下级汇总")
    assert "某市自然资源和规划局" in said and "某市某区财政局" not in said


def test_no_counterpart_last_year_is_said(region, tmp_path):
    last = tmp_path / "2022"
    other = example(GOVERNMENT)
    other["year"] = 2022
    publish(other, last / "shi-2022")
    run = audit([region / "zrzy.md"], previous_year=last, jobs=1)
    (report,) = run.reports
    notes = [f for f in report.findings if f.code == "N1" and "上年报告中没有找到" in f.message]
    assert notes and "某市自然资源和规划局" in notes[0].message
    assert "S1" not in run.checks and "R5" not in run.checks


def test_json_carries_its_version_the_checks_and_relative_file_names(region):
    result = CliRunner().invoke(main, ["audit", str(region), "--format", "json", "-j", "1"])
    data = json.loads(result.stdout)
    assert data["format_version"] == FORMAT_VERSION
    codes = [c["code"] for c in data["checks"]]
    assert {"R1", "R2", "R8", "R9", "S2", "A1"} <= set(codes) and "R5" not in codes
    assert all(c["category"] for c in data["checks"])
    files = [r["file"] for r in data["reports"]]
    assert "各单位2023年报/zrzy.md" in files
    assert not any(Path(f).is_absolute() for f in files)


def test_the_workbook_prints_as_an_office_forwards_it(run, tmp_path):
    from govreport.auditing.report_workbook import write_xlsx

    target = tmp_path / "audit.xlsx"
    write_xlsx(run, target)
    book = load_workbook(target)
    for name in (FINDINGS_SHEET, TABLES_SHEET):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    findings = book[FINDINGS_SHEET]
    assert findings.auto_filter.ref == findings.dimensions
    files = {row[0].value for row in findings.iter_rows(min_row=2)}
    assert "各单位2023年报/zrzy.md" in files
    assert not any(Path(f).is_absolute() for f in files)


@pytest.mark.pdf
def test_the_workbook_prints_landscape_in_few_pages_with_its_header_on_each(
    run, pdf_tools, tmp_path
):
    """Printed by LibreOffice Calc: every page landscape, every column on the page, the
    findings' header row on every page of the findings."""
    from test_workbook_print import calc, pages_of

    from govreport.auditing.report_workbook import FINDING_HEADERS, write_xlsx

    target = tmp_path / "审核结果.xlsx"
    write_xlsx(run, target)
    rows = load_workbook(target)[FINDINGS_SHEET].max_row
    pages = pages_of(calc(pdf_tools, target, "pdf", tmp_path))
    assert all(width > height for width, height, _ in pages)
    texts = [text for _, _, text in pages]
    findings = [text for text in texts if text.startswith("".join(FINDING_HEADERS))]
    assert len(findings) >= 2 and texts[: len(findings)] == findings  # the header repeats
    assert len(pages) <= 2 + rows // 10  # one page wide: not strips of columns


_PLACES = ["", "某省", "某市", "某省某市", "甲市", "某自治州", "乙地区", "某区", "某县"]
_AGENCIES = ["财政局", "人民政府", "某区人民政府", "某区财政局", "教育局", "区人民政府"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_PLACES), st.sampled_from(_AGENCIES)), max_size=25),
    st.tuples(st.sampled_from([*_PLACES, "X市"]), st.sampled_from(_AGENCIES)),
)
def test_the_name_index_finds_exactly_what_same_agency_matches_in_order(names, query):
    """The audit finds agencies through an index (a province's run has thousands): it must
    find what comparing every name with ``same_agency`` finds, in the order added."""
    index: NameIndex[int] = NameIndex()
    keys = ["".join(parts) for parts in names]
    for n, key in enumerate(keys):
        index.add(key, n)
    wanted = "".join(query)
    assert index.find(wanted) == [n for n, key in enumerate(keys) if same_agency(key, wanted)]
