"""A PDF page's text lines: their words, their text, and the page layout they share.

pdfplumber joins the characters of a line whose gaps are narrower than a column
(``pdf._GAP``), because the gap a word processor leaves between 2023 and 年 is
typography, not a space. Two numbers in neighbouring cells of a table drawn without
ruling lines stand as close: a number's own digits are never far apart, so two digits
a gap wider than part of a character apart are two numbers (``21 0 0 0 0 0 21``, not
``210000021``).

The margins a paragraph is told by (a first line indented, a last line short) are the
document's: every page has the same layout, so a page with a heading and two short
paragraphs on it, every line indented or short, is measured by the pages around it,
odd and even pages apart (a layout for two-sided printing mirrors them). A page's own
lines decide only when there are enough of them to say. A running header or footer
(the agency's name, the report's title at the top of every page) is page furniture.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

Line = dict[str, Any]

#: a gap between two digits wider than this share of the font size parts two numbers
_NUMBER_GAP = 0.45
#: a gap wider than this share of the font size, and than ``_WIDER`` times the line's usual
#: gap between characters, parts two words (a column gap; text spread to fill a table
#: cell has wide gaps between all its characters)
_WORD_GAP = 0.5
_WIDER = 3
_SPREAD = 0.3  # the widest usual gap of text spread over a cell, in font sizes
_ENOUGH = 12  # a page with this many lines of text says its own margins
_FURNITURE_BAND = 2  # lines at the top and at the foot of a page that may be furniture
_SAME_PLACE = 3.0  # points: a running header stands at the same height on every page
_FURNITURE_MIN = 4  # characters besides numbers: a running header names something
_APART = 1.5  # times the page's usual gap between lines: a header or footer stands apart
_APART_MIN = 0.3  # times its height, the least gap that sets a line apart
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Margins:
    """The text's left and right edges and its font size."""

    left: float
    right: float
    size: float


@dataclass(frozen=True)
class Word:
    """Characters of a line with no wide gap between them: a label or a number."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: tuple[dict[str, Any], ...]

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _size(char: dict[str, Any]) -> float:
    return float(char.get("size") or (char["bottom"] - char["top"]) or 10.0)


def line_text(chars: list[dict[str, Any]]) -> str:
    """The line's characters as text, a space between two digits set far apart."""
    text = ""
    previous: dict[str, Any] | None = None
    for char in chars:
        if previous is not None and _numbers_apart(previous, char):
            text += " "
        text += char["text"]
        previous = char
    return text


