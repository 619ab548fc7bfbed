"""Shared set-up for the service's tests: a region in a fresh database, signed-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from govreport.service.accounts import create_user
from govreport.service.app import create_app
from govreport.service.database import Database, open_database
from govreport.service.models import ADMIN, FILLER, REVIEWER
from govreport.service.organisation import import_agencies, open_round

PASSWORD = "正确的密码-2025"
YEAR = 2025
#: name, short name, level, parent
AGENCIES = [
    ("某市人民政府", "某市", "government", ""),
    ("某市教育局", "市教育局", "department", "某市人民政府"),
    ("某市财政局", "市财政局", "department", "某市人民政府"),
    ("某市某区人民政府", "某区", "government", "某市人民政府"),
    ("某区卫生健康局", "区卫健局", "department", "某市某区人民政府"),
]
#: username → (role, agency name or None)
USERS = {
    "admin": (ADMIN, None),
    "city": (REVIEWER, "某市人民政府"),
    "district": (REVIEWER, "某市某区人民政府"),
    "edu": (FILLER, "某市教育局"),
    "fin": (FILLER, "某市财政局"),
    "health": (FILLER, "某区卫生健康局"),
}
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')


@dataclass
class Region:
    database: Database
    agencies: dict[str, int]
    round_id: int
    reports: dict[str, int]  # agency name → report id


def make_region(folder: Path, url: str | None = None) -> Region:
    database = open_database(None if url else folder, url)
    with database.session() as session:
        rows = [
            {"name": n, "short_name": s, "level": lv, "parent": p, "line": str(i)}
            for i, (n, s, lv, p) in enumerate(AGENCIES, 2)
        ]
        import_agencies(session, rows)
        from sqlalchemy import select

        from govreport.service.models import Agency, Report

        ids = {a.name: a.id for a in session.scalars(select(Agency))}
        for name, (role, agency) in USERS.items():
            create_user(
                session,
                username=name,
                password=PASSWORD,
                role=role,
                agency_id=ids[agency] if agency else None,
                display_name=name,
            )
        round_, _ = open_round(session, YEAR)
        session.flush()
        reports = {
            name: session.scalar(
                select(Report.id).where(Report.agency_id == ids[name], Report.round_id == round_.id)
            )
            for name in ids
        }
        return Region(database, ids, round_.id, reports)  # type: ignore[arg-type]


class Browser:
    """A signed-in test client that sends the page's CSRF token on every POST."""

    def __init__(self, app: Any, username: str | None = None, *, https: bool = False) -> None:
        base = "https://testserver" if https else "http://testserver"
        self.client = TestClient(app, base_url=base, raise_server_exceptions=False)
        self.csrf = ""
        if username is not None:
            self.login(username)
        else:
            self.refresh_token()

    def refresh_token(self, path: str = "/login") -> None:
        found = _META.search(self.client.get(path).text)
        assert found, "no CSRF token in the page"
        self.csrf = found.group(1)

    def login(self, username: str, password: str = PASSWORD) -> Any:
        self.refresh_token("/login")
        response = self.post("/login", data={"username": username, "password": password})
        self.refresh_token("/login")  # signed in, the page carries the session's token
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.post(path, headers=headers, follow_redirects=False, **kw)

    def close(self) -> None:
        self.client.close()


def app_for(region: Region) -> Any:
    return create_app(region.database)


# --------------------------------------------------------------------------- PostgreSQL


def _in_ci() -> bool:
    import os

    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _initdb() -> Path | None:
    import glob
    import shutil

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1])
    which = shutil.which("initdb")
    return Path(which) if which else None


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the cluster as the ``postgres`` user then."""
    import os
    import shutil

    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("以 root 运行测试时需要 runuser 来以 postgres 用户启动 PostgreSQL")
    return [runuser, "-u", "postgres", "--", *command]


PG_URL_ENV = "GOVREPORT_TEST_PG_URL"


def postgres_cluster() -> Any:
    """A throwaway PostgreSQL cluster in a temporary folder (initdb, pg_ctl), as a
    generator: yields the server's URL, stops it and removes the folder afterwards.

    ``GOVREPORT_TEST_PG_URL`` (``postgresql://user@host:port``, a user allowed to create
    databases) uses a running server instead. Without PostgreSQL the tests are skipped,
    except in CI, where they fail."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    import pytest

    given = os.environ.get(PG_URL_ENV)
    if given:  # a server provided by the environment (CI service, developer's own)
        yield given.rstrip("/")
        return
    initdb = _initdb()
    if initdb is None:
        reason = "未安装 PostgreSQL（Debian 软件包 postgresql），无法测试 PostgreSQL 存储"
        if _in_ci():
            pytest.fail(f"{reason}；CI 环境必须运行 PostgreSQL 测试", pytrace=False)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="govreport-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pg_ctl = str(initdb.with_name("pg_ctl"))
    data = folder / "data"

    def run(command: list[str]) -> None:
        subprocess.run(_as_postgres(command), check=True, capture_output=True, timeout=120)

    try:
        run([str(initdb), "-D", str(data), "-A", "trust", "-U", "govreport", "-E", "UTF8",
             "--no-locale"])  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"])
        yield f"postgresql://govreport@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                           capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server: str, name: str) -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


# --------------------------------------------------------------------------- report texts


def clean_text(name: str, level: str = "department", year: int = YEAR, received: int = 0) -> str:
    """A facts text that passes every check (``received`` business requests, all answered)."""
    import tests_support as support

    data = support.clean_facts_dict(year, level)
    data["agency"]["name"] = name
    if received:
        data["requests"] = {
            "received": {"business": received},
            "results": {"disclosed": {"business": received}},
        }
    return "# 测试用事实文件\n" + support.dump_yaml(data)


def put_text(region: Region, agency: str, username: str, text: str) -> int:
    """Save ``text`` as the next version of ``agency``'s report, as ``username``; the version."""
    from sqlalchemy import select

    from govreport.service.access import Actor
    from govreport.service.models import Report, User
    from govreport.service.store import save_text

    with region.database.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        report = session.get(Report, region.reports[agency])
        assert user is not None and report is not None
        saved = save_text(session, Actor.of(user, ""), report, report.version, text, "测试")
        return saved.version
