"""``roll_forward``: next year's facts, started from this year's.

This year's report must continue last year's: 上年结转 is last year's
结转下年度继续办理 (R5) and 现行有效件数 carries on (R6). Everything else
counted in the year starts again at 0, the 落款 date is cleared, and the texts
stay as a draft; each text that names a year gets a note, because last year's
words copied forward are what reviewers catch first.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .. import official as fmt
from ..errors import GovReportError
from .fields import MAX_YEAR, MIN_YEAR
from .loading import FactsInput, load
from .model import Documents, Facts, Proactive, Reviews, Row, RowGroup

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")


def roll_forward(source: FactsInput) -> Facts:
    """Next year's facts: year + 1, 上年结转 and 现行有效件数 carried, other numbers 0.

    ``source`` is a facts file, a dict or ``Facts``. Agency, template and texts are
    kept as they are; see ``year_notes`` for the texts to revise.
    """
    facts = load(source)
    if facts.year + 1 > MAX_YEAR:
        raise GovReportError(
            f"{facts.year}年度已是支持的最后一个年度（{MIN_YEAR}—{MAX_YEAR}），无法生成下一年度的文件"
        )
    carried = Row(*facts.requests.row(("carried_forward",)).applicants())
    proactive = Proactive(
        regulations=Documents(in_force=facts.proactive.regulations.in_force),
        normative_documents=Documents(in_force=facts.proactive.normative_documents.in_force),
    )
    return dataclasses.replace(
        facts,
        year=facts.year + 1,
        published=None,
        proactive=proactive,
        requests=RowGroup(fmt.REQUEST_TREE, {"carried_over": carried}),
        reviews=Reviews(),
        source=None,
    )


def year_notes(facts: Facts) -> dict[tuple[str, ...], str]:
    """A note for each text that mentions a year: the draft must be revised there."""
    notes = {}
    for path, text in facts.texts():
        years = sorted({int(y) for y in _YEAR.findall(text)})
        if years:
            named = "、".join(f"{y}年" for y in years)
            notes[path] = (
                f"请修改：本段沿用{facts.year - 1}年度的文字，提到了{named}，"
                f"请按{facts.year}年度的实际情况改写"
            )
    return notes


def next_path(path: Path, year: int) -> Path:
    """Where next year's file goes: the year in the name replaced, or ``-<year+1>`` added."""
    stem = path.stem
    old, new = str(year), str(year + 1)
    if old in stem:
        at = stem.rindex(old)
        stem = stem[:at] + new + stem[at + len(old) :]
    else:
        stem = f"{stem}-{new}"
    return path.with_name(stem + (path.suffix or ".yaml"))
