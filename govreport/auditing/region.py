"""The run-wide checks: a report against last year's report of the same agency (R5, R6,
S1), against the other agencies audited with it (S2), and a government against its own
departments (C1); and what a reviewer should know about the run itself (the same report
audited twice, no counterpart in the ``--previous-year`` folder).

Agencies are matched by name with width and spaces ignored, and with or without the
name of the city or province before it (某区人民政府 is 某市某区人民政府).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from ..batch.aggregate import compare_to_children
from ..checks import check_previous
from ..diagnostics import WARNING, Problem
from ..facts.model import Facts
from .findings import (
    ACROSS_YEARS,
    CODE_COPIED_OTHER,
    CODE_COPIED_PREVIOUS,
    CODE_DUPLICATE,
    CODE_NOTE,
    INFO,
    Finding,
    from_import_problem,
    from_problem,
    soften,
    unsure_tables,
)
from .results import ReportAudit
from .similarity import Document, SectionSimilarity, SimilarityIndex
from .sources import agency_known

#: A section this much copied from last year's report is a finding (S1) …
PREVIOUS_SHARE = 0.5
#: … and this much from another agency's (S2): a neighbour's text is worse than one's own.
OTHER_SHARE = 0.3
QUOTES = 3  # passages quoted per finding

_NAME_NOISE = re.compile(r"[\s\u3000·•（）()]")
#: the places a name may be prefixed with: 某省, 某市, 某自治州 … (at most two of them)
_PLACE_PREFIX = re.compile(r"^(?:[^\W\d_]{1,8}?(?:省|自治区|市|自治州|州|地区|盟)){1,2}$")


def agency_key(name: str) -> str:
    """An agency name as compared across reports: width and spaces ignored."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))


def same_agency(a: str, b: str) -> bool:
    """The same agency, with or without the place names before it (X区人民政府 and
    Y市X区人民政府): the longer name is the shorter one with only places before it."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= 4
        and long.endswith(short)
        and bool(_PLACE_PREFIX.match(long[: len(long) - len(short)]))
    )


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
        key = agency_key(report.agency)
        found = self.by_name.get((key, facts.year - 1))
        if found is None:  # the same agency named with or without its city
            found = next(
                (
                    other
                    for (name, year), other in self.by_name.items()
                    if year == facts.year - 1 and same_agency(name, key)
                ),
                None,
            )
        return found


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
    by_agency: dict[str, set[int]] = defaultdict(set)
    for report in reports:
        if agency_known(report.agency):
            by_agency[agency_key(report.agency)].add(documents[id(report)].key)
    for report in reports:
        doc = documents[id(report)]
        own: set[int] = set()
        if agency_known(report.agency):
            key = agency_key(report.agency)
            for name, keys in by_agency.items():
                if same_agency(name, key):
                    own |= keys
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
                report.findings.append(_copied(item, is_last))


def _document(key: int, report: ReportAudit) -> Document:
    published = report.published
    assert published is not None
    return Document(key, str(report.source), report.agency, report.year, list(published.paragraphs))


def duplicates(reports: list[ReportAudit]) -> None:
    """The same agency and year audited twice (a report and its PDF, or a report published
    twice): said on each, so that its numbers are not counted twice in a region's totals."""
    groups: dict[tuple[str, int], list[ReportAudit]] = defaultdict(list)
    for report in reports:
        if report.facts is not None and agency_known(report.agency):
            key = next(
                (
                    k
                    for k in groups
                    if k[1] == report.facts.year and same_agency(k[0], agency_key(report.agency))
                ),
                (agency_key(report.agency), report.facts.year),
            )
            groups[key].append(report)
    for group in groups.values():
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


#: a department of a place below the government's own (某市某区财政局 under 某市人民政府)
_SUB_PLACE = re.compile(r"^[^\W\d_]{1,6}?(?:自治县|区|县|旗)")
#: a government's report that sums up the whole place, its districts' reports included
_WHOLE_PLACE = re.compile(
    r"全(?:省|市|州|盟|区|县)(?:各级行政机关|各级政府|各地各部门|各级各部门)[^。；]{0,30}"
    r"(?:收到|受理|新收)"
)


def is_child(government: str, department: str) -> bool:
    """Whether ``department`` is one of the government's own departments: named after the
    government's place (without 人民政府), and not after a place below it."""
    place = government.removesuffix("人民政府")
    if len(place) < 2 or place == government or not department.startswith(place):
        return False
    return not _SUB_PLACE.match(department[len(place) :])


def parents_and_children(reports: list[ReportAudit]) -> None:
    """C1: a people's government audited with its own departments of the same year.

    Where every cell of the departments' sum stays within the government's (departments
    not audited would make up the rest), one note names the departments compared instead
    of a C1 per cell; a government whose report sums up the whole place, its districts
    included, is not compared with its departments alone."""
    for parent in reports:
        facts = parent.facts
        if facts is None or facts.agency.level != "government":
            continue
        children = [
            r
            for r in reports
            if r is not parent
            and r.facts is not None
            and r.facts.year == facts.year
            and r.facts.agency.level == "department"
            and is_child(agency_key(facts.agency.name), agency_key(r.agency))
        ]
        if not children:
            continue
        names = "、".join(r.agency for r in children)
        if any(_WHOLE_PLACE.search(text) for _, text in facts.texts()):
            parent.findings.append(
                Finding(
                    CODE_NOTE,
                    INFO,
                    f"本报告汇总的是{facts.agency.name.removesuffix('人民政府')}全域（含下辖地区），"
                    f"不与本级部门（{names}）之和逐格比较",
                    "上下级汇总",
                    "",
                )
            )
            continue
        problems = compare_to_children(facts, [r.facts for r in children if r.facts])
        over = [p for p in problems if _children_exceed(p, facts, children)]
        if problems and not over:
            parent.findings.append(
                Finding(
                    CODE_NOTE,
                    INFO,
                    f"与本次审核的 {len(children)} 个本级部门（{names}）逐格比较：各部门之和"
                    f"都不超过本报告，有 {len(problems)} 格小于本报告——其余部门不在本次审核中，"
                    "差额属意料之中，未逐格列出",
                    "上下级汇总",
                    "",
                )
            )
            continue
        parent.findings += [from_problem(p) for p in over]


def _children_exceed(problem: Problem, facts: Facts, children: list[ReportAudit]) -> bool:
    """Whether the departments' sum at the problem's cell is more than the government's."""
    path = tuple(str(key) for key in problem.path)
    mine = facts.value(path)
    theirs = sum(r.facts.value(path) for r in children if r.facts is not None)
    return bool(theirs > mine)
