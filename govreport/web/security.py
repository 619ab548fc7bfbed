"""Who may talk to the editor: the access token, the same-origin rule, the Host check.

On 127.0.0.1 only this computer reaches the editor. Bound to another address
anyone on the network could, so a random token is printed at start (like
Jupyter): opened once with ``?token=…`` the page gets it as a cookie, and every
request without it is refused. Every request that changes something (POST) must
come from the editor's own page (``Origin``/``Referer`` equal to the host),
so another web site open in the same browser cannot make it save or upload.
On loopback the ``Host`` header must name this computer, which stops DNS
rebinding from turning a hostile site into "same origin".
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import URL
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp

COOKIE = "govreport_token"
HEADER = "x-govreport-token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts_for(host: str) -> frozenset[str] | None:
    """The ``Host`` names an editor bound to ``host`` answers to: on loopback, this
    computer's names and the address it was bound to (``127.0.0.2`` is loopback too, and
    the URL printed names it); ``None`` (any, the token guards) off loopback."""
    if not is_loopback(host):
        return None
    bare = host.strip("[]").lower()
    return frozenset({*LOOPBACK_NAMES, f"[{bare}]" if ":" in bare else bare})


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _refuse(message: str, status: int = 403) -> Response:
    return PlainTextResponse(message, status_code=status)


class Guard(BaseHTTPMiddleware):
    """Token (when set), Host (when restricted) and same-origin checks on every request."""

    def __init__(
        self, app: ASGIApp, *, token: str | None, allowed_hosts: frozenset[str] | None
    ) -> None:
        super().__init__(app)
        self.token = token
        self.allowed_hosts = allowed_hosts

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = request.headers.get("host", "")
        if self.allowed_hosts is not None and _hostname(host) not in self.allowed_hosts:
            return _refuse("请求的主机名不是本机，已拒绝（防止 DNS 重绑定攻击）")
        if self.token is not None:
            given = request.query_params.get("token")
            if given is not None and request.method in SAFE_METHODS and self._valid(given):
                return self._remember(request.url)
            if not self._valid(request.cookies.get(COOKIE) or request.headers.get(HEADER)):
                return _refuse(
                    "需要访问令牌：请使用启动编辑器时终端上显示的完整网址（含 ?token=…）打开", 401
                )
        if request.method not in SAFE_METHODS and not _same_origin(request, host):
            return _refuse("拒绝来自其他网页的请求：只能在编辑器自己的页面中保存和上传")
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    def _valid(self, given: str | None) -> bool:
        if not given:
            return False
        return hmac.compare_digest(given.encode(), (self.token or "").encode())

    def _remember(self, url: URL) -> Response:
        """The token from the URL becomes a cookie, and the URL loses it (no token in history)."""
        clean = url.remove_query_params("token")
        target = clean.path + (f"?{clean.query}" if clean.query else "")
        response = RedirectResponse(target or "/", 303)
        response.set_cookie(COOKIE, self.token or "", httponly=True, samesite="strict")
        return response


def _hostname(host: str) -> str:
    host = host.lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(request: Request, host: str) -> bool:
    """Whether a POST comes from a page of this server (Origin, or Referer when no Origin)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == host
