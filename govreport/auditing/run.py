"""``audit``: check a region's published reports as they stand, one finding list each.

Each report is read by import (through ``sources``), and check's own rules run on
what was printed (import keeps a printed total that differs from the sum, so R2–R4
judge the printed totals). Import's caveats become findings (blank cells, label
drift, missing sections); then the run-wide checks: last year's report of the same
agency (R5, R6, copied text), other agencies' text, and a government against the
departments audited with it. Nothing is written to disk here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import official as fmt
from ..batch.aggregate import compare_to_children
from ..checks import balance_with, check, check_previous, stated_results_total
from ..diagnostics import ERROR, WARNING, Problem
from ..facts.model import Facts
from .figures import Figure, derived_figures
from .findings import (
    ACROSS_YEARS,
    CODE_BLANK,
    CODE_COPIED_OTHER,
    CODE_COPIED_PREVIOUS,
    CODE_NO_CLOSING_DATE,
    INFO,
    RENDERING_CODES,
    SEVERITY_RANK,
    Finding,
    from_import_problem,
    from_problem,
    soften,
    soften_unsure,
    sort_key,
    unsure_tables,
)
from .similarity import Document, SectionSimilarity, SimilarityIndex
from .sources import NARRATIVE_SECTIONS, Published, agency_known, find_reports, read_many

#: A section this much copied from last year's report is a finding (S1) …
PREVIOUS_SHARE = 0.5
#: … and this much from another agency's (S2): a neighbour's text is worse than one's own.
OTHER_SHARE = 0.3
QUOTES = 3  # passages quoted per finding

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class ReportAudit:
    """One published report and what the audit found in it."""

    source: Path
    published: Published | None = None
    findings: list[Finding] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    similarity: list[SectionSimilarity] = field(default_factory=list)
    unreadable: str | None = None  # why the file could not be read

    @property
    def facts(self) -> Facts | None:
        return self.published.facts if self.published else None

    @property
    def agency(self) -> str:
        return self.facts.agency.name if self.facts else ""

    @property
    def year(self) -> int | None:
        return self.facts.year if self.facts else None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def worst(self) -> str | None:
        """The highest severity found (an unreadable file counts as an error)."""
        if self.unreadable:
            return ERROR
        ranks = [SEVERITY_RANK[f.severity] for f in self.findings]
        if not ranks:
            return None
        return {2: ERROR, 1: WARNING, 0: INFO}[max(ranks)]

    def to_dict(self) -> dict[str, Any]:
        facts = self.facts
        return {
            "file": str(self.source),
            "agency": self.agency or None,
            "year": self.year,
            "level": facts.agency.level if facts else None,
            "published": facts.published.isoformat() if facts and facts.published else None,
            "unreadable": self.unreadable,
            "counts": {s: self.count(s) for s in (ERROR, WARNING, INFO)},
            "figures": [f.to_dict() for f in self.figures],
            "similarity": [s.to_dict() for s in self.similarity],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class AuditRun:
    """Every report audited, and last year's reports read for comparison."""

    reports: list[ReportAudit]
    previous: list[ReportAudit] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # files in folders, no 年报

    @property
    def unreadable(self) -> list[ReportAudit]:
        return [r for r in [*self.reports, *self.previous] if r.unreadable]

    def count(self, severity: str) -> int:
        return sum(r.count(severity) for r in self.reports)

    @property
    def exit_status(self) -> int:
        """2 when a file could not be read, else 1 when a finding is an error, else 0."""
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_ERRORS if self.count(ERROR) else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": [r.to_dict() for r in self.reports],
            "previous_year": [
                {"file": str(r.source), "agency": r.agency or None, "year": r.year}
                | ({"unreadable": r.unreadable} if r.unreadable else {})
                for r in self.previous
            ],
            "skipped": [{"file": str(path), "reason": why} for path, why in self.skipped],
            "counts": {s: self.count(s) for s in (ERROR, WARNING, INFO)},
            "unreadable": len(self.unreadable),
            "exit_status": self.exit_status,
        }


