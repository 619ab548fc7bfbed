"""The page's values → the facts file's text → the same ``check`` as the command line.

The text checked is exactly the text a save would write, so what the page shows
is what ``govreport check`` will say about the saved file. Each problem carries
the field (or table row, or section) it belongs to, for the page to mark. While
the schema refuses a value, the rules that do not depend on it still run
(``partial_checks``): one slip must not hide every other problem of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..checks import check
from ..diagnostics import ERROR, SEVERITY_LABELS, Problem
from ..errors import FactsError
from ..facts.model import Facts, Row, RowGroup
from .document import Document
from .form_fields import box_of, locate, section_of
from .partial_checks import still_possible

#: Said above a new year's draft while only last year's 上年结转 is in table 三.
DRAFT_NOTE = (
    "这是新年度的草稿：上年结转已从上一年度沿用，本年的数字还是 0，所以表三暂时不平衡（R1），"
    "这是正常的。请先填写表三的“本年新收政府信息公开申请数量”和“本年度办理结果”，"
    "再填“结转下年度继续办理”；各列平衡后 R1 即消失。"
)
BALANCE_CODE = "R1"


@dataclass
class Checked:
    """One round: the text to save, the facts (when they load) and every problem."""

    text: str
    facts: Facts | None
    problems: list[Problem] = field(default_factory=list)
    title: str | None = None  # the report's title as its template set words it

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
        refused = list(exc.problems)
        return Checked(text, None, refused + still_possible(text, str(doc.path), refused))
    result = check(facts)
    title = result.narrative.title if result.narrative else None
    return Checked(text, facts, list(result.problems), title)


def draft_note(checked: Checked) -> str | None:
    """``DRAFT_NOTE`` when table 三 holds only what a new year's draft carries over."""
    facts = checked.facts
    if facts is None or not any(p.code == BALANCE_CODE for p in checked.problems):
        return None
    requests = facts.requests
    fresh = _count(requests.received) == 0 and _count(requests.results) == 0
    if fresh and _count(requests.carried_forward) == 0 and _count(requests.carried_over) > 0:
        return DRAFT_NOTE
    return None


def _count(node: Row | RowGroup) -> int:
    """Every applicant's number in a row, or in a group of rows, added up."""
    return node.total if isinstance(node, Row) else node.total.total


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
        "draft_note": draft_note(checked),
    }
