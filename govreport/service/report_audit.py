"""The round's audit findings on one report, for its review page.

The review page already shows check's problems, R5/R6 against last year and a link to
内容雷同. What the audit (``govreport audit``) adds about a report written here, and that
the page did not say, is computed for this one report by the audit's own functions:

- S1 / S2: a section copied from the agency's approved report of last year, or from
  another report of the round in the 审核员's scope (``auditing.similarity`` with the
  audit's thresholds and wording);
- C1 (and its notes, A2 for the departments with no report yet): a people's government
  against its own departments (``auditing.region.parents_and_children``, with the
  service's agencies as the agency list: their 上级 is known here, not guessed from names);
- A1: two agencies of the round whose reports name the same agency (a list imported twice
  with a typo, a report written for the wrong agency) (``auditing.region.duplicates``);
- G2 / G3: 第五部分 that says only "无", 第六部分 that says nothing was charged beside
  fees in table 二 (``auditing.format_defects``);
- the figures reviewers derive (实质公开率, 复议纠错率, 诉讼纠错率; ``auditing.figures``).

What the audit says only of a published file (blank cells, labels, pages, unread cells)
cannot apply to facts written in the editor, and check's rules (R1–R4, R8, D…, Y1, G1)
and R5/R6 are on the page already: none is repeated.

Speed: no report is rendered or imported. Each version's facts are read once (a version
never changes, so ``(report id, version)`` is a safe key), and the similarity index of a
round is built once per state of the round (the set of its versions) and shared by every
review page until someone saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auditing.agencies import AgencyList
from ..auditing.findings import SEVERITY_LABELS, Finding, sort_key
from ..auditing.format_defects import format_defects
from ..auditing.region import (
    OTHER_SHARE,
    PREVIOUS_SHARE,
    copied_finding,
    duplicates,
    parents_and_children,
)
from ..auditing.results import ReportAudit
from ..auditing.similarity import Document, SimilarityIndex
from ..auditing.sources import Published
from ..errors import GovReportError
from ..facts.loading import validate
from ..facts.model import Facts
from ..facts.reading import parse
from ..importing.agency_list import ListedAgency
from ..web.form_fields import box_of, locate, section_of
from .access import Actor, scope
from .drafts import previous_report
from .lru import LruCache
from .models import APPROVED, PUBLISHED, Agency, Report, Round, Version
from .similar import paragraphs
from .texts import file_name


@dataclass(frozen=True)
class Read:
    """A version read once for the audit: its facts as a ``Published`` with no import
    caveat (nothing was imported), and its narrative as the similarity index takes it."""

    published: Published
    document: Document


class AuditCache:
    """What the review pages share, per application (one database): each version read
    (a few thousand: a region's years), and the similarity index of a round's recent
    states (the 审核员's scopes differ: a few of them)."""

    def __init__(self, versions: int = 4096, indexes: int = 8) -> None:
        self.versions: LruCache[tuple[int, int], Read | None] = LruCache(versions)
        self.indexes: LruCache[tuple, SimilarityIndex] = LruCache(indexes)


@dataclass
class Entry:
    """A report of the round (or of last year) as the audit's functions take it."""

    report_id: int
    round_id: int
    version: int
    agency: Agency
    read: Read

    @property
    def published(self) -> Published:
        return self.read.published

    def audit(self) -> ReportAudit:
        """A fresh ``ReportAudit``: the audit's run-wide functions append to its findings."""
        return ReportAudit(self.published.path, self.published, shown=self.agency.name)


def _read(
    cache: AuditCache, session: Session, report: Report, agency: Agency, year: int
) -> Read | None:
    def read() -> Read | None:
        text = session.scalar(
            select(Version.text).where(
                Version.report_id == report.id, Version.number == report.version
            )
        )
        name = file_name(agency.short_name or agency.name, year)
        try:  # the facts only: no round-trip tree, which only editing needs
            facts: Facts = validate(*parse(text or "", file=name))
        except GovReportError:
            return None  # a text that does not load: check says why, on the same page
        found = paragraphs(facts)
        narrative = Document(report.id, name, facts.agency.name, facts.year, found)
        return Read(Published(Path(name), facts, [], found), narrative)

    return cache.versions.get_or_make((report.id, report.version), read)


def _entries(cache: AuditCache, session: Session, query: Any, year: int) -> list[Entry]:
    found = []
    for report, agency in session.execute(query):
        read = _read(cache, session, report, agency, year)
        if read is not None:
            found.append(Entry(report.id, report.round_id, report.version, agency, read))
    return found


def _round(
    cache: AuditCache, session: Session, me: Actor, round_: Round, statuses: tuple[str, ...] = ()
) -> list[Entry]:
    query = (
        select(Report, Agency)
        .join(Agency, Agency.id == Report.agency_id)
        .where(Report.round_id == round_.id, Report.version > 0)
        .order_by(Report.id)
    )
    if statuses:
        query = query.where(Report.status.in_(statuses))
    allowed = scope(session, me)
    if allowed is not None:
        query = query.where(Report.agency_id.in_(allowed))
    return _entries(cache, session, query, round_.year)


def report_findings(
    cache: AuditCache, session: Session, me: Actor, report: Report
) -> list[Finding]:
    """The audit's findings on ``report`` (see the module's docstring), errors first."""
    round_ = session.get(Round, report.round_id)
    assert round_ is not None
    this_round = _round(cache, session, me, round_)
    own = next((e for e in this_round if e.report_id == report.id), None)
    if own is None:
        return []
    last = previous_report(session, report)
    earlier = session.scalar(select(Round).where(Round.year == round_.year - 1))
    last_round = _round(cache, session, me, earlier, (APPROVED, PUBLISHED)) if earlier else []
    found = list(format_defects(own.published))
    found += _copied_sections(cache, own, this_round, last_round, last)
    found += _same_agency(own, this_round)
    found += _children(session, own, this_round)
    return sorted(found, key=sort_key)


def _copied_sections(
    cache: AuditCache,
    own: Entry,
    this_round: list[Entry],
    last_round: list[Entry],
    last: Report | None,
) -> list[Finding]:
    """S1 and S2, as the audit finds them (the audit's index over this round and last
    year's, its thresholds, its wording)."""
    everyone = this_round + last_round
    key = tuple((e.report_id, e.version) for e in everyone)  # the round's state, in scope
    index = cache.indexes.get_or_make(
        key, lambda: SimilarityIndex(e.read.document for e in everyone)
    )
    document = index.documents[own.report_id]
    others = {e.report_id for e in this_round if e.agency.id != own.agency.id}
    found = [
        copied_finding(s, False) for s in index.compare(document, others) if s.share >= OTHER_SHARE
    ]
    if last is not None and last.id in index.documents:
        found += [
            copied_finding(s, True)
            for s in index.compare(document, {last.id})
            if s.share >= PREVIOUS_SHARE
        ]
    return found


def _same_agency(own: Entry, this_round: list[Entry]) -> list[Finding]:
    """A1: another report of the round names the same agency."""
    copies = [e.audit() for e in this_round]
    duplicates(copies)
    return next(c.findings for c, e in zip(copies, this_round, strict=True) if e is own)


def _children(session: Session, own: Entry, this_round: list[Entry]) -> list[Finding]:
    """C1 for a government: against the departments under it that have a report here.
    The agency list handed to the audit is its departments that take part in the round
    (a department 撤销 after the round gave it a report still counts in it)."""
    if own.published.facts.agency.level != "government":
        return []
    under = list(session.scalars(select(Agency).where(Agency.parent_id == own.agency.id)))
    in_round = set(session.scalars(select(Report.agency_id).where(Report.round_id == own.round_id)))
    listed = [
        ListedAgency(a.name, a.short_name, a.level, own.agency.name, n)
        for n, a in enumerate(under, 2)
        if a.level == "department" and (a.id in in_round or a.abolished is None)
    ]
    parent = own.audit()
    named = {a.id for a in under}
    children = [e.audit() for e in this_round if e.agency.id in named]
    parents_and_children([parent, *children], AgencyList(listed, "本系统的机关名单"))
    return parent.findings


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding in the shape of the editor's problems (``web.checking.problem_json``), so
    the page marks it at its cell or section as it marks a check's problem."""
    path = tuple(finding.path.split(".")) if finding.path else ("requests",)
    field_id, anchor = locate(path)
    return {
        "code": finding.code,
        "severity": finding.severity,
        "severity_label": "审核" + SEVERITY_LABELS[finding.severity],
        "label": finding.place,
        "message": finding.message,
        "field": field_id,
        "anchor": anchor,
        "box": box_of(field_id, anchor),
        "section": section_of(path),
        "source": "audit",
    }


#: where each figure is shown: the table it is read from
FIGURE_TABLES = {
    "disclosure_rate": "requests",
    "reconsideration_correction_rate": "reviews",
    "litigation_correction_rate": "reviews",
}
