"""The sheet names of a folder workbook: each says which agency it is.

Agencies of one 政务公开办 often share a short name (every district has its
区工信局), and ``区工信局`` beside ``区工信局(2)`` leaves the reader guessing. A sheet
is named by the agency's short name while that is unique in the workbook; agencies
that share it are named by their full names, then by full name and year (one
agency's two years), then by short name and facts file name — the first of these
that tells them apart — and only then numbered. Names keep to Excel's rules: at most
31 characters, none of ``[]:*?/\\``, no apostrophe at either end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..facts.model import Facts
from .sheets import SHEET_NAME_FORBIDDEN, SHEET_NAME_LIMIT, SUMMARY_SHEET

_NAMINGS: tuple[Callable[[str, Facts], str], ...] = (
    lambda stem, facts: facts.agency.short_name or facts.agency.name,
    lambda stem, facts: facts.agency.name,
    lambda stem, facts: f"{facts.agency.name} {facts.year}",
    lambda stem, facts: f"{facts.agency.short_name or facts.agency.name}（{stem}）",
)


def sheet_names(agencies: Sequence[tuple[str, Facts]]) -> list[str]:
    """One Excel-safe, unique, telling sheet name per (facts file stem, facts)."""
    names = [clean(_NAMINGS[0](stem, facts)) for stem, facts in agencies]
    for naming in _NAMINGS[1:]:
        for group in _clashes(names):
            better = [clean(naming(*agencies[i])) for i in group]
            if len(set(better)) > len(set(names[i] for i in group)):
                for i, name in zip(group, better, strict=True):
                    names[i] = name
    return _numbered(names)


def clean(name: str) -> str:
    """``name`` within Excel's rules for a sheet name."""
    safe = "".join("_" if ch in SHEET_NAME_FORBIDDEN else ch for ch in name)
    safe = " ".join(safe.split())  # no line breaks or tabs in a tab's name
    return safe[:SHEET_NAME_LIMIT].strip().strip("'").strip() or "单位"


def _clashes(names: list[str]) -> list[list[int]]:
    """The indexes of names that occur more than once (or are the summary's), by name."""
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(name.casefold(), []).append(i)
    return [g for key, g in groups.items() if len(g) > 1 or key == SUMMARY_SHEET.casefold()]


def _numbered(names: list[str]) -> list[str]:
    """Names still alike after every naming get ``(2)``, ``(3)`` …; Excel compares sheet
    names ignoring case."""
    taken = {SUMMARY_SHEET.casefold()}
    found: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate.casefold() in taken:
            suffix = f"({n})"
            candidate = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            n += 1
        taken.add(candidate.casefold())
        found.append(candidate)
    return found


def quote_sheet(name: str) -> str:
    """``name`` as a formula or link names a sheet: quoted, an apostrophe in it doubled."""
    return "'" + name.replace("'", "''") + "'"
