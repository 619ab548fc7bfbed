"""What the audit says about a published report: findings, each at a cell or a paragraph.

The audit runs check's rules and reads import's caveats; both speak in ``Problem``s
about a facts file. A finding is the same thing said about the published report:
the official row and column (or the paragraph), the page of a PDF, and quotes where
text was copied. Import's codes are renamed to what they mean for a reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem

INFO = "info"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_RANK = {ERROR: 2, WARNING: 1, INFO: 0}

# The audit's own codes (check's R…, D…, Y…, G1, P1 and aggregate's C1 are kept as they are).
CODE_BLANK = "R9"  # a blank or symbol cell: the format's own identity R9
CODE_DRIFT = "L1"  # a table label that differs from the official wording
CODE_MISSING_SECTION = "M1"  # one of the six sections is not in the report
CODE_UNREAD = "U1"  # a cell or table the audit could not read: checked by hand
CODE_NOTE = "N1"  # how the report was read (2019 trial format, a value from a second-best place)
CODE_NO_CLOSING_DATE = "D4"  # no 落款 date; the date was taken from the web page
CODE_COPIED_PREVIOUS = "S1"  # paragraphs copied from the agency's report of last year
CODE_COPIED_OTHER = "S2"  # paragraphs copied from another agency's report in the same run
CODE_DUPLICATE = "A1"  # the same agency and year audited twice in one run
CODE_NO_REPORT = "A2"  # an agency on the list (or with a report last year) has none in the run
CODE_NOT_LISTED = "A3"  # a report's agency is not on the agency list (``--agencies``)
CODE_EMPTY_PROBLEMS = "G2"  # 第五部分 says only "无"
CODE_FEE_CONFLICT = "G3"  # 第六部分 says nothing was charged, table 二 shows fees
CODE_NOT_A_COUNT = "V1"  # a count printed negative or with a fraction

CATEGORIES: dict[str, str] = {
    "R1": "勾稽关系",
    "R2": "勾稽关系",
    "R3": "勾稽关系",
    "R4": "勾稽关系",
    "R9": "空白或符号格",
    "R5": "跨年度核对",
    "R6": "跨年度核对",
    "P1": "跨年度核对",
    "R8": "正文数字与表格",
    "D1": "日期",
    "D2": "日期",
    "D3": "日期",
    "D4": "日期",
    "Y1": "年份沿用",
    "G1": "内容缺项",
    "G2": "内容缺项",
    "G3": "正文与表格",
    "V1": "数字有误",
    "M1": "缺少部分",
    "L1": "标签与官方表述不一致",
    "U1": "未能读取",
    "N1": "读取说明",
    "S1": "内容雷同（与上年）",
    "S2": "内容雷同（与其他机关）",
    "C1": "上下级汇总",
    "A1": "重复审核",
    "A2": "未见报告",
    "A3": "不在机关名单中",
}

#: Check's codes that concern writing a report, not one already published.
RENDERING_CODES = frozenset({"B1", "T1"})
#: The identities whose failure is an error in the numbers as printed.
TABLE_IDENTITIES = frozenset({"R1", "R2", "R3", "R4"})
#: Findings about a table's cells that a cell import could not read may explain.
UNSURE_CODES = TABLE_IDENTITIES | {"R5", CODE_BLANK}
#: Findings across years: they rest on last year's tables too.
ACROSS_YEARS = frozenset({"R5", "R6"})
#: Date findings: judged on a 落款 date; a date taken from the web page is only a guess.
DATE_CODES = frozenset({"D1", "D2"})


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in a published report."""

    code: str
    severity: str
    message: str
    place: str = ""  # official row · column, or the section and paragraph
    path: str = ""  # the facts-file path of the place (for scripts)
    page: int | None = None  # page of a PDF, when import knows it
    quotes: tuple[str, ...] = ()  # copied passages, for 内容雷同

    @property
    def category(self) -> str:
        return CATEGORIES.get(self.code, "其他")

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def where(self) -> str:
        """The place with its page: ``三、（七）总计 · 自然人（第 3 页）``."""
        page = f"（第 {self.page} 页）" if self.page is not None else ""
        return f"{self.place}{page}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "category": self.category,
            "place": self.place,
            "path": self.path,
            "page": self.page,
            "message": self.message,
            "quotes": list(self.quotes),
        }


