"""Text that lost its line breaks: headings and table labels found inside a line.

Some sources hand over a whole report as one line (a crawler's page text, a web
page whose cells carry no separators): ``…提供了重要保障。一、总体情况2021年，我区…``
and ``规章000行政规范性文件693665第二十条第（五）项…``. A person reads such text by
the words the format prescribes: the six section headings, in order, and the
official row and column labels of the tables. ``split_headings`` puts a line break
around each heading; ``label_cells`` cuts a table's text into label cells and value
cells at the official labels (an ordinal like ``6.`` belongs to the label after a
run of digits, never to the digits).
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from functools import cache

from ... import official as fmt
from ..base import Cell
from ..labels import canon, split_number

_CN = "一二三四五六"
_CN_NUMBERS = "一二三四五六七八九十"
_INLINE_HEADING = re.compile(rf"[{_CN}][、.．]")
_HEADING_SIMILARITY = 0.88
_IGNORABLE = r"[\s“”\"'‘’「」『』]*"
_VALUE_TOKEN = re.compile(
    r"^(?:[+-]?[\d.,，]*\d[\d.,，]*(?:件|条|项|个|次|万元|元)?|[/\\\-—–]+|无|空|不适用)$"
)
_MIXED = re.compile(r"[^\W\d_][\d]|\d[^\W\d_]")


# --------------------------------------------------------------------------- headings


@cache
def _headings() -> dict[int, tuple[str, ...]]:
    """The canonical text of each section's heading and its known variants, by number."""
    found: dict[int, list[str]] = {}
    for key, heading in fmt.SECTION_HEADINGS.items():
        number = _CN.index(heading[0]) + 1
        found.setdefault(number, []).append(canon(heading))
        found[number] += [canon(v) for v in fmt.SECTION_HEADING_VARIANTS.get(key, ())]
    return {n: tuple(v) for n, v in found.items()}


def split_headings(line: str) -> list[str]:
    """``line`` cut before and after every section heading found inside it, in order.

    A heading counts when it reads like the official one (a typo allowed) and its
    number follows the last heading's, so the table rows 一、本年新收… and
    四、结转下年度… are never taken for headings.
    """
    pieces: list[str] = []
    last = 0
    position = 0
    for match in _INLINE_HEADING.finditer(line):
        if match.start() < position:
            continue
        number = _CN.index(match.group()[0]) + 1
        if number <= last:
            continue
        end = _heading_end(line, match.start(), number)
        if end is None:
            continue
        pieces += [line[position : match.start()], line[match.start() : end]]
        position, last = end, number
    if not pieces:
        return [line]
    pieces.append(line[position:])
    return [p.strip() for p in pieces if p.strip()]


def _heading_end(line: str, start: int, number: int) -> int | None:
    """Where the heading starting at ``start`` ends in ``line``, if one starts there."""
    best: tuple[float, int] | None = None
    for heading in _headings().get(number, ()):
        for end in _ends(line, start, len(heading) - 2, len(heading) + 2):
            ratio = difflib.SequenceMatcher(None, canon(line[start:end]), heading).ratio()
            if ratio >= _HEADING_SIMILARITY and (best is None or ratio > best[0]):
                best = (ratio, end)
    return best[1] if best else None


def _ends(line: str, start: int, shortest: int, longest: int) -> list[int]:
    """Raw end positions whose text from ``start`` has ``shortest``…``longest`` characters
    once spaces are dropped."""
    ends = []
    length = 0
    for index in range(start, min(len(line), start + 3 * longest)):
        if not line[index].isspace():
            length += 1
        if length > longest:
            break
        if length >= shortest and not line[index].isspace():
            ends.append(index + 1)
    return ends


_ITEM = re.compile(r"[（(]\s*([一二三四五六七八九十])\s*[)）]")
_ITEM_MIN = 2  # (一) and (二) at least: one marker alone may be a reference in a sentence


def split_items(text: str) -> list[str]:
    """A paragraph that runs its numbered items together (（一）主动公开方面。…（二）依申请…)
    cut before each item, when the numbers follow one another from （一）."""
    if "一" not in text:
        return [text]
    cuts: list[int] = []
    expected = 1
    for match in _ITEM.finditer(text):
        if _CN_NUMBERS.index(match.group(1)) + 1 == expected:
            cuts.append(match.start())
            expected += 1
    if len(cuts) < _ITEM_MIN:
        return [text]
    bounds = [0, *cuts, len(text)]
    pieces = [text[a:b].strip() for a, b in itertools.pairwise(bounds)]
    return [p for p in pieces if p]


# --------------------------------------------------------------------------- table labels


@cache
def _label_pattern() -> re.Pattern[str]:
    """Every label of tables 二, 三 and 四, longest first, spaces and quotes allowed inside."""
    labels = {row.label for row in fmt.walk()}
    labels |= {c.label for c in fmt.REQUEST_COLUMNS}
    labels |= {fmt.APPLICANT_HEADER, fmt.LEGAL_PERSON_HEADER, fmt.REQUESTS_CORNER}
    labels |= {fmt.PROACTIVE_ITEM_HEADER, *fmt.TRIAL_PROACTIVE_BLOCKS}
    labels |= set(fmt.TRIAL_PROACTIVE_ROWS) | set(fmt.TRIAL_PROACTIVE_COLUMNS)
    for block in fmt.PROACTIVE_BLOCKS:
        labels |= {block.article, *(r.label for r in block.rows)}
        labels |= {c.label for c in block.columns} | {c.label.split("（")[0] for c in block.columns}
    labels |= {c.label for c in fmt.REVIEW_COLUMNS} | {b.label for b in fmt.REVIEW_BLOCKS}
    labels |= {fmt.RECONSIDERATION_HEADER, fmt.LITIGATION_HEADER}
    patterns = sorted({_pattern(label) for label in labels}, key=len, reverse=True)
    return re.compile("|".join(patterns))


