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
from pathlib import Path, PurePath
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import official as fmt
from ..checks import check
from ..diagnostics import Problem
from ..errors import FactsError, GovReportError, InputError
from ..facts.model import Facts
from ..facts.next_year import next_path, roll_forward, year_notes
from ..facts.writer import dump_facts
from ..importing import import_report
from ..importing.readers.choose import KIND_LABELS, READERS, WORKBOOKS
from .context import editor
from .workspace import Workspace

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FACTS_SUFFIXES = (".yaml", ".yml")
FACTS_LABEL = "事实文件"
#: Last year's cells that become this year's: their import notes move with them.
CARRIED = {
    ("requests", "carried_forward"): ("requests", "carried_over"),
}


class UploadError(GovReportError):
    exit_code = 2


def upload_kinds() -> list[tuple[str, tuple[str, ...]]]:
    """What the upload accepts, as (what people call it, its suffixes): every format
    ``import`` reads (its own list, so the two cannot drift), then last year's facts file."""
    kinds: dict[str, list[str]] = {}
    for suffix, kind in {**READERS, **dict.fromkeys(WORKBOOKS, "xlsx")}.items():
        kinds.setdefault(kind, []).append(suffix)
    found = [(KIND_LABELS.get(kind, kind), tuple(suffixes)) for kind, suffixes in kinds.items()]
    return [*found, (FACTS_LABEL, FACTS_SUFFIXES)]


def upload_suffixes() -> tuple[str, ...]:
    return tuple(suffix for _, suffixes in upload_kinds() for suffix in suffixes)


def describe_kinds() -> str:
    """The accepted formats in words, as the dialog and the messages say them."""
    return "、".join(f"{label}（{' '.join(suffixes)}）" for label, suffixes in upload_kinds())


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
            raise UploadError(f"请选择上一年度的年度报告或事实文件：{describe_kinds()}")
        filename = PurePath(item.filename.replace("\\", "/")).name[:255]
        suffix = PurePath(filename).suffix.lower()
        if suffix not in upload_suffixes():
            raise UploadError(
                f"不支持的文件类型“{suffix[:20] or '（无扩展名）'}”，可上传：{describe_kinds()}"
            )
        data = await item.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"文件过大：上传的文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    state = editor(request)
    target, notes = await run_in_threadpool(
        make_draft, state.workspace, data, suffix, PurePath(filename).stem, shown=filename
    )
    state.notes[target.resolve()] = notes
    name = state.workspace.name_of(target)
    return JSONResponse({"url": f"/edit?file={quote(name)}", "file": name, "notes": len(notes)})


def make_draft(
    workspace: Workspace, data: bytes, suffix: str, stem: str, *, shown: str | None = None
) -> tuple[Path, list]:
    """Read the upload, roll it forward, write the draft; the draft's path and its notes.

    The upload is read from a temporary copy; every message names ``shown`` (the
    user's own file name), never that copy's path."""
    shown = shown or f"{stem}{suffix}"
    with tempfile.TemporaryDirectory(prefix="govreport-upload-") as work:
        uploaded = Path(work) / f"upload{suffix}"
        uploaded.write_bytes(data)
        try:
            if suffix in FACTS_SUFFIXES:
                last, problems, origin = _facts_file(uploaded), [], "事实文件"
            else:
                result = import_report(uploaded)
                last, problems, origin = result.facts, result.problems, "已发布的年度报告"
        except GovReportError as exc:
            raise _named(exc, uploaded, shown) from None
        problems = [dataclasses.replace(p, file=None) for p in problems]
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
    workspace.write_text(target, text)
    return target, [_moved(p, following) for p in problems]


def _named(exc: GovReportError, uploaded: Path, shown: str) -> GovReportError:
    """``exc`` as the user should read it: their file's name where the temporary copy's was."""
    copies = {str(uploaded.resolve()): shown, str(uploaded): shown}
    copies |= {str(uploaded.parent.resolve()): "临时文件夹", str(uploaded.parent): "临时文件夹"}

    def clean(text: str | None) -> str | None:
        if text is None:
            return None
        for inner in sorted(copies, key=len, reverse=True):
            text = text.replace(inner, copies[inner])
        return text

    exc.message = clean(exc.message) or ""
    exc.hint = clean(exc.hint)
    if getattr(exc, "file", None):
        exc.file = shown  # type: ignore[attr-defined]
    if isinstance(exc, FactsError):
        exc.problems = [dataclasses.replace(p, file=None) for p in exc.problems]
    return exc


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
