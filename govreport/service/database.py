"""Where the service keeps its data: SQLite in a data folder, or PostgreSQL by URL.

The schema is Alembic's (``migrations/``), upgraded at every start, so a newer
govreport opens an older database without a separate step; no ``alembic.ini``
is needed, the configuration is built here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..errors import InputError

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_NAME = "govreport.sqlite3"


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    #: the data folder (SQLite), or ``None`` (PostgreSQL)
    folder: Path | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on an error."""
        with self.sessions.begin() as session:
            yield session

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{(folder / SQLITE_NAME).resolve()}"


def open_database(data: Path | None = None, url: str | None = None) -> Database:
    """The database at ``url`` (PostgreSQL) or in the folder ``data`` (SQLite, created),
    upgraded to the newest schema."""
    folder = None
    if url is None:
        if data is None:
            raise InputError("请用 --data 指定数据文件夹，或用 --db 指定 PostgreSQL 数据库")
        data.mkdir(parents=True, exist_ok=True)
        folder = data
        url = sqlite_url(data)
    engine = make_engine(url)
    try:
        upgrade(engine)
    except (OperationalError, DatabaseError):
        engine.dispose()
        raise InputError(_cannot_open(engine)) from None
    return Database(engine, sessionmaker(engine, expire_on_commit=False), folder)


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite tuned for many readers and one writer at a time."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"数据库地址格式不正确：{url}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite"):
        engine = create_engine(parsed, poolclass=NullPool if ":memory:" in url else None)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if not parsed.drivername.startswith("postgresql"):
        raise InputError("只支持 SQLite（--data）和 PostgreSQL（--db postgresql://…）")
    try:
        return create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    except ModuleNotFoundError:
        raise InputError(
            "使用 PostgreSQL 需要安装 psycopg：pip install 'govreport[postgres]'"
        ) from None


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL lets the dashboard read while a report is saved; writers wait, never fail at once."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (Alembic), in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _cannot_open(engine: Engine) -> str:
    """Why the database did not open, in Chinese (the driver's own words are English)."""
    where = engine.url
    if engine.dialect.name == "sqlite":
        return f"无法打开数据库文件 {where.database}：请确认文件夹可写，且该文件是年报数据库"
    return (
        f"无法连接 PostgreSQL 数据库 {where.host or 'localhost'}:{where.port or 5432}/"
        f"{where.database or ''}：请确认数据库服务已启动，地址、用户名、密码和库名正确"
    )
