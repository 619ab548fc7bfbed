"""The end of a report: the 落款 (agency and date) and the contact lines."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .. import official as fmt
from .labels import chinese_to_int, norm, split_number
from .sections import is_chrome

_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_DATE = re.compile(
    r"^(?:(?P<name>.*?[^\s\d〇零一二三四五六七八九])\s*)?(?P<date>(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)$"
)
_SENTENCE_PUNCTUATION = re.compile(r"[。，；：,;:！？]")

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
    found: dict[str, str] = {}
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
