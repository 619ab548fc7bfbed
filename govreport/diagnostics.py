"""What checks report: a problem with its rule, its cell and its place in the file.

``Source`` (where each YAML path of a facts file stands) lives here beside
``Problem`` rather than with the YAML reader: every stage that reports a problem
needs it, and the reader is only one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from . import official as fmt

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}
YamlPath = tuple[Any, ...]


class Mark(NamedTuple):
    """1-based line and column of a value (and of its key, for mapping entries); a named
    tuple, as a file has one per value and a frozen dataclass is slower to build."""

    line: int
    column: int
    key_line: int | None = None
    key_column: int | None = None
    #: For a literal block text (``key: |``), the line its first non-blank line stands on:
    #: line N of the loaded text is then on line ``text_line + N - 1`` of the file.
    text_line: int | None = None


@dataclass
class Source:
    """Where the facts came from, and where each YAML path stands in it."""

    file: str | None = None
    marks: dict[YamlPath, Mark] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest ancestor present in the file."""
        path = tuple(path)
        while path:
            mark = self.marks.get(path) or self.marks.get(_as_list_path(path))
            if mark:
                if key and mark.key_line is not None:
                    return mark.key_line, mark.key_column
                return mark.line, mark.column
            path, key = path[:-1], True
        return None, None

    def text_line(self, path: YamlPath, line_in_text: int) -> int | None:
        """The file line of line ``line_in_text`` (from 1) of the text at ``path``.

        Exact inside a literal block (``|``); for any other text, the line its value starts on.
        """
        mark = self.marks.get(tuple(path))
        if mark is not None and mark.text_line is not None:
            return mark.text_line + line_in_text - 1
        return self.locate(path)[0]

    def has(self, path: YamlPath) -> bool:
        return tuple(path) in self.marks or _as_list_path(tuple(path)) in self.marks


def _as_list_path(path: YamlPath) -> YamlPath:
    """A ROW may be written as a list: ``received.business`` is ``received[1]`` then."""
    keys = [c.key for c in fmt.APPLICANT_COLUMNS]
    if path and path[-1] in keys:
        return (*path[:-1], keys.index(path[-1]))
    return path


class Located(Protocol):
    """Anything read from a file that can say where its values stand (the facts, say)."""

    @property
    def source(self) -> Source | None: ...


@dataclass(frozen=True)
class Problem:
    """One finding. ``label`` names the official row and column; ``path`` the YAML keys.

    ``message`` is said to the author of a facts file. What a program needs stands beside it,
    so that nothing has to be read back out of the Chinese wording:

    - ``values``: the numbers (or dates, years, quoted words) the rule compared, by name —
      each rule's docstring says which (``stated``/``computed`` for R2–R4, ``left``/``right``
      for R1, ``quote`` for a finding about the narrative …);
    - ``reader_message``: the message said of a published report, when it differs (no key to
      fill, no placeholder to write); empty when ``message`` serves both.

    Neither is part of the problem's identity, of ``format()`` or of ``to_dict()``.
    """

    code: str
    severity: str
    message: str
    path: tuple[str | int, ...] = ()
    label: str = ""
    line: int | None = None
    column: int | None = None
    file: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    reader_message: str = field(default="", compare=False, repr=False)

    @property
    def yaml_path(self) -> str:
        return ".".join(str(p) for p in self.path)

    def format(self, with_file: bool = True) -> str:
        where = []
        if with_file and self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"第 {self.line} 行")
        place = " ".join(where)
        head = f"{place} " if place else ""
        label = f"【{self.label}】" if self.label else ""
        return f"{head}{SEVERITY_LABELS[self.severity]} {self.code} {label}{self.message}"

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.yaml_path,
            "label": self.label,
            "line": self.line,
            "column": self.column,
            "file": self.file,
        }


class ProblemReport:
    """Anything that carries ``problems``: a check, an import, a file in a batch."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """What must be fixed: the report is refused (or incomplete) while these stand."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """What a reviewer would question; the report is still produced."""
        return [p for p in self.problems if p.severity == WARNING]


def sort_key(problem: Problem) -> tuple:
    """Problems are listed in file order; those without a line come last."""
    return (
        problem.file or "",
        problem.line is None,
        problem.line or 0,
        problem.column or 0,
        problem.code,
    )


def problem(
    facts: Located,
    code: str,
    severity: str,
    message: str,
    path: tuple,
    label: str | None = None,
    *,
    values: Mapping[str, Any] | None = None,
    reader_message: str = "",
) -> Problem:
    """A problem at ``path`` of ``facts``, located in its source file and labelled."""
    source: Source = facts.source or Source()
    line, column = source.locate(path)
    label = fmt.describe(path) if label is None else label
    return Problem(
        code,
        severity,
        message,
        path,
        label,
        line,
        column,
        source.file,
        dict(values or {}),
        reader_message,
    )
