"""Folder mode for a 政务公开办: every agency's facts file, its status, and batch work.

The page lists each agency (by its name, the facts file's name beside it) with its
errors and warnings (the same ``check`` as ``govreport check FOLDER``) and whether
its report is rendered and current, with a link to it. From it: a new agency from
the ``init`` skeleton, all reports rendered into ``报告/`` (``outputs``), and the
folder summed into a government-level facts file in ``汇总/`` (``aggregate``).
Every file written passes the workspace's write gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import official as fmt
from ..batch.aggregate import aggregate, load_children
from ..errors import GovReportError
from ..facts.loading import load
from ..facts.skeleton import skeleton
from ..facts.writer import dump_facts
from .context import editor, page, read_json
from .outputs import (
    OUTPUT_FOLDER,
    listed,
    read_report,
    render_all_files,
    report_targets,
    status_of,
)
from .workspace import Workspace

SUMS_FOLDER = "汇总"


@dataclass
class Entry:
    """One row of the folder page."""

    name: str  # the facts file, relative to the folder
    agency: str | None
    errors: int
    warnings: int
    failure: str | None
    rendered: str  # 已生成 | 需重新生成 | 未生成
    report: str | None = None  # the report's name in 报告/, when it is there


def entries(workspace: Workspace) -> list[Entry]:
    """The folder's facts files, by agency name (files whose agency is unknown last)."""
    files = listed(workspace)
    targets = report_targets(workspace, files)
    found = []
    for item in files:
        report = targets[item.source]
        status = status_of(report, item.source)
        found.append(
            Entry(
                workspace.name_of(item.source),
                item.agency,
                item.errors,
                item.warnings,
                item.failure,
                status,
                workspace.name_of_unresolved(report) if status != "未生成" else None,
            )
        )
    return sorted(found, key=lambda e: (e.agency is None, e.agency or "", e.name))


async def folder_page(request: Request) -> Response:
    workspace = editor(request).workspace
    shown = await run_in_threadpool(entries, workspace)
    context = {
        "folder": str(workspace.root),
        "folder_name": workspace.root.name,
        "entries": shown,
        "levels": fmt.LEVELS,
        "year": dt.date.today().year - 1,
        "output_folder": OUTPUT_FOLDER,
    }
    return page(request, "folder.html", context)


async def new_file(request: Request) -> Response:
    """A new agency's facts file from the ``init`` skeleton; the page opens it."""
    data = await read_json(request)
    name = " ".join(str(data.get("name", "")).split())
    if not name:
        raise GovReportError("请填写机关全称")
    if len(name) > 100:
        raise GovReportError(f"机关全称过长（{len(name)} 个字），请填写不超过 100 个字的全称")
    year = _year(data.get("year"))
    workspace = editor(request).workspace

    def create() -> Path:
        return workspace.write_text(workspace.new_name(f"{name}{year}"), skeleton(name, year))

    target = await run_in_threadpool(create)
    return JSONResponse({"url": f"/edit?file={quote(workspace.name_of(target))}"})


def _year(value: object) -> int:
    try:
        year = int(str(value))
    except ValueError:
        raise GovReportError("报告年度应是四位数字，如 2024") from None
    if not 2000 <= year <= 2100:
        raise GovReportError("报告年度应在 2000 至 2100 之间")
    return year


async def render_all(request: Request) -> Response:
    """Every facts file's Word report into ``报告/``; files with errors are listed, not rendered."""
    workspace = editor(request).workspace
    body = await run_in_threadpool(render_all_files, workspace)
    for item in body["reports"]:
        item["url"] = f"/report?file={quote(item['report'])}"
    return JSONResponse(body)


async def download_report(request: Request) -> Response:
    """A report "全部生成" wrote, from its link on the folder page."""
    workspace = editor(request).workspace
    name = request.query_params.get("file", "")
    path, content = await run_in_threadpool(read_report, workspace, name)
    disposition = f"attachment; filename=\"report.docx\"; filename*=UTF-8''{quote(path.name)}"
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


async def aggregate_folder(request: Request) -> Response:
    """The folder's tables summed into ``汇总/<name><year>.yaml``, never over an existing one."""
    data = await read_json(request)
    name = " ".join(str(data.get("name", "")).split())
    level = str(data.get("level", "government"))
    if not name:
        raise GovReportError("请填写汇总报告的机关名称，如 某某区人民政府")
    if len(name) > 100:
        raise GovReportError(f"机关名称过长（{len(name)} 个字），请填写不超过 100 个字的全称")
    if level not in fmt.LEVELS:
        raise GovReportError("机关层级应是 government 或 department")
    workspace = editor(request).workspace
    body = await run_in_threadpool(_aggregate, workspace, name, level)
    return JSONResponse(body)


def _aggregate(workspace: Workspace, name: str, level: str) -> dict[str, object]:
    sums = workspace.root / SUMS_FOLDER
    earlier = sorted(sums.glob("*.y*ml")) if sums.is_dir() else []
    children = load_children([workspace.root], exclude=earlier)
    facts = load(aggregate(children, name=name, level=level))
    target = workspace.writable(f"{SUMS_FOLDER}/{name}{facts.year}.yaml")
    if target.exists():
        raise GovReportError(
            f"{workspace.name_of_unresolved(target)} 已存在，未覆盖",
            hint="先改名或删除旧的汇总文件",
        )
    header = [
        f"由 govreport 编辑器汇总 {len(children)} 个单位：",
        *(c.agency.name for c in children),
    ]
    workspace.write_text(target, dump_facts(facts, header=header, every_key=True))
    name_of = workspace.name_of_unresolved(target)
    return {"url": f"/edit?file={quote(name_of)}", "count": len(children)}
