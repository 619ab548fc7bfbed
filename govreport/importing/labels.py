"""Reading labels as a reviewer does: the same words count, however they were typed.

Published tables were retyped by hand, saved from Word, copied from web pages: the
same label arrives with full- or half-width brackets, 1. or 1、 or （一）, spaces and
line breaks inside, 情况 for 情形. ``norm`` removes what does not change the
meaning; ``canon`` also undoes the known drift (``official.LABEL_DRIFT``). Labels are
always compared with ``official``'s official ones, never with copies typed here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .. import official as fmt

_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "―": "-", "~": "-", "～": "-"})
_CN_DIGITS = "〇一二三四五六七八九"


def norm(text: str) -> str:
    """``text`` without what does not change a label: width, spaces, quotes, bold marks."""
    text = unicodedata.normalize("NFKC", text).replace("**", "")
    text = _INVISIBLE.sub("", text).translate(_QUOTES).translate(_DASHES)
    return text


_YEAR_IN_LABEL = re.compile(r"\((?:19|20)\d{2}年?\)")  # 本年(2023)制发件数


def canon(text: str) -> str:
    """``norm`` with known label drift undone, for comparing with official labels; a
    year written into a header (本年(2023)制发件数) is no part of the label."""
    text = _YEAR_IN_LABEL.sub("", norm(text))
    for found, official in fmt.LABEL_DRIFT:
        text = text.replace(found, official)
    return text


# --------------------------------------------------------------------------- numbering

_NUMBERING = re.compile(
    r"^(?:\((?P<pcn>[一二三四五六七八九十]{1,3})\)"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})[、.]"
    r"|\((?P<par>\d{1,2})\)"
    r"|(?P<ar>\d{1,2})(?:[、.](?!\d)|\)))"
)


@dataclass(frozen=True)
class Numbering:
    """A numbering prefix: its style (``(一)``, ``一、``, ``(1)``, ``1.``) and its number."""

    style: str
    number: int


def chinese_to_int(text: str) -> int:
    """一 … 九十九 as an integer (numbering never goes further)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.index(c)) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(units) if units else 0)


def split_number(text: str) -> tuple[Numbering | None, str]:
    """(numbering, the rest) of a ``norm``-ed label; ``1、`` and ``1.`` are one style."""
    match = _NUMBERING.match(text)
    if not match:
        return None, text
    rest = text[match.end() :]
    try:
        if match.group("pcn"):
            return Numbering("(一)", chinese_to_int(match.group("pcn"))), rest
        if match.group("cn"):
            return Numbering("一、", chinese_to_int(match.group("cn"))), rest
    except ValueError:  # 十十、 is not a number
        return None, text
    if match.group("par"):
        return Numbering("(1)", int(match.group("par"))), rest
    return Numbering("1.", int(match.group("ar"))), rest


_RAW_NUMBERING = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*(?:[、.．](?!\d)|[)）]))\s*"
)


def strip_number(text: str) -> str:
    """``text`` as written, without its leading numbering (（一）, 1., 1、 …)."""
    plain = text.strip()
    bold = plain.startswith("**")
    body = plain[2:] if bold else plain
    match = _RAW_NUMBERING.match(body)
    if not match:
        return plain
    rest = body[match.end() :]
    if bold:
        rest = rest.lstrip("*") if rest.startswith("**") else "**" + rest
    return rest.strip()


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Match:
    """A label matched to an official one; ``drift`` when the wording itself differs."""

    target: object
    official: str
    drift: bool


def _title_key(label: str) -> tuple[Numbering | None, str]:
    number, title = split_number(norm(label))
    return number, canon(title)


