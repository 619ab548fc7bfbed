"""The service on a real PostgreSQL (Debian's postgresql, a throwaway cluster started here
with initdb and pg_ctl): migrations, the workflow, and no lost update under concurrent saves.

Skipped without PostgreSQL on a developer's machine; in CI (``CI=true``) that fails.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import service_support as support
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from service_support import Browser
from sqlalchemy import select, text

from govreport.service.database import current_revision, make_engine, open_database, upgrade
from govreport.service.models import Agency, Base, Report, Version

pytestmark = pytest.mark.postgres
EDU = "某市教育局"
CELL = "requests.received.business"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    yield from support.postgres_cluster()


def test_migrations_on_postgresql_from_0001(server: str) -> None:
    url = support.new_database(server, "migrations")
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO agencies (name, short_name, level) VALUES ('某局', '', 'department')")
        )
    engine.dispose()
    database = open_database(url=url)
    assert current_revision(database.engine) == "0003"
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    with database.session() as session:  # the agency kept, active (0003's column empty)
        agency = session.scalar(select(Agency))
        assert agency is not None and agency.name == "某局" and agency.abolished is None
    database.engine.dispose()


def test_the_workflow_and_concurrent_saves_on_postgresql(server: str, tmp_path: Path) -> None:
    region = support.make_region(tmp_path, url=support.new_database(server, "workflow"))
    assert region.database.engine.dialect.name == "postgresql"
    app = support.app_for(region)
    edu, city, fin = Browser(app, "edu"), Browser(app, "city"), Browser(app, "fin")
    report_id = region.reports[EDU]
    assert edu.post(f"/reports/{report_id}/start", data={"how": "blank"}).status_code == 303
    assert fin.get(f"/reports/{report_id}").status_code == 404
    # eight browsers save from version 1 at once: exactly one wins, the rest get 409
    others = [Browser(app, "edu") for _ in range(8)]
    statuses: list[int] = []

    def save(browser: Browser, value: int) -> None:
        body = {"file": str(report_id), "version": "1", "values": {CELL: str(value)}}
        statuses.append(browser.post("/api/save", json=body).status_code)

    threads = [threading.Thread(target=save, args=(b, n + 1)) for n, b in enumerate(others)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    with region.database.session() as session:
        versions = session.scalars(select(Version).where(Version.report_id == report_id)).all()
        assert sorted(v.number for v in versions) == [1, 2]
        report = session.get(Report, report_id)
        assert report is not None and report.version == 2 and report.status == "填报中"
    support.put_text(region, EDU, "edu", support.clean_text(EDU, received=2))
    assert (
        edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": {}}).status_code == 200
    )
    assert city.post(f"/reports/{report_id}/approve", data={"comment": "同意"}).status_code == 303
    assert "已通过" in city.get("/dashboard").text
    for browser in [edu, city, fin, *others]:
        browser.close()
    region.database.engine.dispose()


def test_deleting_and_abolishing_agencies_on_postgresql(server: str, tmp_path: Path) -> None:
    """The same SQL on PostgreSQL: a deletion cascades to the reports, 撤销 blocks sign-in."""
    region = support.make_region(tmp_path, url=support.new_database(server, "agencies"))
    support.put_text(region, EDU, "edu", support.clean_text(EDU))
    admin = Browser(support.app_for(region), "admin")
    fin = region.agencies["某市财政局"]
    assert admin.post(f"/admin/agencies/{fin}/delete").status_code == 303
    assert admin.post(f"/admin/agencies/{region.agencies[EDU]}/delete").status_code == 422
    assert admin.post(f"/admin/agencies/{region.agencies[EDU]}/abolish").status_code == 303
    with region.database.session() as session:
        assert session.get(Agency, fin) is None
        assert session.get(Report, region.reports["某市财政局"]) is None
    edu = Browser(support.app_for(region))
    assert edu.login("edu").status_code == 401
    admin.close()
    edu.close()
    region.database.engine.dispose()
