"""Figures reviewers derive from the tables: 实质公开率, 复议纠错率, 诉讼纠错率.

All three are read off the numbers as printed: where the report prints a total
that differs from the sum of its cells, the printed total is the denominator, as a
reviewer with the published table in hand would take it.

- 实质公开率 = (三、（一）予以公开 + 三、（二）部分公开) 总计 ÷ 三、（七）总计 · 总计
- 复议纠错率 = 四、行政复议 · 结果纠正 ÷ 四、行政复议 · 总计
- 诉讼纠错率 = (未经复议直接起诉 + 复议后起诉) · 结果纠正 ÷ (未经复议直接起诉 + 复议后起诉) · 总计

A figure whose denominator is 0 is not defined (``None``), not 0%.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import official as fmt
from ..checks import stated_results_total
from ..facts.model import Facts, ReviewCounts, Row

#: (key, label) of the three figures, in the order every output shows them.
FIGURES: tuple[tuple[str, str], ...] = (
    ("disclosure_rate", "实质公开率"),
    ("reconsideration_correction_rate", "复议纠错率"),
    ("litigation_correction_rate", "诉讼纠错率"),
)
FIGURE_LABELS: tuple[str, ...] = tuple(label for _, label in FIGURES)


@dataclass(frozen=True)
class Figure:
    """A ratio with the numbers it was computed from."""

    key: str
    label: str
    numerator: int
    denominator: int
    definition: str

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        """``87.5%``, or ``—`` when the denominator is 0."""
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    def to_dict(self) -> dict:
        value = self.value
        return {
            "key": self.key,
            "label": self.label,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if value is None else round(value, 6),
            "definition": self.definition,
        }


def printed_row_total(row: Row) -> int:
    """A table 三 row's 总计 as printed (the sum when the report printed the same)."""
    return row.stated_total if row.stated_total is not None else row.total


def printed_review_total(counts: ReviewCounts) -> int:
    return counts.stated_total if counts.stated_total is not None else counts.total


def printed_results_row(facts: Facts) -> Row:
    """三、（七）总计 as printed: the printed row, else the sum of （一）至（六）."""
    stated = stated_results_total(facts)
    return stated if stated is not None else facts.requests.row(fmt.RESULT_TOTAL_PATH)


def printed_results_total(facts: Facts) -> int:
    """三、（七）总计 · 总计 as printed."""
    return printed_row_total(printed_results_row(facts))


def _label(*path: str) -> str:
    return fmt.describe(path)


def derived_figures(facts: Facts) -> list[Figure]:
    """The three figures for one report."""
    requests, reviews = facts.requests, facts.reviews
    disclosed = printed_row_total(requests.row(("results", "disclosed")))
    partial = printed_row_total(requests.row(("results", "partially_disclosed")))
    lawsuits = (reviews.litigation_direct, reviews.litigation_after_reconsideration)
    return [
        Figure(
            *FIGURES[0],
            disclosed + partial,
            printed_results_total(facts),
            f"（{_label('requests', 'results', 'disclosed')} + "
            f"{_label('requests', 'results', 'partially_disclosed')}）÷ "
            f"{_label('requests', 'results', 'total', 'total')}",
        ),
        Figure(
            *FIGURES[1],
            reviews.reconsideration.corrected,
            printed_review_total(reviews.reconsideration),
            f"{_label('reviews', 'reconsideration', 'corrected')} ÷ "
            f"{_label('reviews', 'reconsideration', 'total')}",
        ),
        Figure(
            *FIGURES[2],
            sum(c.corrected for c in lawsuits),
            sum(printed_review_total(c) for c in lawsuits),
            "行政诉讼（未经复议直接起诉 + 复议后起诉）结果纠正 ÷ 行政诉讼（两栏）总计",
        ),
    ]
