"""Table 四 (政府信息公开行政复议、行政诉讼情况): three blocks of the same five columns."""

from __future__ import annotations

from dataclasses import dataclass

from .columns import TOTAL, Column

REVIEW_OUTCOMES: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
)
REVIEW_COLUMNS: tuple[Column, ...] = (*REVIEW_OUTCOMES, TOTAL)
RECONSIDERATION_HEADER = "行政复议"
LITIGATION_HEADER = "行政诉讼"


@dataclass(frozen=True)
class ReviewBlock:
    """One block of table 四 (复议, or 诉讼 directly or after 复议) and its heading."""

    key: str
    label: str
    header: str

    @property
    def full_label(self) -> str:
        return self.label if self.label == self.header else f"{self.header} · {self.label}"


REVIEW_BLOCKS: tuple[ReviewBlock, ...] = (
    ReviewBlock("reconsideration", "行政复议", RECONSIDERATION_HEADER),
    ReviewBlock("litigation_direct", "未经复议直接起诉", LITIGATION_HEADER),
    ReviewBlock("litigation_after_reconsideration", "复议后起诉", LITIGATION_HEADER),
)
