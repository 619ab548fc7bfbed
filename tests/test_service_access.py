"""Every route of ``govreport serve`` with every role: who may do what, on the server.

Reports of another agency are "not found" (404) whether they exist or not, so a
填报员 guessing ids learns nothing; a role that may see a report but not change it
gets 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import service_support as support
from service_support import Browser

EDU, FIN, HEALTH = "某市教育局", "某市财政局", "某区卫生健康局"
ROLES = ("anonymous", "admin", "city", "district", "edu", "fin", "health")


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[support.Region]:
    found = support.make_region(tmp_path_factory.mktemp("data"))
    support.put_text(found, EDU, "edu", support.clean_text(EDU, received=3))
    yield found
    found.database.engine.dispose()


@pytest.fixture(scope="module")
def browsers(region: support.Region) -> Iterator[dict[str, Browser]]:
    app = support.app_for(region)
    found = {r: Browser(app, None if r == "anonymous" else r) for r in ROLES}
    yield found
    for browser in found.values():
        browser.close()


def _edu(region: support.Region) -> int:
    return region.reports[EDU]


# (method, path template, body kind, {role: status}); {edu}/{fin}/{round} are filled in
READ_EDU = {"anonymous": 303, "admin": 200, "city": 200, "district": 404, "edu": 200,
            "fin": 404, "health": 404}  # fmt: skip
READ_EDU_API = {**READ_EDU, "anonymous": 401}
ADMIN_ONLY_PAGE = {"anonymous": 303, "admin": 200, "city": 403, "district": 403, "edu": 403,
                   "fin": 403, "health": 403}  # fmt: skip
ADMIN_ONLY_POST = {**ADMIN_ONLY_PAGE, "anonymous": 401, "admin": 303}
REVIEWERS_PAGE = {"anonymous": 303, "admin": 200, "city": 200, "district": 200, "edu": 403,
                  "fin": 403, "health": 403}  # fmt: skip
GUESSED = {role: 404 for role in ROLES} | {"anonymous": 303}
SAVE_EDU = {"anonymous": 401, "admin": 403, "city": 403, "district": 404, "edu": 200,
            "fin": 404, "health": 404}  # fmt: skip
START_FIN = {"anonymous": 401, "admin": 403, "city": 403, "district": 404, "edu": 404,
             "fin": 303, "health": 404}  # fmt: skip
DECIDE_EDU = {"anonymous": 401, "admin": 403, "city": 403, "district": 404, "edu": 403,
              "fin": 404, "health": 404}  # fmt: skip
COMMENT_EDU = {**READ_EDU_API}

CASES: list[tuple[str, str, str, dict[str, int]]] = [
    ("GET", "/admin", "", ADMIN_ONLY_PAGE),
    ("POST", "/admin/rounds", "form:year=2026", ADMIN_ONLY_POST),
    ("POST", "/admin/agencies", "form:name=新机关{role}", ADMIN_ONLY_POST),
    ("POST", "/admin/users", "form:user", ADMIN_ONLY_POST),
    # a guessed agency id: every other role is refused before the lookup, the 管理员 gets 404
    ("POST", "/admin/agencies/987654/delete", "form:x=", ADMIN_ONLY_POST | {"admin": 404}),
    ("POST", "/admin/agencies/987654/abolish", "form:x=", ADMIN_ONLY_POST | {"admin": 404}),
    ("POST", "/admin/agencies/987654/restore", "form:x=", ADMIN_ONLY_POST | {"admin": 404}),
    ("GET", "/dashboard", "", REVIEWERS_PAGE),
    ("GET", "/reports/{edu}", "", READ_EDU),
    ("GET", "/reports/{edu}/versions", "", READ_EDU),
    ("GET", "/reports/{edu}/facts.yaml", "", READ_EDU),
    ("GET", "/reports/{edu}/similar", "", REVIEWERS_PAGE | {"district": 404}),
    ("GET", "/reports/{edu}/diff?a=1&b=1", "", READ_EDU),
    ("GET", "/reports/987654", "", GUESSED),
    ("GET", "/api/reports/{edu}/warnings", "", READ_EDU_API),
    ("GET", "/api/reports/{edu}/comments", "", READ_EDU_API),
    ("POST", "/api/reports/{edu}/comments", "json:comment", COMMENT_EDU),
    ("POST", "/api/check", "json:check", READ_EDU_API),
    ("POST", "/api/preview", "json:check", READ_EDU_API),
    ("POST", "/api/save", "json:save", SAVE_EDU),
    ("POST", "/reports/{fin}/start", "form:how=blank", START_FIN),
    ("POST", "/reports/{edu}/approve", "form:comment=", DECIDE_EDU),
    ("POST", "/reports/{edu}/return", "form:comment=请修改", DECIDE_EDU),
    ("POST", "/api/reports/{edu}/submit", "json:submit", SAVE_EDU),  # clean: no warning to ack
]
REGION = {"anonymous": 303, "admin": 200, "city": 200, "district": 200, "edu": 403,
          "fin": 403, "health": 403}  # fmt: skip


def _body(kind: str, region: support.Region, role: str, version: int) -> dict[str, Any]:
    if kind.startswith("form:user"):
        return {
            "data": {"username": f"新用户{role}", "password": "足够长的密码123", "role": "管理员"}
        }
    if kind.startswith("form:"):
        key, _, value = kind[5:].partition("=")
        return {"data": {key: value.replace("{role}", role)}}
    if kind == "json:comment":
        return {"json": {"path": "requests.received.business", "text": f"{role} 的批注"}}
    if kind == "json:submit":
        return {"json": {"acknowledged": {}}}
    values = {"requests.received.business": "3"}
    body: dict[str, Any] = {"file": str(_edu(region)), "values": values}
    if kind == "json:save":
        body["version"] = str(version)
    return {"json": body}


@pytest.mark.parametrize(
    ("method", "path", "kind", "expected"), CASES, ids=[c[1] + c[0] for c in CASES]
)
def test_every_route_with_every_role(
    region: support.Region, browsers: dict[str, Browser], method: str, path: str, kind: str,
    expected: dict[str, int],
) -> None:  # fmt: skip
    url = path.format(edu=_edu(region), fin=region.reports[FIN])
    seen = {}
    for role in ROLES:
        browser = browsers[role]
        if method == "GET":
            seen[role] = browser.get(url).status_code
            continue
        with region.database.session() as session:
            from govreport.service.models import Report

            version = session.get(Report, _edu(region)).version  # type: ignore[union-attr]
        response = browser.post(url, **_body(kind, region, role, version))
        seen[role] = response.status_code
    assert seen == expected


@pytest.mark.parametrize(
    "what", ["reports.zip", "workbook.xlsx", "audit", "aggregate?agency={gov}"]
)
def test_region_outputs_only_for_reviewers_in_scope(
    region: support.Region, browsers: dict[str, Browser], what: str
) -> None:
    gov = region.agencies["某市人民政府"]
    url = f"/rounds/{region.round_id}/" + what.format(gov=gov)
    seen = {role: browsers[role].get(url).status_code for role in ROLES}
    expected = dict(REGION)
    if what.startswith("aggregate"):
        # the city has no report of its own yet: a clear refusal; the district may not look
        expected.update(admin=400, city=400, district=404)
    if what in ("workbook.xlsx", "audit"):
        expected.update(district=400)  # nothing in the district's scope is filled in yet
    assert seen == expected


def test_a_post_without_the_csrf_token_is_refused(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    edu = browsers["edu"]
    body = {"file": str(_edu(region)), "values": {}}
    response = edu.client.post("/api/check", json=body)
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    forged = edu.post("/api/check", json=body, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    assert edu.post("/api/check", json=body).status_code == 200


def test_session_cookie_is_httponly_and_samesite_strict(region: support.Region) -> None:
    browser = Browser(support.app_for(region))
    browser.refresh_token()
    response = browser.post("/login", data={"username": "edu", "password": support.PASSWORD})
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("govreport_session="))
    assert "httponly" in session.lower()
    assert "samesite=strict" in session.lower()
    assert "secure" not in session.lower()  # plain HTTP here; --behind-https adds it
    browser.close()


def test_login_is_throttled_after_repeated_failures(region: support.Region) -> None:
    browser = Browser(support.app_for(region))
    for _ in range(5):
        assert browser.login("fin", "错误的密码xxxx").status_code == 401
    blocked = browser.login("fin")  # even the right password waits now
    assert blocked.status_code == 429
    assert "分钟后再试" in blocked.text
    browser.close()


def test_no_self_registration_and_the_setup_link_works_once(tmp_path: Path) -> None:
    from govreport.service.accounts import new_setup_token
    from govreport.service.app import create_app
    from govreport.service.database import open_database

    database = open_database(tmp_path / "data")
    with database.session() as session:
        token = new_setup_token(session)
    assert token
    browser = Browser(create_app(database))
    guessed = browser.client.get("/setup", params={"token": "wrong-" + token})
    assert guessed.status_code == 422 and "此链接无效" in guessed.text
    assert browser.client.get("/setup", params={"token": token}).status_code == 200
    browser.refresh_token()
    form = {
        "token": token,
        "username": "root",
        "password": "管理员的密码123",
        "password2": "管理员的密码123",
    }
    assert browser.post("/setup", data=form).status_code == 303
    again = browser.post("/setup", data={**form, "username": "second"})
    assert again.status_code == 422
    assert "已使用过" in again.text
    assert browser.client.get("/setup", params={"token": token}).status_code == 422  # used
    assert browser.login("root", "管理员的密码123").headers["location"] == "/"
    with database.session() as session:
        assert new_setup_token(session) is None  # accounts exist: no new link
    browser.close()
    database.engine.dispose()


def test_the_admin_resets_a_password_and_disables_an_account(tmp_path: Path) -> None:
    region = support.make_region(tmp_path / "data")
    app = support.app_for(region)
    admin, health = Browser(app, "admin"), Browser(app, "health")
    with region.database.session() as session:
        from sqlalchemy import select

        from govreport.service.models import User

        user_id = session.scalar(select(User.id).where(User.username == "health"))
    assert health.get("/").status_code == 303
    city = Browser(app, "city")
    for path, body in (
        ("password", {"password": "城市审核员改的密码"}),
        ("active", {"active": "0"}),
    ):
        assert city.post(f"/admin/users/{user_id}/{path}", data=body).status_code == 403
        assert health.post(f"/admin/users/{user_id}/{path}", data=body).status_code == 403
    reset = admin.post(f"/admin/users/{user_id}/password", data={"password": "新的密码12345"})
    assert reset.status_code == 303
    assert health.get("/reports/1").status_code == 303  # signed out: to the sign-in page
    assert health.login("health").status_code == 401
    assert health.login("health", "新的密码12345").status_code == 303
    assert admin.post(f"/admin/users/{user_id}/active", data={"active": "0"}).status_code == 303
    assert health.get("/").headers["location"].startswith("/login")
    assert health.login("health", "新的密码12345").status_code == 401
    assert "已停用" in admin.get("/admin").text
    assert health.post(f"/admin/users/{user_id}/active", data={"active": "1"}).status_code == 401
    region.database.engine.dispose()


def test_behind_https_the_cookies_are_secure(region: support.Region) -> None:
    from govreport.service.app import create_app

    browser = Browser(create_app(region.database, behind_https=True), https=True)
    response = browser.post("/login", data={"username": "edu", "password": support.PASSWORD})
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("govreport_session="))
    assert "secure" in session.lower() and "httponly" in session.lower()
    browser.close()
