"""Agencies and rounds: the list a 政务公开办 already keeps, and the yearly round.

The list is an .xlsx or .csv with the columns 名称, 简称, 层级 (部门 / 政府, or
the facts file's ``department`` / ``government``) and 上级 (the parent's name,
empty at the top), read by ``importing.agency_list`` (the same reader as
``audit --agencies``, with its size limits). Opening round N creates one report per
agency, 未开始.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import official as fmt
from ..errors import InputError
from ..importing.agency_list import DEFAULT_FILE, MAX_LIST_BYTES, level_of, read_rows
from .models import Agency, Report, Round

__all__ = [
    "MAX_LIST_BYTES",
    "deadline_for",
    "deadlines",
    "import_agencies",
    "level_of",
    "open_round",
    "read_rows",
]


def import_agencies(session: Session, rows: list[dict[str, str]]) -> tuple[int, int]:
    """Create or update the agencies listed; (created, updated). Parents may come later
    in the list; a parent that is neither listed nor known is an error naming the line."""
    known = {a.name: a for a in session.scalars(select(Agency))}
    created = updated = 0
    for row in rows:
        name = row["name"]
        line = int(row.get("line") or 0) or None
        level = level_of(row.get("level", ""), name, file=DEFAULT_FILE if line else None, line=line)
        agency = known.get(name)
        if agency is None:
            agency = Agency(name=name, short_name=row.get("short_name", ""), level=level)
            session.add(agency)
            known[name] = agency
            created += 1
        else:
            agency.level = level
            agency.short_name = row.get("short_name", "") or agency.short_name
            updated += 1
    session.flush()
    for row in rows:
        parent = row.get("parent", "")
        if parent and parent not in known:
            raise InputError(f"第 {row['line']} 行：上级“{parent}”不在名单中，也不是已有的机关")
        known[row["name"]].parent_id = known[parent].id if parent else None
    return created, updated


def deadlines(year: int) -> tuple[dt.date, dt.date]:
    """(departments, governments): 31 January and 31 March of the year after (条例 第四十九条)."""
    (dm, dd), (gm, gd) = fmt.DEADLINES["department"], fmt.DEADLINES["government"]
    return dt.date(year + 1, dm, dd), dt.date(year + 1, gm, gd)


def open_round(session: Session, year: int) -> tuple[Round, int]:
    """Round ``year`` with a report 未开始 for every active agency (added ones get theirs
    too); an agency 撤销 gets none, but keeps the reports earlier rounds gave it."""
    if not fmt.MIN_YEAR <= year <= fmt.MAX_YEAR:
        raise InputError(f"年度应在 {fmt.MIN_YEAR}—{fmt.MAX_YEAR} 之间")
    found = session.scalar(select(Round).where(Round.year == year))
    if found is None:
        departments, governments = deadlines(year)
        found = Round(year=year, department_deadline=departments, government_deadline=governments)
        session.add(found)
        session.flush()
    have = set(session.scalars(select(Report.agency_id).where(Report.round_id == found.id)))
    added = 0
    for agency_id in session.scalars(select(Agency.id).where(Agency.abolished.is_(None))):
        if agency_id not in have:
            session.add(Report(agency_id=agency_id, round_id=found.id))
            added += 1
    return found, added


def deadline_for(round_: Round, level: str) -> dt.date:
    return round_.government_deadline if level == "government" else round_.department_deadline
