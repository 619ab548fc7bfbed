"""Reading the words of a report: title, sections, their items, 落款 and contact lines.

The six sections are found by their headings (``labels.section_heading``).
Within 一, 五 and 六 an item starts at a numbered paragraph ((一), 1., 1、 …) whose
title names a topic; the numbering style of the first item is the one the section
uses, so a numbered list inside an item's text is not taken for items. Texts keep
their paragraphs, one per line with a blank line between, as the facts file
writes them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import _format as fmt
from .._problems import Problem
from .base import (
    CODE_GUESSED,
    CODE_NOT_FOUND,
    CODE_NOT_IMPORTED,
    Block,
    Paragraph,
    Table,
    error,
    excerpt,
    warning,
)
from .labels import (
    canon,
    chinese_to_int,
    head_and_tail,
    norm,
    section_heading,
    split_number,
    strip_number,
)

TABLE_SECTIONS = ("proactive", "requests", "reviews")

# Words that name an item's topic, tried in this order (the first that occurs wins).
OVERVIEW_KEYWORDS: dict[str, tuple[str, ...]] = {
    "proactive": ("主动公开",),
    "on_request": ("依申请",),
    "management": ("信息管理",),
    "platforms": ("平台",),
    "supervision": ("监督", "保障"),
    "assessment": ("考核", "评议", "责任追究"),
}
PROBLEM_KEYWORDS: dict[str, tuple[str, ...]] = {
    "issues": ("问题", "不足"),
    "improvements": ("改进", "下一步", "打算", "计划", "措施"),
}
OTHER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "processing_fees": ("处理费",),
    "work_points": ("工作要点", "要点"),
    "proposals": ("建议", "提案"),
    "innovation": ("创新",),
    "statistics_notes": ("统计",),
    "required_by_documents": ("有关文件", "专门要求"),
    "other": ("其他", "需要报告"),
}
_OVERVIEW_HEAD_MAX = 24
_OTHER_HEAD_MAX = 48

_CHROME = re.compile(
    r"扫一扫|打印本页|关闭窗口|【打印】|字号|信息来源|来源[:：]|发布时间|发布日期|浏览次数|"
    r"点击数|分享到|返回顶部|上一篇|下一篇|索引号|发文字号|视力保护色|当前位置|【关闭】|首页\s*[>»]"
)
_CHROME_MAX = 60
_PAGE_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PAGE_DATE_HINT = re.compile(r"发布|时间|日期|来源|\d{1,2}:\d{2}")
_TITLE = re.compile(r"^(?P<name>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})年度?(?P<rest>.*报告)$")
#: the year first: 2025年上海市人民政府办公厅政府信息公开工作年度报告
_YEAR_FIRST_TITLE = re.compile(
    r"^(?P<year>(?:19|20)\d{2})年度?(?P<name>.+?)(?P<rest>(?:政府信息公开|政务公开).*报告)$"
)
_FIELD_NAME = re.compile(r"^(?:标题|题目|文章标题|名称)[:：]")  # a CMS page's 标题: field
_STATISTICS_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_DATE = re.compile(
    r"^(?:(?P<name>.*?\S)\s+)?(?P<date>(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)$"
)
_SENTENCE_PUNCTUATION = re.compile(r"[。，；：,;:！？]")


@dataclass
class Sections:
    """The report cut at its headings: what stands before 一, and each section's blocks."""

    preface: list[Block] = field(default_factory=list)
    parts: dict[str, list[Block]] = field(default_factory=dict)

    def paragraphs(self, key: str) -> list[str]:
        return [b.text for b in self.parts.get(key, []) if isinstance(b, Paragraph)]


def split_sections(blocks: Sequence[Block]) -> Sections:
    """Cut ``blocks`` at the six headings; a heading met a second time is text."""
    sections = Sections()
    current: list[Block] = sections.preface
    for block in blocks:
        if isinstance(block, Paragraph):
            found = section_heading(block.text)
            if found and found[0] not in sections.parts:
                key, tail = found
                current = sections.parts[key] = []
                if tail:
                    current.append(Paragraph(tail))
                continue
        current.append(block)
    return sections


def is_chrome(text: str) -> bool:
    """A web page's furniture (字号, 打印本页, 扫一扫 …), not the report's words."""
    return len(text) <= _CHROME_MAX and bool(_CHROME.search(text))


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
        if date and _PAGE_DATE_HINT.search(text) and "统计" not in text:
            try:
                heading.page_date = dt.date(*(int(g) for g in date.groups()))
            except ValueError:
                continue
            break
    return heading


