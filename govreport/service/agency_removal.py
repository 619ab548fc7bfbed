"""Removing an agency: deleted outright when nothing was ever written for it, else 撤销.

Agencies are abolished or merged in a 机构改革, and a list imported with a typo leaves
an agency that never existed. The two are told apart by history:

- **Deleted** (``delete_agency``): no report of the agency holds a version (nothing was
  ever written for it). Its reports (all 未开始) go with it. Its accounts are *detached
  and deactivated*, not deleted: the ``users`` row must let go of the agency (the
  foreign key), a 审核员 or 填报员 without an agency has no scope so it cannot stay
  active, and keeping the row keeps the user name reserved and every comment or status
  change the account wrote elsewhere still named. The 管理员 creates a new account on
  the right agency instead.
- **撤销** (``abolish_agency``): an agency with history is never deleted — its published
  reports are public record. It is marked inactive with the date: rounds opened
  afterwards give it no report (``open_round``), its accounts can no longer sign in
  (``accounts.agency_abolished``; their rows are left as they are, so restoring the
  agency gives them back exactly), and its reports and versions stay readable to the
  管理员 and to the 审核员 above it. Rounds that already have its report keep it, on
  the dashboard and in the region's outputs. ``restore_agency`` undoes it.

A government (or any agency) with agencies under it is not removed while they are
active, and not deleted while any is under it (they would lose their 上级); the
message names them. Doing either twice is a clear 4xx, never a silent success.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from .access import NotFound
from .models import Agency, LoginSession, Report, User, Version

#: how many agencies under it a refusal names before "等"
NAMED = 10


class AgencyState(InputError):
    """The agency is not in a state this action applies to (already 撤销, has history)."""


def agency_or_404(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("没有这个机关（可能已被删除）")
    return agency


def has_history(session: Session, agency_id: int) -> bool:
    """Whether any report of the agency holds a version (something was written for it)."""
    written = (
        select(Version.id)
        .join(Report, Report.id == Version.report_id)
        .where(Report.agency_id == agency_id)
    )
    return bool(session.scalar(select(exists(written))))


def agencies_with_history(session: Session) -> set[int]:
    """Every agency with a report that holds a version (one query, for the admin page)."""
    query = select(Report.agency_id).where(exists().where(Version.report_id == Report.id))
    return set(session.scalars(query.distinct()))


def _under(session: Session, agency: Agency, *, active_only: bool) -> list[str]:
    query = select(Agency.name).where(Agency.parent_id == agency.id).order_by(Agency.name)
    if active_only:
        query = query.where(Agency.abolished.is_(None))
    return list(session.scalars(query))


def _named(names: list[str]) -> str:
    return "、".join(names[:NAMED]) + (f"等 {len(names)} 个" if len(names) > NAMED else "")


def delete_agency(session: Session, agency_id: int) -> Agency:
    """Delete an agency nothing was ever written for (see the module's docstring)."""
    agency = agency_or_404(session, agency_id)
    if has_history(session, agency.id):
        raise AgencyState(
            f"“{agency.name}”已有填报记录，不能删除：已发布和已填写的报告须保留",
            hint="如该机关已撤销或合并，请点“撤销”：它不再参加以后的轮次，历史报告仍可查阅",
        )
    under = _under(session, agency, active_only=False)
    if under:
        raise AgencyState(
            f"“{agency.name}”下面还有机关：{_named(under)}，不能删除",
            hint="请先删除或撤销这些机关，或在名单中改正它们的上级后重新导入",
        )
    users = list(session.scalars(select(User.id).where(User.agency_id == agency.id)))
    if users:
        session.execute(delete(LoginSession).where(LoginSession.user_id.in_(users)))
        session.execute(update(User).where(User.id.in_(users)).values(agency_id=None, active=False))
    session.execute(delete(Report).where(Report.agency_id == agency.id))
    session.delete(agency)
    session.flush()
    return agency


def abolish_agency(session: Session, agency_id: int, day: dt.date | None = None) -> Agency:
    """Mark an agency 撤销 on ``day`` (today by default); its accounts' sessions end."""
    agency = agency_or_404(session, agency_id)
    if agency.abolished is not None:
        raise AgencyState(f"“{agency.name}”已于 {agency.abolished.isoformat()} 撤销")
    under = _under(session, agency, active_only=True)
    if under:
        raise AgencyState(
            f"“{agency.name}”下面还有未撤销的机关：{_named(under)}，不能撤销",
            hint="请先撤销这些机关，或把它们改到新的上级下面（重新导入名单）",
        )
    agency.abolished = day or dt.date.today()
    users = select(User.id).where(User.agency_id == agency.id)
    session.execute(delete(LoginSession).where(LoginSession.user_id.in_(users)))
    return agency


def restore_agency(session: Session, agency_id: int) -> Agency:
    """Undo 撤销: the agency takes part in rounds opened from now on, its accounts sign in."""
    agency = agency_or_404(session, agency_id)
    if agency.abolished is None:
        raise AgencyState(f"“{agency.name}”未撤销，无需恢复")
    parent = session.get(Agency, agency.parent_id) if agency.parent_id else None
    if parent is not None and parent.abolished is not None:
        raise AgencyState(f"上级“{parent.name}”已撤销：请先恢复上级")
    agency.abolished = None
    return agency
