"""The editor page's requests (``web/static/editor.js``), answered from the database.

The page sends ``file`` (here: the report's id), ``values`` and, to save,
``version``; the answers have the editor's shape (``web.checking.problems_json``),
so the same page works on a file (``govreport edit``) and on a report here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import GovReportError
from ..web.api import report_answer
from ..web.checking import Checked, problems_json
from ..web.context import read_json
from .access import Actor, NotFound, editable_report, readable_report
from .context import actor, in_session, service
from .models import ADMIN, REVIEWER
from .report_audit import AuditCache, finding_json, report_findings
from .store import current_text, report_name, save_values
from .texts import check_text


def _request_body(data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    file = str(data.get("file", ""))
    if not file.isdigit() or len(file) > 9:
        raise NotFound("没有这份报告，或您无权查看")
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise GovReportError("请求格式错误：values 应是对象")
    return int(file), values


async def _checked(request: Request) -> Checked:
    """The report as the page shows it (its values over the current version), checked."""
    return await _checked_body(request, await read_json(request))


async def _checked_body(request: Request, data: dict[str, Any]) -> Checked:
    me = actor(request)
    report_id, values = _request_body(data)

    def work(session: Session) -> tuple[str, str]:
        report = readable_report(session, me, report_id)
        return current_text(session, report), report_name(session, report)

    text, name = await in_session(request, work)
    return await run_in_threadpool(check_text, text, name, values)


async def check_values(request: Request) -> Response:
    """The check's problems; for a 审核员 or 管理员 also the round's audit findings on the
    report (``report_audit``), in the same shape, marked ``source: audit``: the page marks
    them at their cells and sections as it marks the check's, without counting them."""
    data = await read_json(request)
    answer = problems_json(await _checked_body(request, data))
    me = actor(request)
    if me.role in (REVIEWER, ADMIN):
        report_id, _ = _request_body(data)
        cache = service(request).audit_cache
        found = await in_session(request, lambda s: _findings(cache, s, me, report_id))
        answer["problems"] += found
        answer["audit"] = len(found)
    return JSONResponse(answer)


def _findings(
    cache: AuditCache, session: Session, me: Actor, report_id: int
) -> list[dict[str, Any]]:
    report = readable_report(session, me, report_id)
    return [finding_json(f) for f in report_findings(cache, session, me, report)]


async def save(request: Request) -> Response:
    """A new version, if the page started from the current one (else 409, what changed)."""
    me = actor(request)
    data = await read_json(request)
    report_id, values = _request_body(data)
    base = str(data.get("version", ""))
    if not base.isdigit():
        raise GovReportError("请求格式错误：缺少版本号")

    def work(session: Session) -> tuple[Checked, int]:
        report = editable_report(session, me, report_id)
        saved = save_values(session, me, report, int(base), values)
        return saved.checked, saved.version

    checked, version = await in_session(request, work)
    return JSONResponse({**problems_json(checked), "version": str(version), "saved": True})


async def preview(request: Request) -> Response:
    return await report_answer(await _checked(request), "html")


async def download(request: Request) -> Response:
    return await report_answer(await _checked(request), request.query_params.get("to", "docx"))
