"""Reading the words of a report: title, sections, their items, 落款 and contact lines.

The six sections are found by their headings (``labels.section_heading``).
Within 一, 五 and 六 an item starts at a numbered paragraph ((一), 1., 1、 …) whose
title names a topic; the numbering style of the first item is the one the section
uses, so a numbered list inside an item's text is not taken for items. Texts keep
their paragraphs, one per line with a blank line between, as the facts file
writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import official as fmt
from ..diagnostics import Problem
from .base import (
    CODE_DRIFT,
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
    head_and_tail,
    heading_typo,
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
_CHROME_START = re.compile(r"^(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|首页\s*[>»])")
_CHROME_END = re.compile(
    r"^(?:附件下载|附件[:：]?|打印|关闭|【打印】|【关闭】|扫一扫.*|分享到.*|返回顶部)$"
)
_SENTENCE = re.compile(r"[。，；,;！？]")
_FIELD_LINE = re.compile(r"^[^\s:：，。]{1,8}[:：][^，。；,;]*$")  # 原文链接: http://…
_WORD_MAX = 40  # a piece of page furniture between spaces is short and has no sentence in it


@dataclass
class Sections:
    """The report cut at its headings: what stands before 一, and each section's blocks."""

    preface: list[Block] = field(default_factory=list)
    parts: dict[str, list[Block]] = field(default_factory=dict)
    #: headings read despite a typo in them: (section key, the heading as printed)
    typos: list[tuple[str, str]] = field(default_factory=list)

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
                if heading_typo(block.text):
                    sections.typos.append((key, block.text))
                if tail:
                    current.append(Paragraph(tail))
                continue
        current.append(block)
    return sections


def without_chrome(text: str) -> str:
    """A paragraph without the page furniture that a page's text glued to it: a leading
    breadcrumb line (当前位置：首页 … 来源：… 时间：…) and trailing 附件下载, 打印 …"""
    words = text.split(" ")
    if _CHROME_START.match(text):
        while words and len(words[0]) <= _WORD_MAX and not _SENTENCE.search(words[0]):
            words.pop(0)
    while words and _CHROME_END.match(words[-1].strip()):
        words.pop()
    return " ".join(words).strip()


def is_chrome(text: str) -> bool:
    """A web page's furniture (字号, 打印本页, 扫一扫 …), not the report's words."""
    return len(text) <= _CHROME_MAX and bool(_CHROME.search(text))


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
        if len(text) >= 15 and re.search(r"[。：:；]", text) and not _FIELD_LINE.match(text):
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


def heading_drift(key: str, printed: str) -> Problem:
    """A heading read despite a typo: said as label drift (I2) at its section."""
    heading = fmt.SECTION_HEADINGS[key]
    return warning(
        CODE_DRIFT,
        f"标题“{excerpt(head_and_tail(printed)[0], 40)}”与官方表述“{heading}”不一致，已按这一部分读入",
        (key,),
        label=heading,
    )


def missing_section(key: str) -> Problem:
    return error(CODE_NOT_FOUND, f"没有找到“{fmt.SECTION_HEADINGS[key]}”部分", (key,))


def guessed(message: str, path: tuple) -> Problem:
    return warning(CODE_GUESSED, message, path)
