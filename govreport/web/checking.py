"""The page's values → the facts file's text → the same ``check`` as the command line.

The text checked is exactly the text a save would write, so what the page shows
is what ``govreport check`` will say about the saved file. Each problem carries
the field (or table row, or section) it belongs to, for the page to mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..checks import check
from ..diagnostics import ERROR, SEVERITY_LABELS, Problem
from ..errors import FactsError
from ..facts.model import Facts
from .document import Document
from .form_fields import box_of, locate, section_of


@dataclass
class Checked:
    """One round: the text to save, the facts (when they load) and every problem."""

    text: str
    facts: Facts | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)


def check_document(doc: Document, values: Mapping[str, Any] | None = None) -> Checked:
    """Apply ``values`` to ``doc`` and check the result."""
    if values:
        doc.apply(values)
    text = doc.dump() if values else doc.text
    try:
        facts = doc.facts(text)
    except FactsError as exc:
        return Checked(text, None, list(exc.problems))
    result = check(facts)
    return Checked(text, facts, list(result.problems))


def problem_json(problem: Problem, source: str = "check") -> dict[str, Any]:
    """A problem as the page shows it: where (field or anchor), how bad, what to do."""
    field_id, anchor = locate(problem.path)
    return {
        "code": problem.code,
        "severity": problem.severity,
        "severity_label": SEVERITY_LABELS.get(problem.severity, problem.severity),
        "label": problem.label,
        "message": problem.message,
        "field": field_id,
        "anchor": anchor,
        "box": box_of(field_id, anchor),
        "section": section_of(problem.path),
        "source": source,
    }


def problems_json(checked: Checked, notes: Iterable[Problem] = ()) -> dict[str, Any]:
    """Check problems counted; import notes (what last year's report did not give) listed
    with them at their cells but not counted: they remind, the check decides."""
    items = [problem_json(p) for p in checked.problems]
    errors = sum(1 for p in items if p["severity"] == ERROR)
    imported = [problem_json(p, "import") for p in notes]
    return {
        "title": checked.facts.title if checked.facts else None,
        "problems": items + imported,
        "errors": errors,
        "warnings": len(items) - errors,
        "notes": len(imported),
    }
