"""Import of made-up hard cases: each is a rule a person states about the format,
written as a small report in the shape published reports arrive in."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreport import import_report, render
from govreport.errors import InputError
from govreport.importing import NotAReport
from govreport.importing.runs import split_runs

DATA = Path(__file__).resolve().parent / "data"


def codes(result, code):
    return [p for p in result.problems if p.code == code]


# --------------------------------------------------------------------------- run-together digits


@pytest.mark.parametrize(
    ("groups", "blocks", "expected"),
    [
        (["801000081"], [7], [(80, 1, 0, 0, 0, 0, 81)]),
        (["640020470"], [7], [(64, 0, 0, 2, 0, 4, 70)]),
        (["500000", "5"], [7], [(5, 0, 0, 0, 0, 0, 5)]),  # a space is a border
        (["23", "0", "00", "0", "023"], [7], [(23, 0, 0, 0, 0, 0, 23)]),  # no leading zeros
        (["10203120001200000"], [5, 5, 5], [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]),
    ],
)
def test_digits_split_where_the_row_total_leaves_one_way(groups, blocks, expected):
    assert split_runs(groups, blocks, True) == expected


@pytest.mark.parametrize(
    ("groups", "blocks", "totals"),
    [
        (["270020130"], [7], True),  # 27/0/0/2/0/1/30 and 2/7/0/0/20/1/30 both add up
        (["8855698"], [3], False),  # 本年制发/废止/现行有效 have no total to settle them
    ],
)
def test_digits_that_split_several_ways_are_not_split(groups, blocks, totals):
    assert len(split_runs(groups, blocks, totals)) == 2


def test_a_hostile_run_is_bounded():
    assert split_runs(["1" * 500], [7], True) == []
    assert split_runs(["1" * 79], [7], True) == []


# --------------------------------------------------------------------------- Markdown, 2019 in 2021


@pytest.fixture(scope="module")
def markdown():
    return import_report(DATA / "hard-2019-in-2021.md")


def test_markdown_headings_are_headings_not_part_of_the_name(markdown):
    assert markdown.facts.agency.name == "湛河区工信局"
    assert markdown.facts.year == 2023
    assert str(markdown.facts.published) == "2024-01-20"
    assert markdown.published_from == "closing"


def test_markdown_narrative_split_by_its_headings_whatever_the_numbering(markdown):
    overview = markdown.facts.overview
    assert overview.summary == "2023年，我局认真落实《条例》。"
    assert overview.proactive == "全年主动公开信息20条。"
    assert overview.on_request == "未收到申请。"
    assert markdown.data["problems"] == {
        "issues": "公开内容不够丰富。",
        "improvements": "下一步加强培训。",
    }


def test_a_2019_table_inside_a_2021_report_maps_what_maps(markdown):
    facts = markdown.facts
    assert markdown.trial_format
    assert facts.proactive.normative_documents.issued == 2  # 本年新制作数量 → 本年制发件数
    assert facts.proactive.licensing == 30  # 处理决定数量 → 本年处理决定数量
    not_mapped = " ".join(p.message for p in codes(markdown, "I4"))
    assert "对外公开总数量 9" in not_mapped and "本年增/减 -1" in not_mapped
    assert any("没有“现行有效件数”栏" in p.message for p in codes(markdown, "I3"))
    # …and table 三 of the same report is read as the 2021 table it is
    assert facts.requests.received.applicants() == (80, 1, 0, 0, 0, 0)


def test_run_together_rows_split_uniquely_say_so_and_the_others_are_unreadable(markdown):
    split = [p for p in codes(markdown, "I7") if p.path == ("requests", "received")]
    assert split and "801000081" in split[0].message and "80、1、0、0、0、0、81" in split[0].message
    unreadable = [p for p in markdown.errors if p.path == ("requests", "results", "disclosed")]
    assert len(unreadable) == 1 and "不能唯一拆分" in unreadable[0].message
    assert markdown.facts.requests.results.disclosed.total == 0  # reported, not guessed
    assert ("requests", "results", "disclosed", "total") not in markdown.cells


# --------------------------------------------------------------------------- flattened text

WRAPPED = """\
某县统计局2023年政府信息公开工作年度报告
一、总体情况
正文。
- 2 -
三、收到和处理政府信息公开申请情况
申请人情况
自然人
法人或其他组织
总计商 业 企
业
一、本年新收政府信息公开申请数量 12 1 0 0 0 0 13
二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1
三、
本
年
度
办
理
结
果
（一）予以公开 5 1 0 0 0 0 6
（二）部分公开（区分处理的，只计这一情
形，不计其他情形） 2 0 0 0 0 0 2
（四）无
- 3 -
法提供 1.本机关不掌握相关政府信息 4 0 0 0 0 0 4
（六）其
他处理
1、申请人无正当理由逾期不补
正、行政机关不再处理其政府信
息公开申请
1 0 0 0 0 0 1
（七）总计 12 1 0 0 0 0 13
四、结转下年度继续办理 1 0 0 0 0 0 1
"""


def test_labels_wrapped_over_lines_and_page_numbers_inside_a_table(tmp_path):
    source = tmp_path / "wrapped.txt"
    source.write_text(WRAPPED, encoding="utf-8")
    result = import_report(source)
    requests = result.facts.requests
    assert requests.results.partially_disclosed.applicants() == (2, 0, 0, 0, 0, 0)
    assert requests.results.unavailable.not_held.total == 4
    assert requests.results.other.no_correction.total == 1
    assert requests.results.total.total == 13 and requests.carried_forward.total == 1
    assert result.facts.agency.name == "某县统计局"
    assert not any("- 2 -" in text for _, text, _ in result.paragraphs)


def test_a_whole_report_on_one_line(tmp_path):
    """A crawler's page text: headings, labels and numbers with no line break at all."""
    line = (
        "某县统计局2023年政府信息公开工作年度报告 一、总体情况2023年，我局依法公开。"
        "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量801000081"
        "二、上年结转政府信息公开申请数量0000000四、结转下年度继续办理0000000"
        "五、存在的主要问题及改进情况问题不少。六、其他需要报告的事项无。"
    )
    source = tmp_path / "line.txt"
    source.write_text(line, encoding="utf-8")
    result = import_report(source)
    assert result.facts.requests.received.total == 81
    assert result.facts.overview.summary == "2023年，我局依法公开。"
    assert result.data["problems"] == "问题不少。"


