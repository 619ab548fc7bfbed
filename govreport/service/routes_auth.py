"""Sign in, sign out, and the one-time page that creates the first 管理员."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from ..errors import InputError
from .accounts import (
    SETUP_LINK_INVALID,
    SignedIn,
    setup_token_valid,
    sign_in,
    sign_out,
    use_setup_token,
    verify,
)
from .context import back, form_fields, in_session, page, service
from .middleware import SESSION_COOKIE, set_cookie


async def login_page(request: Request) -> Response:
    return page(request, "login.html", {"next": _next(request)})


def _next(request: Request) -> str:
    """Where to go after signing in: a path of this server only."""
    target = request.query_params.get("next", "/")
    return target if target.startswith("/") and not target.startswith("//") else "/"


async def login(request: Request) -> Response:
    form = await form_fields(request, "username", "password")
    state = service(request)
    name_key = "user:" + form["username"].strip()
    address_key = "ip:" + (request.client.host if request.client else "")
    wait = state.throttle.wait_seconds(name_key) or state.address_throttle.wait_seconds(address_key)
    if wait:
        message = f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试"
        return page(request, "login.html", {"error": message, "next": _next(request)}, 429)

    def check(session: Session) -> SignedIn | None:
        user = verify(session, form["username"].strip(), form["password"])
        return sign_in(session, user) if user is not None else None

    signed = await in_session(request, check)
    if signed is None:
        state.throttle.failed(name_key)
        state.address_throttle.failed(address_key)
        error = "用户名或密码不正确"
        return page(request, "login.html", {"error": error, "next": _next(request)}, 401)
    state.throttle.succeeded(name_key)
    response = back(_next(request))
    set_cookie(request, response, SESSION_COOKIE, signed.token)
    return response


async def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    await in_session(request, lambda session: sign_out(session, token))
    response = back("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def setup_page(request: Request) -> Response:
    """The form for the first 管理员, only behind the one-time link: a guessed or used
    link is told so at once, not after the form is filled in."""
    token = request.query_params.get("token", "")
    if not await in_session(request, lambda session: setup_token_valid(session, token)):
        raise InputError(SETUP_LINK_INVALID)
    return page(request, "setup.html", {"token": token})


async def setup(request: Request) -> Response:
    form = await form_fields(request, "token", "username", "password", "password2")
    if form["password"] != form["password2"]:
        raise InputError("两次输入的密码不一致")
    await in_session(
        request,
        lambda session: use_setup_token(session, form["token"], form["username"], form["password"]),
    )
    return back("/login")
