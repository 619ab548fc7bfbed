"""The official format (国办公开办函〔2021〕30号), defined once.

Every other module reads the labels, the row order, the facts-file keys and the
勾稽关系 identities from here: the schema builds its fields from these tables,
checks name cells by these labels, the Word template is generated from them and
import matches against them. Change a label here and everything follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

FORMAT_VERSION = "2021"
#: Report years: the 条例 came into force on 2008-05-01, so 2008 is the first report year.
MIN_YEAR = 2008
MAX_YEAR = 2100
FORMAT_SOURCE = "国办公开办函〔2021〕30号"


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a table: the facts-file key and the official label."""

    key: str
    label: str


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
TOTAL = Column("total", "总计")
REQUEST_COLUMNS: tuple[Column, ...] = (*APPLICANT_COLUMNS, TOTAL)
REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


# --------------------------------------------------------------------------- table 三


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


# --------------------------------------------------------------------------- table 二


@dataclass(frozen=True)
class ProactiveCell:
    """One number of table 二."""

    path: tuple[str, ...]
    block: str
    row_label: str
    column_label: str
    decimal: bool = False

    @property
    def full_label(self) -> str:
        return f"二、{self.block} {self.row_label} · {self.column_label}"


@dataclass(frozen=True)
class ProactiveBlock:
    """A block of table 二: 第二十条第（X）项 with its column headers and rows."""

    article: str
    columns: tuple[Column, ...]
    rows: tuple[Column, ...]
    decimal: bool = False

    def cells(self) -> Iterator[ProactiveCell]:
        for row in self.rows:
            if len(self.columns) == 1:
                yield ProactiveCell(
                    ("proactive", row.key),
                    self.article,
                    row.label,
                    self.columns[0].label,
                    self.decimal,
                )
            else:
                for col in self.columns:
                    yield ProactiveCell(
                        ("proactive", row.key, col.key),
                        self.article,
                        row.label,
                        col.label,
                        self.decimal,
                    )


PROACTIVE_ITEM_HEADER = "信息内容"
DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
DECISIONS = (Column("count", "本年处理决定数量"),)
PROACTIVE_BLOCKS: tuple[ProactiveBlock, ...] = (
    ProactiveBlock(
        "第二十条第（一）项",
        DOCUMENT_COLUMNS,
        (Column("regulations", "规章"), Column("normative_documents", "行政规范性文件")),
    ),
    ProactiveBlock("第二十条第（五）项", DECISIONS, (Column("licensing", "行政许可"),)),
    ProactiveBlock(
        "第二十条第（六）项",
        DECISIONS,
        (Column("punishment", "行政处罚"), Column("coercion", "行政强制")),
    ),
    ProactiveBlock(
        "第二十条第（八）项",
        (Column("amount", "本年收费金额（单位：万元）"),),
        (Column("fees", "行政事业性收费"),),
        decimal=True,
    ),
)
PROACTIVE_CELLS: tuple[ProactiveCell, ...] = tuple(
    cell for block in PROACTIVE_BLOCKS for cell in block.cells()
)


# --------------------------------------------------------------------------- table 四

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


# --------------------------------------------------------------------------- narrative


@dataclass(frozen=True)
class Topic:
    """A narrative item: its facts-file key and its official wording."""

    key: str
    title: str


SECTION_HEADINGS: dict[str, str] = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}

#: 一、总体情况's sub-items; ``summary`` is the lead-in before （一）.
OVERVIEW_TOPICS: tuple[Topic, ...] = (
    Topic("proactive", "主动公开"),
    Topic("on_request", "依申请公开"),
    Topic("management", "政府信息管理"),
    Topic("platforms", "政府信息公开平台建设"),
    Topic("supervision", "监督保障"),
    Topic("assessment", "工作考核、社会评议和责任追究结果情况"),
)
OVERVIEW_KEYS: tuple[str, ...] = ("summary", *(t.key for t in OVERVIEW_TOPICS))

PROBLEM_TOPICS: tuple[Topic, ...] = (
    Topic("issues", "存在的主要问题"),
    Topic("improvements", "改进情况"),
)

OTHER_MATTER_TOPICS: tuple[Topic, ...] = (
    Topic("processing_fees", "收取信息处理费情况"),
    Topic("work_points", "落实上级年度政务公开工作要点情况"),
    Topic("proposals", "人大代表建议和政协提案办理结果公开情况"),
    Topic("innovation", "政务公开工作创新情况"),
    Topic("statistics_notes", "年度报告数据统计需要说明的事项"),
    Topic("other", "本机关认为需要报告的其他事项"),
    Topic(
        "required_by_documents",
        "其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项",
    ),
)

