"""``audit``: check a region's published reports as they stand, one finding list each.

Each report is read by import (through ``sources``), and check's own rules run on
what was printed (import keeps a printed total that differs from the sum, so R2–R4
judge the printed totals). Import's caveats become findings (blank cells, label
drift, missing sections); then the run-wide checks: last year's report of the same
agency (R5, R6, copied text), other agencies' text, a government against the
departments audited with it, and who is missing (the agency list's agencies with no
report, or last year's). Nothing is written to disk here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .. import official as fmt
from ..checks import balance_with, check, stated_results_total
from ..diagnostics import WARNING, Problem
from .agencies import AgencyList, missing_from_list, missing_since_last_year, not_listed
from .caveats import rests_on_unread, unread_paths
from .figures import derived_figures
from .findings import (
    CATEGORIES,
    CODE_BLANK,
    CODE_NO_CLOSING_DATE,
    RENDERING_CODES,
    Finding,
    from_import_problem,
    from_problem,
    soften_unsure,
    sort_key,
)
from .format_defects import format_defects, trial_other_in_new_format
from .region import (
    CHILDREN_PLACE,
    LastYear,
    across_years,
    duplicates,
    no_counterpart,
    parents_and_children,
    similarity,
)
from .results import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, AuditRun, ReportAudit
from .sources import NARRATIVE_SECTIONS, Published, find_reports, read_many

__all__ = ["EXIT_ERRORS", "EXIT_OK", "EXIT_UNREADABLE", "AuditRun", "ReportAudit", "audit"]

#: The checks every audit runs on each report; the run-wide ones are added when they ran.
OWN_CHECKS = frozenset(
    {"R1", "R2", "R3", "R4", "R9", "R8", "D1", "D2", "D3", "D4", "Y1", "G1"}
    | {"L1", "M1", "U1", "N1", "A1", "G2", "G3", "V1"}
)


def audit(
    paths: Sequence[str | Path],
    *,
    previous_year: str | Path | None = None,
    jobs: int | None = None,
    agencies: str | Path | None = None,
) -> AuditRun:
    """Audit the reports at ``paths`` (files or folders, searched recursively); ``jobs``
    processes read them (default: one per CPU). ``agencies`` is the office's agency list
    (.xlsx or .csv): read first, so a list that cannot be read stops the audit before
    any report is read."""
    listed = AgencyList.read(Path(agencies)) if agencies is not None else None
    skipped: list[tuple[Path, str]] = []
    roots = [Path(p) for p in paths]
    reports = _read_all(paths, jobs, skipped, roots)
    previous: list[ReportAudit] = []
    if previous_year is not None:
        previous = _read_all([previous_year], jobs, skipped, [Path(previous_year)])
    for report in reports:
        if report.published is not None:
            report.findings = _own_findings(report.published)
            report.figures = derived_figures(report.published.facts)
    readable = [r for r in reports if r.published is not None]
    earlier = [r for r in previous if r.published is not None]
    last_year = LastYear(readable, earlier)
    across_years(readable, last_year)
    similarity(readable, earlier, last_year)
    named = parents_and_children(readable, listed)
    duplicates(readable)
    if previous_year is not None:
        no_counterpart(readable, last_year)
    run_findings = _who_is_missing(reports, earlier, listed, named, previous_year is not None)
    for report in readable:
        report.findings = sorted(soften_unsure(report.findings), key=sort_key)
    ran = set(OWN_CHECKS) | {"S2"}
    if any(last_year.of(r) is not None for r in readable):
        ran |= {"R5", "R6", "S1"}
    if any(f.code == "C1" or f.place == CHILDREN_PLACE for r in readable for f in r.findings):
        ran.add("C1")
    if listed is not None or previous_year is not None:
        ran |= {"A2", "A3"} if listed is not None else {"A2"}
    checks = [code for code in CATEGORIES if code in ran]
    shown = {path: _shown(path, [*roots, Path(previous_year or ".")]) for path, _ in skipped}
    return AuditRun(reports, previous, skipped, checks, shown, run_findings)


def _who_is_missing(
    reports: list[ReportAudit],
    earlier: list[ReportAudit],
    listed: AgencyList | None,
    named: dict[str, str],
    compared_with_last_year: bool,
) -> list[Finding]:
    """The run's own findings: the agencies on the list with no report (and the reports
    whose agency is not on it, said on each), or without a list, the agencies that had a
    report last year and have none in the run."""
    readable = [r for r in reports if r.published is not None]
    unreadable = len(reports) - len(readable)
    if listed is not None:
        not_listed(readable, listed)
        return missing_from_list(readable, listed, named, unreadable)
    if compared_with_last_year:
        return missing_since_last_year(readable, earlier, unreadable)
    return []


def _shown(path: Path, roots: list[Path]) -> str:
    """``path`` as outputs name it: under a folder given, from that folder's name on (a
    path of the auditing computer means nothing to the office it is forwarded to)."""
    for root in roots:
        try:
            inside = path.relative_to(root)
        except ValueError:
            continue
        if root.is_dir():
            return str(Path(root.name or root.resolve().name) / inside)
    return str(path) if not path.is_absolute() else path.name


def _read_all(
    paths: Iterable[str | Path],
    jobs: int | None,
    skipped: list[tuple[Path, str]],
    roots: list[Path],
) -> list[ReportAudit]:
    """Every report found, read; a file in a folder that is no 年度报告 goes to ``skipped``."""
    files, missing = find_reports(Path(p) for p in paths)
    reports = [
        ReportAudit(path, unreadable=f"{path}：{why}", shown=str(path)) for path, why in missing
    ]
    for found, read in zip(files, read_many([f.path for f in files], jobs), strict=True):
        shown = _shown(found.path, roots)
        if isinstance(read, Published):
            reports.append(ReportAudit(found.path, read, shown=shown))
        elif read.not_a_report and not found.named:
            skipped.append((found.path, read.message))
        else:
            reports.append(ReportAudit(found.path, unreadable=read.message, shown=shown))
    return reports


def _own_findings(published: Published) -> list[Finding]:
    """Import's caveats and check's rules, on this report alone."""
    found = [
        from_import_problem(p, published.page_of(p.path))
        for p in published.problems
        if not (p.code == "I3" and trial_other_in_new_format(published, tuple(p.path)))
    ]
    found += format_defects(published)
    facts = published.facts
    unread = unread_paths(published)
    problems = [
        p
        for p in check(facts).problems
        if p.code not in RENDERING_CODES and not rests_on_unread(published, p, unread)
    ]
    printed = stated_results_total(facts)
    if printed is not None:  # R1 as a reader of the table sees it: on the printed （七）总计
        problems = [p for p in problems if p.code != "R1"] + list(balance_with(facts, printed))
    found += [from_problem(p, _page(published, p)) for p in problems]
    if published.cells:  # import kept every printed cell: name each blank one exactly
        blanks = [path for path, cell in published.cells.items() if cell.number is None]
        found = [f for f in found if not _named_blank(f, blanks)] + list(blank_cells(published))
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


def _named_blank(finding: Finding, blanks: list[tuple[str, ...]]) -> bool:
    """An R9 from import at a row whose blank cells ``blank_cells`` names one by one (a
    row whose blank cell nobody can place keeps import's finding at the row)."""
    if finding.code != CODE_BLANK:
        return False
    row = tuple(finding.path.split("."))
    return any(path[: len(row)] == row for path in blanks)


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
