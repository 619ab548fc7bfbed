"""What the audit did not read for certain, so that no finding blames the report for it.

Import says where it could not read a report: an error (I5) at a cell, a row or a
table it found but could not read, an error (I8) at a table it did not find, and
cells it split from run-together digits by assumption (``PrintedCell.assumed``, I9).
A finding that compares such a cell is about the reading, not the report: R8 (a number
the narrative quotes against the table) is not raised at all, and the 表格对照 sheet
shows such a cell as 未读取, never as the 0 the facts hold for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..checks import NONE_RECEIVED, QUOTED_NUMBERS
from ..diagnostics import ERROR, Problem
from .sources import Published

#: Import's codes for what it could not read (as errors) or did not find.
UNREAD_CODES = frozenset({"I5", "I8"})
#: Table paths of the figures R8 compares that are no facts path of their own.
_COMPOSITE: dict[tuple[str, ...], tuple[str, ...]] = {("reviews", "litigation_total"): ("reviews",)}
_RECEIVED = ("requests", "received")


def _related(a: tuple, b: tuple) -> bool:
    """Whether one path contains the other (a table and its cells, a row and its cells)."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def unread_paths(published: Published, *, assumed: bool = True) -> list[tuple]:
    """The cells, rows and tables import could not read or found nowhere, and (with
    ``assumed``) the cells it read from digits split by assumption."""
    paths = [
        tuple(p.path)
        for p in published.problems
        if p.code in UNREAD_CODES and p.severity == ERROR and p.path
    ]
    if assumed:
        paths += [path for path, cell in published.cells.items() if getattr(cell, "assumed", False)]
    return paths


def is_unread(published: Published, path: tuple, unread: Iterable[tuple] | None = None) -> bool:
    """Whether the cell (row, table) at ``path`` touches anything import did not read."""
    found = unread_paths(published) if unread is None else unread
    return any(_related(tuple(path), other) for other in found)


def is_assumed(published: Published, path: tuple) -> bool:
    cell = published.cells.get(tuple(path))
    return bool(getattr(cell, "assumed", False))


def compared_path(problem: Problem) -> tuple | None:
    """The table path an R8 problem compared the narrative with (from the words it quotes)."""
    quote = str(problem.values.get("quote", ""))
    if not quote:
        return None
    if "said" not in problem.values and NONE_RECEIVED.search(quote):
        return _RECEIVED
    for quoted in QUOTED_NUMBERS:
        if quoted.pattern.search(quote):
            path = tuple(quoted.placeholder.split("."))
            return _COMPOSITE.get(path, path)
    return None


def rests_on_unread(published: Published, problem: Problem, unread: list[tuple]) -> bool:
    """An R8 whose table cells were not read (or the table was not found): the narrative
    cannot be compared with them, so nothing is said about the report."""
    if problem.code != "R8":
        return False
    path = compared_path(problem)
    return path is None or is_unread(published, path, unread)
