"""Agency names as the audit compares them: across reports, years and the agency list.

Agencies are matched by name with width and spaces ignored, and with or without the
name of the city or province before it (某区人民政府 is 某市某区人民政府). A
government's own departments are named after its place, not after a place below it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Generic, TypeVar

_NAME_NOISE = re.compile(r"[\s\u3000·•（）()]")
#: the places a name may be prefixed with: 某省, 某市, 某自治州 … (at most two of them)
_PLACE_PREFIX = re.compile(r"^(?:[^\W\d_]{1,8}?(?:省|自治区|市|自治州|州|地区|盟)){1,2}$")
#: a department of a place below the government's own (某市某区财政局 under 某市人民政府)
_SUB_PLACE = re.compile(r"^[^\W\d_]{1,6}?(?:自治县|区|县|旗)")
T = TypeVar("T")


def agency_key(name: str) -> str:
    """An agency name as compared across reports: width and spaces ignored."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))


def same_agency(a: str, b: str) -> bool:
    """The same agency, with or without the place names before it (X区人民政府 and
    Y市X区人民政府): the longer name is the shorter one with only places before it."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= 4
        and long.endswith(short)
        and bool(_PLACE_PREFIX.match(long[: len(long) - len(short)]))
    )


def is_child(government: str, department: str) -> bool:
    """Whether ``department`` is one of the government's own departments: named after the
    government's place (without 人民政府), and not after a place below it."""
    place = government.removesuffix("人民政府")
    if len(place) < 2 or place == government or not department.startswith(place):
        return False
    return not _SUB_PLACE.match(department[len(place) :])


def shorter_forms(key: str) -> list[str]:
    """The names ``key`` is with place names before it: 某市某区人民政府 gives
    某区人民政府 (never shorter than four characters, as ``same_agency`` asks)."""
    return [key[i:] for i in range(1, len(key) - 3) if _PLACE_PREFIX.match(key[:i])]


class NameIndex(Generic[T]):
    """Values found by agency name as ``same_agency`` matches names, without comparing
    every name with every other: a province's run has thousands of agencies."""

    def __init__(self) -> None:
        self._full: dict[str, list[tuple[int, T]]] = defaultdict(list)
        self._short: dict[str, list[tuple[int, T]]] = defaultdict(list)  # by shorter forms
        self._added = 0

    def add(self, key: str, value: T) -> None:
        entry = (self._added, value)
        self._added += 1
        self._full[key].append(entry)
        for form in shorter_forms(key):
            self._short[form].append(entry)

    def find(self, key: str) -> list[T]:
        """Every value whose name is ``key``'s agency, in the order they were added."""
        found = dict(self._full.get(key, ()))
        for form in shorter_forms(key):
            found.update(self._full.get(form, ()))
        found.update(self._short.get(key, ()))
        return [found[n] for n in sorted(found)]