def audit(
    paths: Sequence[str | Path],
    *,
    previous_year: str | Path | None = None,
    jobs: int | None = None,
) -> AuditRun:
    """Audit the reports at ``paths`` (files or folders, searched recursively); ``jobs``
    processes read them (default: one per CPU)."""
    skipped: list[tuple[Path, str]] = []
    reports = _read_all(paths, jobs, skipped)
    previous = _read_all([previous_year], jobs, skipped) if previous_year is not None else []
    for report in reports:
        if report.published is not None:
            report.findings = _own_findings(report.published)
            report.figures = derived_figures(report.published.facts)
    readable = [r for r in reports if r.published is not None]
    earlier = [r for r in previous if r.published is not None]
    last_year = LastYear(readable, earlier)
    _across_years(readable, last_year)
    _similarity(readable, earlier, last_year)
    _parents_and_children(readable)
    for report in readable:
        report.findings = sorted(soften_unsure(report.findings), key=sort_key)
    return AuditRun(reports, previous, skipped)


def _read_all(
    paths: Iterable[str | Path], jobs: int | None, skipped: list[tuple[Path, str]]
) -> list[ReportAudit]:
    """Every report found, read; a file in a folder that is no 年度报告 goes to ``skipped``."""
    files, missing = find_reports(Path(p) for p in paths)
    reports = [ReportAudit(path, unreadable=f"{path}：{why}") for path, why in missing]
    for found, read in zip(files, read_many([f.path for f in files], jobs), strict=True):
        if isinstance(read, Published):
            reports.append(ReportAudit(found.path, read))
        elif read.not_a_report and not found.named:
            skipped.append((found.path, read.message))
        else:
            reports.append(ReportAudit(found.path, unreadable=read.message))
    return reports


def _own_findings(published: Published) -> list[Finding]:
    """Import's caveats and check's rules, on this report alone."""
    found = [from_import_problem(p, published.page_of(p.path)) for p in published.problems]
    facts = published.facts
    problems = [p for p in check(facts).problems if p.code not in RENDERING_CODES]
    printed = stated_results_total(facts)
    if printed is not None:  # R1 as a reader of the table sees it: on the printed （七）总计
        problems = [p for p in problems if p.code != "R1"] + list(balance_with(facts, printed))
    found += [from_problem(p, _page(published, p)) for p in problems]
    if published.cells:  # import kept every printed cell: name each blank one exactly
        found = [f for f in found if f.code != CODE_BLANK] + list(blank_cells(published))
    if published.date_from_page and not any(f.code == CODE_NO_CLOSING_DATE for f in found):
        day = facts.published.isoformat() if facts.published else ""
        found.append(
            Finding(
                CODE_NO_CLOSING_DATE,
                WARNING,
                f"报告没有落款日期，发布日期 {day} 取自网页",
                fmt.describe(("published",)),
                "published",
            )
        )
    return found


def blank_cells(published: Published) -> Iterator[Finding]:
    """R9 for each table cell printed blank or as a mark ("/", "—", "无", "不适用")."""
    for path, cell in published.cells.items():
        if cell.number is None:
            printed = cell.text.strip()
            said = f"印为“{printed}”" if printed else "留空"
            yield Finding(
                CODE_BLANK,
                fmt.IDENTITIES["R9"].severity,
                f"{said}，没有填写数字（{fmt.IDENTITIES['R9'].text}，没有的应填 0）",
                fmt.describe(path),
                ".".join(path),
                cell.page,
            )


def _page(published: Published, problem: Problem) -> int | None:
    """A cell's page, or for a narrative finding the page of the paragraph it quotes
    (the words the rule quoted, ``Problem.values["quote"]``)."""
    page = published.page_of(problem.path)
    quote = problem.values.get("quote")
    if page is None and quote and problem.path and problem.path[0] in NARRATIVE_SECTIONS:
        page = published.page_of_text(str(quote))
    return page


# --------------------------------------------------------------------------- across reports

_NAME_NOISE = re.compile(r"[\s\u3000·•（）()]")


