"""A value the schema refused because of a full-width slip: where the slip stands.

The schema sees ``[5，1, 0, 0, 0, 0]`` as a list of five values and ``year: ２０２３``
as text; its message names the symptom. When the refused value (or a key it does
not know) holds a slip (``facts.slips``), the problem names the character, its
line and column in the file, and what to type instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..diagnostics import Source, YamlPath
from ..errors import InputError
from .reading import read_text
from .slips import Slip, find_slip

#: A value longer than this is a text, where full-width punctuation is right.
_MAX_VALUE_CHARS = 200
#: Strings of one refused value looked at (a huge list is not walked to its end).
_MAX_STRINGS = 200


@dataclass(frozen=True)
class Located:
    """A slip in the file: the message to give and where to point."""

    slip: Slip
    line: int | None
    column: int | None

    def message(self) -> str:
        return self.slip.message(self.line, self.column)


def slip_in_value(path: YamlPath, data: Any, source: Source, *, key: bool) -> Located | None:
    """The first slip in the value at ``path`` (``key``: in the unknown key that ends it)."""
    if key:
        written = path[-1]
        slip = find_slip(written) if isinstance(written, str) else None
        mark = source.marks.get(tuple(path))
        if slip is None:
            return None
        if mark is None or mark.key_line is None:
            return Located(slip, None, None)
        return _located(slip, source, mark.key_line, mark.key_column or 1)
    value = _value_at(data, path)
    if value is None and path and isinstance(_value_at(data, path[:-1]), list):
        path = path[:-1]  # a table 三 row written as a list: its cells are refused by name
        value = _value_at(data, path)
    for where, text in _strings(path, value):
        slip = find_slip(text) if len(text) <= _MAX_VALUE_CHARS else None
        if slip is not None:
            mark = source.marks.get(where)
            if mark is None:
                return Located(slip, None, None)
            return _located(slip, source, mark.line, mark.column)
    return None


def _value_at(data: Any, path: YamlPath) -> Any:
    for step in path:
        if (isinstance(data, dict) and step in data) or (
            isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
        ):
            data = data[step]
        else:
            return None
    return data


def _strings(path: YamlPath, value: Any) -> Iterator[tuple[YamlPath, str]]:
    """Every text within the value (a list's items, a mapping's values), with its path."""
    pending: list[tuple[YamlPath, Any]] = [(tuple(path), value)]
    count = 0
    while pending and count < _MAX_STRINGS:
        where, value = pending.pop(0)
        if isinstance(value, str):
            count += 1
            yield where, value
        elif isinstance(value, list):
            pending += [((*where, i), item) for i, item in enumerate(value[:_MAX_STRINGS])]
        elif isinstance(value, dict):
            pending += [((*where, k), item) for k, item in list(value.items())[:_MAX_STRINGS]]


def _located(slip: Slip, source: Source, line: int, column: int) -> Located:
    """The slip's exact column, from the file's line (the value may be quoted)."""
    text = _line(source.file, line)
    if text is not None:
        found = text.find(slip.char, max(column - 1, 0))
        if found >= 0:
            return Located(slip, line, found + 1)
    return Located(slip, line, column + slip.offset)


def _line(file: str | None, line: int) -> str | None:
    if file is None:
        return None
    try:
        info = os.stat(file)
        lines = _lines(file, info.st_mtime_ns, info.st_size)
    except (OSError, InputError):  # changed or gone since it was read: the value's column
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


@lru_cache(maxsize=2)
def _lines(file: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The file's lines, read once for all the problems of one check."""
    return tuple(read_text(file).split("\n"))
