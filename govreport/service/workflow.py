"""A report's way through the round, each step logged with who, when and why.

未开始 → 填报中 (first save) → 已提交 → 退回修改 → 已提交 → 已通过 → 已发布.
A report is submitted only without errors, and only when every warning has been
acknowledged (or explained) by the 填报员; what they acknowledged is kept.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from ..diagnostics import ERROR, Problem
from .access import Actor, Forbidden
from .models import (
    APPROVED,
    EDITABLE,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    Comment,
    Report,
    StatusChange,
)
from .store import current_text, report_name
from .texts import check_text

MAX_COMMENT = 2000


class NotReady(Forbidden):
    """The report cannot be submitted yet (422): errors, or warnings not acknowledged."""


def warning_key(problem: Problem) -> str:
    """A warning's identity across checks: its code and where it is."""
    return f"{problem.code}:{'.'.join(str(p) for p in problem.path)}"


def _move(session: Session, actor: Actor, report: Report, new: str, comment: str) -> None:
    session.add(
        StatusChange(
            report_id=report.id, old=report.status, new=new, user_id=actor.id, comment=comment
        )
    )
    report.status = new


def submit(session: Session, actor: Actor, report: Report, acknowledged: Mapping[str, str]) -> None:
    """Submit for review: no error, every warning acknowledged (key → explanation, may be empty)."""
    if report.status not in EDITABLE:
        raise Forbidden(f"报告{report.status}，不能提交")
    checked = check_text(current_text(session, report), report_name(session, report))
    if checked.errors:
        raise NotReady(f"还有 {checked.errors} 处错误，改正并保存后才能提交")
    warnings = [p for p in checked.problems if p.severity != ERROR]
    missing = [p for p in warnings if warning_key(p) not in acknowledged]
    if missing:
        listed = "；".join(f"{p.code} {p.message}" for p in missing[:5])
        raise NotReady(f"有 {len(missing)} 处警告尚未确认：{listed}")
    report.acknowledged = "\n".join(
        f"{warning_key(p)} {acknowledged[warning_key(p)].strip()}".strip() for p in warnings
    )
    _move(session, actor, report, SUBMITTED, "")


def return_report(session: Session, actor: Actor, report: Report, comment: str) -> None:
    if report.status not in (SUBMITTED, APPROVED):
        raise Forbidden(f"报告{report.status}，只有已提交或已通过的报告可以退回")
    if not comment.strip():
        raise NotReady("退回时请写明需要修改的地方")
    _move(session, actor, report, RETURNED, comment.strip()[:MAX_COMMENT])


def approve(session: Session, actor: Actor, report: Report, comment: str) -> None:
    if report.status != SUBMITTED:
        raise Forbidden(f"报告{report.status}，只有已提交的报告可以通过")
    _move(session, actor, report, APPROVED, comment.strip()[:MAX_COMMENT])


def publish(session: Session, actor: Actor, report: Report, comment: str) -> None:
    if report.status != APPROVED:
        raise Forbidden(f"报告{report.status}，只有已通过的报告可以标记为已发布")
    _move(session, actor, report, PUBLISHED, comment.strip()[:MAX_COMMENT])


def add_comment(session: Session, actor: Actor, report: Report, path: str, text: str) -> Comment:
    """A remark at a cell or paragraph (the editor's field id) or on the whole report ("")."""
    from ..web.form_fields import field_by_id

    if path and field_by_id(path) is None:
        raise NotReady(f"没有栏目“{path}”")
    if not text.strip():
        raise NotReady("批注内容不能为空")
    comment = Comment(
        report_id=report.id, path=path, text=text.strip()[:MAX_COMMENT], user_id=actor.id
    )
    session.add(comment)
    session.flush()
    return comment
