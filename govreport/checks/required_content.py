"""What a report must say beyond its tables (G1: a government's 考核、评议、追究)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Problem, problem
from ..facts.model import Facts

CODE_NO_ASSESSMENT = "G1"


def government_assessment(facts: Facts) -> Iterator[Problem]:
    """A people's government reports on its 工作考核、社会评议和责任追究 (overview.assessment)."""
    if facts.agency.level == "government" and not facts.overview.assessment:
        statement = "人民政府的年度报告应说明工作考核、社会评议和责任追究结果情况"
        yield problem(
            facts,
            CODE_NO_ASSESSMENT,
            WARNING,
            f"{statement}（overview.assessment）",
            ("overview", "assessment"),
            reader_message=statement,
        )
