"""What ``govreport import`` needs beyond the official labels: wordings met in published reports.

Import matches against the official labels and reads these as aliases: label
drift from retyping, provincial and 2019 trial-format headings, the trial format's
table 二 columns and rows, and the ways reports label their contact lines.
"""

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
