"""The title the PDF (and Word, and the web page) prints: long names break between words.

An agency name wider than a line must itself break; it breaks after a place part
(省 / 市 / 区 / 县 / 自治州 …) or between two words of the office's own name, never
inside a word (乡|村, 城|乡, 执法|局). The names below are real offices' names or
built like them.
"""

from __future__ import annotations

import itertools

import pytest

from govreport.narrative.title import LINE_WIDTH, break_points, name_word_ends, title_lines, width

SUFFIX = "2023年政府信息公开工作年度报告"

#: Words no title line may cut.
WORDS = ("乡村", "城乡", "振兴", "农业农村", "执法局", "管理局", "人力资源", "社会保障", "委员会")


@pytest.mark.parametrize(
    ("agency", "lines"),
    [
        (
            "某某省某某市某某区农业农村和乡村振兴综合行政执法局",
            [
                "某某省某某市某某区农业农村和",
                "乡村振兴综合行政执法局2023年",
                "政府信息公开工作年度报告",
            ],
        ),
        (
            "广西壮族自治区桂林市临桂区住房和城乡建设局",
            ["广西壮族自治区桂林市临桂区", "住房和城乡建设局2023年", "政府信息公开工作年度报告"],
        ),
        (
            "湖北省恩施土家族苗族自治州来凤县人力资源和社会保障局",
            ["湖北省恩施土家族苗族自治州", "来凤县人力资源和社会保障局", SUFFIX],
        ),
        (
            "乐山市金口河区文化广播电视体育和旅游局",
            ["乐山市金口河区文化广播电视体育和旅游局", SUFFIX],
        ),
    ],
)
def test_long_names_break_between_words(agency: str, lines: list[str]) -> None:
    assert title_lines(agency + SUFFIX, agency) == lines


@pytest.mark.parametrize(
    "agency",
    [
        "某某省某某市某某区农业农村和乡村振兴综合行政执法局",
        "广西壮族自治区桂林市临桂区住房和城乡建设局",
        "内蒙古自治区呼和浩特市赛罕区退役军人事务局",
        "黑龙江省哈尔滨市道里区市场监督管理局综合行政执法大队",
        "新疆维吾尔自治区乌鲁木齐市沙依巴克区人民政府办公室信息化中心",
        "湖北省恩施土家族苗族自治州来凤县人力资源和社会保障局",
        "某某县某某乡人民政府",
    ],
)
def test_no_line_cuts_a_word(agency: str) -> None:
    lines = title_lines(agency + SUFFIX, agency)
    assert "".join(lines) == agency + SUFFIX
    assert all(width(line) <= LINE_WIDTH for line in lines)
    for first, second in itertools.pairwise(lines):
        for word in WORDS:
            for cut in range(1, len(word)):
                assert not (first.endswith(word[:cut]) and second.startswith(word[cut:])), (
                    f"“{first}”/“{second}”拆开了“{word}”"
                )


def test_name_words() -> None:
    assert name_word_ends("农业农村和乡村振兴综合行政执法局") == [5, 9]
    assert name_word_ends("住房和城乡建设局") == [3]
    assert name_word_ends("某某乡村振兴局") == []  # 某某 is no known word: no break beside it


def test_short_names_keep_their_break_points() -> None:
    """Word breaks inside the office's name only when the name is wider than a line."""
    agency = "某市自然资源和规划局"
    assert break_points(agency + SUFFIX, agency) == [2, 10, 15, 21, 23]
    assert break_points("某乡村振兴局" + SUFFIX, "某乡村振兴局") == [6, 11, 17, 19]
