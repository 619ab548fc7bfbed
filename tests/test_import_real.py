"""Import of real published reports (tests/data/real, copied from the shared sample).

Each report comes with the cells a careful person reads from it (``NNN.expected.json``).
Import must read every one of them right or say that it could not read it: a cell
read wrong without a word (a guess) fails the test. The scoring is the accuracy
benchmark's own (``benchmarks/import_accuracy.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from govreport import import_report
from govreport import official as fmt

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(__file__).resolve().parent / "data" / "real"
sys.path.insert(0, str(ROOT / "benchmarks"))
from import_accuracy import expected_cells, score, sources  # noqa: E402

SAMPLE = sources(REAL)


def expected(report: Path) -> dict:
    stem = report.name.split(".")[0]
    return json.loads((REAL / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("report", [r for r, _ in SAMPLE], ids=lambda p: p.name)
def test_every_expected_cell_is_read_right_or_reported_unreadable(report):
    result = score(report, expected(report))
    assert result.wrong == 0, result.misses
    assert result.expected == len(expected_cells(expected(report)))


@pytest.mark.parametrize("name", ["002.pdf", "002.txt", "005.txt", "007.txt", "011.txt", "012.txt"])
def test_reports_whose_cells_can_all_be_read_are_read_whole(name):
    result = score(REAL / name, expected(REAL / name))
    assert result.unreadable == 0, result.misses
    assert result.right == result.expected


def test_digits_that_cannot_be_split_are_reported_not_guessed():
    """006: 行政规范性文件 8855698 has no total to settle it: 88/55/698? 8/85/5698? Unreadable."""
    result = import_report(REAL / "006.txt")
    problems = [p for p in result.errors if p.path == ("proactive", "normative_documents")]
    assert len(problems) == 1
    assert "8855698" in problems[0].message and "不能唯一拆分" in problems[0].message
    assert result.facts.proactive.normative_documents.issued == 0
    # …while the rows that do split are read, and say they were split
    assert result.facts.requests.received.natural_person == 71
    split = [p for p in result.warnings if p.code == "I7" and p.path == ("requests", "received")]
    assert split and "713000074" in split[0].message


def test_rows_settled_only_by_the_table_identities():
    """005: （一）予以公开 270020130 splits two ways under its own total (27/0/0/2/0/1/30 or
    2/7/0/0/20/1/30), and so does （四）1. 220000325; only one pair makes R3 hold."""
    result = import_report(REAL / "005.txt")
    assert result.facts.requests.results.disclosed.applicants() == (27, 0, 0, 2, 0, 1)
    assert result.facts.requests.results.unavailable.not_held.applicants() == (22, 0, 0, 0, 0, 3)
    settled = [p for p in result.warnings if p.code == "I7" and "R1、R3" in p.message]
    assert {p.path for p in settled} == {
        ("requests", "results", "disclosed"),
        ("requests", "results", "unavailable", "not_held"),
    }


def test_a_2019_trial_report_maps_its_single_other_processing_row():
    result = import_report(REAL / "011.txt")
    assert result.trial_format
    assert any(p.code == "I3" for p in result.problems)
    assert result.facts.requests.received.total == 23
    assert result.data["agency"]["level"] == "government"


def test_the_web_page_date_is_taken_when_there_is_no_closing_and_said_so():
    result = import_report(REAL / "005.txt")
    assert str(result.facts.published) == "2022-02-08"
    assert result.published_from == "page"
    assert any(p.code == "I6" and p.path == ("published",) for p in result.warnings)
    summary = result.facts.overview.summary
    assert summary.startswith("根据《中华人民共和国政府信息公开条例》")
    assert "当前位置" not in summary and "原文链接" not in summary


def test_a_year_first_title_and_a_markdown_conversion():
    result = import_report(REAL / "012.txt")
    assert (result.facts.agency.name, result.facts.year) == ("上海市人民政府办公厅", 2025)
    assert result.facts.agency.level == "department"
    assert result.facts.reviews.reconsideration.total == 55
    assert not any("— 1 —" in text for _, text, _ in result.paragraphs)


def test_the_real_pdf_reads_like_its_text():
    pdf, text = import_report(REAL / "002.pdf"), import_report(REAL / "002.txt")
    assert pdf.problems == [] and pdf.facts.requests == text.facts.requests
    assert pdf.facts.proactive == text.facts.proactive and pdf.facts.reviews == text.facts.reviews
    assert (pdf.facts.agency.name, pdf.facts.year) == ("淮安市人民政府", 2024)
    # header cells broken mid-word and the vertical label read whole
    assert pdf.facts.requests.results.partially_disclosed.total == 454
    # every cell as printed, with its page: table 三 runs from page 4 onto page 5
    cells = pdf.cells
    assert cells[("requests", "received", "total")].text == "3119"
    assert cells[("requests", "received", "total")].page == 4
    assert cells[("requests", "carried_forward", "natural_person")].page == 5
    assert cells[("requests", "results", "unavailable", "needs_creation", "total")].page == 5
    assert cells[("reviews", "reconsideration", "total")].number == 351
    table3 = len(fmt.REQUEST_ROWS) * len(fmt.REQUEST_COLUMNS)
    assert len(cells) == len(fmt.PROACTIVE_CELLS) + table3 + len(fmt.REVIEW_BLOCKS) * 5
    # the narrative in reading order, page numbers gone, paragraphs joined across lines
    texts = [t for _, t, _ in pdf.paragraphs]
    assert not any(t.strip("-— 0123456789") == "" for t in texts)
    overview = [t for key, t, _ in pdf.paragraphs if key == "overview"]
    assert overview[0].startswith("2024年，我市坚持") and overview[0].endswith(
        "圆满完成了各项任务。"
    )
    assert [page for key, _, page in pdf.paragraphs if key == "problems"] == [5, 6]


def test_items_run_together_in_one_paragraph_are_split_by_their_numbers():
    """005: the whole overview is one paragraph, （一）主动公开方面。…（二）依申请公开方面。…"""
    result = import_report(REAL / "005.txt")
    overview = result.facts.overview
    assert overview.proactive.startswith("按照“公开为常态，不公开为例外”的要求")
    assert overview.on_request.startswith("我区高度重视依申请公开工作的办理")
    assert "（二）依申请公开方面" not in overview.proactive
    assert result.data["problems"]["issues"].startswith("政策解读形式不够丰富")
