"""The service's database: Alembic migrations (an old database upgraded, the schema as the
models say), and ``govreport serve --backup``/``--restore`` into an empty folder."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
import service_support as support
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import select

from govreport.cli import main
from govreport.service.database import (
    SQLITE_NAME,
    current_revision,
    make_engine,
    open_database,
    sqlite_url,
    upgrade,
)
from govreport.service.models import Base, Report, Version


def test_a_new_database_is_created_at_the_newest_revision_matching_the_models(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "新的数据")
    assert (tmp_path / "新的数据" / SQLITE_NAME).is_file()
    assert current_revision(database.engine) == "0003"
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    database.engine.dispose()


def test_a_database_at_revision_0001_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "旧数据"
    folder.mkdir()
    engine = make_engine(sqlite_url(folder))
    upgrade(engine, "0001")
    with sqlite3.connect(folder / SQLITE_NAME) as old:
        old.execute(
            "INSERT INTO agencies (id, name, short_name, level) VALUES (1, '某局', '', 'department')"
        )
        old.execute(
            "INSERT INTO rounds VALUES (1, 2025, '2026-01-31', '2026-03-31', '2025-12-01 00:00:00')"
        )
        old.execute("INSERT INTO reports (id, agency_id, round_id, status, version, errors, warnings) "
                    "VALUES (1, 1, 1, '已提交', 0, 0, 0)")  # fmt: skip
        columns = {row[1] for row in old.execute("PRAGMA table_info(reports)")}
    old.close()
    assert "acknowledged" not in columns
    engine.dispose()
    database = open_database(folder)  # what every start does
    assert current_revision(database.engine) == "0003"
    with database.session() as session:
        report = session.get(Report, 1)
        assert report is not None and report.status == "已提交" and report.acknowledged == ""
    database.engine.dispose()


def test_backup_while_open_and_restore_into_an_empty_folder(tmp_path: Path) -> None:
    region = support.make_region(tmp_path / "年报数据")
    support.put_text(region, "某市教育局", "edu", support.clean_text("某市教育局", received=3))
    runner = CliRunner()
    backup = tmp_path / "备份.sqlite3"
    result = runner.invoke(
        main, ["serve", "--data", str(tmp_path / "年报数据"), "--backup", str(backup)]
    )
    assert result.exit_code == 0, result.output
    assert "已备份" in result.output
    again = runner.invoke(
        main, ["serve", "--data", str(tmp_path / "年报数据"), "--backup", str(backup)]
    )
    assert again.exit_code != 0 and "不会覆盖" in again.output
    region.database.engine.dispose()

    restored_dir = tmp_path / "恢复"
    result = runner.invoke(main, ["serve", "--data", str(restored_dir), "--restore", str(backup)])
    assert result.exit_code == 0, result.output
    refused = runner.invoke(main, ["serve", "--data", str(restored_dir), "--restore", str(backup)])
    assert refused.exit_code != 0 and "已有数据库" in refused.output
    assert _dump(tmp_path / "年报数据") == _dump(restored_dir)
    restored = open_database(restored_dir)
    with restored.session() as session:
        texts = session.scalars(select(Version.text)).all()
        assert len(texts) == 1 and "某市教育局" in texts[0]
    restored.engine.dispose()
    assert not list(restored_dir.glob("*.part"))


def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "不是备份.sqlite3"
    bogus.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["serve", "--data", str(tmp_path / "d"), "--restore", str(bogus)]
    )
    assert result.exit_code != 0
    assert "不是 govreport serve 的备份文件" in result.output
    assert not (tmp_path / "d" / SQLITE_NAME).exists()


def _dump(folder: Path) -> list[str]:
    with sqlite3.connect(folder / SQLITE_NAME) as connection:
        lines = list(connection.iterdump())
    connection.close()
    return lines


@pytest.mark.parametrize("url", ["mysql://x@y/z", "不是地址"])
def test_an_unsupported_database_url_is_a_chinese_message(url: str) -> None:
    from govreport.errors import InputError

    with pytest.raises(InputError, match=r"PostgreSQL|数据库地址"):
        make_engine(url)


def test_the_parse_cache_gives_what_a_fresh_read_gives() -> None:
    """Checks read each version once (``texts.parsed``); a saved version is cached from the
    tree it was dumped from. Both must answer exactly as reading the text afresh."""
    from govreport.service import texts

    text = support.clean_text("某市教育局", received=3)
    values = {"requests.received.business": "5", "overview.summary": "第一行\n第二行"}
    saved = texts.check_text(text, "a.yaml", values, keep=True)
    again = texts.check_text(text, "a.yaml", values)
    assert again.text == saved.text  # the cached base was not changed by applying values
    cached = texts.parsed(saved.text, "a.yaml")
    texts._PARSED.clear()
    fresh = texts.parsed(saved.text, "a.yaml")
    assert cached.doc.dump() == fresh.doc.dump() == saved.text
    assert [p.code for p in cached.checked.problems] == [p.code for p in fresh.checked.problems]
    edit = {"requests.received.business": "6", "published": "2026-01-20"}
    assert cached.doc.changes(edit) == fresh.doc.changes(edit) == ["requests.received.business"]
    assert texts.check_text(saved.text, "a.yaml", edit).text == fresh.doc.dump().replace(
        "business: 5", "business: 6"
    )


def test_a_database_that_does_not_open_is_said_in_chinese(tmp_path: Path) -> None:
    broken = tmp_path / "坏的数据"
    broken.mkdir()
    (broken / SQLITE_NAME).write_text("这不是数据库" * 100, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--data", str(broken)])
    assert result.exit_code == 2
    assert "无法打开数据库文件" in result.output and "Traceback" not in result.output
    refused = runner.invoke(main, ["serve", "--db", "postgresql://u:秘密@127.0.0.1:1/nianbao"])
    assert refused.exit_code == 2
    assert "无法连接 PostgreSQL 数据库 127.0.0.1:1/nianbao" in refused.output
    assert "秘密" not in refused.output


def test_first_start_creates_the_folder_and_prints_the_one_time_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[object] = []
    monkeypatch.setattr("govreport.web.server.run", lambda app, sock: served.append(app))
    folder = tmp_path / "年报数据"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    result = CliRunner().invoke(main, ["serve", "--data", str(folder), "--port", port])
    assert result.exit_code == 0, result.output
    assert served and (folder / SQLITE_NAME).is_file()
    assert "/setup?token=" in result.output and "年报填报系统已启动" in result.output
    token = result.output.split("/setup?token=")[1].split()[0]
    database = open_database(folder)
    from govreport.service.accounts import use_setup_token

    with database.session() as session:
        use_setup_token(session, token, "admin", "管理员的密码123")
    database.engine.dispose()
    again = CliRunner().invoke(main, ["serve", "--data", str(folder), "--port", port])
    assert again.exit_code == 0 and "/setup?token=" not in again.output
