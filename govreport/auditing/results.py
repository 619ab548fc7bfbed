"""What an audit hands back: each report with its findings, and the run as a whole.

The JSON form (``AuditRun.to_dict``) is what scripts read: it carries ``format_version``
(raised when a field changes meaning or goes) and the list of checks that ran, so a
report without an S1 can be told from a run that had no last year's reports to compare,
and the run's own findings (``findings``: the agencies with no report, A2), said once.
File names are as the user gave them, relative to the folder audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, WARNING
from ..facts.model import Facts
from .figures import Figure
from .findings import CATEGORIES, INFO, SEVERITY_RANK, Finding
from .similarity import SectionSimilarity
from .sources import Published

#: The version of the JSON written by ``--format json`` (1: the first, without it).
FORMAT_VERSION = 2
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class ReportAudit:
    """One published report and what the audit found in it."""

    source: Path
    published: Published | None = None
    shown: str = ""  # the file as reported: relative to the folder audited
    findings: list[Finding] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    similarity: list[SectionSimilarity] = field(default_factory=list)
    unreadable: str | None = None  # why the file could not be read

    @property
    def file(self) -> str:
        """The file as outputs name it: relative to the folder given, never a full path
        of the auditing computer (set by ``audit``; the path itself otherwise)."""
        return self.shown or str(self.source)

    @property
    def facts(self) -> Facts | None:
        return self.published.facts if self.published else None

    @property
    def agency(self) -> str:
        return self.facts.agency.name if self.facts else ""

    @property
    def year(self) -> int | None:
        return self.facts.year if self.facts else None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def worst(self) -> str | None:
        """The highest severity found (an unreadable file counts as an error)."""
        if self.unreadable:
            return ERROR
        ranks = [SEVERITY_RANK[f.severity] for f in self.findings]
        if not ranks:
            return None
        return {2: ERROR, 1: WARNING, 0: INFO}[max(ranks)]

    def to_dict(self) -> dict[str, Any]:
        facts = self.facts
        return {
            "file": self.file,
            "agency": self.agency or None,
            "year": self.year,
            "level": facts.agency.level if facts else None,
            "published": facts.published.isoformat() if facts and facts.published else None,
            "unreadable": self.unreadable,
            "counts": {s: self.count(s) for s in (ERROR, WARNING, INFO)},
            "figures": [f.to_dict() for f in self.figures],
            "similarity": [s.to_dict() for s in self.similarity],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class AuditRun:
    """Every report audited, and last year's reports read for comparison."""

    reports: list[ReportAudit]
    previous: list[ReportAudit] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # files in folders, no 年报
    #: the codes of the checks that ran, in the order of ``findings.CATEGORIES``
    checks: list[str] = field(default_factory=list)
    #: each skipped file as outputs name it
    skipped_shown: dict[Path, str] = field(default_factory=dict)
    #: what is said of the run, not of one report: agencies with no report (A2)
    findings: list[Finding] = field(default_factory=list)

    @property
    def unreadable(self) -> list[ReportAudit]:
        return [r for r in [*self.reports, *self.previous] if r.unreadable]

    def count(self, severity: str) -> int:
        """Findings of ``severity`` in every report and in the run's own."""
        own = sum(1 for f in self.findings if f.severity == severity)
        return own + sum(r.count(severity) for r in self.reports)

    @property
    def exit_status(self) -> int:
        """2 when a file could not be read, else 1 when a finding is an error, else 0."""
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_ERRORS if self.count(ERROR) else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "checks": [{"code": c, "category": CATEGORIES.get(c, "")} for c in self.checks],
            "reports": [r.to_dict() for r in self.reports],
            "findings": [f.to_dict() for f in self.findings],
            "previous_year": [
                {"file": r.file, "agency": r.agency or None, "year": r.year}
                | ({"unreadable": r.unreadable} if r.unreadable else {})
                for r in self.previous
            ],
            "skipped": [
                {"file": self.skipped_shown.get(path, str(path)), "reason": why}
                for path, why in self.skipped
            ],
            "counts": {s: self.count(s) for s in (ERROR, WARNING, INFO)},
            "unreadable": len(self.unreadable),
            "exit_status": self.exit_status,
        }
