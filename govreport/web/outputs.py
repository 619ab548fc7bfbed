"""Folder mode's reports: each facts file checked, "全部生成" into ``报告/``, the files served.

One naming rule for every report the editor makes: a report is named after its
title (``某某区教育局2024年政府信息公开工作年度报告.docx``), as ``govreport render``
and the editor's "下载 Word" name it. In ``报告/`` the facts file's subfolders are
mirrored; when two facts files in one folder would give the same title (two copies
of one agency's year), each of them gets its facts file's name after the title
(``…年度报告（区教育局-草稿）.docx``), decided before anything is written, so no
report overwrites another. Every target passes the workspace's write gate first:
with ``报告/`` (or a report in it) a symlink, nothing at all is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks import check
from ..errors import GovReportError
from ..facts.model import Facts
from ..facts.reading import parse, read_text
from ..rendering.report import default_name, render
from .workspace import Workspace

OUTPUT_FOLDER = "报告"
REPORT_SUFFIXES = (".docx",)


@dataclass
class Listed:
    """One facts file of the folder, checked: what the folder page and "全部生成" need."""

    source: Path
    facts: Facts | None
    title: str | None  # the report's title as the template set words it
    agency: str | None
    errors: int = 0
    warnings: int = 0
    failure: str | None = None

    @property
    def renderable(self) -> bool:
        return self.facts is not None and not self.failure and not self.errors


def listed(workspace: Workspace) -> list[Listed]:
    """Every facts file in the folder, checked as ``govreport check`` checks it."""
    return [_checked(path) for path in workspace.facts_files()]


def _checked(path: Path) -> Listed:
    try:
        result = check(path)
    except GovReportError as exc:
        return Listed(path, None, None, _agency_named(path), failure=exc.format_message())
    title = result.narrative.title if result.narrative else None
    agency = result.facts.agency.name if result.facts else _agency_named(path)
    return Listed(path, result.facts, title, agency, len(result.errors), len(result.warnings), None)


def _agency_named(path: Path) -> str | None:
    """The agency's name as written, for a file whose facts do not load (to list it by)."""
    try:
        data, _ = parse(read_text(path), file=path.name)
    except GovReportError:
        return None
    agency = data.get("agency") if isinstance(data, dict) else None
    name = agency.get("name") if isinstance(agency, dict) else None
    return (name.strip() or None) if isinstance(name, str) else None


def report_name(facts: Facts, title: str | None = None) -> str:
    """A report's file name without suffix: its title (the one rule; see the module)."""
    return default_name(facts, title)


def report_targets(workspace: Workspace, files: list[Listed]) -> dict[Path, Path]:
    """Where "全部生成" puts each file's Word report, no two the same (compared without
    case, as Windows and macOS disks do)."""
    wanted: dict[Path, Path] = {}
    for item in files:
        folder = workspace.root / OUTPUT_FOLDER / _relative_folder(workspace, item.source)
        stem = report_name(item.facts, item.title) if item.facts else item.source.stem
        wanted[item.source] = folder / f"{stem}.docx"
    groups: dict[str, list[Path]] = {}
    for source, target in wanted.items():
        groups.setdefault(str(target).casefold(), []).append(source)
    for sources in groups.values():
        if len(sources) > 1:
            for source in sources:
                target = wanted[source]
                wanted[source] = target.with_name(f"{target.stem}（{source.stem}）.docx")
    return wanted


def _relative_folder(workspace: Workspace, source: Path) -> Path:
    try:
        return source.resolve().parent.relative_to(workspace.root)
    except ValueError:
        return Path()


def status_of(report: Path, source: Path) -> str:
    """已生成 | 需重新生成 (the facts file changed since) | 未生成."""
    try:
        made = report.stat().st_mtime
    except OSError:
        return "未生成"
    return "已生成" if made >= source.stat().st_mtime else "需重新生成"


def render_all_files(workspace: Workspace) -> dict[str, Any]:
    """Every renderable facts file's Word report into ``报告/``; the others listed with why.

    Every target passes the write gate before the first report is written: a
    symlinked ``报告/`` (or report) refuses the whole run, writing nothing."""
    files = listed(workspace)
    if not files:
        raise GovReportError("文件夹中没有事实文件（.yaml）")
    targets = report_targets(workspace, files)
    for item in files:
        if item.renderable:
            workspace.writable(targets[item.source], suffixes=REPORT_SUFFIXES)
    reports, failed = [], []
    for item in files:
        name = workspace.name_of(item.source)
        if not item.renderable:
            reason = item.failure or f"有 {item.errors} 处错误，未生成"
            failed.append({"file": name, "agency": item.agency, "reason": reason})
            continue
        target = workspace.writable(targets[item.source], suffixes=REPORT_SUFFIXES)
        try:
            render(item.source, target, to="docx")
        except GovReportError as exc:
            failed.append({"file": name, "agency": item.agency, "reason": exc.format_message()})
            continue
        report = workspace.name_of_unresolved(target)
        reports.append({"file": name, "agency": item.agency, "report": report})
    return {"rendered": len(reports), "reports": reports, "failed": failed}


def read_report(workspace: Workspace, name: str) -> tuple[Path, bytes]:
    """A generated report (only in ``报告/``) to download from the folder page."""
    if not name.startswith(f"{OUTPUT_FOLDER}/"):
        raise GovReportError(f"只能下载 {OUTPUT_FOLDER}/ 中生成的报告")
    path = workspace.resolve(name, suffixes=REPORT_SUFFIXES)
    if not path.is_file():
        raise GovReportError("报告不存在（可能已被移走），请重新生成")
    return path, workspace.read_bytes(path)
