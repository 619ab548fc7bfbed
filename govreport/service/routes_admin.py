"""The 管理员's pages: agencies (one by one or from a list), accounts, rounds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from .. import official as fmt
from ..errors import InputError
from .access import require_role
from .accounts import create_user, reset_password, set_active
from .agency_removal import abolish_agency, agencies_with_history, delete_agency, restore_agency
from .context import actor, back, form_fields, in_session, page, uploaded
from .models import ADMIN, ROLES, Agency, Round, User
from .organisation import MAX_LIST_BYTES, import_agencies, level_of, open_round, read_rows


def _admin(request: Request) -> None:
    require_role(actor(request), ADMIN)


def _overview(session: Session) -> dict:
    agencies = list(session.scalars(select(Agency).order_by(Agency.id)))
    names = {a.id: a.name for a in agencies}
    return {
        "agencies": [a for a in agencies if a.active],
        "abolished": [a for a in agencies if not a.active],
        # an agency with history, or with agencies under it, is not offered 删除
        "deletable": {a.id for a in agencies}
        - agencies_with_history(session)
        - {a.parent_id for a in agencies},
        "names": names,
        "users": list(session.scalars(select(User).order_by(User.id))),
        "rounds": list(session.scalars(select(Round).order_by(Round.year.desc()))),
        "roles": ROLES,
        "levels": fmt.LEVELS,
    }


async def admin_page(request: Request) -> Response:
    _admin(request)
    context = await in_session(request, _overview)
    context["message"] = request.query_params.get("message", "")
    return page(request, "admin.html", context)


def _done(message: str) -> Response:
    from urllib.parse import quote

    return back(f"/admin?message={quote(message)}")


async def create_agency(request: Request) -> Response:
    _admin(request)
    form = await form_fields(request, "name", "short_name", "level", "parent")

    def work(session: Session) -> None:
        name = form["name"].strip()
        if not name:
            raise InputError("机关名称不能为空")
        row = {"name": name, "short_name": form["short_name"], "line": "1"}
        row["level"] = level_of(form["level"], name)
        parent = session.get(Agency, int(form["parent"])) if form["parent"].isdigit() else None
        row["parent"] = parent.name if parent else ""
        import_agencies(session, [row])

    await in_session(request, work)
    return _done(f"已保存机关“{form['name'].strip()}”")


async def import_list(request: Request) -> Response:
    _admin(request)
    data, suffix, _ = await uploaded(request, "list", MAX_LIST_BYTES)
    rows = read_rows(data, suffix)
    created, updated = await in_session(request, lambda s: import_agencies(s, rows))
    return _done(f"已导入机关名单：新增 {created} 个，更新 {updated} 个")


async def create_account(request: Request) -> Response:
    _admin(request)
    form = await form_fields(request, "username", "display_name", "password", "role", "agency")
    agency = int(form["agency"]) if form["agency"].isdigit() else None
    await in_session(
        request,
        lambda s: create_user(
            s,
            username=form["username"],
            password=form["password"],
            role=form["role"],
            agency_id=agency,
            display_name=form["display_name"],
        ),
    )
    return _done(f"已创建账号“{form['username'].strip()}”（{form['role']}）")


async def open_year(request: Request) -> Response:
    _admin(request)
    form = await form_fields(request, "year")
    if not form["year"].strip().isdigit():
        raise InputError("请填写年度（如 2025）")
    year = int(form["year"].strip())
    _, added = await in_session(request, lambda s: open_round(s, year))
    return _done(f"已开启{year}年度轮次，新建 {added} 份报告")


async def user_password(request: Request) -> Response:
    _admin(request)
    user_id = int(request.path_params["user_id"])
    form = await form_fields(request, "password")
    user = await in_session(request, lambda s: reset_password(s, user_id, form["password"]))
    return _done(f"已重设“{user.username}”的密码")


async def user_active(request: Request) -> Response:
    _admin(request)
    me, user_id = actor(request), int(request.path_params["user_id"])
    form = await form_fields(request, "active")
    active = form["active"] == "1"
    user = await in_session(request, lambda s: set_active(s, user_id, active, me.id))
    return _done(f"已{'启用' if active else '停用'}账号“{user.username}”")


def _agency_id(request: Request) -> int:
    return int(request.path_params["agency_id"])


async def agency_delete(request: Request) -> Response:
    """Delete an agency nothing was written for (``agency_removal``)."""
    _admin(request)
    agency_id = _agency_id(request)
    agency = await in_session(request, lambda s: delete_agency(s, agency_id))
    return _done(f"已删除机关“{agency.name}”（其账号已停用）")


async def agency_abolish(request: Request) -> Response:
    """撤销 an agency: no report in later rounds, no sign-in; its history stays."""
    _admin(request)
    agency_id = _agency_id(request)
    agency = await in_session(request, lambda s: abolish_agency(s, agency_id))
    return _done(f"已撤销机关“{agency.name}”：以后开启的轮次不再为它建报告，历史报告仍可查阅")


async def agency_restore(request: Request) -> Response:
    _admin(request)
    agency_id = _agency_id(request)
    agency = await in_session(request, lambda s: restore_agency(s, agency_id))
    return _done(f"已恢复机关“{agency.name}”：本年度轮次如需为它建报告，请再次开启该年度")
