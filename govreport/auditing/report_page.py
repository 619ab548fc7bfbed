"""The audit as one self-contained web page: a row per report, findings expandable.

CSS and the sorting script are inline and nothing is fetched, so the page opens
from a USB stick or an intranet mail the same as anywhere. Jinja2 escapes every text
taken from the reports.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..files.output import write_text
from .figures import FIGURE_LABELS
from .findings import SEVERITY_LABELS, Finding
from .run import AuditRun, ReportAudit

_RANKS = {"unreadable": 3, "error": 2, "warning": 1, "info": 0, "none": 0}


@cache
def _template() -> jinja2.Template:
    source = resources.files(__package__).joinpath("audit.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(source)


def _row(report: ReportAudit) -> dict[str, Any]:
    worst = "unreadable" if report.unreadable else (report.worst or "none")
    labels = {**SEVERITY_LABELS, "unreadable": "无法读取", "none": "无问题"}
    figures = [
        {
            "percent": f.percent(),
            "definition": f.definition,
            "numerator": f.numerator,
            "denominator": f.denominator,
        }
        for f in report.figures
    ] or [{"percent": "", "definition": "", "numerator": "", "denominator": ""}] * len(
        FIGURE_LABELS
    )
    return {
        "file": report.file,
        "name": report.source.name,
        "agency": report.agency,
        "year": report.year or "",
        "worst": worst,
        "worst_label": labels[worst],
        "rank": _RANKS[worst],
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "infos": report.count("info"),
        "figures": figures,
        "unreadable": report.unreadable,
        "findings": [_finding(f) for f in report.findings],
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "severity_label": f.severity_label,
        "code": f.code,
        "category": f.category,
        "where": f.where(),
        "message": f.message,
        "quotes": f.quotes,
    }


def audit_html(run: AuditRun) -> str:
    """The page's HTML."""
    return _template().render(
        reports=[_row(r) for r in run.reports],
        run_findings=[_finding(f) for f in run.findings],
        counts={s: run.count(s) for s in ("error", "warning", "info")},
        unreadable=len(run.unreadable),
        figure_labels=FIGURE_LABELS,
    )


def write_html(run: AuditRun, target: Path) -> None:
    """Write the page atomically."""
    write_text(target, audit_html(run))
