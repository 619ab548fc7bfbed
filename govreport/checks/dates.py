"""The 落款 date (D1–D3): after the report's year, and within the deadline of the 条例.

``Problem.values``: ``published`` (the date), with ``year_end`` for D1 and ``deadline``
for D2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem, problem
from ..facts.model import Facts

CODE_DATE_TOO_EARLY = "D1"
CODE_DATE_LATE = "D2"
CODE_DATE_MISSING = "D3"


def deadline(facts: Facts) -> dt.date:
    """The last day the report may be published: 31 January (departments), 31 March
    (people's governments) of the next year."""
    month, day = fmt.DEADLINES[facts.agency.level]
    return dt.date(facts.year + 1, month, day)


def publication_date(facts: Facts) -> Iterator[Problem]:
    """落款 after the year ends, and by 31 January (departments) / 31 March (governments)."""
    published = facts.published
    if published is None:
        yield problem(
            facts,
            CODE_DATE_MISSING,
            WARNING,
            "未填写落款日期（published），报告末尾将没有日期",
            ("published",),
            reader_message="报告末尾没有落款日期",
        )
        return
    year_end = dt.date(facts.year, 12, 31)
    if published <= year_end:
        yield problem(
            facts,
            CODE_DATE_TOO_EARLY,
            ERROR,
            f"落款日期 {chinese_date(published)} 早于报告年度结束（{chinese_date(year_end)}），"
            f"{facts.year}年的数据要到年底才能统计完整",
            ("published",),
            values={"published": published, "year_end": year_end},
        )
        return
    due = deadline(facts)
    if published > due:
        level = fmt.LEVELS[facts.agency.level]
        yield problem(
            facts,
            CODE_DATE_LATE,
            WARNING,
            f"落款日期 {chinese_date(published)} 晚于{level}的公布期限 {chinese_date(due)}"
            "（《政府信息公开条例》第四十九条、第五十条）",
            ("published",),
            values={"published": published, "deadline": due},
        )


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
