"""The 审核员's dashboard: every agency of the round in scope, sortable and filterable.

The counts shown are those of the last save (kept on the report), so the page
needs one query however many agencies there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .access import Actor, scope
from .models import STATUSES, Agency, Report, Round
from .organisation import deadline_for

SORTS = {
    "name": "机关",
    "status": "状态",
    "errors": "错误",
    "warnings": "警告",
    "changed": "最后修改",
    "deadline": "距截止",
}


@dataclass
class Row:
    report_id: int
    agency_id: int
    agency: str
    level: str
    status: str
    errors: int
    warnings: int
    changed: dt.datetime | None
    days_left: int
    abolished: bool = False  # the agency was 撤销 after the round gave it this report


def rounds(session: Session) -> list[Round]:
    return list(session.scalars(select(Round).order_by(Round.year.desc())))


def rows(
    session: Session,
    actor: Actor,
    round_: Round,
    *,
    status: str = "",
    text: str = "",
    sort: str = "name",
    today: dt.date | None = None,
) -> list[Row]:
    """The round's reports in ``actor``'s scope, filtered by status and name, sorted."""
    query = (
        select(Report, Agency)
        .join(Agency, Agency.id == Report.agency_id)
        .where(Report.round_id == round_.id)
    )
    allowed = scope(session, actor)
    if allowed is not None:
        query = query.where(Report.agency_id.in_(allowed))
    if status in STATUSES:
        query = query.where(Report.status == status)
    if text.strip():
        query = query.where(Agency.name.contains(text.strip()[:100]))
    today = today or dt.date.today()
    found = [
        Row(
            report.id,
            agency.id,
            agency.name,
            agency.level,
            report.status,
            report.errors,
            report.warnings,
            report.changed,
            (deadline_for(round_, agency.level) - today).days,
            agency.abolished is not None,
        )
        for report, agency in session.execute(query)
    ]
    return sorted(found, key=_key(sort), reverse=sort in ("errors", "warnings", "changed"))


def _key(sort: str) -> Callable[[Row], Any]:
    if sort == "status":
        return lambda r: (STATUSES.index(r.status), r.agency)
    if sort in ("errors", "warnings"):
        return lambda r: (getattr(r, sort), r.agency)
    if sort == "changed":
        return lambda r: r.changed or dt.datetime.min
    if sort == "deadline":
        return lambda r: (r.days_left, r.agency)
    return lambda r: r.agency