def _numbers_apart(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether two digits stand too far apart to be one number's."""
    return (
        before["text"].isdigit()
        and after["text"].isdigit()
        and after["x0"] - before["x1"] > _NUMBER_GAP * _size(after)
    )


def words(line: Line) -> list[Word]:
    """The line cut at its spaces and at gaps wide for it (between two columns)."""
    found: list[Word] = []
    run: list[dict[str, Any]] = []

    def close() -> None:
        if run:
            found.append(
                Word(
                    line_text(run),
                    min(c["x0"] for c in run),
                    max(c["x1"] for c in run),
                    min(c["top"] for c in run),
                    max(c["bottom"] for c in run),
                    tuple(run),
                )
            )
            run.clear()

    chars = line["chars"]
    gaps = sorted(b["x0"] - a["x1"] for a, b in itertools.pairwise(chars))
    usual = max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0
    for char in chars:
        if char["text"].isspace():
            close()
            continue
        size = _size(char)
        wide = max(_WORD_GAP * size, _WIDER * min(usual, _SPREAD * size))
        if run and (char["x0"] - run[-1]["x1"] > wide or _numbers_apart(run[-1], char)):
            close()
        run.append(char)
    close()
    return found


def margins(lines: list[Line]) -> Margins | None:
    """The edges of ``lines``' text and its font size; ``None`` without lines.

    The left edge is the leftmost place where two lines start (a stray line further
    out does not move it). The right edge is where most long lines end: justified
    text ends every full line at the margin, left-aligned text at the last whole
    character before it, and punctuation hanging past the margin must not move it.
    """
    if not lines:
        return None
    sizes = sorted(line["bottom"] - line["top"] for line in lines)
    starts = Counter(round(line["x0"]) for line in lines)
    shared = [x for x, n in starts.items() if n > 1]
    left = float(min(shared)) if shared else min(line["x0"] for line in lines)
    widest = max(line["x1"] for line in lines)
    ends = Counter(
        round(line["x1"]) for line in lines if line["x1"] >= widest - (widest - left) / 5
    )
    right = max(ends.most_common(), key=lambda end: (end[1], end[0]))[0]
    return Margins(left, float(right), sizes[len(sizes) // 2] or 12.0)


def page_margins(pages: list[list[Line]]) -> list[Margins]:
    """Each page's margins: its own where it has enough lines, else those of the pages
    of its side (odd or even), else the whole document's."""
    whole = margins([line for page in pages for line in page]) or Margins(0.0, 0.0, 12.0)
    sides = [
        margins([line for n, page in enumerate(pages) if n % 2 == side for line in page])
        for side in (0, 1)
    ]
    found = []
    for number, page in enumerate(pages):
        side = sides[number % 2]
        side_lines = sum(len(p) for n, p in enumerate(pages) if n % 2 == number % 2)
        own = margins(page) if len(page) >= _ENOUGH else None
        found.append(own or (side if side and side_lines >= _ENOUGH else whole))
    return found


def _shape(line: Line) -> str:
    """A line's text with its numbers blanked: 第 2 页 and 第 3 页 are the same furniture."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", line["text"]))


def without_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """``pages`` without running headers and footers: a line first or last on its page,
    set apart from the page's text by more than a line's spacing, whose text (numbers
    aside) stands at the same height on at least half the pages with text (two at the
    least). A report's own words never repeat so; a line that does not meet all of
    that stays text (a header left in is a line too many, a sentence dropped is lost)."""
    seen: dict[str, list[tuple[int, float]]] = {}
    for number, page in enumerate(pages):
        for line in _apart(page):
            seen.setdefault(_shape(line), []).append((number, line["top"]))
    needed = max(2, (sum(1 for page in pages if page) + 1) // 2)

    def furniture(number: int, line: Line) -> bool:
        shape = _shape(line)
        if len(shape.replace("#", "")) < _FURNITURE_MIN:
            return False  # 无。 closing two pages at the same height is the report's own
        places = {n for n, top in seen.get(shape, []) if abs(top - line["top"]) <= _SAME_PLACE}
        return len(places | {number}) >= needed

    kept = []
    for number, page in enumerate(pages):
        edges = {id(line) for line in _apart(page)}
        kept.append([ln for ln in page if id(ln) not in edges or not furniture(number, ln)])
    return kept


def _apart(page: list[Line]) -> list[Line]:
    """The first and last lines of a page that stand apart from its other lines (by half
    as much again as the page's lines usually are): where a header or footer is set,
    never a paragraph's line."""
    ordered = sorted(page, key=lambda line: line["top"])
    gaps = sorted(b["top"] - a["bottom"] for a, b in itertools.pairwise(ordered))
    usual = max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0
    found = []
    for line in _edges(page):
        index = next(i for i, other in enumerate(ordered) if other is line)
        above = ordered[index - 1]["bottom"] if index else None
        below = ordered[index + 1]["top"] if index + 1 < len(ordered) else None
        wide = max(_APART * usual, _APART_MIN * (line["bottom"] - line["top"]))
        first, last = index < _FURNITURE_BAND, index >= len(ordered) - _FURNITURE_BAND
        gap_below = below is None or below - line["bottom"] > wide
        gap_above = above is None or line["top"] - above > wide
        if (first and gap_below) or (last and gap_above):
            found.append(line)
    return found


def _edges(page: list[Line]) -> list[Line]:
    ordered = sorted(page, key=lambda line: line["top"])
    if len(ordered) <= 2 * _FURNITURE_BAND:
        return ordered
    return ordered[:_FURNITURE_BAND] + ordered[-_FURNITURE_BAND:]