class LabelIndex:
    """Official labels by their canonical title, for one table's rows or columns."""

    def __init__(self, entries: list[tuple[str, object]]):
        self._by_title: dict[str, list[tuple[Numbering | None, str, object]]] = {}
        for label, target in entries:
            number, title = _title_key(label)
            self._by_title.setdefault(title, []).append((number, label, target))

    def match(self, text: str, *, fuzzy: bool = True) -> Match | None:
        """The official label ``text`` stands for, or ``None``.

        A numbering in ``text`` must agree with the official one when both have one
        (it tells apart rows with the same title); a title one typo away is accepted
        only with agreeing numbers and reported as drift.
        """
        number, title = _title_key(text)
        if not title:
            return None
        found = self._by_title.get(title)
        if found:
            chosen = [e for e in found if number is None or e[0] is None or e[0] == number]
            entry = (chosen or found)[0]
            return Match(entry[2], entry[1], _drifted(text, entry[1]))
        if fuzzy and number is not None and len(title) >= 6:
            return self._fuzzy(number, title)
        return None

    def _fuzzy(self, number: Numbering, title: str) -> Match | None:
        close = difflib.get_close_matches(title, list(self._by_title), n=3, cutoff=0.8)
        for candidate in close:
            for entry_number, label, target in self._by_title[candidate]:
                if entry_number == number:
                    return Match(target, label, True)
        return None


def _drifted(found: str, official: str) -> bool:
    return split_number(norm(found))[1] != split_number(norm(official))[1]


# --------------------------------------------------------------------------- sections


_SECTION_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    # any one tuple whose words all occur in the heading identifies the section
    "overview": (("总体情况",), ("基本情况",), ("概述",)),
    "proactive": (("主动公开政府信息",), ("主动公开", "情况")),
    "requests": (("收到和处理",), ("受理和处理",), ("政府信息公开申请", "情况")),
    "reviews": (("行政复议", "行政诉讼"),),
    "problems": (("存在的主要问题",), ("存在问题",), ("问题", "改进")),
    "other_matters": (("其他需要报告",), ("其他需报告",), ("其他需要说明",)),
}
_HEADING_MAX = 34


@cache
def _official_headings() -> dict[str, str]:
    headings: dict[str, str] = {}
    for key, heading in fmt.SECTION_HEADINGS.items():
        headings[split_number(canon(heading))[1]] = key
    for key, variants in fmt.SECTION_HEADING_VARIANTS.items():
        for heading in variants:
            headings[split_number(canon(heading))[1]] = key
    return headings


def section_heading(text: str) -> tuple[str, str] | None:
    """(section key, text after the heading) when ``text`` is one of the six headings.

    A heading is numbered 一、 … 六、 and names its section; the table rows that also
    start with 一、 … 四、 (本年新收…, 结转下年度…) name no section and are not headings.
    Some reports run the first sentence on after the heading (六、其他需要报告的事项：无).
    """
    number, _ = split_number(norm(text))
    if number is None or number.style != "一、" or not 1 <= number.number <= 6:
        return None
    head, tail = head_and_tail(text)
    title = canon(split_number(norm(head))[1])
    if len(title) > _HEADING_MAX:
        return None
    key = _official_headings().get(title) or _keyword_heading(title) or _typo_heading(title)
    return (key, tail) if key else None


def heading_typo(text: str) -> bool:
    """Whether ``text`` is a section heading only one typo away from its official wording
    (行政法复议): read as the heading, and a defect of the report (label drift)."""
    number, _ = split_number(norm(text))
    if number is None or number.style != "一、":
        return False
    title = canon(split_number(norm(head_and_tail(text)[0]))[1])
    if len(title) > _HEADING_MAX or title in _official_headings() or _keyword_heading(title):
        return False
    return _typo_heading(title) is not None


def _keyword_heading(title: str) -> str | None:
    return next(
        (
            k
            for k, groups in _SECTION_KEYWORDS.items()
            if any(all(canon(w) in title for w in group) for group in groups)
        ),
        None,
    )


def _typo_heading(title: str) -> str | None:
    """The section of a heading with a typo in it (行政法复议)."""
    close = difflib.get_close_matches(title, list(_official_headings()), n=1, cutoff=0.88)
    return _official_headings()[close[0]] if close else None


_HEAD_END = re.compile(r"[。：:；;]")


def head_and_tail(text: str) -> tuple[str, str]:
    """A heading or item title and what runs on after it in the same paragraph."""
    plain = text.replace("**", "").strip()
    match = _HEAD_END.search(plain)
    if not match:
        return plain, ""
    return plain[: match.start()], plain[match.end() :].strip()
