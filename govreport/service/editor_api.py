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
from .access import NotFound, editable_report, readable_report
from .context import actor, in_session
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
    me = actor(request)
    report_id, values = _request_body(await read_json(request))

    def work(session: Session) -> tuple[str, str]:
        report = readable_report(session, me, report_id)
        return current_text(session, report), report_name(session, report)

    text, name = await in_session(request, work)
    return await run_in_threadpool(check_text, text, name, values)


async def check_values(request: Request) -> Response:
    return JSONResponse(problems_json(await _checked(request)))


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
