"""What every route of the service shares: the database, the signed-in user, the pages.

The service's templates come first and the editor's (``web/templates``) after
them, so the editor's own ``edit.html`` is rendered inside the service's
``base.html`` (accounts, navigation, the report's workflow panel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from ..errors import InputError
from ..web.context import CSP
from ..web.context import HERE as WEB_HERE
from .access import Actor
from .database import Database
from .report_audit import AuditCache
from .throttle import Throttle

HERE = Path(__file__).parent
T = TypeVar("T")

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(HERE / "templates")),
                jinja2.FileSystemLoader(str(WEB_HERE / "templates")),
            ]
        ),
        autoescape=True,
    )
)


class SignInRequired(Exception):
    """A page asked for without a session: the browser goes to the sign-in page."""


@dataclass
class Service:
    """What the application holds: its database and settings."""

    database: Database
    behind_https: bool = False
    throttle: Throttle = field(default_factory=Throttle)
    address_throttle: Throttle = field(default_factory=lambda: Throttle(limit=50))
    #: the review pages' audit findings: facts per version, similarity index per round state
    audit_cache: AuditCache = field(default_factory=AuditCache)


def service(request: Request) -> Service:
    return request.app.state.service


def actor(request: Request) -> Actor:
    """The signed-in user; ``SignInRequired`` otherwise."""
    found = getattr(request.state, "actor", None)
    if found is None:
        raise SignInRequired
    return found


async def in_session(request: Request, work: Callable[[Session], T]) -> T:
    """``work(session)`` in a worker thread, committed when it returns."""

    def run() -> T:
        with service(request).database.session() as session:
            return work(session)

    return await run_in_threadpool(run)


def csrf_token(request: Request) -> str:
    return getattr(request.state, "csrf", "")


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page of the service (or of the editor), with the user, CSRF token and CSP."""
    full = {"me": getattr(request.state, "actor", None), "csrf": csrf_token(request), **context}
    response = templates.TemplateResponse(request, name, full, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    return response


def back(url: str) -> Response:
    """After a form's POST: to the page that shows the result (303: GET it)."""
    return RedirectResponse(url, 303)


MAX_FIELD = 4000


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """A form's text fields (each cut at ``MAX_FIELD`` characters; missing: "")."""
    async with request.form(max_files=0, max_fields=40) as form:
        found = {}
        for name in names:
            value = form.get(name)
            found[name] = value[:MAX_FIELD] if isinstance(value, str) else ""
    return found


async def uploaded(request: Request, name: str, limit: int) -> tuple[bytes, str, dict[str, str]]:
    """The form's file ``name`` (at most ``limit`` bytes, else ``InputError``), its suffix
    and the form's text fields."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > limit + 64 * 1024:
        raise InputError(f"文件过大或请求不完整：上传的文件不能超过 {limit // 1024 // 1024} MB")
    async with request.form(max_files=1, max_fields=10) as form:
        item = form.get(name)
        if not isinstance(item, UploadFile) or not item.filename:
            raise InputError("请选择要上传的文件")
        data = await item.read(limit + 1)
        texts = {k: v for k, v in form.items() if isinstance(v, str)}
        suffix = Path(item.filename).suffix.lower()
    if len(data) > limit:
        raise InputError(f"文件过大：上传的文件不能超过 {limit // 1024 // 1024} MB")
    return data, suffix, texts


def query_int(request: Request, name: str) -> int | None:
    text = request.query_params.get(name, "")
    return int(text) if text.isdigit() and len(text) < 10 else None
