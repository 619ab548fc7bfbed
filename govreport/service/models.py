"""The service's tables (SQLAlchemy 2): the organisation, the rounds and the reports.

A report's facts are not re-modelled in columns: every version holds the full
facts document text, comments included, exactly as ``govreport check`` reads a
file. Only what the dashboard sorts and filters on (status, error and warning
counts, last change) is kept beside it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Roles, as the pages show them.
ADMIN, REVIEWER, FILLER = "管理员", "审核员", "填报员"
ROLES = (ADMIN, REVIEWER, FILLER)
#: A report's statuses, in workflow order.
NOT_STARTED, DRAFTING, SUBMITTED, RETURNED, APPROVED, PUBLISHED = (
    "未开始",
    "填报中",
    "已提交",
    "退回修改",
    "已通过",
    "已发布",
)
STATUSES = (NOT_STARTED, DRAFTING, SUBMITTED, RETURNED, APPROVED, PUBLISHED)
#: The statuses in which the agency's 填报员 may change the report.
EDITABLE = (DRAFTING, RETURNED)


def now() -> dt.datetime:
    """UTC, naive: SQLite and PostgreSQL store it the same way."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Agency(Base):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(20))  # official.LEVELS key
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: the day it was 撤销 (abolished or merged; added in 0003), ``None`` while active
    abolished: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def active(self) -> bool:
        return self.abolished is None


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(10))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class LoginSession(Base):
    """A signed-in browser: the cookie holds the token, the table only its hash."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires: Mapped[dt.datetime] = mapped_column(DateTime)


class Setting(Base):
    """Small facts about the installation (the one-time setup token's hash)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Round(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    department_deadline: Mapped[dt.date] = mapped_column(Date)
    government_deadline: Mapped[dt.date] = mapped_column(Date)
    opened: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("agency_id", "round_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=NOT_STARTED)
    #: the number of the current version (0: no text yet); a save must name it
    version: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: the warnings the 填报员 acknowledged at submission, one line each (added in 0002)
    acknowledged: Mapped[str] = mapped_column(Text, default="", server_default="")


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    note: Mapped[str] = mapped_column(String(200), default="")


class StatusChange(Base):
    __tablename__ = "status_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    old: Mapped[str] = mapped_column(String(10))
    new: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Comment(Base):
    """A remark at one cell or paragraph: ``path`` is the editor's field id."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    resolved: Mapped[bool] = mapped_column(default=False)