def _names_a_report(rest: str) -> bool:
    return ("信息公开" in rest or "政务公开" in rest) and len(rest) <= 30


def statistics_year(texts: Sequence[str]) -> int | None:
    """The year of 统计期限 (自2023年1月1日起…), a fallback for the report year."""
    for text in texts:
        if "统计" in text and (match := _STATISTICS_PERIOD.search(text)):
            return int(match.group(1))
    return None


# --------------------------------------------------------------------------- 落款 and contact


@dataclass
class Closing:
    """The 落款 (agency name and date) and the contact lines at the end of the report."""

    name: str | None = None
    date: dt.date | None = None
    contact: dict[str, str] = field(default_factory=dict)


def parse_date(text: str) -> dt.date | None:
    """``2023年1月26日`` or ``二〇二三年一月二十六日``."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = re.match(r"^(.{4})年(.{1,3})月(.{1,3})日$", text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if not year.isdigit():
            year = "".join(_CN_YEAR_DIGITS[c] for c in year)
        numbers = [int(year)] + [int(p) if p.isdigit() else chinese_to_int(p) for p in (month, day)]
        return dt.date(*numbers)
    except (ValueError, KeyError):
        return None


def _contact_labels() -> dict[str, str]:
    labels = {t.title: t.key for t in fmt.CONTACT_FIELDS}
    labels.update(fmt.CONTACT_ALIASES)
    return labels


def contact_fields(text: str) -> dict[str, str]:
    """The contact fields of a line such as ``联系人：张三  联系电话：0632-1234567``."""
    labels = _contact_labels()
    names = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    plain = text.replace("**", "").strip()
    if not re.match(rf"^(?:{names})\s*[:：]", plain):
        return {}
    found = {}
    pattern = rf"({names})\s*[:：]\s*(.*?)\s*(?=(?:[，,；;]?\s*(?:{names})\s*[:：])|$)"
    for match in re.finditer(pattern, plain):
        value = match.group(2).strip(" ，,；;。")
        if value:
            found.setdefault(labels[match.group(1)], value)
    return found


def take_closing(texts: list[str]) -> tuple[list[str], Closing]:
    """Split the 落款 and the contact lines off the end of the last section."""
    closing = Closing()
    end = len(texts)
    index = end - 1
    while index >= 0:
        text = texts[index]
        if is_chrome(text) or (fields := contact_fields(text)):
            if not is_chrome(text):
                closing.contact = {**fields, **closing.contact}
            index -= 1
            continue
        match = _DATE.match(text.replace("**", "").strip())
        date = parse_date(match.group("date")) if match else None
        if date is None:
            break
        closing.date = date
        closing.name = match.group("name") if match else None
        index -= 1
        if closing.name is None and index >= 0 and _is_name_line(texts[index]):
            closing.name = texts[index].strip()
            index -= 1
        while index >= 0 and (fields := contact_fields(texts[index])):
            closing.contact = {**fields, **closing.contact}
            index -= 1
        break
    if closing.date is None:
        # no 落款: keep the text, but contact lines at the very end are still contact lines
        kept = [t for t in texts if not is_chrome(t)]
        while kept and (fields := contact_fields(kept[-1])):
            closing.contact = {**fields, **closing.contact}
            kept.pop()
        return kept, closing
    return [t for t in texts[: index + 1] if not is_chrome(t)], closing


def _is_name_line(text: str) -> bool:
    plain = text.replace("**", "").strip()
    return (
        0 < len(plain) <= 30
        and not _SENTENCE_PUNCTUATION.search(plain)
        and split_number(norm(plain))[0] is None
    )


# --------------------------------------------------------------------------- items


@dataclass
class Items:
    """A section's text before its first item, and each item's paragraphs by topic."""

    lead: list[str] = field(default_factory=list)
    items: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def _topic(text: str, keywords: dict[str, tuple[str, ...]], taken: set[str]) -> str | None:
    title = canon(text)
    for key, words in keywords.items():
        if key not in taken and any(canon(w) in title for w in words):
            return key
    return None


def split_overview(texts: Sequence[str], keywords: dict[str, tuple[str, ...]]) -> Items:
    """一 or 五: lead text, then items whose numbered titles name a topic (once each)."""
    result = Items()
    style: str | None = None
    current: list[str] = result.lead
    for text in texts:
        number, _ = split_number(norm(text))
        found = None
        if number is not None and style in (None, number.style):
            head, tail = head_and_tail(strip_number(text))
            if len(canon(head)) <= _OVERVIEW_HEAD_MAX:
                key = _topic(head, keywords, set(result.items))
                if key is not None:
                    found = (key, tail, number.style)
        if found is None:
            current.append(text)
            continue
        key, tail, style = found
        current = result.items[key] = [tail] if tail else []
    return result


def split_other_matters(texts: Sequence[str]) -> Items:
    """六: numbered items (or plain paragraphs), each filed under the topic it names."""
    result = Items()
    numbered = [split_number(norm(t))[0] for t in texts]
    style = next((n.style for n in numbered if n is not None), None)
    key: str | None = None
    for text, number in zip(texts, numbered, strict=True):
        starts = number is not None and number.style == style if style else True
        if not starts:
            result.items.setdefault(key or "other", []).append(text)
            continue
        body, title = _item_body(strip_number(text) if style else text.strip())
        found = _topic(title, OTHER_KEYWORDS, set()) or _topic(body, OTHER_KEYWORDS, set())
        if found is None:
            if style is None and key is not None:
                found = key
            else:
                found = "other"
                result.unmatched.append(text)
        key = found
        if body:
            result.items.setdefault(key, []).append(body)
        else:
            result.items.setdefault(key, [])
    return result


def _item_body(text: str) -> tuple[str, str]:
    """(body, title) of an item of 六: a title of its own line or before a colon goes."""
    head, tail = head_and_tail(text)
    plain = text.replace("**", "").strip()
    title_like = canon(head).endswith(("情形", "事项")) and len(canon(head)) <= _OTHER_HEAD_MAX
    if head == plain and title_like and not plain.endswith("。"):
        return "", head
    if title_like and re.match(r"^[^。]*[:：]", plain) and tail:
        return tail, head
    return text.strip(), head


# --------------------------------------------------------------------------- texts


def text_of(paragraphs: Sequence[str]) -> str | None:
    """Paragraphs as a facts-file text: one per line, a blank line between."""
    kept = [p.strip() for p in paragraphs if p.strip()]
    return "\n\n".join(kept) if kept else None


def preface_texts(preface: Sequence[Block], used: set[int], problems: list[Problem]) -> list[str]:
    """The words between title and 一 that read as report text (a lead-in); the rest is
    page furniture, reported when it is not plainly chrome."""
    kept = []
    for index, block in enumerate(preface):
        if index in used:
            continue
        if isinstance(block, Table):
            problems.append(warning(CODE_NOT_IMPORTED, "正文开头的表格未导入", ()))
            continue
        text = block.text
        if is_chrome(text):
            continue
        if len(text) >= 15 and re.search(r"[。：:；]", text):
            kept.append(text)
        else:
            problems.append(
                warning(CODE_NOT_IMPORTED, f"标题附近的文字“{excerpt(text)}”不像正文，未导入")
            )
    return kept


def stray_tables(blocks: Sequence[Block], key: str, problems: list[Problem]) -> None:
    """Tables inside a narrative section have no place in the facts file."""
    if any(isinstance(b, Table) for b in blocks):
        problems.append(
            warning(CODE_NOT_IMPORTED, f"{fmt.SECTION_HEADINGS[key]}中的表格未导入", (key,))
        )


def stray_text(blocks: Sequence[Block], key: str, problems: list[Problem]) -> None:
    """Sentences around a table (not labels) have no place in the facts file."""
    for block in blocks:
        if isinstance(block, Paragraph) and len(block.text) >= 15 and "。" in block.text:
            problems.append(
                warning(
                    CODE_NOT_IMPORTED,
                    f"表格之外的文字“{excerpt(block.text)}”未导入",
                    (key,),
                    label=fmt.SECTION_HEADINGS[key],
                )
            )


def missing_section(key: str) -> Problem:
    return error(CODE_NOT_FOUND, f"没有找到“{fmt.SECTION_HEADINGS[key]}”部分", (key,))


def guessed(message: str, path: tuple) -> Problem:
    return warning(CODE_GUESSED, message, path)
