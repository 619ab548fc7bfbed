"""Which files a command works on: the facts files named, and those in the folders named."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..template_sets.set_files import METADATA

FACTS_SUFFIXES = (".yaml", ".yml")


def find_facts(paths: Iterable[str | Path]) -> list[Path]:
    """The facts files named, and those found (recursively) in the folders named.

    Template-set folders (they hold ``set.yaml``) and hidden folders are skipped.
    Each folder is entered once and each file read once, however many links
    lead to it (a link loop ends where it started).
    """
    found: list[Path] = []
    seen_files: set[tuple[int, int]] = set()
    seen_folders: set[tuple[int, int]] = set()
    for path in map(Path, paths):
        candidates = sorted(_walk(path, seen_folders)) if path.is_dir() else [path]
        for candidate in candidates:
            identity = _identity(candidate)
            if identity is None or identity not in seen_files:
                found.append(candidate)
                if identity is not None:
                    seen_files.add(identity)
    return found


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file or folder ``path`` leads to; ``None`` when it is missing."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path]:
    identity = _identity(folder)
    if identity is None or identity in seen or (folder / METADATA).is_file():
        return
    seen.add(identity)
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen)
        elif entry.suffix.lower() in FACTS_SUFFIXES:
            yield entry
