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
from ..rendering.report import default_name, render
from .checking import check_document, problems_json
from .context import editor, read_json
from .document import Document, save_text

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


async def _document(request: Request) -> tuple[Document, dict[str, Any], Path]:
    return _document_from(request, await read_json(request))


async def check_values(request: Request) -> Response:
    doc, values, path = await _document(request)
    checked = await run_in_threadpool(check_document, doc, values)
    return JSONResponse(problems_json(checked, editor(request).notes.get(path, [])))


async def save(request: Request) -> Response:
    data = await read_json(request)
    doc, values, path = _document_from(request, data)
    checked = await run_in_threadpool(check_document, doc, values)
    version = doc.save(checked.text, str(data.get("version", "")))
    body = problems_json(checked, editor(request).notes.get(path, []))
    return JSONResponse({**body, "version": version, "saved": True})


def _document_from(request: Request, data: dict[str, Any]) -> tuple[Document, dict[str, Any], Path]:
    path = editor(request).workspace.resolve(str(data.get("file", "")))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise GovReportError("请求格式错误：values 应是对象")
    return Document.open(path), values, path


async def save_raw(request: Request) -> Response:
    """The plain-text view's save: the text as typed, then the page reloads into the form."""
    data = await read_json(request)
    path = editor(request).workspace.resolve(str(data.get("file", "")))
    text = data.get("text")
    if not isinstance(text, str):
        raise GovReportError("请求格式错误：text 应是文字")
    text = text.replace("\r\n", "\n")
    version = save_text(path, text, str(data.get("version", "")))
    try:
        parse(text, file=path.name)
    except GovReportError as exc:
        return JSONResponse({"saved": True, "version": version, "error": exc.format_message()})
    return JSONResponse({"saved": True, "version": version})


async def _rendered(request: Request, fmt: str) -> tuple[Path, str] | Response:
    doc, values, _ = await _document(request)
    checked = await run_in_threadpool(check_document, doc, values)
    if checked.facts is None or checked.errors:
        body = problems_json(checked)
        body["error"] = f"有 {checked.errors} 处错误，改正后才能生成报告"
        return JSONResponse(body, status_code=422)
    work = Path(tempfile.mkdtemp(prefix="govreport-web-"))
    try:
        result = await run_in_threadpool(render, checked.facts, work / f"report.{fmt}", to=fmt)
    except FactsError as exc:
        _remove(work)
        return JSONResponse({"error": exc.format_message()}, status_code=422)
    except BaseException:
        _remove(work)
        raise
    return result.outputs[fmt], default_name(checked.facts)


async def preview(request: Request) -> Response:
    """The report's HTML rendering (the public ``render``), for a sandboxed frame."""
    rendered = await _rendered(request, "html")
    if isinstance(rendered, Response):
        return rendered
    path, _ = rendered
    try:
        html = path.read_text(encoding="utf-8")
    finally:
        _remove(path.parent)
    return JSONResponse({"html": html})


async def download(request: Request) -> Response:
    """The Word file (or the PDF, where LibreOffice is installed) of what the page shows."""
    fmt = request.query_params.get("to", "docx")
    if fmt not in MEDIA_TYPES:
        raise GovReportError(f"不支持的下载格式“{fmt}”")
    rendered = await _rendered(request, fmt)
    if isinstance(rendered, Response):
        return rendered
    path, stem = rendered
    try:
        content = path.read_bytes()
    finally:
        _remove(path.parent)
    name = f"{stem}.{fmt}"
    disposition = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition}
    )


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
