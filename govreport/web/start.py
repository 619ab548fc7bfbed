"""Start from last year: an uploaded report or facts file becomes this year's draft.

A published report (anything ``import`` reads) is imported, a facts file loaded;
either is rolled forward (``next``: 上年结转 and 现行有效件数 carried, the rest 0)
and written as a new facts file in the editor's folder, which the page then
opens. What import could not read of last year's report is kept as notes and
shown at the cell of the draft it affects (last year's 结转下年度 is this year's
上年结转).

Uploads are size-limited before a byte is parsed, stored under a name of our
own (never the uploaded name as a path), and read by the same hardened readers
as the command line.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import official as fmt
from ..checks import check
from ..diagnostics import Problem
from ..errors import GovReportError, InputError
from ..facts.model import Facts
from ..facts.next_year import next_path, roll_forward, year_notes
from ..facts.writer import dump_facts
from ..files.output import write_text
from ..importing import import_report
from ..importing.report import READERS
from .context import editor
from .workspace import Workspace

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FACTS_SUFFIXES = (".yaml", ".yml")
#: Last year's cells that become this year's: their import notes move with them.
CARRIED = {
    ("requests", "carried_forward"): ("requests", "carried_over"),
}


class UploadError(GovReportError):
    exit_code = 2


async def upload(request: Request) -> Response:
    """``multipart/form-data`` with one ``report`` file → ``{"url": …}`` of the new draft."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise UploadError("上传请求缺少长度信息，请在编辑器页面中选择文件上传")
    if int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        raise UploadError(f"文件过大：上传的文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    async with request.form(max_files=1, max_fields=4) as form:
        item = form.get("report")
        if not isinstance(item, UploadFile) or not item.filename:
            raise UploadError(
                "请选择上一年度的年度报告（.docx、.html、.txt、.md）或事实文件（.yaml）"
            )
        suffix = Path(item.filename).suffix.lower()
        if suffix not in READERS and suffix not in FACTS_SUFFIXES:
            choices = "、".join([*sorted(READERS), *FACTS_SUFFIXES])
            raise UploadError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，可上传：{choices}")
        data = await item.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"文件过大：上传的文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    state = editor(request)
    target, notes = await run_in_threadpool(
        make_draft, state.workspace, data, suffix, Path(item.filename).stem
    )
    state.notes[target.resolve()] = notes
    name = state.workspace.name_of(target)
    return JSONResponse({"url": f"/edit?file={quote(name)}", "file": name, "notes": len(notes)})


def make_draft(workspace: Workspace, data: bytes, suffix: str, stem: str) -> tuple[Path, list]:
    """Read the upload, roll it forward, write the draft; the draft's path and its notes."""
    with tempfile.TemporaryDirectory(prefix="govreport-upload-") as work:
        uploaded = Path(work) / f"upload{suffix}"
        uploaded.write_bytes(data)
        if suffix in FACTS_SUFFIXES:
            last, problems, origin = _facts_file(uploaded), [], "事实文件"
        else:
            result = import_report(uploaded)
            last, problems, origin = result.facts, result.problems, "已发布的年度报告"
    following = roll_forward(last)
    notes = year_notes(following)
    header = [
        f"由 govreport 编辑器从上一年度{origin}（{last.year}年度）生成的草稿。",
        "上年结转、现行有效件数已沿用；其余数字为 0，请填写本年数据。",
    ]
    if problems:
        header.append(f"上一年度报告有 {len(problems)} 处未能准确读取，编辑器中已在对应栏目标出。")
    if stem.endswith(str(last.year)):
        name = next_path(Path(stem + ".yaml"), last.year).stem
    else:
        name = f"{last.agency.short_name}{following.year}"
    target = workspace.new_name(name)
    text = dump_facts(following, header=header, notes=notes, every_key=True)
    write_text(target, text)
    return target, [_moved(p, following) for p in problems]


def _facts_file(path: Path) -> Facts:
    """Last year's facts; refused with its errors listed, as ``govreport next`` does."""
    result = check(path)
    if result.errors or result.facts is None:
        lines = "\n".join(p.format(with_file=False) for p in result.errors)
        raise InputError(
            f"上一年度事实文件有 {len(result.errors)} 处错误，先改正再生成草稿：\n{lines}"
        )
    return result.facts


def _moved(problem: Problem, draft: Facts) -> Problem:
    """An import note at last year's cell, placed at the draft cell that carries it on."""
    path = tuple(problem.path)
    for old, new in CARRIED.items():
        if path[: len(old)] == old:
            path = (*new, *path[len(old) :])
            label = fmt.describe(path)
            message = f"上一年度报告的“{problem.label}”：{problem.message}"
            return dataclasses.replace(problem, path=path, label=label, message=message)
    prefix = f"（上一年度报告，{draft.year - 1}年）"
    return dataclasses.replace(problem, message=prefix + problem.message, line=None, file=None)
