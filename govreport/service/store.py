"""Reading and saving a report's text: every save a new version, never a lost update.

A save names the version the page started from. The report row is updated
only ``WHERE version = that version`` in the same transaction as the new
version is written, so of two people saving from the same version exactly one
succeeds; the other gets a ``SaveConflict`` that lists what the first changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from ..web.checking import Checked
from ..web.document import Conflict
from .access import Actor, NotFound
from .models import DRAFTING, NOT_STARTED, Agency, Report, Round, StatusChange, User, Version, now
from .texts import changes, check_text, file_name

MAX_TEXT = 2_000_000


class SaveConflict(Conflict):
    """Someone saved a newer version since the page was opened (409)."""


@dataclass
class Saved:
    checked: Checked
    version: int


def report_name(session: Session, report: Report) -> str:
    """The facts file name a report is shown and downloaded under."""
    agency = session.get(Agency, report.agency_id)
    year = session.get(Round, report.round_id)
    assert agency is not None and year is not None
    return file_name(agency.short_name or agency.name, year.year)


def version_row(session: Session, report_id: int, number: int) -> Version:
    found = session.scalar(
        select(Version).where(Version.report_id == report_id, Version.number == number)
    )
    if found is None:
        raise NotFound(f"没有第 {number} 版")
    return found


def current_text(session: Session, report: Report) -> str:
    if report.version == 0:
        raise NotFound("这份报告还没有开始填写")
    return version_row(session, report.id, report.version).text


def save_values(
    session: Session, actor: Actor, report: Report, base: int, values: Mapping[str, Any]
) -> Saved:
    """The page's values applied to version ``base`` and saved as the next version."""
    if base != report.version:
        raise conflict(session, report, base)
    name = report_name(session, report)
    checked = check_text(current_text(session, report), name, values, keep=True)
    return Saved(checked, write_version(session, actor, report, base, checked, ""))


def save_text(
    session: Session, actor: Actor, report: Report, base: int, text: str, note: str
) -> Saved:
    """A whole text saved as the next version (a restored version, a new draft)."""
    if len(text) > MAX_TEXT:
        raise SaveConflict("内容过大，未保存")
    if base != report.version:
        raise conflict(session, report, base)
    checked = check_text(text, report_name(session, report))
    return Saved(checked, write_version(session, actor, report, base, checked, note))


def write_version(
    session: Session, actor: Actor, report: Report, base: int, checked: Checked, note: str
) -> int:
    """Version ``base + 1``: written only if the report is still at ``base``."""
    _same_year(session, report, checked)
    warnings = len(checked.problems) - checked.errors
    values: dict[str, Any] = {
        "version": base + 1,
        "errors": checked.errors,
        "warnings": warnings,
        "changed": now(),
    }
    if report.status == NOT_STARTED:
        values["status"] = DRAFTING
    result = session.execute(
        update(Report)
        .where(Report.id == report.id, Report.version == base)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise conflict(session, report, base)
    session.add(
        Version(
            report_id=report.id, number=base + 1, text=checked.text, author_id=actor.id, note=note
        )
    )
    if report.status == NOT_STARTED:
        session.add(
            StatusChange(report_id=report.id, old=NOT_STARTED, new=DRAFTING, user_id=actor.id)
        )
    return base + 1


def _same_year(session: Session, report: Report, checked: Checked) -> None:
    """A report of round N stays a report of year N (the year is one of its fields)."""
    round_ = session.get(Round, report.round_id)
    assert round_ is not None
    if checked.facts is not None and checked.facts.year != round_.year:
        raise InputError(
            f"报告年度是{checked.facts.year}，本轮次是{round_.year}年度：未保存",
            hint=f"把“报告年度”改为 {round_.year}",
        )


def conflict(session: Session, report: Report, base: int) -> SaveConflict:
    """The refusal, naming who saved what since version ``base``."""
    session.expire(report)
    latest = session.scalar(
        select(Version).where(Version.report_id == report.id).order_by(Version.number.desc())
    )
    if latest is None or base <= 0:
        return SaveConflict("报告已被他人改动，未保存：请重新载入")
    author = session.get(User, latest.author_id) if latest.author_id else None
    who = author.display_name if author else "他人"
    try:
        earlier = version_row(session, report.id, base).text
        lines = [c.line() for c in changes(earlier, latest.text)]
    except NotFound:
        lines = []
    listed = "；".join(lines[:8]) + ("等" if len(lines) > 8 else "")
    when = latest.created.strftime("%m-%d %H:%M")
    return SaveConflict(
        f"未保存：{who}在 {when}（UTC）保存了第 {latest.number} 版，晚于您打开的第 {base} 版。"
        + (f"第 {latest.number} 版与第 {base} 版相比改动了：{listed}。" if listed else ""),
        hint="点“重新载入”读取最新版本后再修改（页面上未保存的修改会丢失，可先复制要保留的文字）",
    )
