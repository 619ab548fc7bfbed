"""A table drawn without ruling lines: each number put in its column by where it stands.

pdfplumber finds a table by its ruling lines; a table printed without them (or with
only some) arrives as lines of text, and a blank cell leaves no trace in the text:
``3 0 0 2 5`` under seven column headers could be any five of the seven. On the page
the positions still say it: each number stands under its column's header. So the
column headers (the official labels 自然人 … 总计, 本年制发件数 …, 结果维持 …, a
header wrapped over lines stacked in one column) give each column's span, and a row's
number goes to the column whose span holds it; a column with nothing under it is a
blank cell. Where a span does not settle it (a short header set left over numbers set
right), the numbers of the other rows may: aligned in as many groups as there are
columns, in the columns' order. The table readers then get cells with columns, as from
a ruled table, each marked ``whole`` (its digits were seen together: no run to split).

A number that neither settles (one over the border of two spans) is placed nowhere:
its row keeps its numbers without columns, and the table reader reports the row
unreadable (I5) rather than guess. Labels stay text: the flat reader finds them,
wrapped or not, as it does for any table that arrived as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ... import official as fmt
from ..labels import canon, norm, split_number
from .pdf_lines import Line, Word, words

_VALUE = re.compile(r"^(?:[+-]?\d[\d.,]*|[/\\\-—–]+)$")
_HEADER_LINES = 12  # a table's header stands on a few lines right above its first row
_MAX_HEADS = 120  # words in a header: table 四 has 15 columns under three group headers
_MAX_NUMBERS = 1000  # numbers in one table: table 三 has 175
_ALIGNED = 0.25  # share of the font size by which a column's numbers may stray
_EDGE = 0.15  # share of the font size a number must keep clear of its column's borders


@dataclass(frozen=True)
class Column:
    """A column's span on the page, from its header."""

    lo: float
    hi: float
    label: str


@dataclass(frozen=True)
class PlacedRow:
    """A row of a table without ruling lines, as cells: ``(text, column)``; a column of
    ``None`` is a number that stands in no one column."""

    top: float
    cells: tuple[tuple[str, int | None], ...]


@dataclass
class _Table:
    """A table's columns and every number seen under them: where the header's place is
    not clear enough for a number, the numbers of the other rows may be."""

    columns: list[Column]
    numbers: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class _Waiting:
    """A row whose cells are settled at the page's end, when the table's other rows
    have been seen."""

    top: float
    values: tuple[Word, ...]
    table: _Table


@cache
def _column_labels() -> frozenset[str]:
    labels = [c.label for c in fmt.REQUEST_COLUMNS] + [c.label for c in fmt.REVIEW_COLUMNS]
    labels += [c.label for b in fmt.PROACTIVE_BLOCKS for c in b.columns]
    labels += [label.split("（")[0] for label in labels]  # 本年收费金额 without its unit
    return frozenset(canon(label) for label in labels)


def _is_value(word: Word) -> bool:
    return bool(_VALUE.match(norm(word.text)))


def _line(parts: list[Word], line: Line) -> Line:
    """A line made of some of ``line``'s words (a label standing left of the numbers)."""
    chars = [c for w in parts for c in w.chars]
    text = " ".join(w.text for w in parts)
    return {
        "text": text,
        "x0": parts[0].x0,
        "x1": parts[-1].x1,
        "top": line["top"],
        "bottom": line["bottom"],
        "chars": chars,
    }


