"""The run-wide checks: a report against last year's report of the same agency (R5, R6,
S1), against the other agencies audited with it (S2), and a government against its own
departments (C1); and what a reviewer should know about the run itself (the same report
audited twice, no counterpart in the ``--previous-year`` folder).

Agencies are matched by name (``names``): width and spaces ignored, with or without the
name of the city or province before it (某区人民政府 is 某市某区人民政府).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..batch.aggregate import compare_to_children
from ..checks import check_previous
from ..diagnostics import WARNING, Problem
from ..facts.model import Facts
from ..importing.agency_list import ListedAgency
from .agencies import AgencyList, Audited
from .findings import (
    ACROSS_YEARS,
    CODE_COPIED_OTHER,
    CODE_COPIED_PREVIOUS,
    CODE_DUPLICATE,
    CODE_NO_REPORT,
    CODE_NOTE,
    INFO,
    Finding,
    from_import_problem,
    from_problem,
    soften,
    unsure_tables,
)
from .names import NameIndex, agency_key, is_child
from .results import ReportAudit
from .similarity import Document, SectionSimilarity, SimilarityIndex
from .sources import agency_known

#: Where the parent-and-children findings are said to be (the official tables as a whole).
CHILDREN_PLACE = "上下级汇总"
#: A section this much copied from last year's report is a finding (S1) …
PREVIOUS_SHARE = 0.5
#: … and this much from another agency's (S2): a neighbour's text is worse than one's own.
OTHER_SHARE = 0.3
QUOTES = 3  # passages quoted per finding


class LastYear:
    """Each report's predecessor: the same agency's report of the year before, from the
    ``--previous-year`` folder first, else from the run itself."""

    def __init__(self, reports: list[ReportAudit], previous: list[ReportAudit]):
        self.by_year: dict[int, NameIndex[ReportAudit]] = defaultdict(NameIndex)
        for other in previous + reports:  # the first found wins
            if other.facts is not None and agency_known(other.agency):
                self.by_year[other.facts.year].add(agency_key(other.agency), other)

    def of(self, report: ReportAudit) -> ReportAudit | None:
        facts = report.facts
        if facts is None or not agency_known(report.agency):
            return None
        key = agency_key(report.agency)
        index = self.by_year.get(facts.year - 1)
        found = index.find(key) if index is not None else []
        exact = [other for other in found if agency_key(other.agency) == key]
        found = exact or found  # its own name first, else with or without its city
        return found[0] if found else None


def across_years(reports: list[ReportAudit], last_year: LastYear) -> None:
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


def similarity(
    reports: list[ReportAudit], previous: list[ReportAudit], last_year: LastYear
) -> None:
    """S1 (copied from last year) and S2 (copied from another agency in the run)."""
    everyone = reports + [p for p in previous if p not in reports]
    documents = {id(r): _document(n, r) for n, r in enumerate(everyone)}
    index = SimilarityIndex(documents.values())
    in_run = {documents[id(r)].key for r in reports}
    by_agency: NameIndex[int] = NameIndex()
    for report in reports:
        if agency_known(report.agency):
            by_agency.add(agency_key(report.agency), documents[id(report)].key)
    for report in reports:
        doc = documents[id(report)]
        own: set[int] = set()
        if agency_known(report.agency):
            own = set(by_agency.find(agency_key(report.agency)))
        others = in_run - own - {doc.key}
        found = index.compare(doc, others)
        last = last_year.of(report)
        if last is not None:  # compared on its own: never crowded out by other agencies
            found += index.compare(doc, {documents[id(last)].key})
        report.similarity = sorted(found, key=lambda s: (-s.share, s.source_file, s.section))
        for item in found:
            is_last = last is not None and item.source_file == str(last.source)
            threshold = PREVIOUS_SHARE if is_last else OTHER_SHARE
            if item.share >= threshold:
                report.findings.append(copied_finding(item, is_last))


def _document(key: int, report: ReportAudit) -> Document:
    published = report.published
    assert published is not None
    return Document(key, str(report.source), report.agency, report.year, list(published.paragraphs))


def duplicates(reports: list[ReportAudit]) -> None:
    """The same agency and year audited twice (a report and its PDF, or a report published
    twice): said on each, so that its numbers are not counted twice in a region's totals."""
    groups: list[list[ReportAudit]] = []
    by_year: dict[int, NameIndex[list[ReportAudit]]] = defaultdict(NameIndex)
    for report in reports:
        if report.facts is not None and agency_known(report.agency):
            key, index = agency_key(report.agency), by_year[report.facts.year]
            found = index.find(key)
            if not found:
                found = [[]]
                groups.append(found[0])
                index.add(key, found[0])
            found[0].append(report)
    for group in groups:
        for report in group if len(group) > 1 else ():
            others = "、".join(r.file for r in group if r is not report)
            report.findings.append(
                Finding(
                    CODE_DUPLICATE,
                    WARNING,
                    f"同一机关同一年度的报告在本次审核中还有：{others}（同一报告的两种格式，"
                    "或重复发布）；汇总一个地区时只应计一次",
                    "机关名称",
                    "agency.name",
                )
            )


