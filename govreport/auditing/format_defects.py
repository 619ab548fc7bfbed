"""Defects of form a reviewer marks down that no identity catches: a 2021 report that
still fills （六）其他处理 as the single row of the 2019 trial layout, a 第五部分 that
says only "无", a 第六部分 that says nothing was charged beside a table 二 that shows fees.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .. import official as fmt
from ..diagnostics import WARNING
from .findings import CODE_DRIFT, CODE_EMPTY_PROBLEMS, CODE_FEE_CONFLICT, Finding
from .sources import Published

#: the first year whose reports follow the 2021 format (国办公开办函〔2021〕30号)
FORMAT_FIRST_YEAR = 2021
_OTHER_GROUP = fmt.TRIAL_OTHER_PROCESSING[:-1]
_NOTHING = re.compile(r"^[（(]?(?:无|暂无|没有|无相关情况|无其他需要报告的事项)[)）]?[。.]?$")
#: 六 saying that nothing at all was charged (not 信息处理费 alone, which is no 行政事业性收费)
_NO_FEES = re.compile(
    r"(?:未|没有|不)(?:收取|产生|发生)(?:任何)?(?:费用|收费)|无(?:任何)?收费(?:事项|项目)?"
)


def format_defects(published: Published) -> list[Finding]:
    """The defects of form in one published report."""
    return [*_single_other_row(published), *_empty_problems(published), *_fee_conflict(published)]


def trial_other_in_new_format(published: Published, path: tuple) -> bool:
    """Import's note (I3) on （六）其他处理 read as one row, in a report of a year the 2021
    format applies to: a defect of the report, said by ``_single_other_row`` instead."""
    return (
        published.facts.year >= FORMAT_FIRST_YEAR
        and tuple(path[1 : 1 + len(_OTHER_GROUP)]) == _OTHER_GROUP
        and path[:1] == ("requests",)
    )


def _single_other_row(published: Published) -> list[Finding]:
    notes = [
        p
        for p in published.problems
        if p.code == "I3" and trial_other_in_new_format(published, tuple(p.path))
    ]
    if not notes:
        return []
    group = fmt.REQUEST_ROW_BY_PATH[_OTHER_GROUP]
    rows = "、".join(
        r.label for r in fmt.REQUEST_ROWS if r.path[: len(_OTHER_GROUP)] == _OTHER_GROUP
    )
    return [
        Finding(
            CODE_DRIFT,
            WARNING,
            f"“{group.label}”只填了一行（{fmt.TRIAL_FORMAT_SOURCE}试行格式）；"
            f"{published.facts.year}年度报告应分行填写：{rows}。已按“3.其他”读入",
            group.full_label,
            ".".join(("requests", *_OTHER_GROUP)),
        )
    ]


def _empty_problems(published: Published) -> list[Finding]:
    texts = [text for path, text in published.facts.texts() if path[:1] == ("problems",)]
    plain = "".join("".join(t.split()) for t in texts)
    if not texts or not _NOTHING.match(plain):
        return []
    heading = fmt.SECTION_HEADINGS["problems"]
    return [
        Finding(
            CODE_EMPTY_PROBLEMS,
            WARNING,
            f"“{heading}”只写了“{plain}”：应当如实说明存在的主要问题和改进措施",
            heading,
            "problems",
        )
    ]


def _fee_conflict(published: Published) -> list[Finding]:
    fees = Decimal(str(published.facts.value(("proactive", "fees")) or 0))
    if fees <= 0:
        return []
    for path, text in published.facts.texts():
        if path[:1] != ("other_matters",):
            continue
        for sentence in re.split(r"[。；;]", text):
            said = _NO_FEES.search(sentence)
            if said and "信息处理费" not in sentence:
                return [
                    Finding(
                        CODE_FEE_CONFLICT,
                        WARNING,
                        f"正文说“{said.group(0)}”，但表二行政事业性收费为 {fees} 万元",
                        fmt.SECTION_HEADINGS["other_matters"],
                        ".".join(path),
                    )
                ]
    return []