class ColumnPlacer:
    """Goes through a page's text lines, turning the rows of a table without ruling lines
    into ``PlacedRow`` s; every other line comes out as it went in."""

    def __init__(self) -> None:
        self.size = 12.0
        self.columns: list[Column] | None = None
        self.out: list[Line | PlacedRow | _Waiting] = []
        self.band: list[tuple[Line, list[Word]]] = []  # lines since the last row
        self.pending: _Waiting | None = None
        self.table: _Table | None = None
        self.header_left = 0.0  # where the last header found starts
        self.label_span: tuple[float, float] | None = None  # where the last row's label stood
        self.after: list[Line] = []  # group labels beside the pending row, for after it

    def place(self, lines: list[Line], size: float) -> list[Line | PlacedRow]:
        """A page's ``lines`` (font ``size``), rows of a table without ruling lines as
        ``PlacedRow`` s; the columns found stay for the next page (a table runs on)."""
        self.size, self.out = size, []
        for line in lines:
            found = words(line)
            labels = [w for w in found if not _is_value(w)]
            values = [w for w in found if _is_value(w)]
            left_of_numbers = bool(values) and (
                not labels or max(w.x1 for w in labels) < values[0].x0
            )
            if left_of_numbers and self._row(line, labels, values):
                continue
            if self.columns is not None and any(
                w.x0 < self.header_left < w.x1 for w in found
            ):  # a heading or a sentence across the columns: the table has ended
                self._flush()
                self.columns = None
            self.band.append((line, found))
        self._flush()
        size = self.size
        return [_settled(item, size) if isinstance(item, _Waiting) else item for item in self.out]

    def _row(self, line: Line, labels: list[Word], values: list[Word]) -> bool:
        """Take a line of labels and numbers as a row; ``False`` when it is text: a
        number left of the table's columns (联系电话： 83605210) stands in no table."""
        edge = labels[-1].x1 if labels else float("-inf")  # a row whose label is wrapped
        header = self._header(edge)
        if header is None and self.columns is not None and values[0].x0 < self.columns[0].lo:
            return False
        if header is not None and not labels:
            edge = self.header_left
        if header is not None:
            self.columns, self.label_span = header, None
            self.table = _Table(header)
        elif self.columns is not None and labels and labels[-1].x1 > self.header_left:
            self.columns = None  # a line of text, not a row under those columns
        if self.columns is None:
            self._flush()
            self.out.append(line)
            return True
        self._flush(header=header, edge=edge)
        own, group = self._own(labels)
        if own:
            self.out.append(_line(own, line))
            self.label_span = (min(w.x0 for w in own), max(w.x1 for w in own))
        assert self.table is not None
        self.table.numbers.extend(values)
        self.pending = _Waiting(line["top"], tuple(values), self.table)
        self.after = [_line(group, line)] if group else []
        return True

    def _own(self, labels: list[Word]) -> tuple[list[Word], list[Word]]:
        """The words of the row's own label, and those of a group label beside it (（四）
        无法提供 centred on its block of rows, one character a line 三、本年度…): the own
        label stands where the last row's did, a group label left of it."""
        if self.label_span is None:
            return labels, []
        lo, hi = self.label_span
        own = [w for w in labels if min(w.x1, hi) - max(w.x0, lo) > 0]
        return own, [w for w in labels if w not in own]

    def _header(self, edge: float) -> list[Column] | None:
        """The columns the header words in the lines above a row name (right of the row's
        label), when they are the official column headers."""
        heads = [w for _, found in self._header_band(edge) for w in found if w.x0 >= edge]
        if len(heads) > _MAX_HEADS:
            return None  # no table's header: a page of something else (and bounded work)
        stacks = _stacks([w for w in heads if not _spans(w, heads)])
        named = [_named(stack) for stack in stacks]
        first = next((i for i, n in enumerate(named) if n is not None), len(stacks))
        stacks, named = stacks[first:], named[first:]  # left of the headers: row labels
        if not stacks or sum(n is not None for n in named) * 2 < len(stacks):
            return None
        stacks = [n[1] if n else s for n, s in zip(named, stacks, strict=True)]
        self.header_left = min(w.x0 for w in stacks[0])
        spans = [(min(w.x0 for w in s), max(w.x1 for w in s)) for s in stacks]
        centers = [(lo + hi) / 2 for lo, hi in spans]
        columns = []
        for i, (lo, hi) in enumerate(spans):
            left = (centers[i - 1] + centers[i]) / 2 if i else max(edge, lo - (hi - lo) / 2)
            right = (centers[i] + centers[i + 1]) / 2 if i + 1 < len(spans) else 2 * hi - lo
            found = named[i]
            label = found[0] if found else "".join(w.text for w in stacks[i])
            columns.append(Column(min(left, lo), max(right, hi), label))
        if len(columns) == 1:  # one column: it holds everything right of the labels
            columns = [Column(columns[0].lo, float("inf"), label)]
        return columns

    def _continues(self, found: list[Word]) -> bool:
        """Whether a line is the end of the label above it: left of the column headers,
        some of it where the row's label stands, and no numbering of its own (（三）, 1.,
        一、 start a label)."""
        if not found or self.columns is None or found[-1].x1 > self.header_left:
            return False
        own, _ = self._own(found)
        return bool(own) and all(split_number(norm(w.text))[0] is None for w in own)

    def _band_start(self, edge: float) -> int:
        """Where the lines above a row that may hold its table's header start: after the
        last line of text running from the labels into the columns (a heading, a sentence),
        and no more than ``_HEADER_LINES`` up."""
        start = 0
        for index, (_, found) in enumerate(self.band):
            if any(w.x0 < edge < w.x1 or _is_value(w) for w in found):
                start = index + 1
        return max(start, len(self.band) - _HEADER_LINES)

    def _header_band(self, edge: float) -> list[tuple[Line, list[Word]]]:
        return self.band[self._band_start(edge) :]

    def _flush(self, header: list[Column] | None = None, edge: float = 0.0) -> None:
        """Hand on the row waiting for its label's last lines, and the lines since: a
        label's wrapped end (no numbering of its own) goes before the row's numbers; the
        header words go as one row of header cells, the words left of them as text."""
        start = self._band_start(edge) if header is not None else len(self.band)
        lines = self.band
        self.band = []
        if self.pending is not None:
            while lines and start > 0 and self._continues(lines[0][1]):
                line, found = lines.pop(0)
                own, group = self._own(found)
                self.out.append(_line(own, line))
                if group:
                    self.after.append(_line(group, line))
                start -= 1
            self.out.append(self.pending)
            self.out.extend(self.after)
            self.pending, self.after = None, []
        self.out.extend(line for line, _ in lines[:start])
        if header is None:
            return
        band = lines[start:]
        last = max((i for i, (_, f) in enumerate(band) if any(w.x0 >= edge for w in f)), default=-1)
        for index, (line, found) in enumerate(band):
            left = [w for w in found if w.x0 < edge]
            if left:
                self.out.append(_line(left, line))
            if index == last:  # the header's last line: the header comes before the labels
                cells = tuple((c.label, i + 1) for i, c in enumerate(header))
                self.out.append(PlacedRow(line["top"], cells))


