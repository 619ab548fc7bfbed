"""The 勾稽关系 identities the tables must satisfy, each with its code and official wording."""

from __future__ import annotations

from dataclasses import dataclass

from .requests_table import RESULT_TOTAL_PATH


@dataclass(frozen=True)
class Identity:
    """A 勾稽关系 rule: its code, its official wording and how strict reviewers are."""

    code: str
    text: str
    severity: str


IDENTITIES: dict[str, Identity] = {
    i.code: i
    for i in (
        Identity("R1", "第一项加第二项之和，等于第三项加第四项之和", "error"),
        Identity("R2", "每行总计等于六类申请人之和", "error"),
        Identity("R3", "（七）总计等于（一）至（六）各项之和", "error"),
        Identity(
            "R4",
            "行政复议、行政诉讼各栏总计等于结果维持、结果纠正、其他结果、尚未审结之和",
            "error",
        ),
        Identity("R5", "本年“上年结转”等于上年“结转下年度继续办理”", "error"),
        Identity("R6", "现行有效件数等于上年现行有效件数加本年制发件数减本年废止件数", "warning"),
        Identity("R8", "正文中引用的数字与表格一致", "warning"),
        Identity("R9", "表格每格都填写数字，不留空白", "error"),
    )
}
#: R1's two sides, as paths of table 三 rows (一 + 二 = （七） + 四).
R1_LEFT: tuple[tuple[str, ...], ...] = (("received",), ("carried_over",))
R1_RIGHT: tuple[tuple[str, ...], ...] = (RESULT_TOTAL_PATH, ("carried_forward",))
