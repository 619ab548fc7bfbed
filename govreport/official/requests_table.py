"""Table 三 (收到和处理政府信息公开申请情况): its columns and its rows, top to bottom.

The rows form a three-level tree of labels (三、本年度办理结果 → （三）不予公开 →
1.属于国家秘密); the facts file keys each row by the path down that tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .columns import TOTAL, Column

#: Table 三's six applicant columns in official order; a list ROW uses this order too.
APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("business", "商业企业"),
    Column("research", "科研机构"),
    Column("nonprofit", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
)
APPLICANT_HEADER = "申请人情况"
LEGAL_PERSON_HEADER = "法人或其他组织"
REQUEST_COLUMNS: tuple[Column, ...] = (*APPLICANT_COLUMNS, TOTAL)
REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class RequestRow:
    """A row of table 三 with its place in the three-level label hierarchy.

    ``parents`` are the group headers above the row (三、本年度办理结果, （三）不予公开);
    they carry no numbers of their own in the official table.
    """

    path: tuple[str, ...]
    number: str
    title: str
    parents: tuple[RequestRow, ...] = ()
    computed: bool = False
    children: tuple[RequestRow, ...] = field(default=(), compare=False, repr=False)

    @property
    def label(self) -> str:
        """The label as printed in the table cell, e.g. ``1.属于国家秘密``."""
        return f"{self.number}{self.title}"

    @property
    def full_label(self) -> str:
        """The label that locates the row in messages, e.g. ``三、（三）1.属于国家秘密``."""
        return "".join(parent.number for parent in self.parents) + self.label

    @property
    def key(self) -> str:
        return self.path[-1]

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def depth(self) -> int:
        return len(self.parents)


# (key, number, title, children) — the official table 三 top to bottom.
_REQUEST_LAYOUT: tuple = (
    ("received", "一、", "本年新收政府信息公开申请数量", ()),
    ("carried_over", "二、", "上年结转政府信息公开申请数量", ()),
    (
        "results",
        "三、",
        "本年度办理结果",
        (
            ("disclosed", "（一）", "予以公开", ()),
            (
                "partially_disclosed",
                "（二）",
                "部分公开（区分处理的，只计这一情形，不计其他情形）",
                (),
            ),
            (
                "withheld",
                "（三）",
                "不予公开",
                (
                    ("state_secret", "1.", "属于国家秘密", ()),
                    ("prohibited_by_law", "2.", "其他法律行政法规禁止公开", ()),
                    ("security_stability", "3.", "危及“三安全一稳定”", ()),
                    ("third_party_rights", "4.", "保护第三方合法权益", ()),
                    ("internal_affairs", "5.", "属于三类内部事务信息", ()),
                    ("process_information", "6.", "属于四类过程性信息", ()),
                    ("enforcement_files", "7.", "属于行政执法案卷", ()),
                    ("administrative_query", "8.", "属于行政查询事项", ()),
                ),
            ),
            (
                "unavailable",
                "（四）",
                "无法提供",
                (
                    ("not_held", "1.", "本机关不掌握相关政府信息", ()),
                    ("needs_creation", "2.", "没有现成信息需要另行制作", ()),
                    ("still_unclear", "3.", "补正后申请内容仍不明确", ()),
                ),
            ),
            (
                "not_processed",
                "（五）",
                "不予处理",
                (
                    ("complaint", "1.", "信访举报投诉类申请", ()),
                    ("repeated", "2.", "重复申请", ()),
                    ("publications", "3.", "要求提供公开出版物", ()),
                    ("excessive", "4.", "无正当理由大量反复申请", ()),
                    ("reconfirmation", "5.", "要求行政机关确认或重新出具已获取信息", ()),
                ),
            ),
            (
                "other",
                "（六）",
                "其他处理",
                (
                    (
                        "no_correction",
                        "1.",
                        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                        (),
                    ),
                    (
                        "unpaid_fee",
                        "2.",
                        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                        (),
                    ),
                    ("other", "3.", "其他", ()),
                ),
            ),
            ("total", "（七）", "总计", None),
        ),
    ),
    ("carried_forward", "四、", "结转下年度继续办理", ()),
)


def _build_rows(layout: tuple, prefix: tuple[str, ...], parents: tuple) -> tuple[RequestRow, ...]:
    rows = []
    for key, number, title, children in layout:
        path = (*prefix, key)
        if children:
            group = RequestRow(path, number, title, parents)
            kids = _build_rows(children, path, (*parents, group))
            object.__setattr__(group, "children", kids)
            rows.append(group)
        else:
            rows.append(RequestRow(path, number, title, parents, computed=children is None))
    return tuple(rows)


#: The top level of table 三 as a tree (groups carry ``children``).
REQUEST_TREE: tuple[RequestRow, ...] = _build_rows(_REQUEST_LAYOUT, (), ())


def walk(rows: tuple[RequestRow, ...] = REQUEST_TREE) -> Iterator[RequestRow]:
    """Every row and group header of table 三, top to bottom."""
    for row in rows:
        yield row
        yield from walk(row.children)


#: The 25 numeric rows of table 三 in official order (group headers left out).
REQUEST_ROWS: tuple[RequestRow, ...] = tuple(r for r in walk() if not r.is_group)
REQUEST_ROW_BY_PATH: dict[tuple[str, ...], RequestRow] = {r.path: r for r in walk()}
RESULT_TOTAL_PATH = ("results", "total")


def result_rows() -> tuple[RequestRow, ...]:
    """The rows whose sum is （七）总计 (R3): （一）, （二） and the sub-items of （三）–（六）."""
    return tuple(r for r in REQUEST_ROWS if r.path[0] == "results" and r.path != RESULT_TOTAL_PATH)
