"""What every route of the editor shares: the editor's state, its pages, its JSON bodies.

The routes (``pages``, ``api``, ``start``, ``folder``) and the application that
ties them together (``app``) all read this module, and it reads none of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..diagnostics import Problem
from ..errors import GovReportError
from .workspace import Workspace

HERE = Path(__file__).parent
MAX_JSON_BYTES = 4_000_000
#: Everything the page loads is its own: no CDN, no font service, no frames from elsewhere.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)

templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass
class Editor:
    """What the app knows: its folder, the file it was started on, import notes per file."""

    workspace: Workspace
    start_file: Path | None = None
    notes: dict[Path, list[Problem]] = field(default_factory=dict)


def editor(request: Request) -> Editor:
    return request.app.state.editor


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    return response


async def read_json(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to ``MAX_JSON_BYTES``."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise GovReportError("请求过大")
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise GovReportError("请求格式错误（不是 JSON）") from None
    if not isinstance(data, dict):
        raise GovReportError("请求格式错误")
    return data
