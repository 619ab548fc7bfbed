"""Where a report of year N starts: last year's approved report in the system (rolled
forward), last year's published report uploaded (read by ``import``), or a blank skeleton.

Either way the draft is a facts text like ``govreport next`` and ``init`` write,
with the agency as the region registered it (an imported name can be misread).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import GovReportError, InputError
from ..facts.model import Facts
from ..facts.next_year import roll_forward, year_notes
from ..facts.skeleton import skeleton
from ..facts.writer import dump_facts
from .models import APPROVED, PUBLISHED, Agency, Report, Round
from .texts import document

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FACTS_SUFFIXES = (".yaml", ".yml")
#: at most this many import notes are written into the draft's header
MAX_NOTES = 30


class DraftError(GovReportError):
    exit_code = 2


def previous_report(session: Session, report: Report) -> Report | None:
    """The agency's approved (or published) report of the year before, if the system has it."""
    this = session.get(Round, report.round_id)
    assert this is not None
    return session.scalar(
        select(Report)
        .join(Round, Round.id == Report.round_id)
        .where(
            Report.agency_id == report.agency_id,
            Round.year == this.year - 1,
            Report.status.in_((APPROVED, PUBLISHED)),
        )
    )


def blank_draft(agency: Agency, year: int) -> str:
    return skeleton(agency.name, year, agency.level)


def rolled_draft(last_text: str, agency: Agency) -> str:
    """Next year's draft from last year's facts text (``govreport next``)."""
    last = document(last_text, f"{agency.name}上年.yaml").facts()
    header = [
        f"由 govreport serve 从本系统中已通过的{last.year}年度报告生成的草稿。",
        "上年结转、现行有效件数已沿用；其余数字为 0，请填写本年数据。",
    ]
    return _written(last, agency, header, [])


def uploaded_draft(data: bytes, suffix: str, agency: Agency, year: int) -> str:
    """Next year's draft from last year's report or facts file, uploaded."""
    from ..importing import import_report
    from ..importing.report import READERS

    if len(data) > MAX_UPLOAD_BYTES:
        raise DraftError(f"文件过大：上传的文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    if suffix not in READERS and suffix not in FACTS_SUFFIXES:
        choices = "、".join([*sorted(READERS), *FACTS_SUFFIXES])
        raise DraftError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，可上传：{choices}")
    with tempfile.TemporaryDirectory(prefix="govreport-upload-") as work:
        uploaded = Path(work) / f"upload{suffix}"
        uploaded.write_bytes(data)
        if suffix in FACTS_SUFFIXES:
            last, notes = document(data.decode("utf-8-sig", "replace"), "上年.yaml").facts(), []
        else:
            result = import_report(uploaded)
            last = result.facts
            notes = [" ".join(p.format(with_file=False).split()) for p in result.problems]
    if last.year != year - 1:
        raise InputError(
            f"上传的是{last.year}年度的报告，本轮次是{year}年度，应上传{year - 1}年度的报告"
        )
    header = [
        f"由 govreport serve 从上传的{last.year}年度报告生成的草稿。",
        "上年结转、现行有效件数已沿用；其余数字为 0，请填写本年数据。",
    ]
    if notes:
        header.append(f"上一年度报告有 {len(notes)} 处未能准确读取，请核对：")
        header += [f"  {note}" for note in notes[:MAX_NOTES]]
    return _written(last, agency, header, notes)


def _written(last: Facts, agency: Agency, header: list[str], notes: list[str]) -> str:
    following = roll_forward(last)
    registered = dataclasses.replace(following.agency, name=agency.name, level=agency.level)
    if agency.short_name:
        registered = dataclasses.replace(registered, short_name=agency.short_name)
    following = dataclasses.replace(following, agency=registered)
    return dump_facts(following, header=header, notes=year_notes(following), every_key=True)
