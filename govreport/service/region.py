"""The region's outputs for a round, over the reports in the caller's scope.

- every report as Word, HTML fragment (and PDF, on request) in one zip;
- the region's workbook, one sheet per agency (``workbook.write_folder_workbook``);
- a government's tables against the sum of the agencies under it (``batch.aggregate``);
- the round's audit (``auditing.audit``): the reports, as published HTML, against each
  other and against last year's round.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..diagnostics import Problem
from ..errors import GovReportError
from ..facts.model import Facts
from ..rendering.report import default_name, render
from ..rendering.typst_pdf import pdf_possible
from .access import Actor, scope
from .models import Agency, Report, Round
from .store import current_text, report_name
from .texts import check_text


@dataclass
class Entry:
    """One report of the round, as its facts (``None`` with a reason when they do not load)."""

    agency: Agency
    report: Report
    facts: Facts | None
    why: str = ""


def entries(session: Session, actor: Actor, round_id: int, year_offset: int = 0) -> list[Entry]:
    """The reports of round ``round_id`` (or the year ``year_offset`` before it) in scope."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise GovReportError("没有这个轮次")
    if year_offset:
        round_ = session.scalar(select(Round).where(Round.year == round_.year - year_offset))
        if round_ is None:
            return []
    query = (
        select(Report, Agency)
        .join(Agency, Agency.id == Report.agency_id)
        .where(Report.round_id == round_.id, Report.version > 0)
        .order_by(Agency.name)
    )
    allowed = scope(session, actor)
    if allowed is not None:
        query = query.where(Report.agency_id.in_(allowed))
    found = []
    for report, agency in session.execute(query):
        checked = check_text(current_text(session, report), report_name(session, report))
        if checked.facts is None or checked.errors:
            found.append(Entry(agency, report, None, f"有 {checked.errors} 处错误"))
        else:
            found.append(Entry(agency, report, checked.facts))
    return found


def zip_reports(found: list[Entry], target: Path, *, pdf: bool = False) -> None:
    """Each report as .docx and .html (and .pdf), one folder per agency; 说明.txt lists
    the reports left out and why."""
    skipped = [f"{e.agency.name}：{e.why}，未生成" for e in found if e.facts is None]
    with (
        tempfile.TemporaryDirectory(prefix="govreport-zip-") as work,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for number, entry in enumerate(e for e in found if e.facts is not None):
            assert entry.facts is not None
            folder = Path(work) / str(number)
            formats = ["docx", "html"]
            if pdf and pdf_possible(entry.facts):
                formats.append("pdf")
            elif pdf:
                skipped.append(
                    f"{entry.agency.name}：其模板的 PDF 需要 LibreOffice，本机未安装，未生成 PDF"
                )
            result = render(entry.facts, folder / "report.docx", to=formats, fragment=True)
            stem = default_name(entry.facts)
            for fmt, path in result.outputs.items():
                archive.write(path, f"{entry.agency.name}/{stem}.{fmt}")
        note = "\n".join(skipped) if skipped else "全部报告均已生成。"
        archive.writestr("说明.txt", note + "\n")


def region_workbook(found: list[Entry], target: Path) -> None:
    from ..workbook.write import write_folder_workbook

    usable = [(e.agency.short_name or e.agency.name, e.facts) for e in found if e.facts]
    if not usable:
        raise GovReportError("本轮次还没有可以汇总的报告（没有错误的报告）")
    write_folder_workbook(usable, target)


def compare_government(found: list[Entry], agency_id: int) -> tuple[Entry, list[Problem], int]:
    """A government's report against the sum of the reports of the agencies under it."""
    from ..batch.aggregate import compare_to_children

    own = next((e for e in found if e.agency.id == agency_id), None)
    if own is None or own.facts is None:
        raise GovReportError("这个机关本轮次还没有可以比较的报告（尚未填写或有错误）")
    children = [e.facts for e in found if e.agency.parent_id == agency_id and e.facts]
    if not children:
        raise GovReportError("这个机关下面没有可以汇总的报告")
    return own, compare_to_children(own.facts, children), len(children)


def audit_page(found: list[Entry], previous: list[Entry]) -> str:
    """The audit of the round as its HTML page (``govreport audit``)."""
    from ..auditing.report_page import audit_html
    from ..auditing.run import audit

    with tempfile.TemporaryDirectory(prefix="govreport-audit-") as work:
        this = _published(found, Path(work) / "本年")
        last = _published(previous, Path(work) / "上年")
        if not any(this.iterdir()):
            raise GovReportError("本轮次还没有可以审核的报告（没有错误的报告）")
        run = audit([this], previous_year=last if any(last.iterdir()) else None, jobs=1)
        return audit_html(run)


def _published(found: list[Entry], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for number, entry in enumerate(e for e in found if e.facts is not None):
        assert entry.facts is not None
        render(entry.facts, folder / f"{number:05d}.html", to="html")
    return folder
