"""The report's title: agency and year, and the date a web page shows around it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import official as fmt
from .base import Block, Paragraph

_PAGE_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PAGE_DATE_HINT = re.compile(r"发布|时间|日期|来源|\d{1,2}:\d{2}")
_TITLE = re.compile(r"^(?P<name>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})年度?(?P<rest>.*报告)$")
#: the year first: 2025年上海市人民政府办公厅政府信息公开工作年度报告
_YEAR_FIRST_TITLE = re.compile(
    r"^(?P<year>(?:19|20)\d{2})年度?(?P<name>.+?)(?P<rest>(?:政府信息公开|政务公开).*报告)$"
)
_FIELD_NAME = re.compile(r"^(?:标题|题目|文章标题|名称)[:：]")  # a CMS page's 标题: field
_STATISTICS_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_NAME = r"(?P<name>[^\s，。,;；：:《》“”\"()（）<>〈〉、]{2,30}?)"
_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
#: a report without a title names itself in its first sentences:
#: 现公布湛江市人民政府2023年政府信息公开工作年度报告 / 结合2025年威海市统计局政府信息公开工作实际
_NAMED_IN_TEXT = (
    re.compile(
        rf"(?:编制|公布|发布|现将|印发|《){_NAME}{_YEAR}(?:政府信息公开|政务公开)[^。]{{0,6}}报告"
    ),
    re.compile(rf"{_YEAR}{_NAME}(?:政府信息公开|政务公开)工作"),
    re.compile(rf"{_NAME}(?:特|现)?编制(?:了)?{_YEAR}(?:政府信息公开|政务公开)[^。]{{0,6}}报告"),
)
_DATE_LINE = re.compile(r"^[(（]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")
_PAGE_LINE_MAX = 80  # a page's date sits in a short line of its furniture, not in the text
_PERIOD = re.compile(
    r"统计期|期限|至\s*(?:19|20)\d{2}"
)  # a date that opens a period is no page date
#: what an agency's name ends with: an organ, or a place (the government of a place)
_AGENCY_END = re.compile(
    r"(?:政府|办公室|办公厅|厅|局|委员会|委|办|中心|院|署|会|街道|办事处|所|站|队|处|馆|社)$"
)
_PLACE_END = re.compile(r"(?:省|自治区|市|州|盟|县|区|旗|镇|乡)$")
_OPENING_YEAR = re.compile(r"^\s*(?:\*\*)?((?:19|20)\d{2})\s*年(?:度)?\s*[，,]")

# --------------------------------------------------------------------------- title


@dataclass
class Heading:
    """What the title and the page around it say: agency, year, and which lines they took."""

    name: str | None = None
    year: int | None = None
    used: set[int] = field(default_factory=set)
    page_date: dt.date | None = None


def read_title(preface: Sequence[Block]) -> Heading:
    """The agency and year from the title, which may be broken over two lines."""
    heading = Heading()
    texts = [(i, b.text) for i, b in enumerate(preface) if isinstance(b, Paragraph)][:10]
    for width in (1, 2):
        for start in range(len(texts) - width + 1):
            window = texts[start : start + width]
            joined = re.sub(r"\s+", "", "".join(t for _, t in window).replace("**", ""))
            joined = _FIELD_NAME.sub("", joined)
            match = _TITLE.match(joined)
            if match and not match.group("name"):
                match = _YEAR_FIRST_TITLE.match(joined) or match
            if match and match.group("name") and _names_a_report(match.group("rest")):
                heading.name = match.group("name")
                heading.year = int(match.group("year"))
                heading.used = {i for i, _ in window}
                break
        if heading.name:
            break
    for _, text in texts:
        date = _PAGE_DATE.search(text)
        furniture = len(text) <= _PAGE_LINE_MAX and bool(_PAGE_DATE_HINT.search(text))
        if date and (furniture or _DATE_LINE.match(text)) and not _PERIOD.search(text):
            try:
                heading.page_date = dt.date(*(int(g) for g in date.groups()))
            except ValueError:
                continue
            break
    return heading


def _names_a_report(rest: str) -> bool:
    return ("信息公开" in rest or "政务公开" in rest) and len(rest) <= 30


def named_in_text(texts: Sequence[str]) -> tuple[str, int] | None:
    """(agency, year) where the opening sentences name the report they belong to."""
    for text in texts:
        plain = re.sub(r"\s+", "", text.replace("**", ""))
        for pattern in _NAMED_IN_TEXT:
            for match in pattern.finditer(plain):
                name = match.group("name")
                if name[0] not in "我本全各该" and (
                    _AGENCY_END.search(name) or _PLACE_END.search(name)
                ):
                    return name, int(match.group("year"))
    return None


def level_of(name: str) -> str:
    """``government`` for a people's government, and for a report named after a place
    alone (平潭综合实验区, 正定县, 螅镇: its government's report); ``department`` otherwise."""
    if fmt.level_for(name) == "government" or _PLACE_END.search(name):
        return "government"
    return "department"


def opening_year(texts: Sequence[str]) -> int | None:
    """The year the overview opens with (2023年，我局…), a last fallback for the year."""
    for text in texts[:2]:
        if match := _OPENING_YEAR.match(text):
            return int(match.group(1))
    return None


def statistics_year(texts: Sequence[str]) -> int | None:
    """The year of 统计期限 (自2023年1月1日起…), a fallback for the report year."""
    for text in texts:
        if "统计" in text and (match := _STATISTICS_PERIOD.search(text)):
            return int(match.group(1))
    return None


_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年")


def mentioned_year(texts: Sequence[str], latest: int) -> int | None:
    """The year the report's own words name most often (the latest of equals), up to
    ``latest``: better than any clock for a report that says 2019年 mid-sentence."""
    counts: dict[int, int] = {}
    for text in texts:
        for match in _YEAR_MENTION.finditer(text):
            year = int(match.group(1))
            if year <= latest:
                counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))
