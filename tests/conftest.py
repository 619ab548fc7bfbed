"""Shared fixtures for the facts-file tests (loader, schema, checks, CLI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.yaml"))


def _line_of(text: str, needle: str) -> int:
    """The 1-based number of the one line of ``text`` that contains ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}, expected exactly one"
    return hits[0]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.fixture
def line_of() -> Callable[[str, str], int]:
    return _line_of


@pytest.fixture
def replace_once() -> Callable[[str, str, str], str]:
    return _replace_once


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in ``tmp_path`` and return its path."""

    def _write(content: str | bytes, name: str = "facts.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def example_text() -> Callable[[str], str]:
    """The text of ``examples/<name>.yaml``."""

    def _text(name: str) -> str:
        return (EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8")

    return _text


MINIMAL_YAML = """\
agency:
  name: 某某局
year: 2023
published: 2024-01-20
"""


@pytest.fixture
def minimal_yaml() -> str:
    """The smallest facts file that passes every check (a department, all tables 0)."""
    return MINIMAL_YAML