def _settled(row: _Waiting, size: float) -> PlacedRow:
    """The row's cells, blank where a column has no number: each number in the column
    whose span holds it, or else in the column its fellows in other rows stand in; the
    numbers without columns when that does not settle them all."""
    spots = _by_header(row.values, row.table.columns, size)
    if None in spots:
        spots = _by_fellows(row.values, row.table, size)
    if None in spots or len(set(spots)) < len(spots):
        return PlacedRow(row.top, tuple((w.text, None) for w in row.values))
    texts = {spot: word.text for spot, word in zip(spots, row.values, strict=True)}
    return PlacedRow(
        row.top, tuple((texts.get(i, ""), i + 1) for i in range(len(row.table.columns)))
    )


def _by_header(values: Sequence[Word], columns: list[Column], size: float) -> list[int | None]:
    """Each number's column by the header's spans: ``None`` for one over a border."""
    margin = _EDGE * size
    spots: list[int | None] = []
    for word in values:
        inside = [
            i
            for i, c in enumerate(columns)
            if c.lo + margin <= word.x0 and word.x1 <= c.hi - margin
        ]
        spots.append(inside[0] if len(inside) == 1 else None)
    return spots


def _by_fellows(values: Sequence[Word], table: _Table, size: float) -> list[int | None]:
    """Each number's column by the numbers of all rows: they stand in as many aligned
    groups as there are columns (a short header left-aligned over numbers set right
    leaves them over the border of its span), the groups in the columns' order, and no
    group says otherwise than the header where the header is clear."""
    if len(table.numbers) > _MAX_NUMBERS:
        return [None] * len(values)  # no report's table: bounded work on a hostile page
    groups = _groups(table.numbers)
    if len(groups) != len(table.columns) or not all(_aligned(g, size) for g in groups):
        return [None] * len(values)
    for index, group in enumerate(groups):
        if any(spot not in (None, index) for spot in _by_header(group, table.columns, size)):
            return [None] * len(values)
    where = {id(w): index for index, group in enumerate(groups) for w in group}
    return [where.get(id(word)) for word in values]


def _groups(numbers: list[Word]) -> list[list[Word]]:
    """Numbers whose spans overlap, one group a column, left to right."""
    groups: list[list[Word]] = []
    for word in sorted(numbers, key=lambda w: w.x0):
        if groups and word.x0 < max(w.x1 for w in groups[-1]):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _aligned(group: list[Word], size: float) -> bool:
    """Whether numbers stand aligned as a column's do: on one left edge, centre or right edge."""
    tolerance = _ALIGNED * size

    def spread(values: list[float]) -> float:
        return max(values) - min(values)

    return (
        min(
            spread([w.x0 for w in group]),
            spread([w.center for w in group]),
            spread([w.x1 for w in group]),
        )
        <= tolerance
    )


def _spans(word: Word, heads: list[Word]) -> bool:
    """A group header over several columns (申请人情况): it overlaps two words that do not
    overlap each other."""
    under = [h for h in heads if h is not word and _overlap(h, word)]
    return any(not _overlap(a, b) for a in under for b in under if a is not b)


def _overlap(a: Word, b: Word) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _stacks(heads: list[Word]) -> list[list[Word]]:
    """Header words one above the other (a header wrapped in its cell), left to right."""
    stacks: list[list[Word]] = []
    for word in sorted(heads, key=lambda w: w.x0):
        joined = [s for s in stacks if any(_overlap(word, w) for w in s)]
        for stack in joined[1:]:
            joined[0].extend(stack)
            stacks.remove(stack)
        if joined:
            joined[0].append(word)
        else:
            stacks.append([word])
    for stack in stacks:
        stack.sort(key=lambda w: (w.top, w.x0))
    return sorted(stacks, key=lambda s: min(w.x0 for w in s))


def _named(stack: list[Word]) -> tuple[str, list[Word]] | None:
    """The official column label a stack of header words reads as, and its words (a run
    of the stack: a group header centred over the column may stand above it)."""
    for start in range(len(stack)):
        for end in range(len(stack), start, -1):
            text = "".join(w.text for w in stack[start:end])
            if canon(text) in _column_labels():
                return text, stack[start:end]
    return None
