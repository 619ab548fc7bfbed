"""Folder mode for a 政务公开办: every agency's facts file, its status, and batch work.

The page lists each facts file in the folder with its errors and warnings (the
same ``check_many`` as ``govreport check FOLDER``) and whether its report is
rendered and current. From it: a new agency from the ``init`` skeleton, all
reports rendered into ``报告/`` (``render_many``), and the folder summed into a
government-level facts file in ``汇总/`` (``aggregate``).
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
from ..batch.runner import FileResult, check_many, render_many
from ..errors import GovReportError
from ..facts.loading import load
from ..facts.skeleton import skeleton
from ..facts.writer import dump_facts
from ..files.output import write_text
from .context import editor, page, read_json
from .workspace import Workspace

OUTPUT_FOLDER = "报告"
SUMS_FOLDER = "汇总"


@dataclass
class Entry:
    """One row of the folder page."""

    name: str
    errors: int
    warnings: int
    failure: str | None
    rendered: str  # 已生成 | 需重新生成 | 未生成


def report_of(workspace: Workspace, path: Path) -> Path:
    """Where the batch render puts ``path``'s Word report (mirrors ``render_many``)."""
    relative = path.resolve().parent.relative_to(workspace.root)
    return workspace.root / OUTPUT_FOLDER / relative / f"{path.stem}.docx"


def _rendered(workspace: Workspace, path: Path) -> str:
    report = report_of(workspace, path)
    if not report.is_file():
        return "未生成"
    return "已生成" if report.stat().st_mtime >= path.stat().st_mtime else "需重新生成"


def entries(workspace: Workspace) -> list[Entry]:
    files = workspace.facts_files()
    results: list[FileResult] = check_many(files, jobs=1)
    return [
        Entry(
            workspace.name_of(r.source),
            len(r.errors),
            len(r.warnings),
            r.failure,
            _rendered(workspace, r.source),
        )
        for r in results
    ]


async def folder_page(request: Request) -> Response:
    workspace = editor(request).workspace
    listed = await run_in_threadpool(entries, workspace)
    context = {
        "folder": str(workspace.root),
        "folder_name": workspace.root.name,
        "entries": listed,
        "levels": fmt.LEVELS,
        "year": dt.date.today().year - 1,
        "output_folder": OUTPUT_FOLDER,
    }
    return page(request, "folder.html", context)


async def new_file(request: Request) -> Response:
    """A new agency's facts file from the ``init`` skeleton; the page opens it."""
    data = await read_json(request)
    name = str(data.get("name", "")).strip()
    if not name:
        raise GovReportError("请填写机关全称")
    year = _year(data.get("year"))
    workspace = editor(request).workspace
    target = workspace.new_name(f"{name}{year}")
    write_text(target, skeleton(name, year))
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
    files = workspace.facts_files()
    if not files:
        raise GovReportError("文件夹中没有事实文件（.yaml）")
    out = workspace.root / OUTPUT_FOLDER
    results = await run_in_threadpool(
        render_many, files, out, to=["docx"], jobs=1, root=workspace.root
    )
    failed = [
        {"file": workspace.name_of(r.source), "reason": r.failure} for r in results if not r.ok
    ]
    return JSONResponse({"rendered": len(results) - len(failed), "failed": failed})


async def aggregate_folder(request: Request) -> Response:
    """The folder's tables summed into ``汇总/<name><year>.yaml``, never over an existing one."""
    data = await read_json(request)
    name = str(data.get("name", "")).strip()
    level = str(data.get("level", "government"))
    if not name:
        raise GovReportError("请填写汇总报告的机关名称，如 某某区人民政府")
    if level not in fmt.LEVELS:
        raise GovReportError("机关层级应是 government 或 department")
    workspace = editor(request).workspace
    sums = workspace.root / SUMS_FOLDER
    earlier = sorted(sums.glob("*.y*ml")) if sums.is_dir() else []
    children = await run_in_threadpool(load_children, [workspace.root], exclude=earlier)
    facts = load(aggregate(children, name=name, level=level))
    target = workspace.resolve(f"{SUMS_FOLDER}/{name}{facts.year}.yaml")
    if target.exists():
        raise GovReportError(
            f"{workspace.name_of(target)} 已存在，未覆盖", hint="先改名或删除旧的汇总文件"
        )
    header = [
        f"由 govreport 编辑器汇总 {len(children)} 个单位：",
        *(c.agency.name for c in children),
    ]
    write_text(target, dump_facts(facts, header=header, every_key=True))
    name_of = workspace.name_of(target)
    return JSONResponse({"url": f"/edit?file={quote(name_of)}", "count": len(children)})
