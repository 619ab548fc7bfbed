"""Every request: who is signed in, the CSRF token on anything that changes state, headers.

The session cookie is HttpOnly and SameSite=Strict (Secure over TLS). A POST
must carry the CSRF token (the ``X-CSRF-Token`` header the page's script adds,
or ``?csrf=`` in a form's action) and, when the browser says where it comes
from, come from this server's own pages. Before sign-in the token is a cookie of
its own (double submit), so the sign-in form is protected too.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .access import Actor
from .accounts import signed_in
from .context import service

SESSION_COOKIE = "govreport_session"
CSRF_COOKIE = "govreport_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or service(request).behind_https


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=secure(request), path="/"
    )


class SessionGuard(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        found = await run_in_threadpool(self._actor, request)
        request.state.actor = found
        fresh = None
        if found is not None:
            request.state.csrf = found.csrf
        else:
            fresh = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
            request.state.csrf = fresh
        if request.method not in SAFE_METHODS:
            refusal = _refusal(request)
            if refusal is not None:
                return JSONResponse({"error": refusal}, status_code=403)
        response = await call_next(request)
        if fresh is not None and request.cookies.get(CSRF_COOKIE) != fresh:
            set_cookie(request, response, CSRF_COOKIE, fresh)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _actor(self, request: Request) -> Actor | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        with service(request).database.session() as session:
            found = signed_in(session, token)
            if found is None:
                return None
            user, login = found
            return Actor.of(user, login.csrf)


def _refusal(request: Request) -> str | None:
    """Why a state-changing request is refused (``None``: it may go on)."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if parts.netloc != request.headers.get("host", ""):
            return "拒绝来自其他网站的请求"
    expected = request.state.csrf if request.state.actor else request.cookies.get(CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER) or request.query_params.get("csrf")
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        return "请求缺少有效的安全令牌（CSRF）：请刷新页面后重试"
    return None
