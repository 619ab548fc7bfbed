"""The six sections of the report, their items, and the contact lines after the 落款."""

from __future__ import annotations

from dataclasses import dataclass


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