def sort_key(finding: Finding) -> tuple:
    """Errors first, then warnings, then notes; within each, by code."""
    return (-SEVERITY_RANK[finding.severity], finding.code, finding.path)


def _path_text(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def from_problem(problem: Problem, page: int | None = None) -> Finding:
    """A check (or aggregate) problem as a finding, severity and code kept.

    Check speaks to the author of a facts file; said of a published report, its advice on
    what to type (a placeholder, a key) is left out: the rule gives that wording itself
    (``Problem.reader_message``), so nothing here depends on how a message is phrased.
    """
    label = problem.label or fmt.describe(problem.path)
    message = problem.reader_message or problem.message
    return Finding(problem.code, problem.severity, message, label, _path_text(problem.path), page)


def from_import_problem(problem: Problem, page: int | None = None) -> Finding:
    """One of import's caveats as what it says about the published report."""
    code, severity = _import_meaning(problem)
    label = problem.label or fmt.describe(problem.path)
    return Finding(code, severity, problem.message, label, _path_text(problem.path), page)


def _import_meaning(problem: Problem) -> tuple[str, str]:
    """Import's code (with its path and severity) as the audit's: the wording of its message is
    never read."""
    path = tuple(problem.path)
    if problem.code == "I1":
        return CODE_BLANK, fmt.IDENTITIES["R9"].severity
    if problem.code == "I10":  # printed, and not a count: the report's own error
        return CODE_NOT_A_COUNT, ERROR
    if problem.code == "I2":
        return CODE_DRIFT, WARNING
    if problem.code == "I8" or _heading_missing(problem):
        return CODE_MISSING_SECTION, WARNING
    if problem.code in ("I5", "I9"):  # unread, or digits split by assumption only
        return CODE_UNREAD, WARNING
    if problem.code == "I6" and path == ("published",):
        return CODE_NO_CLOSING_DATE, WARNING
    return CODE_NOTE, INFO


def _heading_missing(problem: Problem) -> bool:
    """I5 as a warning on a whole table: its heading is missing and import read the table
    by its content (``docs/checks.md``, I5). The table was read, so it is not "unread" (U1,
    which would soften the table's identities); the missing heading is the report's M1."""
    path = tuple(problem.path)
    return (
        problem.code == "I5"
        and problem.severity == WARNING
        and len(path) == 1
        and path[0] in fmt.SECTION_HEADINGS
    )


def unsure_tables(findings: list[Finding]) -> set[str]:
    """The tables (``requests``, ``reviews``, ``proactive``) with a cell the audit could not
    read, or one whose printed value (not a count) the facts hold as 0."""
    codes = {CODE_UNREAD, CODE_NOT_A_COUNT}
    return {f.path.split(".")[0] for f in findings if f.code in codes and f.path} & set(
        fmt.SECTION_HEADINGS
    )


def soften_unsure(findings: list[Finding]) -> list[Finding]:
    """What rests on something import could not read is not asserted as an error: an
    identity that fails, or a cell that looks blank, in a table not read whole (the cell
    missed may be all there is to it), and a date rule on a date taken from the web page."""
    unsure = unsure_tables(findings)
    guessed_date = any(f.code == CODE_NO_CLOSING_DATE for f in findings)
    softened = []
    for finding in findings:
        table = finding.path.split(".")[0]
        note = None
        if finding.severity != ERROR:
            pass
        elif finding.code in UNSURE_CODES and table in unsure:
            note = "（该表有未能读取或不是件数的格，请对照原件核实）"
        elif finding.code in DATE_CODES and guessed_date:
            note = "（报告没有落款日期，此日期取自网页，请核实）"
        softened.append(soften(finding, note) if note else finding)
    return softened


def soften(finding: Finding, note: str) -> Finding:
    """The finding as a warning, saying why it is not asserted as an error."""
    return replace(finding, severity=WARNING, message=finding.message + note)
