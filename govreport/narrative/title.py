"""Where a report's title breaks into lines: between words, in balanced lines.

GB/T 9704-2012 §7.3.3.1: a title of several lines keeps words whole and its lines
balanced (梯形或菱形). Word and LibreOffice break a centred Chinese line wherever
the width runs out ("…政府信息公开工 / 作年度报告"), so the break is computed here
and written into the title as a line break. The candidate places are the ends of
the title's phrases (after the agency's name, after 年 / 年度, after 政府信息公开,
after 工作) and, in a name too long for one line, after its place or office parts.
"""

from __future__ import annotations

import re
from itertools import combinations, pairwise

#: Full-width characters in one title line: 156 mm of 版心 at 2号 (22 pt ≈ 7.76 mm) holds
#: 20.1, less the room word processors leave at a line's ends: 19 is what always fits.
LINE_WIDTH = 19.0
#: Digits and Latin letters are half-width (Times New Roman) in the title, and Word,
#: WPS and LibreOffice put a little space between them and Chinese (autoSpaceDN).
_HALF_WIDTH = re.compile(r"[\x20-\x7e]")
_LATIN_RUN = re.compile(r"[\x20-\x7e]+")
_RUN_SPACING = 0.5

#: Phrase ends in the title after the agency's name: a break may follow each.
_PHRASE_END = re.compile(r"\d{4}年度?|政府信息公开|工作(?=年度报告|报告)")
#: Ends of the parts of an agency's name (place, then office): 省 / 市 / 县 …
_NAME_PART_END = re.compile(
    r"(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗|新区|开发区|镇|乡|街道"
    r"|人民政府|办公室|办公厅|委员会|管理局|局|厅|中心)"
    # not the first character of a word that goes on (市场, 区域, 县级, 市委 …)
    r"(?![场政容民域级直属辖委管长])"
)


def width(text: str) -> float:
    """The width of ``text`` in full-width characters."""
    glyphs = sum(0.5 if _HALF_WIDTH.match(ch) else 1.0 for ch in text)
    return glyphs + _RUN_SPACING * len(_LATIN_RUN.findall(text))


def break_points(title: str, agency: str = "") -> list[int]:
    """The offsets in ``title`` after which a line may end without cutting a word."""
    points: set[int] = set()
    start = 0
    if agency and title.startswith(agency):
        start = len(agency)
        points.add(start)
        for match in _NAME_PART_END.finditer(agency):
            if 2 <= match.end() < len(agency) - 1:
                points.add(match.end())
    for match in _PHRASE_END.finditer(title, start):
        points.add(match.end())
    return sorted(p for p in points if 0 < p < len(title))


def title_lines(title: str, agency: str = "", line_width: float = LINE_WIDTH) -> list[str]:
    """``title`` as the fewest lines that fit, broken only at :func:`break_points`,
    the lines as even as possible (the longest line as short as it can be).

    A title with no break point that fits stays whole: the word processor then
    wraps it, which is all that can be done.
    """
    title = title.strip()
    if width(title) <= line_width:
        return [title]
    points = break_points(title, agency)
    for count in range(1, len(points) + 1):
        best: list[str] | None = None
        for chosen in combinations(points, count):
            bounds = (0, *chosen, len(title))
            lines = [title[a:b] for a, b in pairwise(bounds)]
            if max(map(width, lines)) > line_width:
                continue
            if best is None or _unevenness(lines) < _unevenness(best):
                best = lines
        if best is not None:
            return best
    return [title]


def _unevenness(lines: list[str]) -> tuple[float, float]:
    """Smaller is more balanced: the longest line, then the spread of the lengths."""
    widths = [width(line) for line in lines]
    return max(widths), max(widths) - min(widths)


def broken_title(title: str, agency: str = "") -> str:
    """The title with ``\\n`` at its computed line breaks (Word shows a line break)."""
    return "\n".join(title_lines(title, agency))