def no_counterpart(reports: list[ReportAudit], last_year: LastYear) -> None:
    """With ``--previous-year`` given: the reports that have no report of last year there
    (nor in the run), so that no S1, R5 or R6 is no proof of anything."""
    for report in reports:
        if report.facts is not None and last_year.of(report) is None:
            report.findings.append(
                Finding(
                    CODE_NOTE,
                    INFO,
                    f"上年报告中没有找到“{report.agency}”{report.facts.year - 1}年度的报告，"
                    "未核对上年结转（R5）、现行有效件数（R6）和与上年内容雷同（S1）",
                    "机关名称",
                    "agency.name",
                )
            )


def copied_finding(item: SectionSimilarity, last_year: bool) -> Finding:
    """S1 or S2 for one copied section, worded once for the audit and the service's
    review page."""
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


#: a government's report that sums up the whole place, its districts' reports included
_WHOLE_PLACE = re.compile(
    r"全(?:省|市|州|盟|区|县)(?:各级行政机关|各级政府|各地各部门|各级各部门)[^。；]{0,30}"
    r"(?:收到|受理|新收)"
)


def parents_and_children(
    reports: list[ReportAudit], agencies: AgencyList | None = None
) -> dict[str, str]:
    """C1: a people's government audited with its own departments of the same year.

    Where every cell of the departments' sum stays within the government's (departments
    not audited would make up the rest), one note says so instead of a C1 per cell, and
    names the departments not audited when the agency list (``--agencies``) tells them;
    a government whose report sums up the whole place, its districts included, is not
    compared with its departments alone. Returns the listed departments a note named
    missing, each with the report whose note names it (so they are not named again)."""
    named: dict[str, str] = {}
    audited = Audited(reports)
    for parent in reports:
        facts = parent.facts
        if facts is None or facts.agency.level != "government":
            continue
        listed = agencies.departments_of(facts.agency.name) if agencies else None
        children = _children(parent, reports, listed)
        if not children:
            continue
        names = "、".join(r.agency for r in children)
        if any(_WHOLE_PLACE.search(text) for _, text in facts.texts()):
            parent.findings.append(
                _children_note(
                    f"本报告汇总的是{facts.agency.name.removesuffix('人民政府')}全域（含下辖地区），"
                    f"不与本级部门（{names}）之和逐格比较"
                )
            )
            continue
        missing = None if listed is None else [a.name for a in listed if a.name not in audited]
        problems = compare_to_children(facts, [r.facts for r in children if r.facts])
        over = [p for p in problems if _children_exceed(p, facts, children)]
        parent.findings += [from_problem(p) for p in over]
        if problems and not over:
            parent.findings.append(
                _children_note(
                    f"与本次审核的 {len(children)} 个本级部门（{names}）逐格比较：各部门之和"
                    f"都不超过本报告，有 {len(problems)} 格小于本报告，未逐格列出——"
                    f"{_not_audited(missing)}",
                    bool(missing),
                )
            )
        elif missing:
            said = f"机关名单中的本级部门还有 {len(missing)} 个本次未见报告：{'、'.join(missing)}"
            parent.findings.append(_children_note(said, True))
        for name in missing or ():
            named[name] = f"“{facts.agency.name}”的报告（{parent.file}）"
    return named


def _children(
    parent: ReportAudit, reports: list[ReportAudit], listed: list[ListedAgency] | None
) -> list[ReportAudit]:
    """The government's own departments in the run: named after its place, or listed as
    its departments."""
    facts = parent.facts
    assert facts is not None
    government = agency_key(facts.agency.name)
    listed_names: NameIndex[str] = NameIndex()
    for agency in listed or ():
        listed_names.add(agency_key(agency.name), agency.name)
    return [
        r
        for r in reports
        if r is not parent
        and r.facts is not None
        and r.facts.year == facts.year
        and r.facts.agency.level == "department"
        and (
            is_child(government, agency_key(r.agency))
            or bool(listed_names.find(agency_key(r.agency)))
        )
    ]


def _not_audited(missing: list[str] | None) -> str:
    """What the note says of the departments not audited: named when the list says."""
    if missing is None:
        return (
            "其余部门不在本次审核中，差额属意料之中（未给出 --agencies 机关名单，"
            "无法列出哪些部门未审核）"
        )
    if not missing:
        return "机关名单中的本级部门都在本次审核中，差额可能是政府本级的数字，请核对"
    return f"机关名单中的本级部门还有 {len(missing)} 个本次未见报告：{'、'.join(missing)}，差额属意料之中"


def _children_note(message: str, names_missing: bool = False) -> Finding:
    """The parent-and-children note: a warning about agencies with no report (A2) when it
    names the listed departments missing, else a note on how the sums were compared."""
    if names_missing:
        return Finding(CODE_NO_REPORT, WARNING, message, CHILDREN_PLACE, "")
    return Finding(CODE_NOTE, INFO, message, CHILDREN_PLACE, "")


def _children_exceed(problem: Problem, facts: Facts, children: list[ReportAudit]) -> bool:
    """Whether the departments' sum at the problem's cell is more than the government's."""
    path = tuple(str(key) for key in problem.path)
    mine = facts.value(path)
    theirs = sum(r.facts.value(path) for r in children if r.facts is not None)
    return bool(theirs > mine)
