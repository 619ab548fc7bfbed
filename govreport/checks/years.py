"""Y1: year mentions that look carried over from another year's report.

Offices start from last year's report and change the numbers; a year in the text is
easy to miss. ``Problem.values``: ``quote`` (the words quoted, at most 40 characters, no
ellipsis) and ``years`` (the years the sentence names, sorted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import WARNING, Problem, problem
from ..facts.model import Facts

CODE_COPIED_YEAR = "Y1"
QUOTE_LIMIT = 40

_YEAR = re.compile(r"(\d{4})\s*年")
_SENTENCE = re.compile(r"[^。！？；\n]+")
# 将 alone is often 把 ("将政务公开纳入考核"); as a plan it comes before a verb of intent.
_FUTURE = re.compile(
    r"将(?:在|继续|进一步|持续|着力|加强|加大|全面|不断|深入|积极|切实|重点|围绕|按照|以|把|从)"
    r"|计划|打算|下一步|拟|今后|明年"
)
_PERIOD = re.compile(r"统计期限|统计期间|统计时限")


def copied_years(facts: Facts) -> Iterator[Problem]:
    """Year mentions that look carried over from another year's report."""
    for path, text in facts.texts():
        plans = path[0] == "problems" and path[-1] != "issues"
        for sentence in _SENTENCE.findall(text):
            sentence = sentence.strip()
            found = _copied_year(sentence, facts.year, plans)
            if found:
                reason, start = found
                quote = sentence[start:][:QUOTE_LIMIT]
                excerpt = quote + ("…" if len(sentence) - start > QUOTE_LIMIT else "")
                yield problem(
                    facts,
                    CODE_COPIED_YEAR,
                    WARNING,
                    f"{reason}（原文：“{excerpt}”）",
                    path,
                    values={"quote": quote, "years": sorted(_years_in(sentence))},
                )


def _years_in(sentence: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(sentence)}


def _copied_year(sentence: str, year: int, plans: bool) -> tuple[str, int] | None:
    """Why ``sentence`` looks copied, and where the telling part starts; or ``None``."""
    years = _years_in(sentence)
    if not years:
        return None
    if _PERIOD.search(sentence) and years != {year}:
        return f"统计期限写的是{_listed(years - {year})}年，本报告是{year}年度", 0
    future = _FUTURE.search(sentence)
    if plans and year in years and future:
        start = max(sentence.rfind(f"{year}年", 0, future.start()), 0)
        return f"改进计划写的是“{year}年…将…”，应当是对{year + 1}年的打算", start
    first = _YEAR.match(sentence)
    if first and year - 3 <= int(first.group(1)) < year:
        return f"句首写的是{first.group(1)}年，本报告是{year}年度，可能沿用了往年的文字", 0
    return None


def _listed(years: set[int]) -> str:
    return "、".join(str(y) for y in sorted(years))
