"""The pages of a report: home, the dashboard, the report itself (the editor's page,
editable or read-only), where a draft starts, the versions and their differences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..auditing.figures import derived_figures
from ..checks.previous_year import check_previous
from ..diagnostics import Problem
from ..facts.model import Facts
from ..rendering.typst_pdf import pdf_possible
from ..web.form_fields import all_fields
from ..web.view import editor_context
from .access import Actor, NotFound, editable_report, readable_report, require_role
from .context import actor, in_session, page, query_int
from .dashboard import SORTS, rounds, rows
from .drafts import previous_report
from .models import (
    ADMIN,
    EDITABLE,
    FILLER,
    NOT_STARTED,
    REVIEWER,
    STATUSES,
    Agency,
    Comment,
    Report,
    Round,
    StatusChange,
    User,
    Version,
)
from .report_audit import FIGURE_TABLES
from .store import current_text, report_name, version_row
from .texts import changes, check_text, parsed


async def home(request: Request) -> Response:
    me = actor(request)
    if me.role == ADMIN:
        return RedirectResponse("/admin", 303)
    if me.role == REVIEWER:
        return RedirectResponse("/dashboard", 303)
    mine = await in_session(request, lambda s: _own_reports(s, me))
    if len(mine) == 1:
        return RedirectResponse(f"/reports/{mine[0][0].id}", 303)
    return page(request, "mine.html", {"reports": mine})


def _own_reports(session: Session, me: Actor) -> list[tuple[Report, Round]]:
    query = (
        select(Report, Round)
        .join(Round, Round.id == Report.round_id)
        .where(Report.agency_id == me.agency_id)
        .order_by(Round.year.desc())
    )
    return [(r, y) for r, y in session.execute(query)]


async def dashboard(request: Request) -> Response:
    me = actor(request)
    require_role(me, REVIEWER, ADMIN)
    wanted = query_int(request, "round")
    status = request.query_params.get("status", "")
    text = request.query_params.get("q", "")
    sort = request.query_params.get("sort", "name")

    def work(session: Session) -> dict[str, Any]:
        years = rounds(session)
        chosen = next((r for r in years if r.id == wanted), years[0] if years else None)
        found = rows(session, me, chosen, status=status, text=text, sort=sort) if chosen else []
        return {"rounds": years, "round": chosen, "rows": found}

    context = await in_session(request, work)
    context.update(statuses=STATUSES, status=status, q=text, sort=sort, sorts=SORTS)
    return page(request, "dashboard.html", context)


async def report_page(request: Request) -> Response:
    me = actor(request)
    report_id = int(request.path_params["report_id"])
    context = await in_session(request, lambda s: _report_context(s, me, report_id))
    if context.get("start"):
        return page(request, "start.html", context)
    return page(request, "edit.html", context)


def _report_context(session: Session, me: Actor, report_id: int) -> dict[str, Any]:
    report = readable_report(session, me, report_id)
    agency = session.get(Agency, report.agency_id)
    year = session.get(Round, report.round_id)
    assert agency is not None and year is not None
    own = me.role == FILLER and me.agency_id == report.agency_id
    panel = {"report": report, "agency": agency, "year": year, "own": own}
    if report.version == 0:
        panel["start"] = True
        panel["previous"] = previous_report(session, report) is not None
        return panel
    cached = parsed(current_text(session, report), report_name(session, report))
    doc, facts = cached.doc, cached.checked.facts  # read only: the page shows them
    panel.update(
        _history(session, report), panel=True, last_year=_last_year(session, report, facts)
    )
    if me.role in (REVIEWER, ADMIN) and facts is not None:
        panel["figures"] = [(f, FIGURE_TABLES[f.key]) for f in derived_figures(facts)]
    return {
        **panel,
        "file": str(report.id),
        "version": str(report.version),
        "title": facts.title if facts else agency.name,
        "pdf": pdf_possible(facts),
        "readonly": not (own and report.status in EDITABLE),
        "reviewer": me.role in (REVIEWER, ADMIN),
        **editor_context(doc, facts),
    }


def _last_year(session: Session, report: Report, facts: Facts | None) -> list[Problem] | None:
    """R5 and R6 against the agency's approved report of last year, when the system has it."""
    last = previous_report(session, report)
    if last is None or facts is None:
        return None
    checked = check_text(current_text(session, last), report_name(session, last))
    return list(check_previous(facts, checked.facts)) if checked.facts else None


def names_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """The display names of the users ``ids`` (those a page mentions, not every account)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(wanted))
    return {user_id: name for user_id, name in session.execute(query)}


def _history(session: Session, report: Report) -> dict[str, Any]:
    log = list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.report_id == report.id)
            .order_by(StatusChange.id.desc())
            .limit(20)
        )
    )
    return {"log": log, "names": names_of(session, (e.user_id for e in log))}


async def versions_page(request: Request) -> Response:
    me = actor(request)
    report_id = int(request.path_params["report_id"])

    def work(session: Session) -> dict[str, Any]:
        report = readable_report(session, me, report_id)
        columns = (Version.number, Version.author_id, Version.created, Version.note)
        found = session.execute(
            select(*columns).where(Version.report_id == report.id).order_by(Version.number.desc())
        ).all()
        names = names_of(session, (v.author_id for v in found))
        own = me.role == FILLER and report.status in EDITABLE
        return {"report": report, "versions": found, "names": names, "can_restore": own}

    return page(request, "versions.html", await in_session(request, work))


async def diff_page(request: Request) -> Response:
    me = actor(request)
    report_id = int(request.path_params["report_id"])
    first, second = query_int(request, "a"), query_int(request, "b")
    if first is None or second is None:
        raise NotFound("请选择要比较的两个版本")

    def work(session: Session) -> dict[str, Any]:
        report = readable_report(session, me, report_id)
        old, new = version_row(session, report.id, first), version_row(session, report.id, second)
        return {"report": report, "a": first, "b": second, "changes": changes(old.text, new.text)}

    return page(request, "diff.html", await in_session(request, work))


def comments_of(session: Session, report: Report) -> list[dict[str, Any]]:
    labels = {key: item.label for key, item in all_fields().items()}
    found = list(
        session.scalars(select(Comment).where(Comment.report_id == report.id).order_by(Comment.id))
    )
    names = names_of(session, (c.user_id for c in found))
    return [
        {
            "id": c.id,
            "path": c.path,
            "label": labels.get(c.path, "整份报告"),
            "text": c.text,
            "author": names.get(c.user_id or 0, ""),
            "created": c.created.strftime("%Y-%m-%d %H:%M"),
        }
        for c in found
    ]


def editable(session: Session, me: Actor, report_id: int) -> Report:
    """For the routes that start or change a draft."""
    report = readable_report(session, me, report_id)
    if report.status == NOT_STARTED and me.role == FILLER and me.agency_id == report.agency_id:
        return report
    return editable_report(session, me, report_id)


async def facts_file(request: Request) -> Response:
    """The facts file of the current version (or ``?version=N``), comments and all, for
    ``govreport check``/``render`` on a desk or for the archive."""
    me = actor(request)
    report_id, number = int(request.path_params["report_id"]), query_int(request, "version")

    def work(session: Session) -> tuple[str, str]:
        report = readable_report(session, me, report_id)
        text = version_row(session, report.id, number or report.version).text
        return text, report_name(session, report)

    text, name = await in_session(request, work)
    disposition = f"attachment; filename=\"facts.yaml\"; filename*=UTF-8''{quote(name)}"
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )
