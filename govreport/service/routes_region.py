"""The region's outputs as downloads and pages (审核员 and 管理员, over their scope)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import GovReportError
from ..web.context import CSP
from .access import NotFound, in_scope, readable_report, require_role
from .context import actor, in_session, page, query_int
from .drafts import previous_report
from .models import ADMIN, REVIEWER, Round
from .region import Entry, audit_page, compare_government, entries, region_workbook, zip_reports
from .similar import similar_sections
from .store import current_text, report_name
from .texts import check_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_id(request: Request) -> int:
    return int(request.path_params["round_id"])


async def _entries(request: Request, offset: int = 0) -> tuple[list[Entry], int]:
    me = actor(request)
    require_role(me, REVIEWER, ADMIN)
    round_id = _round_id(request)

    def work(session: Session) -> tuple[list[Entry], int]:
        found = session.get(Round, round_id)
        if found is None:
            raise NotFound("没有这个轮次")
        return entries(session, me, round_id, offset), found.year

    return await in_session(request, work)


async def _file(request: Request, write: Callable[[Path], None], name: str, media: str) -> Response:
    work = Path(tempfile.mkdtemp(prefix="govreport-region-"))
    try:
        target = work / "out"
        await run_in_threadpool(write, target)
        content = target.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    disposition = f"attachment; filename=\"download\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


async def zip_route(request: Request) -> Response:
    found, year = await _entries(request)
    pdf = request.query_params.get("pdf") == "1"
    return await _file(
        request,
        lambda target: zip_reports(found, target, pdf=pdf),
        f"{year}年度报告.zip",
        "application/zip",
    )


async def workbook_route(request: Request) -> Response:
    found, year = await _entries(request)
    return await _file(
        request, lambda target: region_workbook(found, target), f"{year}年度报告汇总.xlsx", XLSX
    )


async def aggregate_route(request: Request) -> Response:
    found, year = await _entries(request)
    agency_id = query_int(request, "agency")
    me = actor(request)
    if agency_id is None or not await in_session(request, lambda s: in_scope(s, me, agency_id)):
        raise NotFound("请选择本范围内的一个人民政府")
    own, problems, children = await run_in_threadpool(compare_government, found, agency_id)
    context = {"year": year, "own": own, "problems": problems, "children": children}
    return page(request, "aggregate.html", context)


async def audit_route(request: Request) -> Response:
    found, _ = await _entries(request)
    previous, _ = await _entries(request, 1)
    html = await run_in_threadpool(audit_page, found, previous)
    response = HTMLResponse(html)
    response.headers["Content-Security-Policy"] = CSP
    return response


async def similar_route(request: Request) -> Response:
    """内容雷同 of one report (审核员, 管理员): against the round in scope and last year."""
    me = actor(request)
    require_role(me, REVIEWER, ADMIN)
    report_id = int(request.path_params["report_id"])

    def work(session: Session) -> dict[str, Any]:
        report = readable_report(session, me, report_id)
        found = entries(session, me, report.round_id)
        own = next((e for e in found if e.report.id == report.id), None)
        if own is None or own.facts is None:
            raise GovReportError("这份报告还没有填写或有错误，改正后才能比较内容雷同")
        others = [(e.agency.name, e.facts) for e in found if e.facts and e is not own]
        last = previous_report(session, report)
        last_facts = (
            check_text(current_text(session, last), report_name(session, last)).facts
            if last
            else None
        )
        items = similar_sections(own.facts, own.agency.name, others, last_facts)
        return {"report": report, "agency": own.agency, "items": items, "compared": len(others)}

    context = await in_session(request, work)
    return page(request, "similar.html", context)