def agency_key(name: str) -> str:
    """An agency name as compared across reports: width and spaces ignored."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))


class LastYear:
    """Each report's predecessor: the same agency's report of the year before, from the
    ``--previous-year`` folder first, else from the run itself."""

    def __init__(self, reports: list[ReportAudit], previous: list[ReportAudit]):
        self.by_name: dict[tuple[str, int], ReportAudit] = {}
        for other in reversed(previous + reports):  # the first found wins
            if other.facts is not None and agency_known(other.agency):
                self.by_name[(agency_key(other.agency), other.facts.year)] = other

    def of(self, report: ReportAudit) -> ReportAudit | None:
        facts = report.facts
        if facts is None or not agency_known(report.agency):
            return None
        return self.by_name.get((agency_key(report.agency), facts.year - 1))


def _across_years(reports: list[ReportAudit], last_year: LastYear) -> None:
    """R5 and R6 against last year's report of the same agency (given, or in the run)."""
    for report in reports:
        last = last_year.of(report)
        if last is None or last.facts is None or report.published is None:
            continue
        assert last.published is not None
        theirs = unsure_tables([from_import_problem(p) for p in last.published.problems])
        for problem in check_previous(report.published.facts, last.facts):
            finding = from_problem(problem, report.published.page_of(problem.path))
            if finding.code in ACROSS_YEARS and finding.path.split(".")[0] in theirs:
                finding = soften(finding, "（上年报告该表有未能读取的格，请对照原件核实）")
            report.findings.append(finding)


def _similarity(
    reports: list[ReportAudit], previous: list[ReportAudit], last_year: LastYear
) -> None:
    """S1 (copied from last year) and S2 (copied from another agency in the run)."""
    everyone = reports + [p for p in previous if p not in reports]
    documents = {id(r): _document(n, r) for n, r in enumerate(everyone)}
    index = SimilarityIndex(documents.values())
    in_run = {documents[id(r)].key for r in reports}
    by_agency: dict[str, set[int]] = defaultdict(set)
    for report in reports:
        if agency_known(report.agency):
            by_agency[agency_key(report.agency)].add(documents[id(report)].key)
    for report in reports:
        doc = documents[id(report)]
        own = (
            by_agency.get(agency_key(report.agency), set())
            if agency_known(report.agency)
            else set()
        )
        others = in_run - own - {doc.key}
        found = index.compare(doc, others)
        last = last_year.of(report)
        if last is not None:  # compared on its own: never crowded out by other agencies
            found += index.compare(doc, {documents[id(last)].key})
        report.similarity = sorted(found, key=lambda s: -s.share)
        for item in found:
            is_last = last is not None and item.source_file == str(last.source)
            threshold = PREVIOUS_SHARE if is_last else OTHER_SHARE
            if item.share >= threshold:
                report.findings.append(_copied(item, is_last))


def _document(key: int, report: ReportAudit) -> Document:
    published = report.published
    assert published is not None
    return Document(key, str(report.source), report.agency, report.year, list(published.paragraphs))


def _copied(item: SectionSimilarity, last_year: bool) -> Finding:
    source = f"{item.source_agency}{item.source_year or ''}年度报告"
    source += f"（{Path(item.source_file).name}）"
    what = "上年" if last_year else "其他机关的"
    quotes = tuple(p.text for p in item.passages[:QUOTES])
    places = "、".join(dict.fromkeys(p.paragraph.place for p in item.passages[:QUOTES]))
    return Finding(
        CODE_COPIED_PREVIOUS if last_year else CODE_COPIED_OTHER,
        WARNING,
        f"本部分 {item.share * 100:.0f}%（{item.copied}/{item.length} 字）与{what}{source}相同"
        f"；雷同段落：{places}",
        item.heading,
        item.section,
        item.passages[0].paragraph.page if item.passages else None,
        quotes,
    )


def _parents_and_children(reports: list[ReportAudit]) -> None:
    """C1: a people's government audited with its own departments of the same year."""
    for parent in reports:
        facts = parent.facts
        if facts is None or facts.agency.level != "government":
            continue
        region = facts.agency.name.removesuffix("人民政府")
        if len(region) < 2 or region == facts.agency.name:
            continue
        children = [
            r.facts
            for r in reports
            if r is not parent
            and r.facts is not None
            and r.facts.year == facts.year
            and r.facts.agency.level == "department"
            and r.facts.agency.name.startswith(region)
        ]
        if children:
            parent.findings += [from_problem(p) for p in compare_to_children(facts, children)]
