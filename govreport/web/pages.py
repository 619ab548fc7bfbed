"""The editor's pages: the form for a facts file, or its plain text when it does not load.

A file broken by hand (a YAML error) must not give a blank page: it opens as
text with the error marked at its line, to be fixed right there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import FactsError, InputError
from ..facts.reading import MAX_BYTES
from ..rendering.typst_pdf import pdf_possible
from .context import editor, page
from .document import Document, version_of
from .view import editor_context


async def home(request: Request) -> Response:
    state = editor(request)
    if state.start_file is not None:
        name = state.workspace.name_of(state.start_file)
        return RedirectResponse(f"/edit?file={quote(name)}", 303)
    return RedirectResponse("/folder", 303)


async def edit(request: Request) -> Response:
    state = editor(request)
    path = state.workspace.resolve(request.query_params.get("file", ""))
    name = state.workspace.name_of(path)
    if not path.is_file():
        raise InputError("文件不存在", file=name)
    try:
        doc = await run_in_threadpool(Document.open, path)
    except InputError as exc:
        data = await run_in_threadpool(state.workspace.read_bytes, path)
        return raw_view(request, data, name, exc)
    context = await run_in_threadpool(_edit_context, doc, name)
    return page(request, "edit.html", context)


def _edit_context(doc: Document, name: str) -> dict[str, Any]:
    try:
        facts = doc.facts()
    except FactsError:
        facts = None  # shown as problems at their cells; no boilerplate placeholders
    return {
        "file": name,
        "version": doc.version,
        "title": facts.title if facts else name,
        "pdf": pdf_possible(facts),
        **editor_context(doc, facts),
    }


def raw_view(request: Request, data: bytes, name: str, exc: InputError) -> Response:
    """The file as plain text, the failing line marked; editable when it is readable text."""
    try:
        text: str | None = data.decode("utf-8-sig") if len(data) <= MAX_BYTES else None
    except UnicodeDecodeError:
        text = None
    lines = text.split("\n") if text is not None else []
    context = {
        "file": name,
        "version": version_of(data),
        "message": exc.message,
        "hint": exc.hint,
        "line": exc.line,
        "column": exc.column,
        "text": text,
        "lines": lines,
    }
    return page(request, "raw.html", context, status=200)
