"""The service's Starlette application: routes, the session guard, errors as Chinese pages.

Every error a user can cause is a Chinese message with a 4xx status (JSON for
the page's requests, a page for the browser's); a page asked for without a
session goes to the sign-in page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import GovReportError, InputError
from ..web.context import HERE as WEB_HERE
from ..web.document import Conflict
from .access import Forbidden, NotFound
from .context import HERE, Service, SignInRequired, page
from .database import Database
from .middleware import SessionGuard
from .workflow import NotReady


def _status(exc: GovReportError) -> int:
    for kind, status in ((NotReady, 422), (NotFound, 404), (Forbidden, 403), (Conflict, 409)):
        if isinstance(exc, kind):
            return status
    return 422 if isinstance(exc, InputError) else 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _govreport_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GovReportError)
    message, status = exc.format_message(), _status(exc)
    if _wants_json(request):
        payload: dict[str, Any] = {"error": message}
        if isinstance(exc, Conflict):
            payload["conflict"] = True
        return JSONResponse(payload, status_code=status)
    return page(request, "error.html", {"message": message}, status)


async def _sign_in(request: Request, exc: Exception) -> Response:
    if _wants_json(request) or request.method != "GET":
        return JSONResponse({"error": "请先登录"}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", 303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "没有这个页面", 405: "不支持的请求方法", 400: "请求格式错误"}
    message = messages.get(exc.status_code, f"请求错误（{exc.status_code}）")
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=exc.status_code)
    return HTMLResponse(f"<p>{message}</p>", status_code=exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    message = f"内部错误：{type(exc).__name__}。这是 govreport 的缺陷，请把操作步骤反馈给维护人员。"
    return JSONResponse({"error": message}, status_code=500)


def routes() -> list[Any]:
    from . import editor_api as api
    from . import routes_admin as admin
    from . import routes_auth as auth
    from . import routes_region as region
    from . import routes_reports as reports
    from . import routes_workflow as flow

    report = "/reports/{report_id:int}"
    api_report = "/api" + report
    rounds = "/rounds/{round_id:int}"
    post = ["POST"]
    return [
        Route("/", reports.home),
        Route("/login", auth.login_page),
        Route("/login", auth.login, methods=post),
        Route("/logout", auth.logout, methods=post),
        Route("/setup", auth.setup_page),
        Route("/setup", auth.setup, methods=post),
        Route("/admin", admin.admin_page),
        Route("/admin/agencies", admin.create_agency, methods=post),
        Route("/admin/agencies/import", admin.import_list, methods=post),
        Route("/admin/agencies/{agency_id:int}/delete", admin.agency_delete, methods=post),
        Route("/admin/agencies/{agency_id:int}/abolish", admin.agency_abolish, methods=post),
        Route("/admin/agencies/{agency_id:int}/restore", admin.agency_restore, methods=post),
        Route("/admin/users", admin.create_account, methods=post),
        Route("/admin/users/{user_id:int}/password", admin.user_password, methods=post),
        Route("/admin/users/{user_id:int}/active", admin.user_active, methods=post),
        Route("/admin/rounds", admin.open_year, methods=post),
        Route("/dashboard", reports.dashboard),
        Route(report, reports.report_page),
        Route(report + "/start", flow.start, methods=post),
        Route(report + "/return", flow.return_route, methods=post),
        Route(report + "/approve", flow.approve_route, methods=post),
        Route(report + "/publish", flow.publish_route, methods=post),
        Route(report + "/restore", flow.restore, methods=post),
        Route(report + "/versions", reports.versions_page),
        Route(report + "/facts.yaml", reports.facts_file),
        Route(report + "/similar", region.similar_route),
        Route(report + "/diff", reports.diff_page),
        Route(api_report + "/warnings", flow.warnings),
        Route(api_report + "/submit", flow.submit_report, methods=post),
        Route(api_report + "/comments", flow.comments),
        Route(api_report + "/comments", flow.comment, methods=post),
        Route("/api/check", api.check_values, methods=post),
        Route("/api/save", api.save, methods=post),
        Route("/api/preview", api.preview, methods=post),
        Route("/api/download", api.download, methods=post),
        Route(rounds + "/reports.zip", region.zip_route),
        Route(rounds + "/workbook.xlsx", region.workbook_route),
        Route(rounds + "/aggregate", region.aggregate_route),
        Route(rounds + "/audit", region.audit_route),
        Mount("/static", StaticFiles(directory=str(WEB_HERE / "static")), name="static"),
        Mount("/service-static", StaticFiles(directory=str(HERE / "static")), name="service"),
    ]


def create_app(database: Database, *, behind_https: bool = False) -> Starlette:
    """The service on ``database`` (already upgraded by ``open_database``)."""
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(SessionGuard)],
        exception_handlers={
            GovReportError: _govreport_error,
            SignInRequired: _sign_in,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.service = Service(database, behind_https=behind_https)
    return app


#: What ``govreport serve --workers N`` passes to each worker process.
DATA_ENV, DB_ENV, HTTPS_ENV = "GOVREPORT_SERVE_DATA", "GOVREPORT_SERVE_DB", "GOVREPORT_SERVE_HTTPS"


def from_environment() -> Starlette:
    """The application of one worker process (uvicorn's factory), configured by the
    command through the environment; the database is already upgraded by the command."""
    import os
    from pathlib import Path

    from .database import open_database

    data, url = os.environ.get(DATA_ENV), os.environ.get(DB_ENV)
    database = open_database(Path(data) if data else None, url or None)
    return create_app(database, behind_https=os.environ.get(HTTPS_ENV) == "1")
