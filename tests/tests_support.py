"""Helpers shared by the facts-file tests (imported by conftest and the property tests)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from govreport import official as fmt

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.yaml"))

MINIMAL_YAML = """\
agency:
  name: 某某局
year: 2023
published: 2024-01-20
"""

#: Codes of the narrative half (boilerplate standing in, template placeholders), not of the data.
#: Nine levels of aliases, each nine times the one before: 9^9 strings once expanded.
BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
NARRATIVE_CODES = frozenset({"B1", "T1"})

#: A narrative sentence with no number, no year and no plan: no check reads anything in it.
PLAIN_TEXT = "认真做好相关工作。"


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the one line of ``text`` that contains ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}, expected exactly one"
    return hits[0]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def clean_facts_dict(year: int = 2023, level: str = "department") -> dict:
    """A facts dict that passes every check: all tables 0, every narrative item written."""
    return {
        "agency": {"name": "某某局", "level": level},
        "year": year,
        "published": dt.date(year + 1, 1, 20),
        "overview": {key: PLAIN_TEXT for key in fmt.OVERVIEW_KEYS},
        "problems": {t.key: PLAIN_TEXT for t in fmt.PROBLEM_TOPICS},
        "other_matters": {t.key: PLAIN_TEXT for t in fmt.OTHER_MATTER_TOPICS},
    }


def dump_yaml(data: dict) -> str:
    """``data`` as block-style YAML, keys in the order given."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def office_folder(tmp_path: Path, example: str = "busy-2023.yaml") -> Path:
    """A 政务公开办's folder holding one example facts file (what the editor is started on)."""
    root = tmp_path / "公开办"
    root.mkdir()
    shutil.copy(EXAMPLES_DIR / example, root / example)
    return root