CONTACT_FIELDS: tuple[Topic, ...] = (
    Topic("department", "咨询部门"),
    Topic("person", "联系人"),
    Topic("phone", "咨询电话"),
    Topic("address", "通信地址"),
    Topic("email", "电子邮箱"),
    Topic("website", "网址"),
)


# --------------------------------------------------------------------------- levels and dates

LEVELS: dict[str, str] = {
    "department": "县级以上人民政府部门",
    "government": "县级以上地方人民政府",
}
#: (month, day) of the following year by which each level must publish (条例 第四十九条).
DEADLINES: dict[str, tuple[int, int]] = {"department": (1, 31), "government": (3, 31)}

#: How an agency refers to itself, by the ending of its name; first match wins.
SELF_REFERENCES: tuple[tuple[str, str], ...] = (
    ("人民政府办公室", "本机关"),
    ("人民政府", "本机关"),
    ("委员会", "我委"),
    ("办公室", "我办"),
    ("管理局", "我局"),
    ("局", "我局"),
    ("厅", "我厅"),
    ("委", "我委"),
    ("办", "我办"),
    ("中心", "我中心"),
    ("院", "我院"),
    ("署", "我署"),
    ("处", "我处"),
)
DEFAULT_SELF_REFERENCE = "本机关"


def suggested_publication(year: int, level: str) -> dt.date:
    """A 落款 date comfortably before the deadline (1月20日 / 3月20日), for new files."""
    month, day = DEADLINES[level]
    return dt.date(year + 1, month, day - 11)


def level_for(name: str) -> str:
    """``government`` for a people's government (and its 办公室 reports as a department)."""
    return "government" if name.endswith("人民政府") else "department"


def self_reference_for(name: str) -> str:
    """The customary 我局/我委/本机关 for an agency name."""
    for ending, reference in SELF_REFERENCES:
        if name.endswith(ending):
            return reference
    return DEFAULT_SELF_REFERENCE


# --------------------------------------------------------------------------- identities


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


# --------------------------------------------------------------------------- naming a place

FIELD_LABELS: dict[tuple[str, ...], str] = {
    ("format",): "格式版本",
    ("template",): "模板",
    ("agency",): "机关信息",
    ("agency", "name"): "机关名称",
    ("agency", "short_name"): "机关简称",
    ("agency", "self_reference"): "机关自称",
    ("agency", "level"): "机关层级",
    ("agency", "province"): "所在省份",
    ("agency", "region"): "所在地区",
    ("agency", "contact"): "联系方式",
    ("year",): "报告年度",
    ("published",): "落款日期",
    ("proactive",): "表二 主动公开政府信息情况",
    ("requests",): "表三 收到和处理政府信息公开申请情况",
    ("reviews",): "表四 政府信息公开行政复议、行政诉讼情况",
    ("overview",): SECTION_HEADINGS["overview"],
    ("problems",): SECTION_HEADINGS["problems"],
    ("other_matters",): SECTION_HEADINGS["other_matters"],
}


def describe(path: tuple) -> str:
    """The official name of the place ``path`` points at, for messages.

    ``("requests", "results", "withheld", "state_secret", "natural_person")`` is
    ``三、（三）1.属于国家秘密 · 自然人``.
    """
    path = tuple(path)
    if not path:
        return ""
    head, rest = path[0], path[1:]
    if head == "requests" and rest:
        return _describe_request(rest)
    if head == "proactive" and rest:
        return _describe_proactive(rest)
    if head == "reviews" and rest:
        return _describe_review(rest)
    if head in ("overview", "problems", "other_matters") and rest:
        return _describe_topic(head, rest[0])
    if head == "agency" and len(rest) >= 2 and rest[0] == "contact":
        titles = {t.key: t.title for t in CONTACT_FIELDS}
        return f"联系方式 · {titles.get(rest[1], rest[1])}"
    for length in range(len(path), 0, -1):
        if path[:length] in FIELD_LABELS:
            return FIELD_LABELS[path[:length]]
    return ""


def _describe_request(rest: tuple) -> str:
    for length in range(len(rest), 0, -1):
        row = REQUEST_ROW_BY_PATH.get(rest[:length])
        if row is None:
            continue
        label = row.full_label
        columns = {c.key: c.label for c in REQUEST_COLUMNS}
        tail = rest[length:]
        if tail and tail[0] in columns:
            label += f" · {columns[tail[0]]}"
        elif tail and isinstance(tail[0], int) and tail[0] < len(APPLICANT_COLUMNS):
            label += f" · {APPLICANT_COLUMNS[tail[0]].label}"
        return label
    return FIELD_LABELS[("requests",)]


