"""What every reader hands to import: the report as paragraphs and table cells, in order.

A .docx, a web page and flattened text look nothing alike, but a report in any of
them is a run of paragraphs and tables. Each reader reduces its format to that, so
the stages after it (sections, tables, narrative) are written once.

A table is a run of cells. A cell knows its row when the source kept rows (a Word
or HTML table, tab-separated text) and its column when the source is a grid; merged
cells appear once, at their first row and column. Flattened text that lost its rows
gives cells without a row, and the table readers fall back to counting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem
from ..errors import InputError


class NotAReport(InputError):
    """The file was read but holds nothing like a 政府信息公开工作年度报告 (no headings,
    no tables): a notice or README in a folder of reports, not a broken report."""


# Problem codes of import (check's codes are R…, D…, Y…; these never clash with them).
CODE_BLANK = "I1"  # a blank cell, "/" or "—" read as 0
CODE_DRIFT = "I2"  # a label that differs from the official wording, read as the official row
CODE_TRIAL = "I3"  # a number of the 2019 trial format read as its 2021 counterpart
CODE_NOT_IMPORTED = "I4"  # something found but not imported (no place for it in the facts)
CODE_MISSING = "I5"  # something the report should have and import could not find or read
CODE_GUESSED = "I6"  # a value taken from a second-best place (web page date, 落款 name)
CODE_SPLIT = "I7"  # digits run together, split where the row's own total makes it certain
CODE_NOT_FOUND = (
    "I8"  # a section or a whole table the report does not have (or import did not find)
)
#: digits run together, split one digit a cell because no other length fits, with no total to
#: confirm it: right only if no blank cell vanished from the text (the cells carry ``assumed``)
CODE_ASSUMED = "I9"
#: a count printed negative or with a fraction (-1, 2.5): read, and wrong in the report
#: itself; the facts hold 0 there (a facts file has only whole non-negative counts)
CODE_NOT_A_COUNT = "I10"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text; a bold lead-in is written ``**…**`` as in the facts file.
    ``page`` is the PDF page it starts on (``None`` for sources without pages)."""

    text: str
    page: int | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, its row (``None`` when the source lost rows), its column,
    and the PDF page it is printed on. ``whole``: one number as printed, its digits seen
    together and apart from any other (a PDF's positions show it), never digits run
    together to be split."""

    text: str
    row: int | None = None
    column: int | None = None
    page: int | None = None
    whole: bool = False


@dataclass(frozen=True)
class Table:
    """A table as read: its cells row by row, merged cells once."""

    cells: tuple[Cell, ...]


Block = Paragraph | Table


@dataclass
class Rows:
    """Hands out row numbers that are unique across one document."""

    counter: Any = field(default_factory=count)

    def next(self) -> int:
        return next(self.counter)


# --------------------------------------------------------------------------- text clean-up

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without what extraction leaves behind: bookmarks, stray control characters,
    exotic line breaks (YAML would read U+2028 as a line break, so it becomes one)."""
    text = _BOOKMARK.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    return _CONTROL.sub("", text)


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－一]+\s*\d{1,4}\s*[-—–－一]+|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


def is_page_number(line: str) -> bool:
    """A page's number standing on its own line (``- 3 -``, ``— 3 —``, ``第 3 页``): page
    furniture that text taken from a PDF keeps, even inside a table."""
    return bool(_PAGE_NUMBER.match(line))


def paragraphs_of(text: str) -> list[Paragraph]:
    """One paragraph per non-blank line of ``text``, trimmed (indents are layout, not text)."""
    return [Paragraph(line.strip()) for line in clean(text).split("\n") if line.strip()]


# --------------------------------------------------------------------------- decoding

# --------------------------------------------------------------------------- problems


def warning(code: str, message: str, path: tuple = (), label: str | None = None) -> Problem:
    """A caveat on what was imported, named by the official label of ``path``."""
    return Problem(code, WARNING, message, path, fmt.describe(path) if label is None else label)


def error(code: str, message: str, path: tuple = (), label: str | None = None) -> Problem:
    """Something import could not read: the facts file is incomplete there."""
    return Problem(code, ERROR, message, path, fmt.describe(path) if label is None else label)


def excerpt(text: str, limit: int = 30) -> str:
    """A short quote of ``text`` for messages."""
    text = text.replace("**", "").strip()
    return text if len(text) <= limit else text[:limit] + "…"
