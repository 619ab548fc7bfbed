"""What the workbook holds besides the tables, named once for the writer and the reader."""

from __future__ import annotations

from dataclasses import dataclass

from .. import official as fmt

INFO_SHEET = "基本信息"
TEXT_SHEET = "正文"
TABLE_SHEETS = ("表二 主动公开", "表三 依申请公开", "表四 复议诉讼")
SUMMARY_SHEET = "汇总"
#: Excel's own limit on a sheet name, and the characters it refuses in one.
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = "[]:*?/\\"


@dataclass(frozen=True)
class Field:
    """One line of the 基本信息 sheet: its label and where its value goes in the facts."""

    label: str
    path: tuple[str, ...]


def _contact_fields() -> tuple[Field, ...]:
    return tuple(Field(t.title, ("agency", "contact", t.key)) for t in fmt.CONTACT_FIELDS)


INFO_FIELDS: tuple[Field, ...] = (
    *(
        Field(fmt.FIELD_LABELS[path], path)
        for path in (
            ("agency", "name"),
            ("agency", "short_name"),
            ("agency", "self_reference"),
            ("agency", "level"),
            ("agency", "province"),
            ("agency", "region"),
            ("year",),
            ("published",),
            ("template",),
        )
    ),
    *_contact_fields(),
)
REQUIRED_INFO = (("agency", "name"), ("year",))

TEXT_HEADER = ("部分", "事项", "内容")
SUMMARY_TITLE = "总体情况概述"
PROBLEMS_WHOLE_TITLE = "全文（问题与改进不分开写时）"


@dataclass(frozen=True)
class Slot:
    """One narrative text: the section heading and item title that name it in the sheet."""

    heading: str
    title: str
    path: tuple[str, ...]


def text_slots() -> tuple[Slot, ...]:
    """Every narrative text of the facts file, in report order."""
    overview = fmt.SECTION_HEADINGS["overview"]
    problems = fmt.SECTION_HEADINGS["problems"]
    other = fmt.SECTION_HEADINGS["other_matters"]
    return (
        Slot(overview, SUMMARY_TITLE, ("overview", "summary")),
        *(Slot(overview, t.title, ("overview", t.key)) for t in fmt.OVERVIEW_TOPICS),
        Slot(problems, PROBLEMS_WHOLE_TITLE, ("problems",)),
        *(Slot(problems, t.title, ("problems", t.key)) for t in fmt.PROBLEM_TOPICS),
        *(Slot(other, t.title, ("other_matters", t.key)) for t in fmt.OTHER_MATTER_TOPICS),
    )