def _pattern(label: str) -> str:
    """A label as a pattern: its numbering in any of the usual forms, its words as
    written or with the known drift (情况 for 情形)."""
    plain = unicodedata.normalize("NFKC", label)
    number, title = split_number(re.sub(r"\s+", "", plain))
    prefix = ""
    if number is not None:
        title = re.sub(r"\s+", "", plain)[len(re.sub(r"\s+", "", plain)) - len(title) :]
        digit = str(number.number)
        if number.style == "1.":
            prefix = rf"{digit}{_IGNORABLE}[.、,，]{_IGNORABLE}"
        elif number.style == "(一)":
            cn = _cn(number.number)
            prefix = rf"[(（]{_IGNORABLE}{cn}{_IGNORABLE}[)）]{_IGNORABLE}"
        elif number.style == "一、":
            prefix = rf"{_cn(number.number)}{_IGNORABLE}[、.,，]{_IGNORABLE}"
    words = title.translate(str.maketrans("", "", "“”\"'‘’"))
    for found, official in fmt.LABEL_DRIFT:
        words = words.replace(official, f"\0{found}\1{official}\2")
    body = []
    for char in words:
        if char == "\0":
            body.append("(?:")
        elif char == "\1":
            body.append("|")
        elif char == "\2":
            body.append(")")
        else:
            body.append(re.escape(char) + _IGNORABLE)
    return prefix + "".join(body)


def _cn(number: int) -> str:
    return "十" if number == 10 else "一二三四五六七八九"[number - 1]


def is_label(text: str) -> bool:
    """Whether ``text`` is exactly one official table label."""
    text = unicodedata.normalize("NFKC", text).strip()
    return _label_pattern().fullmatch(text) is not None


def needs_labels(text: str) -> bool:
    """Whether a table paragraph has labels and numbers glued together (no separator)."""
    return any(_MIXED.search(part) for part in text.split())


def label_cells(text: str) -> list[Cell]:
    """A table's flattened text as label cells and value cells (rows unknown).

    Between two labels stand numbers (each space-separated group one cell, which
    may hold several numbers run together) or words that are no official label
    (one cell).
    """
    text = unicodedata.normalize("NFKC", text).replace("**", "")
    cells: list[Cell] = []
    position = 0
    for match in _label_pattern().finditer(text):
        if _inside_label(text, match):
            continue
        cells += _region(text[position : match.start()])
        cells.append(Cell(match.group().strip()))
        position = match.end()
    cells += _region(text[position:])
    return cells


_ORDINAL_BEFORE = re.compile(r"\d[.、．]$")


def _inside_label(text: str, match: re.Match[str]) -> bool:
    """A short label (其他, 总计) that is the first word of a numbered label not found as
    written (``2.其他法律行政止公开``): part of that label, not a label of its own."""
    after = text[match.end() : match.end() + 1]
    return (
        bool(_ORDINAL_BEFORE.search(text[max(0, match.start() - 2) : match.start()]))
        and bool(after)
        and not after.isdigit()
        and not after.isspace()
    )


_NUMBER_THEN_ITEM = re.compile(
    r"^([+-]?\d[\d.,，]*(?:件|条|项|个|次|万元|元)?)([(（][一二三四五六七八九十]{1,3}[)）].*)$"
)


#: digits glued to a numbered label that is no official one as written (a typo): the
#: label is cut out so that the table reader matches it by similarity, as in any cell
_GLUED_LABEL = re.compile(r"\d[.、．][^\W\d_]{4,}")
_PIECES = re.compile(r"\d[.、．][^\d\s]+|\d+(?=\d[.、．][^\W\d_])|[+-]?\d+(?:\.\d+)?|\D+")


def _unglued(tokens: list[str]) -> list[str]:
    """Tokens with what run together in them cut apart: a number and the numbered item
    after it (``行政事业性收费5949.09(二)…``), digits and a label with a typo in it
    (``00000002.其他法律行政止公开0000000``): typos are then matched by similarity in
    run-together text as in cells, by one rule."""
    found: list[str] = []
    for token in tokens:
        if match := _NUMBER_THEN_ITEM.match(token):
            found += [match.group(1), match.group(2)]
        elif re.match(r"^\d", token) and _GLUED_LABEL.search(token):
            found += _PIECES.findall(token)
        else:
            found.append(token)
    return found


def _region(text: str) -> list[Cell]:
    """What stands between two labels: each number (or blank mark) a cell, the words
    between numbers one cell."""
    cells: list[Cell] = []
    words: list[str] = []
    for token in _unglued(text.split()):
        if _VALUE_TOKEN.match(token):
            if words:
                cells.append(Cell("".join(words)))
                words = []
            cells.append(Cell(token))
        else:
            words.append(token)
    if words:
        cells.append(Cell("".join(words)))
    return cells
