"""Who is missing: the run against the agency list (``--agencies``) or last year's reports.

A 政务公开办 keeps a list of its agencies (the list the service imports,
``importing.agency_list``). Given it, the audit says once which agencies on it have
no report in the run, grouped by their 上级 (or level), which reports name an agency
the list does not have (a typo in the report, or an agency the list forgot), and a
government's own departments, for the parent-and-children note. Without a list,
``--previous-year`` gives the agencies that published last year and not this year.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from ..diagnostics import WARNING
from ..importing.agency_list import ListedAgency, read_agency_list
from .findings import CODE_NO_REPORT, CODE_NOT_LISTED, Finding
from .names import NameIndex, agency_key, is_child
from .results import ReportAudit
from .sources import agency_known

#: Lists up to this long are searched for the name a report's unknown agency is closest to.
MAX_SUGGESTED_FROM = 5_000
LEVEL_NAMES = {"department": "部门", "government": "人民政府"}


class AgencyList:
    """The list as the audit uses it: each agency found by its name as a report prints it."""

    def __init__(self, listed: list[ListedAgency], file: str):
        self.listed = listed
        self.file = file
        self._by_key = {agency_key(a.name): a for a in reversed(listed)}  # the first wins
        #: the agencies by name and by 上级, matched with or without a city before them
        self._by_name: NameIndex[ListedAgency] = NameIndex()
        self._by_parent: NameIndex[tuple[int, ListedAgency]] = NameIndex()
        self._no_parent: list[tuple[int, str, ListedAgency]] = []  # departments only
        for n, agency in enumerate(listed):
            self._by_name.add(agency_key(agency.name), agency)
            if agency.level != "department":
                continue
            if agency.parent:
                self._by_parent.add(agency_key(agency.parent), (n, agency))
            else:
                self._no_parent.append((n, agency_key(agency.name), agency))

    @classmethod
    def read(cls, path: Path) -> AgencyList:
        """The list at ``path``; ``InputError`` (naming it) for one that cannot be a list."""
        return cls(read_agency_list(path, f"机关名单 {path.name}"), path.name)

    def find(self, name: str) -> ListedAgency | None:
        """The listed agency of this name, with or without its city before it."""
        key = agency_key(name)
        found = self._by_key.get(key)
        if found is None:
            found = next(iter(self._by_name.find(key)), None)
        return found

    def departments_of(self, government: str) -> list[ListedAgency]:
        """The government's own departments: those whose 上级 is the government, and where
        the list gives no 上级, departments named after the government's place."""
        key = agency_key(government)
        found = self._by_parent.find(key)
        found += [(n, a) for n, name, a in self._no_parent if is_child(key, name)]
        return [agency for _, agency in sorted(found, key=lambda item: item[0])]

    def closest(self, name: str) -> str | None:
        """The listed name most like ``name`` (a typo's likely intent), if any is close."""
        if len(self.listed) > MAX_SUGGESTED_FROM:
            return None
        found = difflib.get_close_matches(agency_key(name), list(self._by_key), n=1, cutoff=0.75)
        return self._by_key[found[0]].name if found else None


class Audited:
    """The agencies that have a report in the run, each found by its name as listed."""

    def __init__(self, reports: list[ReportAudit]):
        self.names: NameIndex[str] = NameIndex()
        for report in reports:
            if agency_known(report.agency):
                self.names.add(agency_key(report.agency), report.agency)

    def __contains__(self, name: str) -> bool:
        return bool(self.names.find(agency_key(name)))


def not_listed(reports: list[ReportAudit], agencies: AgencyList) -> None:
    """A3 on each report whose agency is not on the list."""
    for report in reports:
        if report.facts is None or not agency_known(report.agency):
            continue
        if agencies.find(report.agency) is not None:
            continue
        closest = agencies.closest(report.agency)
        hint = f"；名单中最相近的是“{closest}”" if closest else ""
        report.findings.append(
            Finding(
                CODE_NOT_LISTED,
                WARNING,
                f"机关名称“{report.agency}”不在机关名单（{agencies.file}）中：报告中的名称"
                f"可能有误，或名单漏了这个机关{hint}",
                "机关名称",
                "agency.name",
            )
        )


def missing_from_list(
    reports: list[ReportAudit],
    agencies: AgencyList,
    named: dict[str, str],
    unreadable: int,
) -> list[Finding]:
    """A2, one per 上级 (or level): the listed agencies with no report in the run.
    ``named`` holds those a government's parent-and-children note already names (each
    name to that government's file): they are referred to, not named again."""
    groups: dict[tuple[str, str], list[ListedAgency]] = defaultdict(list)
    elsewhere: dict[str, int] = defaultdict(int)
    audited = Audited(reports)
    for agency in agencies.listed:
        if agency.name in audited:
            continue
        if agency.name in named:
            elsewhere[named[agency.name]] += 1
        else:
            groups[agency.parent, agency.level].append(agency)
    caveat = _unreadable_caveat(unreadable)
    found = []
    for (parent, level), missing in groups.items():
        whose = f"上级：{parent}，" if parent else "名单未写上级，"
        found.append(
            _no_report(
                f"名单中有、本次未见报告（{whose}{LEVEL_NAMES.get(level, level)} "
                f"{len(missing)} 个）：{'、'.join(a.name for a in missing)}{caveat}",
                agencies.file,
            )
        )
    for where, count in elsewhere.items():
        found.append(
            _no_report(
                f"名单中另有 {count} 个部门本次未见报告，已在{where}的上下级汇总中列出",
                agencies.file,
            )
        )
    return found


def missing_since_last_year(
    reports: list[ReportAudit], previous: list[ReportAudit], unreadable: int
) -> list[Finding]:
    """A2 without a list: the agencies with a report in the ``--previous-year`` folder and
    none in the run."""
    audited = Audited(reports)
    gone: NameIndex[ReportAudit] = NameIndex()  # each agency once, however it was named
    found: list[ReportAudit] = []
    for last in previous:
        if last.facts is None or not agency_known(last.agency):
            continue
        key = agency_key(last.agency)
        if last.agency not in audited and not gone.find(key):
            gone.add(key, last)
            found.append(last)
    if not found:
        return []
    names = "、".join(f"{r.agency}（{r.file}）" for r in found)
    return [
        _no_report(
            f"上年有报告、本次未见报告（{len(found)} 个）：{names}{_unreadable_caveat(unreadable)}",
            "上年报告",
        )
    ]


def _no_report(message: str, place: str) -> Finding:
    return Finding(CODE_NO_REPORT, WARNING, message, place, "agency.name")


def _unreadable_caveat(unreadable: int) -> str:
    """An unreadable file may be the missing agency's report: said, never assumed."""
    if not unreadable:
        return ""
    return f"（另有 {unreadable} 个文件无法读取，其中可能有这些机关的报告）"
