"""Removing an agency in ``govreport serve``: deleted when nothing was written for it,
撤销 (kept, inactive, restorable) when it has history; through the 管理员's routes on a
real SQLite file, as the admin page's forms send them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import service_support as support
from service_support import Browser
from sqlalchemy import select

from govreport.service.database import (
    SQLITE_NAME,
    current_revision,
    make_engine,
    open_database,
    sqlite_url,
    upgrade,
)
from govreport.service.models import Agency, Report, Round, User

EDU, FIN, HEALTH = "某市教育局", "某市财政局", "某区卫生健康局"
CITY, DISTRICT = "某市人民政府", "某市某区人民政府"


@pytest.fixture
def region(tmp_path: Path) -> Iterator[support.Region]:
    found = support.make_region(tmp_path / "数据")
    support.put_text(found, EDU, "edu", support.clean_text(EDU, received=3))
    yield found
    found.database.engine.dispose()


@pytest.fixture
def admin(region: support.Region) -> Iterator[Browser]:
    browser = Browser(support.app_for(region), "admin")
    yield browser
    browser.close()


def _remove(admin: Browser, region: support.Region, name: str, action: str) -> object:
    return admin.post(f"/admin/agencies/{region.agencies[name]}/{action}")


def _message(response: object) -> str:
    from urllib.parse import parse_qs, urlsplit

    location = response.headers["location"]  # type: ignore[attr-defined]
    return parse_qs(urlsplit(location).query)["message"][0]


def test_an_agency_nothing_was_written_for_is_deleted_with_its_reports(
    region: support.Region, admin: Browser
) -> None:
    fin = Browser(support.app_for(region), "fin")
    page = admin.get("/admin").text
    fin_id = region.agencies[FIN]
    assert f"/admin/agencies/{fin_id}/delete" in page  # no history: 删除 is offered
    assert f"/admin/agencies/{region.agencies[EDU]}/abolish" in page  # history: only 撤销
    assert f"/admin/agencies/{region.agencies[EDU]}/delete" not in page
    response = _remove(admin, region, FIN, "delete")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _message(response) == f"已删除机关“{FIN}”（其账号已停用）"
    with region.database.session() as session:
        assert session.get(Agency, fin_id) is None
        assert session.get(Report, region.reports[FIN]) is None
        user = session.scalar(select(User).where(User.username == "fin"))
        assert user is not None and user.agency_id is None and not user.active
    assert fin.get("/").status_code == 303  # its session ended: back to sign-in
    assert fin.login("fin").status_code == 401
    again = _remove(admin, region, FIN, "delete")
    assert again.status_code == 404  # type: ignore[attr-defined]
    assert "没有这个机关" in again.text  # type: ignore[attr-defined]
    assert FIN not in admin.get("/admin").text.split("sec-users")[0]
    fin.close()


def test_an_agency_with_history_is_not_deleted_but_abolished_and_restored(
    region: support.Region, admin: Browser
) -> None:
    edu, city = Browser(support.app_for(region), "edu"), Browser(support.app_for(region), "city")
    refused = _remove(admin, region, EDU, "delete")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "已有填报记录，不能删除" in refused.text  # type: ignore[attr-defined]

    response = _remove(admin, region, EDU, "abolish")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _message(response).startswith(f"已撤销机关“{EDU}”")
    twice = _remove(admin, region, EDU, "abolish")
    assert twice.status_code == 422 and "已于" in twice.text  # type: ignore[attr-defined]
    # its 填报员 is signed out and cannot sign in again
    assert edu.get("/").status_code == 303
    assert edu.login("edu").status_code == 401
    # its report and versions stay readable to the 审核员 above it and to the 管理员
    report = region.reports[EDU]
    for browser in (city, admin):
        assert browser.get(f"/reports/{report}").status_code == 200
        assert browser.get(f"/reports/{report}/versions").status_code == 200
        assert browser.get(f"/reports/{report}/facts.yaml").text.startswith("# 测试用事实文件")
    # the round that has its report keeps it, marked; a round opened afterwards gives none
    dashboard = city.get(f"/dashboard?round={region.round_id}").text
    assert EDU in dashboard and "已撤销" in dashboard
    assert admin.post("/admin/rounds", data={"year": "2026"}).status_code == 303
    with region.database.session() as session:
        later = session.scalar(select(Round.id).where(Round.year == 2026))
        given = set(session.scalars(select(Report.agency_id).where(Report.round_id == later)))
    assert region.agencies[EDU] not in given and region.agencies[FIN] in given
    page = admin.get("/admin").text
    abolished = page.split('id="abolished-table"')[1]
    assert EDU in abolished and f"/admin/agencies/{region.agencies[EDU]}/restore" in abolished
    assert "机关已撤销，不能登录" in page.split('id="user-table"')[1]
    assert admin.post("/admin/users", data={"username": "edu2", "password": "足够长的密码123",
                      "role": "填报员", "agency": str(region.agencies[EDU])}).status_code == 422  # fmt: skip

    restored = _remove(admin, region, EDU, "restore")
    assert restored.status_code == 303  # type: ignore[attr-defined]
    assert edu.login("edu").status_code == 303
    assert edu.get(f"/reports/{report}").status_code == 200
    assert _remove(admin, region, EDU, "restore").status_code == 422  # type: ignore[attr-defined]
    edu.close()
    city.close()


def test_a_government_is_not_removed_while_agencies_under_it_are_active(
    region: support.Region, admin: Browser
) -> None:
    support.put_text(region, HEALTH, "health", support.clean_text(HEALTH))
    page = admin.get("/admin").text  # a parent is offered 撤销 only, which names them
    assert f"/admin/agencies/{region.agencies[CITY]}/delete" not in page
    assert f"/admin/agencies/{region.agencies[CITY]}/abolish" in page
    refused = _remove(admin, region, DISTRICT, "abolish")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert f"下面还有未撤销的机关：{HEALTH}" in refused.text  # type: ignore[attr-defined]
    refused = _remove(admin, region, CITY, "delete")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert all(name in refused.text for name in (EDU, FIN, DISTRICT))  # type: ignore[attr-defined]
    assert _remove(admin, region, HEALTH, "abolish").status_code == 303  # type: ignore[attr-defined]
    assert _remove(admin, region, DISTRICT, "abolish").status_code == 303  # type: ignore[attr-defined]
    # a department is not restored under an abolished government
    refused = _remove(admin, region, HEALTH, "restore")
    assert "请先恢复上级" in refused.text  # type: ignore[attr-defined]
    # like every POST: without the page's CSRF token, or from another site, refused
    url = f"/admin/agencies/{region.agencies[EDU]}/abolish"
    assert admin.client.post(url).status_code == 403
    forged = admin.post(url, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403  # type: ignore[attr-defined]


def test_a_database_at_revision_0002_with_data_is_upgraded_to_0003(tmp_path: Path) -> None:
    folder = tmp_path / "旧数据"
    folder.mkdir()
    engine = make_engine(sqlite_url(folder))
    upgrade(engine, "0002")
    engine.dispose()
    with sqlite3.connect(folder / SQLITE_NAME) as old:
        old.execute("INSERT INTO agencies (id, name, short_name, level) "
                    "VALUES (1, '某市人民政府', '某市', 'government')")  # fmt: skip
        old.execute("INSERT INTO agencies (id, name, short_name, level, parent_id) "
                    "VALUES (2, '某市教育局', '', 'department', 1)")  # fmt: skip
        columns = {row[1] for row in old.execute("PRAGMA table_info(agencies)")}
    old.close()
    assert "abolished" not in columns
    database = open_database(folder)  # what every start does
    assert current_revision(database.engine) == "0003"
    from govreport.service.agency_removal import abolish_agency

    with database.session() as session:
        agencies = {a.name: a for a in session.scalars(select(Agency))}
        assert agencies["某市教育局"].parent_id == 1
        assert all(a.abolished is None for a in agencies.values())
        abolish_agency(session, 2)
    with database.session() as session:
        agency = session.get(Agency, 2)
        assert agency is not None and agency.abolished is not None
    database.engine.dispose()
