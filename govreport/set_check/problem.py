"""The problem record every check returns, and how a place in a file is named in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..template_sets.sets import TemplateSet

Found = tuple[str, str]  # (where, message)


@dataclass(frozen=True)
class TemplateProblem:
    """One problem: the file, where in it (paragraph, cell, line), and what is wrong."""

    file: str
    where: str
    message: str

    def format(self) -> str:
        """The one line ``templates check`` prints for the problem."""
        where = f" {self.where}" if self.where else ""
        return f"{self.file}{where}：{self.message}"


def problems_in(label: str, found: list[Found]) -> list[TemplateProblem]:
    """Checks of one file find (where, message) pairs; the file's ``label`` makes them problems."""
    return [TemplateProblem(label, where, message) for where, message in found]


def excerpt(text: str, limit: int = 40) -> str:
    """Enough of a line or cell for the author to find it, not the whole paragraph."""
    return text if len(text) <= limit else text[:limit] + "…"


def file_label(tset: TemplateSet, path: Path, relative: str) -> str:
    """The file as the author knows it; an inherited file names the set it comes from."""
    if path.is_relative_to(tset.folder):
        return relative
    owner = next(t for t in tset.chain if path.is_relative_to(t.folder))
    return f"{relative}（继承自模板“{owner.name}”）"
