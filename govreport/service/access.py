"""Who may do what, decided on the server for every request.

- 管理员: agencies, accounts and rounds; reads every report.
- 审核员: the reports of the agencies in its scope, i.e. its own agency and the
  agencies directly under it (a district's 政务公开办 sees its departments; a
  city's sees its districts' governments and its own departments); comments,
  returns, approves, publishes; the region's outputs for that scope.
- 填报员: its own agency's report only: fills it in, saves, submits.

A report outside the caller's scope is "not found" (404), whether it exists or
not, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import GovReportError
from .models import ADMIN, EDITABLE, FILLER, REVIEWER, Agency, Report, User


class Forbidden(GovReportError):
    """The caller's role may not do this (403)."""


class NotFound(GovReportError):
    """No such thing, or not the caller's to see (404)."""


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the routes see it."""

    id: int
    username: str
    name: str
    role: str
    agency_id: int | None
    csrf: str

    @classmethod
    def of(cls, user: User, csrf: str) -> Actor:
        return cls(user.id, user.username, user.display_name, user.role, user.agency_id, csrf)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"{actor.role}无权进行此操作（需要：{'、'.join(roles)}）")


def scope(session: Session, actor: Actor) -> list[int] | None:
    """The agency ids the actor may see; ``None``: all (管理员)."""
    if actor.is_admin:
        return None
    if actor.agency_id is None:
        return []
    if actor.role == FILLER:
        return [actor.agency_id]
    children = session.scalars(select(Agency.id).where(Agency.parent_id == actor.agency_id))
    return [actor.agency_id, *children]


def in_scope(session: Session, actor: Actor, agency_id: int) -> bool:
    allowed = scope(session, actor)
    return allowed is None or agency_id in allowed


def readable_report(session: Session, actor: Actor, report_id: int) -> Report:
    """The report, if the actor may read it; else ``NotFound`` (never a hint it exists)."""
    report = session.get(Report, report_id)
    if report is None or not in_scope(session, actor, report.agency_id):
        raise NotFound("没有这份报告，或您无权查看")
    return report


def editable_report(session: Session, actor: Actor, report_id: int) -> Report:
    """The report, if the actor is its agency's 填报员 and it may be changed now."""
    report = readable_report(session, actor, report_id)
    if actor.role != FILLER or actor.agency_id != report.agency_id:
        raise Forbidden("只有本机关的填报员可以修改报告")
    if report.status not in EDITABLE:
        raise Forbidden(f"报告{report.status}，不能修改（填报中或退回修改时才能修改）")
    return report


def reviewable_report(session: Session, actor: Actor, report_id: int) -> Report:
    """The report, if the actor may return, approve or publish it."""
    report = readable_report(session, actor, report_id)
    require_role(actor, REVIEWER, ADMIN)
    return report
