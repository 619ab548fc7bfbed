"""The one place the audit meets import: which files to read, and what a report holds.

``read_published`` is an adapter over ``import_report``: everything the audit needs
from a published report comes through it, so when import learns more only this module
changes. What the audit relies on (see also ``docs/audit.md``, 与导入的接口):

- ``import_report(path) -> ImportResult`` with ``.facts`` (as printed: a ``total`` is kept
  wherever the printed total differs from the sum of the printed cells, so check's R2–R4
  judge the printed totals), ``.problems``, ``.trial_format``; and optionally ``.cells``
  (``PrintedCell(text, number, page)`` by facts path; ``number`` is ``None`` for a blank
  or a mark), ``.pages`` (page by facts path), ``.paragraphs`` ((section, text, page) in
  document order) and ``.published_from`` (``"closing"``, ``"page"`` or ``None``);
- ``InputError`` for a file that cannot be read, and its subclass ``NotAReport`` for a
  readable file that is no 年度报告 (a README, a notice): such a file found in a folder is
  skipped, not counted as unreadable;
- import's codes, by code, severity and path (never by the wording of the message): ``I1`` a
  cell printed blank or as a mark (R9), ``I2`` label drift (L1), ``I5`` something present
  but unreadable (U1) — except as a warning on a whole table, a missing heading with the
  table read by its content (M1) —, ``I9`` digits split one a cell by assumption (U1; the
  cells carry ``PrintedCell.assumed``), ``I10`` a count printed negative or fractional
  (V1), ``I8`` a section or table not found (M1), ``I6`` on ``published`` a date taken
  from the web page (D4); anything else is a note (N1).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import official as fmt
from ..diagnostics import Problem
from ..errors import GovReportError
from ..facts.model import Facts
from ..importing import NotAReport, import_report

#: Narrative sections, in report order (the tables' sections hold no paragraphs of their own).
NARRATIVE_SECTIONS = ("overview", "problems", "other_matters")
_FALLBACK_SUFFIXES = (".docx", ".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text")
#: Text files in a folder are reports only if they speak of 信息公开 (a README is not).
_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml"})
_REPORT_WORD = "信息公开"
_SNIFF_BYTES = 1 << 20


def agency_known(name: str) -> bool:
    """False for the placeholder import writes when a report names no agency it can read."""
    from ..importing import report

    return bool(name) and name != getattr(report, "UNKNOWN_NAME", None)


def readable_suffixes() -> frozenset[str]:
    """The file suffixes import reads (asked of import, so a new reader is picked up)."""
    from ..importing import report

    readers = getattr(report, "READERS", None) or dict.fromkeys(_FALLBACK_SUFFIXES)
    return frozenset(s.lower() for s in readers) | {".pdf"}


@dataclass(frozen=True)
class Paragraph:
    """A narrative paragraph: the facts path of its item, its number there, its text."""

    path: tuple[str, ...]
    number: int
    text: str
    page: int | None = None

    @property
    def section(self) -> str:
        return self.path[0]

    @property
    def place(self) -> str:
        return f"{fmt.describe(self.path)} 第 {self.number} 段"


@dataclass
class Published:
    """A published report as the audit sees it."""

    path: Path
    facts: Facts
    problems: list[Problem]
    paragraphs: list[Paragraph]
    trial_format: bool = False
    pages: dict[tuple, int] = field(default_factory=dict)
    cells: dict[tuple, Any] = field(default_factory=dict)  # import's PrintedCell by facts path
    date_from_page: bool = False  # no 落款 date: ``published`` is the web page's date

    def page_of(self, path: tuple | str) -> int | None:
        """The PDF page of a cell, or of the first cell of a row or table."""
        keys = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
        for length in range(len(keys), 0, -1):
            if keys[:length] in self.pages:
                return self.pages[keys[:length]]
        inside = [page for key, page in self.pages.items() if key[: len(keys)] == keys]
        return min(inside) if keys and inside else None

    def page_of_text(self, quote: str) -> int | None:
        """The PDF page of the first paragraph that holds ``quote`` (spaces ignored)."""
        wanted = "".join(quote.split())
        for paragraph in self.paragraphs:
            if paragraph.page is not None and wanted in "".join(paragraph.text.split()):
                return paragraph.page
        return None

    def printed(self, path: tuple) -> Any:
        """A table cell as printed: its number, the mark printed in place of one ("/", "—",
        "（空白）"), or ``None`` when import gives no printed cells."""
        cell = self.cells.get(path)
        if cell is None:
            return None
        if cell.number is not None:
            return cell.number
        return cell.text.strip() or "（空白）"


class Unreadable(GovReportError):
    """A file given to the audit that cannot be read as a report; ``not_a_report`` when
    import read it and found some other document (a README, minutes, a notice)."""

    exit_code = 2

    def __init__(self, message: str, *, not_a_report: bool = False):
        super().__init__(message)
        self.not_a_report = not_a_report


@dataclass(frozen=True)
class Failure:
    """Why a file could not be audited; ``not_a_report`` when it is some other document."""

    message: str
    not_a_report: bool = False


def read_published(path: Path) -> Published:
    """Read one report; ``Unreadable`` (with import's Chinese message) when it cannot be."""
    try:
        result = import_report(path)
    except GovReportError as exc:
        raise Unreadable(exc.format_message(), not_a_report=isinstance(exc, NotAReport)) from None
    except Exception as exc:  # a reader's bug must not stop the other reports
        raise Unreadable(f"{path}：读取时出错（{type(exc).__name__}），未能审核") from None
    pages: dict[tuple, int] = dict(getattr(result, "pages", None) or {})
    for problem in result.problems:
        page = getattr(problem, "page", None)
        if page is not None:
            pages.setdefault(tuple(problem.path), page)
    guessed = any(p.code == "I6" and tuple(p.path) == ("published",) for p in result.problems)
    return Published(
        path=path,
        facts=result.facts,
        problems=list(result.problems),
        paragraphs=list(_paragraphs(result)),
        trial_format=bool(result.trial_format),
        pages=pages,
        cells=dict(getattr(result, "cells", None) or {}),
        date_from_page=getattr(result, "published_from", None) == "page" or guessed,
    )


def read_many(paths: list[Path], jobs: int | None = None) -> list[Published | Failure]:
    """Each report read, or why it could not be, in order; ``jobs`` processes share the
    files (a PDF takes pdfplumber a second or two, a text file milliseconds)."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(paths) <= 1:
        return [_read_or_say(path) for path in paths]
    size = max(1, min(8, len(paths) // (jobs * 4)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(min(jobs, len(chunks)), initializer=_ignore_interrupt) as pool:
        return [item for chunk in pool.map(_read_chunk, chunks) for item in chunk]


def _read_chunk(paths: list[Path]) -> list[Published | Failure]:
    return [_read_or_say(path) for path in paths]


def _read_or_say(path: Path) -> Published | Failure:
    try:
        return read_published(path)
    except Unreadable as exc:
        return Failure(exc.format_message(), exc.not_a_report)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops the audit cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _paragraphs(result: Any) -> Iterator[Paragraph]:
    """The narrative paragraph by paragraph: import's own list when it gives one, else the
    facts' texts cut at line breaks."""
    given = getattr(result, "paragraphs", None)
    if given:
        numbers: dict[str, int] = {}
        for section, text, page in given:
            if section in NARRATIVE_SECTIONS and text.strip():
                numbers[section] = numbers.get(section, 0) + 1
                yield Paragraph((section,), numbers[section], text.strip(), page)
        return
    for path, text in result.facts.texts():
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        for number, line in enumerate(lines, start=1):
            yield Paragraph(tuple(path), number, line)


# --------------------------------------------------------------------------- finding files


@dataclass(frozen=True)
class Found:
    """A file to audit, and whether the user named it (rather than a folder holding it)."""

    path: Path
    named: bool


def find_reports(paths: Iterable[Path]) -> tuple[list[Found], list[tuple[Path, str]]]:
    """The report files named and those in the folders named (recursively), each once.

    A folder reached twice through symbolic links is walked once; hidden files, files
    import does not read (``.json``, ``.tsv`` …) and text files that never mention
    信息公开 inside folders are passed over. A file named explicitly is always tried.
    Returns the files and the paths that do not exist.
    """
    suffixes = readable_suffixes()
    found: dict[Path, Found] = {}
    missing: list[tuple[Path, str]] = []
    seen_dirs: set[tuple[int, int]] = set()
    for path in map(Path, paths):
        if path.is_dir():
            for file in _walk(path, suffixes, seen_dirs):
                found.setdefault(_identity(file), Found(file, named=False))
        elif path.exists():
            key = _identity(path)
            found[key] = Found(found[key].path if key in found else path, named=True)
        else:
            missing.append((path, "文件或文件夹不存在"))
    return list(found.values()), missing


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop on the file itself
        return path.absolute()


def _walk(folder: Path, suffixes: frozenset[str], seen: set[tuple[int, int]]) -> Iterator[Path]:
    try:
        stat = folder.stat()
    except OSError:
        return
    key = (stat.st_dev, stat.st_ino)
    if key in seen:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(path, suffixes, seen)
        elif is_file and path.suffix.lower() in suffixes and _may_be_report(path):
            yield path


def _may_be_report(path: Path) -> bool:
    """False for a text file that never mentions 信息公开 (in UTF-8 or GB18030)."""
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return True  # let the reader say why it cannot be read
    return any(_REPORT_WORD.encode(enc) in head for enc in ("utf-8", "gb18030", "utf-16-le"))
