"""The built-in ``shandong`` set, chosen by ``agency.province: 山东省``.

Expected wording is spelled out here from the issue and the Shandong reports in
``shared/seeds`` rather than read from the set, so the tests check the set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx as python_docx
import pytest

from govreport.checks import check
from govreport.facts.loading import load
from govreport.rendering.report import render
from govreport.template_sets.sets import template_set_for

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHANDONG_EXAMPLES = ("taierzhuang-keji-2022", "taishan-gongxin-2023")

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
OVERVIEW_ITEMS = [
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
]
OTHER_ITEMS = [
    "（一）收取信息处理费情况",
    "（二）落实上级年度政务公开工作要点情况",
    "（三）人大代表建议和政协提案办理结果公开情况",
    "（四）政务公开工作创新情况",
    "（五）年度报告数据统计需要说明的事项",
    "（六）本机关认为需要报告的其他事项",
    "（七）其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项",
]


def read(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph."""
    return [(p.style.name, p.text) for p in python_docx.Document(str(path)).paragraphs]


def section(paragraphs: list[tuple[str, str]], heading: str) -> list[tuple[str, str]]:
    """The paragraphs after ``heading`` up to the next section heading."""
    start = paragraphs.index(("Heading 1", heading)) + 1
    end = next(
        (i for i in range(start, len(paragraphs)) if paragraphs[i][0] == "Heading 1"),
        len(paragraphs),
    )
    return paragraphs[start:end]


def items(paragraphs: list[tuple[str, str]]) -> list[str]:
    return [text for style, text in paragraphs if style == "Heading 2"]


def after(paragraphs: list[tuple[str, str]], item: str) -> str:
    """The first paragraph of the item titled ``item``."""
    return paragraphs[paragraphs.index(("Heading 2", item)) + 1][1]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    """Both Shandong examples rendered with no template given: the province picks it."""
    out = tmp_path_factory.mktemp("shandong")
    found = {}
    for name in SHANDONG_EXAMPLES:
        result = render(EXAMPLES / f"{name}.yaml", out / f"{name}.docx")
        assert result.template is not None and result.template.name == "shandong"
        found[name] = read(result.outputs["docx"])
    return found


@pytest.mark.parametrize("name", SHANDONG_EXAMPLES)
def test_chosen_by_province(name: str) -> None:
    facts = load(EXAMPLES / f"{name}.yaml")
    assert facts.agency.province == "山东省"
    assert template_set_for(facts).name == "shandong"


@pytest.mark.parametrize("name", SHANDONG_EXAMPLES)
def test_headings(reports: dict, name: str) -> None:
    assert [text for style, text in reports[name] if style == "Heading 1"] == HEADINGS


@pytest.mark.parametrize("name", SHANDONG_EXAMPLES)
def test_overview_has_five_items(reports: dict, name: str) -> None:
    assert items(section(reports[name], HEADINGS[0])) == OVERVIEW_ITEMS


@pytest.mark.parametrize("name", SHANDONG_EXAMPLES)
def test_other_matters_has_seven_items_in_order(reports: dict, name: str) -> None:
    assert items(section(reports[name], HEADINGS[5])) == OTHER_ITEMS


def test_problems_split_in_two(reports: dict) -> None:
    problems = section(reports["taierzhuang-keji-2022"], HEADINGS[4])
    assert items(problems) == ["（一）存在的主要问题", "（二）改进情况"]


def test_taierzhuang_items_as_written(reports: dict) -> None:
    other = section(reports["taierzhuang-keji-2022"], HEADINGS[5])
    assert (
        after(other, OTHER_ITEMS[4]) == "本报告中所列数据的统计期限为2022年1月1日至2022年12月31日。"
    )
    assert after(other, OTHER_ITEMS[5]) == "区科技局本年度没有其他需要报告的事项。"
    assert after(other, OTHER_ITEMS[6]) == (
        "区科技局无其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项。"
    )
    # not written in the facts: the set's boilerplate, with the agency's short name and year
    assert (
        after(other, OTHER_ITEMS[2]) == "2022年，区科技局无人大代表建议和政协提案办理结果公开事项。"
    )


def test_taishan_boilerplate_where_left_out(reports: dict) -> None:
    other = section(reports["taishan-gongxin-2023"], HEADINGS[5])
    assert after(other, OTHER_ITEMS[4]) == "区工信局无数据统计需要说明的事项。"
    assert after(other, OTHER_ITEMS[5]) == "区工信局无其他需要报告的事项。"
    assert after(other, OTHER_ITEMS[6]) == (
        "区工信局无其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项。"
    )
    assert after(other, OTHER_ITEMS[3]).startswith("根据实际情况，加强组织领导")  # as written


def test_boilerplate_is_flagged_by_check() -> None:
    """Reviewers flag boilerplate: check names the three items Taishan left out."""
    result = check(EXAMPLES / "taishan-gongxin-2023.yaml")
    assert not result.errors
    messages = [p.message for p in result.warnings if p.code == "B1"]
    assert len(messages) == 1
    for title in ("年度报告数据统计需要说明的事项", "本机关认为需要报告的其他事项"):
        assert title in messages[0]


def test_government_keeps_five_overview_items(tmp_path: Path) -> None:
    """National adds 工作考核… for a people's government; Shandong's 一 stays at five."""
    facts = {
        "agency": {"name": "某某县人民政府", "level": "government", "province": "山东省"},
        "year": 2023,
        "published": dt.date(2024, 3, 1),
    }
    shandong = read(render(facts, tmp_path / "sd.docx").outputs["docx"])
    assert items(section(shandong, HEADINGS[0])) == OVERVIEW_ITEMS
    national = read(render(facts, tmp_path / "nat.docx", template="national").outputs["docx"])
    overview = items(section(national, "一、总体情况"))
    assert overview[-1] == "（六）工作考核、社会评议和责任追究结果情况"


def test_national_lists_only_written_items(tmp_path: Path) -> None:
    """The seventh item is a facts key of its own; national shows it only when written."""
    facts = {
        "agency": {"name": "某某局", "province": "湖南省"},
        "year": 2023,
        "published": dt.date(2024, 1, 20),
        "other_matters": {"required_by_documents": "无其他文件要求报告的事项。"},
    }
    paragraphs = read(render(facts, tmp_path / "r.docx").outputs["docx"])
    assert items(section(paragraphs, "六、其他需要报告的事项")) == [
        "（一）收取信息处理费情况",
        "（二）其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项",
    ]
