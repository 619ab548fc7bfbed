"""Every value the page can edit, named by its facts-file path and labelled from ``official``.

A field's id is its dotted path (``requests.results.withheld.state_secret.business``);
the page's inputs carry it, edits come back keyed by it, and a ``Problem.path`` is
mapped to the field (or section) it points at. Nothing here retypes a label: the
official wording comes from ``official``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .. import official as fmt


@dataclass(frozen=True)
class Field:
    """One input of the page."""

    path: tuple[str, ...]
    label: str
    kind: str = "number"  # number | text | line | date | choice
    decimal: bool = False

    @property
    def id(self) -> str:
        return ".".join(self.path)


#: 一、总体情况's lead-in has no official title of its own.
SUMMARY_TITLE = "总体情况概述"
#: 五 may be one text (``problems: |``) instead of the two items.
PROBLEMS_TEXT_TITLE = "存在的主要问题及改进情况（一段）"


def agency_fields() -> Iterator[Field]:
    labels = fmt.FIELD_LABELS
    for key in ("name", "short_name", "self_reference", "province", "region"):
        yield Field(("agency", key), labels[("agency", key)], "line")
    yield Field(("agency", "level"), labels[("agency", "level")], "choice")
    yield Field(("year",), labels[("year",)], "number")
    yield Field(("published",), labels[("published",)], "date")
    for topic in fmt.CONTACT_FIELDS:
        yield Field(("agency", "contact", topic.key), topic.title, "line")


def text_fields() -> Iterator[Field]:
    yield Field(("overview", "summary"), SUMMARY_TITLE, "text")
    for section, topics in narrative_topics():
        for topic in topics:
            yield Field((section, topic.key), topic.title, "text")
    yield Field(("problems",), PROBLEMS_TEXT_TITLE, "text")


def narrative_topics() -> tuple[tuple[str, tuple[fmt.Topic, ...]], ...]:
    return (
        ("overview", fmt.OVERVIEW_TOPICS),
        ("problems", fmt.PROBLEM_TOPICS),
        ("other_matters", fmt.OTHER_MATTER_TOPICS),
    )


def table_fields() -> Iterator[Field]:
    """Every number the author enters, in table order (``official.table_cells``)."""
    for cell in fmt.table_cells():
        yield Field(cell.path, cell.label, "number", cell.decimal)


@cache
def all_fields() -> dict[str, Field]:
    found = [*agency_fields(), *text_fields(), *table_fields()]
    return {item.id: item for item in found}


def field_by_id(field_id: str) -> Field | None:
    return all_fields().get(field_id)


#: Where a problem without a cell of its own is shown: the table or section it names.
ANCHORS: dict[str, str] = {
    "agency": "sec-agency",
    "year": "sec-agency",
    "published": "sec-agency",
    "format": "sec-agency",
    "template": "sec-agency",
    "proactive": "table-proactive",
    "requests": "table-requests",
    "reviews": "table-reviews",
    "overview": "sec-overview",
    "problems": "sec-problems",
    "other_matters": "sec-other_matters",
}


def locate(path: tuple) -> tuple[str | None, str]:
    """The field id a problem path points at (or ``None``) and the anchor to link to.

    A table 三 row written as a list is addressed by index in schema problems
    (``requests.received.1``); that is the applicant column of the same number.
    """
    keys = [_column_key(part) if isinstance(part, int) else str(part) for part in path]
    fields = all_fields()
    for length in range(len(keys), 0, -1):
        candidate = ".".join(keys[:length])
        if candidate in fields:
            return candidate, "f-" + candidate
    if keys and keys[0] == "requests" and len(keys) >= 2:
        row = ".".join(keys[: len(keys) - 1] if keys[-1] == "total" else keys)
        return None, "row-" + row
    return None, ANCHORS.get(keys[0] if keys else "", "sec-agency")


def _column_key(index: int) -> str:
    columns = fmt.APPLICANT_COLUMNS
    return columns[index].key if 0 <= index < len(columns) else str(index)


def box_of(field_id: str | None, anchor: str) -> str:
    """The element under which the page prints a problem's message.

    A text or agency field has its own line under it; a table cell's message goes
    under its table (the cell itself is outlined and links there); a section's or a
    table's own problem goes under its heading.
    """
    head = (field_id or anchor.split("-", 1)[-1]).split(".")[0]
    if field_id and head not in ("proactive", "requests", "reviews"):
        return "m-" + field_id
    if head in ("proactive", "requests", "reviews"):
        return "m-table-" + head
    return "m-" + ANCHORS.get(head, "sec-agency")


def section_of(path: tuple) -> str:
    """The section or table a problem belongs to: where the page shows it when the field
    itself is not on the page (``problems`` written as one text or as two items)."""
    return ANCHORS.get(str(path[0]) if path else "", "sec-agency")
