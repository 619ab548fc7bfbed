"""What the editor page shows: the report's structure, the file's values, the boilerplate.

Sections follow the report: the agency and year, 一 with its lead-in and items,
tables 二–四, 五 and 六. Each text area shows, greyed inside it, the boilerplate
the report would use if it were left empty (the template set's own, rendered for
these facts by the same narrative writer as ``render``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import official as fmt
from ..errors import GovReportError
from ..facts.model import Facts, OtherMatters, Overview, Shortcomings
from ..narrative.writer import write_narrative
from ..template_sets.sets import template_set_for
from .document import Document, display
from .form_fields import SUMMARY_TITLE, Field, agency_fields, all_fields, narrative_topics
from .start import upload_kinds, upload_suffixes
from .table_layout import grids


@dataclass
class TextSlot:
    field: Field
    value: str
    placeholder: str


@dataclass
class Section:
    key: str
    heading: str
    slots: list[TextSlot]


def boilerplate(facts: Facts | None) -> dict[str, str]:
    """Field id → the text the report would use if that slot were left empty."""
    if facts is None:
        return {}
    blank = dataclasses.replace(
        facts, overview=Overview(), problems=Shortcomings(), other_matters=OtherMatters()
    )
    try:
        narrative = write_narrative(blank, template_set_for(facts))
    except GovReportError:  # a broken template set: check reports it; no placeholders
        return {}
    found = {"overview.summary": _plain(narrative.summary)}
    for section, item in narrative.items():
        found[f"{section}.{item.key}"] = _plain(item.paragraphs)
    return found


def _plain(paragraphs: Any) -> str:
    return "\n".join(p.plain for p in paragraphs)


def sections(doc: Document, facts: Facts | None) -> list[Section]:
    """The narrative sections in report order, each slot with its value and placeholder."""
    shown = boilerplate(facts)
    fields = all_fields()
    problems_as_one = isinstance(doc.tree.get("problems"), str)
    found = []
    for section, topics in narrative_topics():
        keys = [t.key for t in topics]
        if section == "overview":
            keys.insert(0, "summary")
        ids = [f"{section}.{key}" for key in keys]
        if section == "problems" and problems_as_one:
            ids = ["problems"]
        slots = [TextSlot(fields[i], display(doc.value(fields[i])), shown.get(i, "")) for i in ids]
        found.append(Section(section, fmt.SECTION_HEADINGS[section], slots))
    return found


def editor_context(doc: Document, facts: Facts | None) -> dict[str, Any]:
    """Everything ``edit.html`` needs for one file."""
    fields = all_fields()
    values = {fid: display(doc.value(item)) for fid, item in fields.items()}
    return {
        "agency_fields": list(agency_fields()),
        "levels": fmt.LEVELS,
        "sections": sections(doc, facts),
        "grids": {grid.key: grid for grid in grids()},
        "headings": fmt.SECTION_HEADINGS,
        "values": values,
        "fields": fields,
        "summary_title": SUMMARY_TITLE,
        "upload_kinds": upload_kinds(),  # "从上年报告开始": every format import reads
        "upload_accept": ",".join(upload_suffixes()),
    }
