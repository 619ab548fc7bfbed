"""Across years (``--previous``, and the audit's last-year report): P1, R5, R6.

This year's 上年结转 is last year's 结转下年度继续办理 (R5); 现行有效件数 rolls forward
by what was issued and repealed (R6). ``Problem.values``: ``year`` and ``previous_year``
(P1); ``carried_over`` (this year) and ``carried_forward`` (last year's) for R5;
``in_force``, ``expected`` and its terms ``last_in_force``, ``issued``, ``repealed`` for R6.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem, problem
from ..facts.model import Facts

CODE_PREVIOUS_YEAR = "P1"


def check_previous(facts: Facts, last: Facts) -> Iterator[Problem]:
    """R5 and R6 against last year's facts (P1 when ``last`` is not of the year before)."""
    if last.year != facts.year - 1:
        yield problem(
            facts,
            CODE_PREVIOUS_YEAR,
            ERROR,
            f"--previous 给出的是{last.year}年度的事实文件，本报告是{facts.year}年度，应与"
            f"{facts.year - 1}年度比较",
            ("year",),
            values={"year": facts.year, "previous_year": last.year},
        )
        return
    before = last.requests.row(("carried_forward",))
    now = facts.requests.row(("carried_over",))
    for column in fmt.REQUEST_COLUMNS:
        if column.key != "total" and before[column.key] != now[column.key]:
            yield problem(
                facts,
                "R5",
                ERROR,
                f"本年上年结转 {now[column.key]} 件，但{last.year}年报告的结转下年度继续办理是 "
                f"{before[column.key]} 件（{fmt.IDENTITIES['R5'].text}）",
                ("requests", "carried_over", column.key),
                values={"carried_over": now[column.key], "carried_forward": before[column.key]},
            )
    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        was, docs = getattr(last.proactive, key), getattr(facts.proactive, key)
        expected = was.in_force + docs.issued - docs.repealed
        if docs.in_force != expected:
            yield problem(
                facts,
                "R6",
                WARNING,
                f"{label}现行有效件数 {docs.in_force}，按上年 {was.in_force} + 本年制发 {docs.issued}"
                f" − 本年废止 {docs.repealed} 应为 {expected}（如有清理、修订请在"
                "“年度报告数据统计需要说明的事项”中说明）",
                ("proactive", key, "in_force"),
                values={
                    "in_force": docs.in_force,
                    "expected": expected,
                    "last_in_force": was.in_force,
                    "issued": docs.issued,
                    "repealed": docs.repealed,
                },
            )
