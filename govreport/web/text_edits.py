"""Whole numbers changed in the facts text where they stand, instead of dumping the tree.

Most edits in the editor and the service are a table cell typed over: ``3`` becomes
``5``. ruamel.yaml's dump of the whole round-trip tree takes three quarters of a
save's time; replacing the digits in the text at the place ruamel read them from is
a hundred times cheaper and leaves every other byte as it was. It is used only where
it is exactly right: a plain decimal integer replaced by another, in a tree whose
positions index the text being edited. Anything else (a text, a fee, a cell that was
empty, a new key) goes to the dump. And every spliced text is read back: it must hold
exactly what the tree holds, or the dump is used after all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..diagnostics import Source
from ..errors import GovReportError
from ..facts.reading import parse

_INTEGER_TOKEN = re.compile(r"[+-]?\d+(?=[\s,\]}#]|$)")


@dataclass(frozen=True)
class NumberEdit:
    """One integer of the tree replaced: where ruamel read it, what it was, what it is."""

    line: int
    column: int
    old: int
    new: int


def number_edit(node: Any, key: Any, old: Any, new: Any) -> NumberEdit | None:
    """The edit of ``node[key]`` from ``old`` to ``new`` when both are plain integers and
    ruamel knows where ``old`` stands; else ``None`` (the tree must be dumped)."""
    if type(old) is not int or type(new) is not int:  # ScalarInt: hex, 1_000 … keep theirs
        return None
    position = _position(node, key)
    return None if position is None else NumberEdit(*position, old, new)


@dataclass(frozen=True)
class Spliced:
    """The text with the edits made, and what the facts loader read from it (the check
    that follows uses it rather than reading the text again)."""

    text: str
    read: tuple[dict[str, Any], Source]


def spliced(
    text: str, tree: CommentedMap, edits: list[NumberEdit], file: str | None = None
) -> Spliced | None:
    """``text`` with every edit made in place, the tree's positions moved to match; or
    ``None`` when any edit is not where and what it should be, or the result does not
    read back as exactly the tree."""
    lines = text.split("\n")
    # right to left: a splice moves what stands right of it, never an edit still to make
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        if not 0 <= edit.line < len(lines):
            return None
        line = lines[edit.line]
        found = _INTEGER_TOKEN.match(line, edit.column)
        if found is None or int(found.group()) != edit.old:
            return None
        digits = str(edit.new)
        lines[edit.line] = line[: found.start()] + digits + line[found.end() :]
        _shift(tree, edit.line, edit.column, len(digits) - len(found.group()))
    result = "\n".join(lines)
    try:
        read = parse(result, file=file)
    except GovReportError:
        return None
    return Spliced(result, read) if _same(read[0], tree) else None


def _position(node: Any, key: Any) -> tuple[int, int] | None:
    try:
        if isinstance(node, CommentedMap):
            where = node.lc.data.get(key)
            return None if where is None else (where[2], where[3])
        if isinstance(node, CommentedSeq):
            where = node.lc.data.get(key)
            return None if where is None else (where[0], where[1])
    except (AttributeError, IndexError, TypeError):
        return None
    return None


def _shift(node: Any, line: int, column: int, delta: int) -> None:
    """Every position on ``line`` right of ``column`` moved by ``delta`` characters."""
    if not delta or not isinstance(node, (CommentedMap, CommentedSeq)):
        return
    for where in node.lc.data.values():
        for index in range(0, len(where) - 1, 2):
            if where[index] == line and where[index + 1] > column:
                where[index + 1] += delta
    for child in node.values() if isinstance(node, CommentedMap) else node:
        _shift(child, line, column, delta)


def _same(read: Any, held: Any) -> bool:
    """The facts loader's value and ruamel's are the same value (a Decimal read and a
    float held, a plain str and a ruamel string)."""
    if isinstance(read, dict):
        return (
            isinstance(held, dict)
            and read.keys() == held.keys()
            and all(_same(read[key], held[key]) for key in read)
        )
    if isinstance(read, list):
        return (
            isinstance(held, list)
            and len(read) == len(held)
            and all(_same(a, b) for a, b in zip(read, held, strict=True))
        )
    if isinstance(read, Decimal) and isinstance(held, float):
        return read == Decimal(repr(float(held)))
    if isinstance(read, bool) or isinstance(held, bool) or read is None or held is None:
        return read is held
    return _kin(read, held) and bool(read == held)


def _kin(read: Any, held: Any) -> bool:
    """The same kind of value (an int is not a str that looks like it)."""
    kinds = (bool, int, float, str, dt.datetime, dt.date)
    return any(isinstance(read, kind) and isinstance(held, kind) for kind in kinds)