# --------------------------------------------------------------------------- web pages

PAGE = """\
<html><head><title>x</title></head><body>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 年报</div>
<h1>某市统计局2023年政府信息公开工作年度报告</h1>
<div>发布时间：2024-01-26 15:35 来源：某市统计局</div>
<p>一、总体情况</p><p>原文写着{{ year }}和{% if x %}，照录。</p>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>
<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>
<td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td>/</td><td>—</td><td>无</td><td>1</td><td>不适用</td><td></td><td>0</td>
<td>0</td><td>0</td><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
</table>
<p>六、其他需要报告的事项</p><p>无。</p>
<div>附件下载</div><div>打印本页 关闭窗口</div>
</body></html>
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    source = tmp_path_factory.mktemp("page") / "page.html"
    source.write_text(PAGE, encoding="utf-8")
    return import_report(source)


def test_a_cms_page_without_closing_takes_the_page_date_and_drops_its_chrome(page):
    assert (page.facts.agency.name, page.facts.year) == ("某市统计局", 2023)
    assert str(page.facts.published) == "2024-01-26" and page.published_from == "page"
    texts = " ".join(text for key, text, _ in page.paragraphs if key != "preface")
    assert "附件下载" not in texts and "打印本页" not in texts
    assert page.data["other_matters"] == {"other": "无。"}


def test_rowspan_and_colspan_put_every_cell_in_its_column(page):
    reviews = page.facts.reviews
    assert reviews.reconsideration.upheld == 1 and reviews.reconsideration.total == 1
    assert reviews.litigation_after_reconsideration.upheld == 2


def test_blank_marks_import_as_zero_and_are_recorded_as_printed(page):
    cells = page.cells
    printed = {
        key[-1]: cells[("reviews", "reconsideration", key[-1])].text
        for key in cells
        if key[1] == "reconsideration"
    }
    assert printed == {"upheld": "1", "corrected": "/", "other": "—", "pending": "无", "total": "1"}
    assert cells[("reviews", "litigation_direct", "upheld")].text == "不适用"
    assert cells[("reviews", "litigation_direct", "corrected")].text == ""
    blank = [path for path, cell in cells.items() if cell.blank]
    assert len(blank) == 5
    assert page.facts.reviews.reconsideration.corrected == 0
    warnings = [p for p in page.warnings if p.code == "I1"]
    assert {p.path for p in warnings} == {
        ("reviews", "reconsideration"),
        ("reviews", "litigation_direct"),
    }


def test_published_braces_come_back_exactly_as_written(page, tmp_path):
    assert "{{ year }}" not in page.data["overview"]["summary"]  # written as data, escaped
    output = render(page.facts, tmp_path / "again", to="md").outputs["md"]
    assert "原文写着{{ year }}和{% if x %}，照录。" in output.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- not a report


def test_a_file_with_no_headings_and_no_tables_is_not_a_report(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text("关于放假的通知\n各单位：春节放假七天。\n", encoding="utf-8")
    with pytest.raises(NotAReport) as caught:
        import_report(notice)
    assert (
        isinstance(caught.value, InputError)
        and "无法作为政府信息公开工作年度报告导入" in caught.value.message
    )


PIPES = """\
某街道办事处2023年政府信息公开工作年度报告
一、总体情况
正文。
二、主动公开政府信息情况
第二十条第(一)项 | |||
信息内容 | 本年(2023)制发件数 | 本年(2023)废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
规范性文件 | 2 | 1 | 7 |
第二十条第(五)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |
行政许可 | 716 | -417 | 298 | |
"""
CUT = """\
某镇人民政府2020年政府信息公开工作年度报告
一、总体情况
正文。
二、主动公开政府信息情况
第二十条第(一)项 | ||||
信息内容 | 本年新 | 本年新 | 对外公开总数量 | |
规章 | 0 | 0 | 0 | |
规范性文件 | 4 | 3 | 12 | |
"""


def test_pipe_rows_without_outer_pipes_and_a_year_in_the_header(tmp_path):
    source = tmp_path / "pipes.txt"
    source.write_text(PIPES, encoding="utf-8")
    result = import_report(source)
    documents = result.facts.proactive.normative_documents
    assert (documents.issued, documents.repealed, documents.in_force) == (2, 1, 7)
    assert result.facts.proactive.licensing == 298  # a 2019 block in a 2021 table
    assert result.cells[("proactive", "licensing")].text == "298"


def test_header_cells_cut_short_take_the_columns_they_begin_in_order(tmp_path):
    source = tmp_path / "cut.txt"
    source.write_text(CUT, encoding="utf-8")
    result = import_report(source)
    assert result.facts.proactive.normative_documents.issued == 4  # 本年新(制作数量)
    not_mapped = " ".join(p.message for p in codes(result, "I4"))
    assert "本年新公开数量 3" in not_mapped and "对外公开总数量 12" in not_mapped
