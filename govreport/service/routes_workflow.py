"""What changes a report: start the draft, submit, return, approve, publish, comment,
restore an old version. Each checks the role and the agency on the server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..diagnostics import ERROR
from ..errors import InputError
from ..web.context import read_json
from .access import Actor, readable_report, reviewable_report
from .context import actor, back, form_fields, in_session, uploaded
from .drafts import MAX_UPLOAD_BYTES, blank_draft, previous_report, rolled_draft, uploaded_draft
from .models import Agency, Report, Round
from .routes_reports import comments_of, editable
from .store import current_text, report_name, save_text, version_row
from .texts import check_text
from .workflow import add_comment, approve, publish, return_report, submit, warning_key


def _report_id(request: Request) -> int:
    return int(request.path_params["report_id"])


async def start(request: Request) -> Response:
    """Start the draft: ``how`` is previous (last year's in the system), upload or blank."""
    me, report_id = actor(request), _report_id(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        data, suffix, _ = await uploaded(request, "report", MAX_UPLOAD_BYTES)
        how = "upload"
    else:
        how, data, suffix = (await form_fields(request, "how"))["how"], b"", ""

    def work(session: Session) -> None:
        report = editable(session, me, report_id)
        if report.version != 0:
            raise InputError("草稿已经生成，不能重新开始；如需恢复，请在“版本”中选择")
        agency, year = session.get(Agency, report.agency_id), session.get(Round, report.round_id)
        assert agency is not None and year is not None
        if how == "previous":
            last = previous_report(session, report)
            if last is None:
                raise InputError("系统中没有本机关上一年度已通过的报告")
            text = rolled_draft(current_text(session, last), agency)
        elif how == "upload":
            text = uploaded_draft(data, suffix, agency, year.year)
        else:
            text = blank_draft(agency, year.year)
        save_text(session, me, report, 0, text, "生成草稿")

    await in_session(request, work)
    return back(f"/reports/{report_id}")


async def warnings(request: Request) -> Response:
    """The current version's warnings, each with the key submit expects acknowledged."""
    me, report_id = actor(request), _report_id(request)

    def work(session: Session) -> dict[str, Any]:
        report = readable_report(session, me, report_id)
        checked = check_text(current_text(session, report), report_name(session, report))
        found = [
            {"key": warning_key(p), "code": p.code, "label": p.label, "message": p.message}
            for p in checked.problems
            if p.severity != ERROR
        ]
        return {"errors": checked.errors, "warnings": found, "version": report.version}

    return JSONResponse(await in_session(request, work))


async def submit_report(request: Request) -> Response:
    me, report_id = actor(request), _report_id(request)
    data = await read_json(request)
    given = data.get("acknowledged") or {}
    if not isinstance(given, dict):
        raise InputError("请求格式错误：acknowledged 应是对象")
    acknowledged = {str(k): str(v)[:500] for k, v in list(given.items())[:500]}

    def work(session: Session) -> None:
        submit(session, me, editable(session, me, report_id), acknowledged)

    await in_session(request, work)
    return JSONResponse({"submitted": True})


Decision = Callable[[Session, Actor, Report, str], None]


def _decision(step: Decision) -> Callable[[Request], Awaitable[Response]]:
    """A route for one of the 审核员's steps (return, approve, publish), with its comment."""

    async def route(request: Request) -> Response:
        me, report_id = actor(request), _report_id(request)
        form = await form_fields(request, "comment")

        def work(session: Session) -> None:
            step(session, me, reviewable_report(session, me, report_id), form["comment"])

        await in_session(request, work)
        return back(f"/reports/{report_id}")

    return route


return_route = _decision(return_report)
approve_route = _decision(approve)
publish_route = _decision(publish)


async def comments(request: Request) -> Response:
    me, report_id = actor(request), _report_id(request)

    def work(session: Session) -> list[dict[str, Any]]:
        return comments_of(session, readable_report(session, me, report_id))

    return JSONResponse({"comments": await in_session(request, work)})


async def comment(request: Request) -> Response:
    me, report_id = actor(request), _report_id(request)
    data = await read_json(request)
    path, text = str(data.get("path", ""))[:200], str(data.get("text", ""))

    def work(session: Session) -> list[dict[str, Any]]:
        report = readable_report(session, me, report_id)
        add_comment(session, me, report, path, text)
        return comments_of(session, report)

    return JSONResponse({"comments": await in_session(request, work)})


async def restore(request: Request) -> Response:
    """An old version saved again as the newest (nothing in between is lost)."""
    me, report_id = actor(request), _report_id(request)
    form = await form_fields(request, "number")
    if not form["number"].isdigit():
        raise InputError("请选择要恢复的版本")

    def work(session: Session) -> None:
        report = editable(session, me, report_id)
        old = version_row(session, report.id, int(form["number"]))
        save_text(session, me, report, report.version, old.text, f"恢复第 {old.number} 版")

    await in_session(request, work)
    return back(f"/reports/{report_id}")
