"""Every check that can still run while the schema refuses some values (F1–F3, R9).

``check`` stops at the schema: a file with one text in a number cell is refused
before any 勾稽关系 is looked at, so the page would show that one error and hide
every other problem of the file. The editor is where the file is being written,
so it shows what it can: the refused values are set aside and the rules run on
the rest. A result must not depend on the values set aside, so the rules run
twice, with each refused number replaced by 0 and then by a large number; only
the problems found the same in both runs, and not at a refused value, are shown.
An R1 of another column stays; the R1 of the refused cell's column (or a quoted
total that includes it) differs between the runs and is left out.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import official as fmt
from ..checks import check
from ..diagnostics import Problem
from ..errors import FactsError, GovReportError
from ..facts.loading import validate
from ..facts.model import Facts
from ..facts.reading import parse
from ..facts.schema import CODE_MISSING
from .form_fields import all_fields

#: What a refused number is replaced by in each run: a result that differs depended on it.
SUBSTITUTES = (0, 1_000_003)
#: A required text left out is written as this, only for the other rules to run.
MISSING_TEXT = "（未填写）"
#: Required values every rule depends on: without them nothing more is said.
ESSENTIAL = {("year",), ("agency", "level"), ("format",)}
_APPLICANT_KEYS = [c.key for c in fmt.APPLICANT_COLUMNS]
_ROUNDS = 4


def still_possible(text: str, file: str, refused: list[Problem]) -> list[Problem]:
    """The problems ``check`` finds in ``text`` that do not depend on a ``refused`` value."""
    try:
        data, source = parse(text, file=file)
    except GovReportError:
        return []
    runs = []
    for substitute in SUBSTITUTES:
        loaded = _loadable(copy.deepcopy(data), source, refused, substitute)
        if loaded is None:
            return []
        facts, set_aside = loaded
        try:
            runs.append((check(facts).problems, set_aside))
        except GovReportError:
            return []
    (first, set_aside), (second, _) = runs
    return [
        p
        for p in first
        if p in second and p not in refused and not _touches(tuple(p.path), set_aside)
    ]


def _loadable(
    data: Any, source: Any, refused: list[Problem], substitute: int
) -> tuple[Facts, list[tuple[Any, ...]]] | None:
    """``data`` with each refused value set aside, validated; ``None`` when it cannot be."""
    set_aside: list[tuple[Any, ...]] = []
    problems = refused
    for _ in range(_ROUNDS):
        for problem in problems:
            path = _normal(tuple(problem.path))
            if path in ESSENTIAL or not isinstance(data, dict):
                return None
            if problem.code == CODE_MISSING:
                _put(data, path, MISSING_TEXT)
            else:
                _replace(data, path, substitute)
            set_aside.append(path)
        try:
            return validate(data, source), set_aside
        except FactsError as exc:
            problems = [p for p in exc.problems if _normal(tuple(p.path)) not in set_aside]
            if not problems:
                return None
    return None


def _normal(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """A path with a list row's index written as its applicant column's key."""
    return tuple(
        _APPLICANT_KEYS[key] if isinstance(key, int) and 0 <= key < len(_APPLICANT_KEYS) else key
        for key in path
    )


def _replace(data: dict, path: tuple[Any, ...], substitute: int) -> None:
    """Every number cell at or below ``path`` set to ``substitute``; anything else removed."""
    cells = [f.path for f in all_fields().values() if f.kind == "number" and _within(f.path, path)]
    _remove(data, path)  # a row written wrongly (seven numbers) is written anew, whole
    for cell in cells:
        _put(data, cell, substitute)


def _within(cell: tuple[str, ...], path: tuple[Any, ...]) -> bool:
    return cell[: len(path)] == path and path not in {("year",)}


def _put(data: dict, path: tuple[Any, ...], value: Any) -> None:
    node: Any = data
    for index, key in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, list) and key in _APPLICANT_KEYS:
            position = _APPLICANT_KEYS.index(key)
            node.extend([0] * (position + 1 - len(node)))
            if last:
                node[position] = value
                return
            node = node[position]
            continue
        if not isinstance(node, dict):
            return
        if last:
            node[key] = value
            return
        if not isinstance(node.get(key), (dict, list)):
            node[key] = {}
        node = node[key]


def _remove(data: dict, path: tuple[Any, ...]) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)


def _touches(path: tuple[Any, ...], set_aside: list[tuple[Any, ...]]) -> bool:
    """Whether a problem is at (or around) a value set aside."""
    return any(path[: len(p)] == p or p[: len(path)] == path for p in set_aside if path)