def _describe_proactive(rest: tuple) -> str:
    path = ("proactive", *rest)
    for cell in PROACTIVE_CELLS:
        if cell.path == path[: len(cell.path)]:
            return cell.full_label
    for block in PROACTIVE_BLOCKS:
        for row in block.rows:
            if row.key == rest[0]:
                return f"二、{block.article} {row.label}"
    return FIELD_LABELS[("proactive",)]


def _describe_review(rest: tuple) -> str:
    blocks = {b.key: b for b in REVIEW_BLOCKS}
    block = blocks.get(rest[0])
    if block is None:
        return FIELD_LABELS[("reviews",)]
    columns = {c.key: c.label for c in REVIEW_COLUMNS}
    if len(rest) > 1 and rest[1] in columns:
        return f"四、{block.full_label} · {columns[rest[1]]}"
    return f"四、{block.full_label}"


def _describe_topic(section: str, key: str) -> str:
    topics = {
        "overview": OVERVIEW_TOPICS,
        "problems": PROBLEM_TOPICS,
        "other_matters": OTHER_MATTER_TOPICS,
    }[section]
    titles = {t.key: t.title for t in topics}
    heading = SECTION_HEADINGS[section]
    return f"{heading} · {titles[key]}" if key in titles else heading


# --------------------------------------------------------------------------- every number


@dataclass(frozen=True)
class Cell:
    """One number the author enters (computed totals are not cells)."""

    path: tuple[str, ...]
    label: str
    decimal: bool = False


def table_cells() -> Iterator[Cell]:
    """Every number of tables 二, 三 and 四, in table order (for sums and comparisons)."""
    for cell in PROACTIVE_CELLS:
        yield Cell(cell.path, describe(cell.path), cell.decimal)
    for row in REQUEST_ROWS:
        if not row.computed:
            for column in APPLICANT_COLUMNS:
                path = ("requests", *row.path, column.key)
                yield Cell(path, describe(path))
    for block in REVIEW_BLOCKS:
        for column in REVIEW_OUTCOMES:
            path = ("reviews", block.key, column.key)
            yield Cell(path, describe(path))


# --------------------------------------------------------------------------- reading published reports
# What ``govreport import`` needs beyond the official labels above: the wordings met in
# published reports. Import matches against the labels above and reads these as aliases.

#: Label drift from retyping the tables by hand: (as found, official). Both sides are
#: rewritten to the official form before labels are compared, so either reads.
LABEL_DRIFT: tuple[tuple[str, str], ...] = (
    ("情况", "情形"),
    ("内容事务", "内部事务"),
    ("其它", "其他"),
)

#: Other wordings of the six section headings (provincial formats, the 2019 trial format).
SECTION_HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "reviews": ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",),
    "problems": ("五、政府信息公开工作存在的主要问题及改进情况",),
}

TRIAL_FORMAT_VERSION = "2019"
TRIAL_FORMAT_SOURCE = "国办公开办函〔2019〕60号"

#: Table 二 columns of the 2019 trial format → the 2021 column they are read as
#: (``None``: the 2021 format has no such number; import reports it instead).
TRIAL_PROACTIVE_COLUMNS: dict[str, str | None] = {
    "本年新制作数量": "issued",
    "本年新公开数量": None,
    "对外公开总数量": None,
    "上一年项目数量": None,
    "本年增/减": None,
    "处理决定数量": "count",
    "采购项目数量": None,
    "采购总金额": None,
}
#: Table 二 rows of the 2019 trial format that differ from 2021 → 2021 row key (or ``None``).
TRIAL_PROACTIVE_ROWS: dict[str, str | None] = {
    "规范性文件": "normative_documents",
    "其他对外管理服务事项": None,
    "政府集中采购": None,
}
TRIAL_PROACTIVE_BLOCKS: tuple[str, ...] = ("第二十条第（九）项",)
#: The 2019 table 三 has （六）其他处理 as one row of numbers; it is read as （六）3.其他.
TRIAL_OTHER_PROCESSING: tuple[str, ...] = ("results", "other", "other")

#: Contact lines as reports label them → ``CONTACT_FIELDS`` key.
CONTACT_ALIASES: dict[str, str] = {
    "联系部门": "department",
    "联系单位": "department",
    "咨询单位": "department",
    "联系电话": "phone",
    "电话": "phone",
    "咨询热线": "phone",
    "联系地址": "address",
    "通讯地址": "address",
    "办公地址": "address",
    "地址": "address",
    "邮箱": "email",
    "电子信箱": "email",
    "电子邮件": "email",
    "联系邮箱": "email",
    "网站": "website",
    "网站地址": "website",
    "门户网站": "website",
}
