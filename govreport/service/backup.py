"""``govreport serve --backup FILE`` and ``--restore FILE`` for the SQLite data folder.

The backup uses SQLite's online backup API: it is consistent while the service
keeps running and writing. A restore goes into a data folder without a
database (a new one, or after moving the damaged one away), written to a
temporary name first so nothing half-restored is ever opened. PostgreSQL is
backed up with its own tools (``pg_dump``/``pg_restore``, see docs/service.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import InputError
from .database import SQLITE_NAME, current_revision, make_engine, sqlite_url

HEADER = b"SQLite format 3\x00"


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def backup(folder: Path, target: Path) -> Path:
    """Copy the data folder's database to ``target`` (a new file)."""
    source = folder / SQLITE_NAME
    if not source.is_file():
        raise InputError(f"{folder} 中没有年报数据库（{SQLITE_NAME}）")
    if target.exists():
        raise InputError(f"{target} 已存在，不会覆盖：请换一个文件名")
    partial = target.with_name(target.name + ".part")
    try:
        _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path, folder: Path) -> str | None:
    """Restore the backup ``source`` into ``folder`` (which must hold no database);
    the schema revision restored (upgraded on the next start)."""
    if not source.is_file():
        raise InputError(f"找不到备份文件 {source}")
    with source.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise InputError(f"{source} 不是 govreport serve 的备份文件（SQLite 数据库）")
    target = folder / SQLITE_NAME
    if target.exists():
        raise InputError(
            f"{folder} 中已有数据库，不会覆盖",
            hint="恢复到一个新的空文件夹，或先把现有的数据文件夹改名保存",
        )
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (SQLITE_NAME + ".part")
    try:
        _copy(source, partial)
        _check(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    engine = make_engine(sqlite_url(folder))
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def _check(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        ok = connection.execute("PRAGMA integrity_check").fetchone()
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    if not ok or ok[0] != "ok" or "reports" not in tables:
        raise InputError("备份文件已损坏或不是年报数据库，未恢复")
