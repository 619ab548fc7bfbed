"""PDF import of layouts WPS prints: text on a page with few lines, a running header,
two numbers set apart in a line of text (made with Typst, see ``pdf_typst``)."""

from __future__ import annotations

from pathlib import Path

from pdf_typst import compile_pdf, filling, page_setup, paragraphs, table_three

from govreport import import_report
from govreport import official as fmt

TITLE = "测试市人民政府2023年政府信息公开工作年度报告"
FIRST = "一是主动公开政府信息一百二十条。"
SECOND = "二是办理依申请公开四件。"


def _report(body: str, tmp_path: Path, header: str | None = None) -> Path:
    source = page_setup(header) + paragraphs([TITLE]) + body
    source += paragraphs(["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"])
    return compile_pdf(source, tmp_path / "report.pdf")


def _texts(result) -> str:
    return "\n".join(text for _, text, _ in result.paragraphs)


def test_a_page_with_a_heading_and_two_short_paragraphs_keeps_them(tmp_path):
    """Page 1 ends on a full line; page 2 holds only 一、总体情况, two one-line paragraphs
    and table 二's heading: every line on it is indented, so its own lines say nothing
    about where a paragraph starts. The heading and paragraphs come back in 一."""
    body = paragraphs([filling(3)] * 8) + "#pagebreak()\n"
    body += paragraphs(["一、总体情况", FIRST, SECOND, "二、主动公开政府信息情况"])
    result = import_report(_report(body, tmp_path))
    assert ("overview", FIRST, 3) in result.paragraphs
    assert ("overview", SECOND, 3) in result.paragraphs
    assert not [
        p for p in result.problems if p.code == "I8" and p.path[0] in ("overview", "problems")
    ]


def test_a_running_header_is_not_text_and_does_not_break_a_paragraph(tmp_path):
    """A header with the agency's name on every page: a paragraph running over the page
    break stays one paragraph, and the header is no text of the report."""
    agency = "测试市人民政府办公室"
    running = filling(30, "续")
    body = paragraphs(["一、总体情况", running, FIRST])
    result = import_report(_report(body, tmp_path, header=agency))
    assert running in _texts(result)
    assert agency not in _texts(result)


def test_numbers_set_apart_in_a_line_are_separate_numbers(tmp_path):
    """Table 三 drawn without ruling lines: ``21 0 0 0 0 0 21`` in the row （七）总计 is
    seven numbers, not 210000021."""
    total = next(i for i, row in enumerate(fmt.REQUEST_ROWS) if row.path == fmt.RESULT_TOTAL_PATH)
    cells = {total: ["21", "0", "0", "0", "0", "0", "21"]}
    body = paragraphs(["三、收到和处理政府信息公开申请情况"]) + table_three(cells)
    result = import_report(_report(body, tmp_path))
    printed = [
        result.cells[("requests", *fmt.RESULT_TOTAL_PATH, c.key)].number
        for c in fmt.REQUEST_COLUMNS
    ]
    assert printed == [21, 0, 0, 0, 0, 0, 21]
    row = ("requests", *fmt.RESULT_TOTAL_PATH)
    assert not [p for p in result.problems if p.path == row]  # read, not split from 210000021


def test_text_framed_against_a_table_is_text_not_a_cell(tmp_path):
    """A bordered text box drawn right on top of table 二: pdfplumber joins the frame to
    the table as one cell across it. The heading and paragraphs in it are text of 一, the
    table below still table 二."""
    framed = paragraphs(["（二）依申请公开情况", FIRST, SECOND, "二、主动公开政府信息情况"])
    table = "[第二十条第（一）项], [], [], [], [信息内容], [本年制发件数], [本年废止件数], "
    table += "[现行有效件数], [规章], [1], [0], [11]"
    body = paragraphs(["一、总体情况", filling(3), filling(2)])
    body += f"#block(stroke: 0.5pt, inset: 4pt, width: 100%, spacing: 0pt)[{framed}]\n"
    body += f"#block(spacing: 0pt)[#table(columns: (2fr, 1fr, 1fr, 1fr), stroke: 0.5pt, {table})]\n"
    result = import_report(_report(body, tmp_path))
    assert ("overview", FIRST, 1) in result.paragraphs
    assert ("overview", SECOND, 1) in result.paragraphs
    assert [
        result.facts.proactive.regulations.issued,
        result.facts.proactive.regulations.in_force,
    ] == [1, 11]


def test_a_sentence_that_opens_every_page_is_text_not_a_running_header(tmp_path):
    """Every page starts with the same sentence at the same height, as a page header
    would stand, but set in the body at the usual line spacing: it is the report's own
    text and comes back once per page (a header left in costs a line; a sentence taken
    for one is lost)."""
    repeated = "本机关坚持以公开为常态、不公开为例外，全年依法依规做好政府信息公开工作。"
    pages = [paragraphs([repeated, filling(2, "续")]) for _ in range(4)]
    body = paragraphs(["一、总体情况"]) + "#pagebreak()\n".join(pages)
    result = import_report(_report(body, tmp_path))
    assert _texts(result).count(repeated) == 4
