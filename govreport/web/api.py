"""The page's requests: check as you type, save, preview, download.

Each request reads the file from disk, applies the page's values and works on
the resulting text: the server holds no copy that could drift from the file.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import FactsError, GovReportError
from ..facts.reading import parse
from ..rendering.report import render
from .checking import Checked, check_document, problems_json
from .context import editor, read_json
from .document import Document, save_text
from .outputs import report_name
from .workspace import Workspace

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


async def _document(request: Request) -> tuple[Document, dict[str, Any], Path]:
    data = await read_json(request)
    return await run_in_threadpool(_document_from, editor(request).workspace, data)


async def check_values(request: Request) -> Response:
    doc, values, path = await _document(request)
    checked = await run_in_threadpool(check_document, doc, values)
    return JSONResponse(problems_json(checked, editor(request).notes.get(path, [])))


async def save(request: Request) -> Response:
    """The form's save. Reading, checking and writing run off the event loop: a slow disk
    (or a file that is not what it seems) never stops the editor answering."""
    data = await read_json(request)
    workspace = editor(request).workspace
    doc, values, path = await run_in_threadpool(_document_from, workspace, data)
    checked = await run_in_threadpool(check_document, doc, values)
    version = str(data.get("version", ""))
    new_version = await run_in_threadpool(
        lambda: doc.save(checked.text, version, workspace=workspace)
    )
    body = problems_json(checked, editor(request).notes.get(path, []))
    return JSONResponse({**body, "version": new_version, "saved": True})


def _document_from(
    workspace: Workspace, data: dict[str, Any]
) -> tuple[Document, dict[str, Any], Path]:
    path = workspace.resolve(str(data.get("file", "")))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise GovReportError("请求格式错误：values 应是对象")
    return Document.open(path), values, path


async def save_raw(request: Request) -> Response:
    """The plain-text view's save: the text as typed, then the page reloads into the form."""
    data = await read_json(request)
    text = data.get("text")
    if not isinstance(text, str):
        raise GovReportError("请求格式错误：text 应是文字")
    body = await run_in_threadpool(
        _save_raw, editor(request).workspace, str(data.get("file", "")), text, data
    )
    return JSONResponse(body)


def _save_raw(workspace: Workspace, name: str, text: str, data: dict[str, Any]) -> dict[str, Any]:
    path = workspace.resolve(name)
    text = text.replace("\r\n", "\n")
    version = save_text(path, text, str(data.get("version", "")), workspace=workspace)
    try:
        parse(text, file=path.name)
    except GovReportError as exc:
        return {"saved": True, "version": version, "error": exc.format_message()}
    return {"saved": True, "version": version}


async def preview(request: Request) -> Response:
    """The report's HTML rendering (the public ``render``), for a sandboxed frame."""
    return await report_answer(await _checked(request), "html")


async def download(request: Request) -> Response:
    """The Word file (or the PDF) of what the page shows."""
    return await report_answer(await _checked(request), request.query_params.get("to", "docx"))


async def _checked(request: Request) -> Checked:
    doc, values, _ = await _document(request)
    return await run_in_threadpool(check_document, doc, values)


async def report_answer(checked: Checked, fmt: str) -> Response:
    """What the page's preview (``html``) and downloads (``docx``, ``pdf``) answer for
    ``checked``: the report rendered by the public ``render``, or 422 with the problems
    while it has errors. The editor and the service both answer with it, so their files
    are named (after the report's title) and cleaned up alike."""
    if fmt != "html" and fmt not in MEDIA_TYPES:
        raise GovReportError(f"不支持的下载格式“{fmt}”")
    if checked.facts is None or checked.errors:
        body = problems_json(checked)
        body["error"] = f"有 {checked.errors} 处错误，改正后才能生成报告"
        return JSONResponse(body, status_code=422)
    work = Path(tempfile.mkdtemp(prefix="govreport-web-"))
    try:
        result = await run_in_threadpool(render, checked.facts, work / f"report.{fmt}", to=fmt)
        content = await run_in_threadpool(result.outputs[fmt].read_bytes)
    except FactsError as exc:
        return JSONResponse({"error": exc.format_message()}, status_code=422)
    finally:
        _remove(work)
    if fmt == "html":
        return JSONResponse({"html": content.decode("utf-8")})
    name = f"{report_name(checked.facts, checked.title)}.{fmt}"
    disposition = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition}
    )


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
