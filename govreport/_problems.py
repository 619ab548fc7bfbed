"""What checks report: a problem with its rule, its cell and its place in the file."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from . import _format as fmt
from ._loader import Source

if TYPE_CHECKING:
    from ._model import Facts

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Problem:
    """One finding. ``label`` names the official row and column; ``path`` the YAML keys."""

    code: str
    severity: str
    message: str
    path: tuple[str | int, ...] = ()
    label: str = ""
    line: int | None = None
    column: int | None = None
    file: str | None = None

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
        data = asdict(self)
        data["path"] = self.yaml_path
        return data


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
    facts: Facts, code: str, severity: str, message: str, path: tuple, label: str | None = None
) -> Problem:
    """A problem at ``path`` of ``facts``, located in its source file and labelled."""
    source: Source = facts.source or Source()
    line, column = source.locate(path)
    label = fmt.describe(path) if label is None else label
    return Problem(code, severity, message, path, label, line, column, source.file)
