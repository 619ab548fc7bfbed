"""The editor's Starlette application: routes, pages, guards and error handling.

Every error a user can cause becomes a Chinese message (JSON for the page's
requests, a page for the browser's), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import GovReportError, InputError
from .context import HERE, Editor, page
from .document import Conflict
from .security import Guard
from .workspace import Forbidden, Workspace


def _status(exc: GovReportError) -> int:
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, InputError):
        return 422
    return 400


async def _govreport_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GovReportError)
    message = exc.format_message()
    if request.url.path.startswith("/api/"):
        payload: dict[str, Any] = {"error": message}
        if isinstance(exc, Conflict):
            payload["conflict"] = True
        return JSONResponse(payload, status_code=_status(exc))
    return page(request, "error.html", {"message": message}, _status(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "没有这个页面", 405: "不支持的请求方法"}
    message = messages.get(exc.status_code, f"请求错误（{exc.status_code}）")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=exc.status_code)
    return HTMLResponse(f"<p>{message}</p>", status_code=exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    message = f"内部错误：{type(exc).__name__}。这是 govreport 的缺陷，请把操作步骤和事实文件反馈给维护人员。"
    return JSONResponse({"error": message}, status_code=500)


def create_app(
    root: Path,
    start_file: Path | None = None,
    *,
    token: str | None = None,
    allowed_hosts: frozenset[str] | None = None,
) -> Starlette:
    """The editor for the facts files in ``root`` (opening ``start_file`` first, if given).

    ``token``: required on every request when set (the server sets it when bound to a
    non-loopback address). ``allowed_hosts``: the ``Host`` names accepted (loopback).
    """
    from . import api, folder, pages, start

    routes = [
        Route("/", pages.home),
        Route("/edit", pages.edit),
        Route("/api/check", api.check_values, methods=["POST"]),
        Route("/api/save", api.save, methods=["POST"]),
        Route("/api/save-raw", api.save_raw, methods=["POST"]),
        Route("/api/preview", api.preview, methods=["POST"]),
        Route("/api/download", api.download, methods=["POST"]),
        Route("/api/start", start.upload, methods=["POST"]),
        Route("/api/new", folder.new_file, methods=["POST"]),
        Route("/api/render-all", folder.render_all, methods=["POST"]),
        Route("/api/aggregate", folder.aggregate_folder, methods=["POST"]),
        Route("/folder", folder.folder_page),
        Route("/report", folder.download_report),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    workspace = Workspace.at(root)
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, allowed_hosts=allowed_hosts)],
        exception_handlers={
            GovReportError: _govreport_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    opened = start_file.resolve() if start_file is not None else None
    app.state.editor = Editor(workspace, opened)
    return app
