"""The checks reviewers run: 勾稽关系 identities, dates, narrative against tables.

Each check yields ``Problem``s with a stable code (see ``_format.IDENTITIES`` for
the R-codes). ``check`` runs all of them and reports everything at once, in file
order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem, ProblemReport, problem, sort_key
from ..errors import FactsError
from ..facts.loading import FactsInput, load
from ..facts.model import Facts, Row
from ..narrative.writer import (
    Narrative,
    PlaceholderError,
    boilerplate_problems,
    placeholder_problems,
    write_narrative,
)
from ..template_sets.sets import TemplateSet, template_set_for

CODE_DATE_TOO_EARLY = "D1"
CODE_DATE_LATE = "D2"
CODE_DATE_MISSING = "D3"
CODE_COPIED_YEAR = "Y1"
CODE_NO_ASSESSMENT = "G1"
CODE_PREVIOUS_YEAR = "P1"
CODE_TEMPLATE = "T1"


@dataclass
class CheckResult(ProblemReport):
    """Every problem found, in file order."""

    problems: list[Problem] = field(default_factory=list)
    facts: Facts | None = None
    narrative: Narrative | None = None  # what the report's texts will be; rendering reuses it

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


Check = Callable[[Facts], Iterator[Problem]]
_CHECKS: list[Check] = []


def check_rule(func: Check) -> Check:
    """Register a check: every registered check runs on every facts file."""
    _CHECKS.append(func)
    return func


def check(
    source: FactsInput,
    *,
    previous: FactsInput | None = None,
    template: TemplateSet | str | Path | None = None,
) -> CheckResult:
    """Load ``source`` and run every check; with ``previous`` also R5 and R6.

    Schema errors (unknown keys, bad types) are returned as problems rather than
    raised; a file that cannot be read at all still raises ``InputError``.
    ``template`` picks the set whose boilerplate is looked for (default: the one
    rendering would choose).
    """
    try:
        facts = load(source)
    except FactsError as exc:
        return CheckResult(exc.problems)
    problems = [p for rule in _CHECKS for p in rule(facts)]
    narrative, found = write_checked_narrative(facts, template)
    problems += found
    if previous is not None:
        try:
            last = load(previous)
        except FactsError as exc:
            problems += exc.problems
        else:
            problems += list(check_previous(facts, last))
    return CheckResult(sorted(problems, key=sort_key), facts, narrative)


def write_checked_narrative(
    facts: Facts, template: TemplateSet | str | Path | None
) -> tuple[Narrative | None, list[Problem]]:
    """The report's texts, with placeholders in the author's texts that fail (T1) and
    boilerplate standing in (B1); no texts when a placeholder fails.

    A broken template set is not the facts file's fault: its ``TemplateError`` propagates.
    """
    found = placeholder_problems(facts)
    if found:  # every failing placeholder of every text, not only the first
        return None, found
    tset = template_set_for(facts, template)
    try:
        narrative = write_narrative(facts, tset)
    except PlaceholderError as exc:
        return None, [problem(facts, CODE_TEMPLATE, ERROR, exc.message, exc.path)]
    return narrative, boilerplate_problems(facts, narrative)


def _written(facts: Facts, path: tuple) -> bool:
    """Whether the author typed this cell (a dict given in Python counts as typed)."""
    return facts.source is None or not facts.source.marks or facts.source.has(path)


# --------------------------------------------------------------------------- totals


@check_rule
def stated_totals(facts: Facts) -> Iterator[Problem]:
    """A ``total`` the author typed must equal the computed one (R2, R3, R4)."""
    for row in fmt.REQUEST_ROWS:
        if row.computed:
            continue
        value = facts.requests.row(row.path)
        if value.stated_total is not None and value.stated_total != value.total:
            yield problem(
                facts,
                "R2",
                ERROR,
                f"填写的总计 {value.stated_total} 与六类申请人之和 {value.total} 不一致"
                f"（{fmt.IDENTITIES['R2'].text}）",
                ("requests", *row.path, "total"),
            )
    stated = facts.requests.results.stated_total
    computed = facts.requests.results.total
    if stated is not None:
        yield from _stated_results_total(facts, stated, computed)
    for block in fmt.REVIEW_BLOCKS:
        counts = getattr(facts.reviews, block.key)
        if counts.stated_total is not None and counts.stated_total != counts.total:
            yield problem(
                facts,
                "R4",
                ERROR,
                f"填写的总计 {counts.stated_total} 与各项之和 {counts.total} 不一致"
                f"（{fmt.IDENTITIES['R4'].text}）",
                ("reviews", block.key, "total"),
            )


def _stated_results_total(facts: Facts, stated: Row, computed: Row) -> Iterator[Problem]:
    path = ("requests", *fmt.RESULT_TOTAL_PATH)
    for column in fmt.REQUEST_COLUMNS:
        if column.key == "total":
            given = stated.stated_total
            if given is None:
                continue
        else:
            if not _written(facts, (*path, column.key)):
                continue
            given = stated[column.key]
        if given != computed[column.key]:
            yield problem(
                facts,
                "R3",
                ERROR,
                f"填写的（七）总计 {given} 与（一）至（六）各项之和 {computed[column.key]} 不一致"
                f"（{fmt.IDENTITIES['R3'].text}）",
                (*path, column.key),
            )


@check_rule
def balance(facts: Facts) -> Iterator[Problem]:
    """R1 per applicant column: 一 + 二 = （七）总计 + 四."""
    yield from balance_with(facts, facts.requests.row(fmt.RESULT_TOTAL_PATH))


def balance_with(facts: Facts, handled: Row) -> Iterator[Problem]:
    """R1 with ``handled`` as （七）总计: the computed row for a facts file, the printed
    one when the audit judges a published table as it stands."""
    requests = facts.requests
    left_rows = [requests.row(p) for p in fmt.R1_LEFT]
    right_rows = [handled, requests.row(fmt.R1_RIGHT[1])]
    for column in fmt.APPLICANT_COLUMNS:
        received, carried_over = (r[column.key] for r in left_rows)
        handled, carried_forward = (r[column.key] for r in right_rows)
        left, right = received + carried_over, handled + carried_forward
        if left != right:
            yield problem(
                facts,
                "R1",
                ERROR,
                f"一、本年新收 {received} + 二、上年结转 {carried_over} = {left}，"
                f"但（七）总计 {handled} + 四、结转下年度 {carried_forward} = {right}，"
                f"相差 {abs(left - right)}（{fmt.IDENTITIES['R1'].text}）",
                ("requests", *fmt.R1_LEFT[0], column.key),
                label=f"{fmt.APPLICANT_HEADER} · {column.label}",
            )


# --------------------------------------------------------------------------- dates


def deadline(facts: Facts) -> dt.date:
    month, day = fmt.DEADLINES[facts.agency.level]
    return dt.date(facts.year + 1, month, day)


@check_rule
def publication_date(facts: Facts) -> Iterator[Problem]:
    """落款 after the year ends, and by 31 January (departments) / 31 March (governments)."""
    published = facts.published
    if published is None:
        yield problem(
            facts,
            CODE_DATE_MISSING,
            WARNING,
            "未填写落款日期（published），报告末尾将没有日期",
            ("published",),
        )
        return
    year_end = dt.date(facts.year, 12, 31)
    if published <= year_end:
        yield problem(
            facts,
            CODE_DATE_TOO_EARLY,
            ERROR,
            f"落款日期 {_chinese_date(published)} 早于报告年度结束（{_chinese_date(year_end)}），"
            f"{facts.year}年的数据要到年底才能统计完整",
            ("published",),
        )
        return
    due = deadline(facts)
    if published > due:
        level = fmt.LEVELS[facts.agency.level]
        yield problem(
            facts,
            CODE_DATE_LATE,
            WARNING,
            f"落款日期 {_chinese_date(published)} 晚于{level}的公布期限 {_chinese_date(due)}"
            "（《政府信息公开条例》第四十九条、第五十条）",
            ("published",),
        )


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@check_rule
def government_assessment(facts: Facts) -> Iterator[Problem]:
    if facts.agency.level == "government" and not facts.overview.assessment:
        yield problem(
            facts,
            CODE_NO_ASSESSMENT,
            WARNING,
            "人民政府的年度报告应说明工作考核、社会评议和责任追究结果情况（overview.assessment）",
            ("overview", "assessment"),
        )


# --------------------------------------------------------------------------- narrative


@dataclass(frozen=True)
class QuotedNumber:
    """A phrase that quotes a table number in the narrative (R8), and the placeholder
    that would keep it in step with the table."""

    pattern: re.Pattern
    what: str
    value: Callable[[Facts], int]
    placeholder: str


def _total(*path: str) -> Callable[[Facts], int]:
    return lambda facts: facts.requests.row(path).total


def _request(pattern: str, what: str, *path: str) -> QuotedNumber:
    return QuotedNumber(re.compile(pattern), what, _total(*path), "requests." + ".".join(path))


_COUNT = r"(?:共|合计|累计|总计)?\s*(\d+)\s*件"
QUOTED_NUMBERS: tuple[QuotedNumber, ...] = (
    _request(
        r"(?:收到|受理|新收|接收)[^，。；,;\d]{0,14}?申请" + _COUNT,
        "本年新收政府信息公开申请",
        "received",
    ),
    _request(r"上年结转(?:的)?(?:申请)?" + _COUNT, "上年结转", "carried_over"),
    _request(r"予以公开(?:申请|的)?" + _COUNT, "予以公开", "results", "disclosed"),
    # not "予以公开及部分公开N件", which counts both rows together
    _request(
        r"(?<!予以公开[及和与])部分公开(?:申请|的)?" + _COUNT,
        "部分公开",
        "results",
        "partially_disclosed",
    ),
    _request(r"不予公开(?:申请|的)?" + _COUNT, "不予公开", "results", "withheld"),
    _request(r"无法提供(?:申请|的)?" + _COUNT, "无法提供", "results", "unavailable"),
    _request(r"不予处理(?:申请|的)?" + _COUNT, "不予处理", "results", "not_processed"),
    _request(
        r"结转(?:至)?下一?年度?(?:继续办理)?(?:申请|的)?" + _COUNT,
        "结转下年度继续办理",
        "carried_forward",
    ),
    QuotedNumber(
        re.compile(r"行政复议(?:案件|申请)?" + _COUNT),
        "行政复议",
        lambda f: f.reviews.reconsideration.total,
        "reviews.reconsideration",
    ),
    QuotedNumber(
        re.compile(r"行政诉讼(?:案件)?" + _COUNT),
        "行政诉讼",
        lambda f: f.reviews.litigation_total,
        "reviews.litigation_total",
    ),
)
NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理)[^，。；,;]{0,10}?申请|无依申请公开")


@check_rule
def narrative_numbers(facts: Facts) -> Iterator[Problem]:
    """R8: numbers the text quotes must be the table's."""
    for path, text in facts.texts():
        for quoted in QUOTED_NUMBERS:
            for match in quoted.pattern.finditer(text):
                said, actual = int(match.group(1)), quoted.value(facts)
                if said != actual:
                    yield problem(
                        facts,
                        "R8",
                        WARNING,
                        f"正文“{match.group(0)}”写的是 {said} 件，表格中{quoted.what}是 {actual} 件"
                        f"（可改写为 {{{{ {quoted.placeholder} }}}}件，让正文数字随表格）",
                        path,
                    )
        received = facts.requests.received.total
        if received and (match := NONE_RECEIVED.search(text)):
            yield problem(
                facts,
                "R8",
                WARNING,
                f"正文说“{match.group(0)}”，但表格中本年新收政府信息公开申请 {received} 件",
                path,
            )


_YEAR = re.compile(r"(\d{4})\s*年")
_SENTENCE = re.compile(r"[^。！？；\n]+")
# 将 alone is often 把 ("将政务公开纳入考核"); as a plan it comes before a verb of intent.
_FUTURE = re.compile(
    r"将(?:在|继续|进一步|持续|着力|加强|加大|全面|不断|深入|积极|切实|重点|围绕|按照|以|把|从)"
    r"|计划|打算|下一步|拟|今后|明年"
)
_PERIOD = re.compile(r"统计期限|统计期间|统计时限")


@check_rule
def copied_years(facts: Facts) -> Iterator[Problem]:
    """Year mentions that look carried over from another year's report."""
    for path, text in facts.texts():
        plans = path[0] == "problems" and path[-1] != "issues"
        for sentence in _SENTENCE.findall(text):
            found = _copied_year(sentence.strip(), facts.year, plans)
            if found:
                reason, start = found
                excerpt = _excerpt(sentence.strip()[start:])
                yield problem(
                    facts, CODE_COPIED_YEAR, WARNING, f"{reason}（原文：“{excerpt}”）", path
                )


def _copied_year(sentence: str, year: int, plans: bool) -> tuple[str, int] | None:
    """Why ``sentence`` looks copied, and where the telling part starts; or ``None``."""
    years = {int(y) for y in _YEAR.findall(sentence)}
    if not years:
        return None
    if _PERIOD.search(sentence) and years != {year}:
        return f"统计期限写的是{_years(years - {year})}年，本报告是{year}年度", 0
    future = _FUTURE.search(sentence)
    if plans and year in years and future:
        start = max(sentence.rfind(f"{year}年", 0, future.start()), 0)
        return f"改进计划写的是“{year}年…将…”，应当是对{year + 1}年的打算", start
    first = _YEAR.match(sentence)
    if first and year - 3 <= int(first.group(1)) < year:
        return f"句首写的是{first.group(1)}年，本报告是{year}年度，可能沿用了往年的文字", 0
    return None


def _years(years: set[int]) -> str:
    return "、".join(str(y) for y in sorted(years))


def _excerpt(sentence: str, limit: int = 40) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


# --------------------------------------------------------------------------- across years


def check_previous(facts: Facts, last: Facts) -> Iterator[Problem]:
    """R5 and R6 against last year's facts."""
    if last.year != facts.year - 1:
        yield problem(
            facts,
            CODE_PREVIOUS_YEAR,
            ERROR,
            f"--previous 给出的是{last.year}年度的事实文件，本报告是{facts.year}年度，应与"
            f"{facts.year - 1}年度比较",
            ("year",),
        )
        return
    before, now = last.requests.carried_forward, facts.requests.carried_over
    for column in fmt.REQUEST_COLUMNS:
        if column.key != "total" and before[column.key] != now[column.key]:
            yield problem(
                facts,
                "R5",
                ERROR,
                f"本年上年结转 {now[column.key]} 件，但{last.year}年报告的结转下年度继续办理是 "
                f"{before[column.key]} 件（{fmt.IDENTITIES['R5'].text}）",
                ("requests", "carried_over", column.key),
            )
    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        was, docs = getattr(last.proactive, key), getattr(facts.proactive, key)
        expected = was.in_force + docs.issued - docs.repealed
        if docs.in_force != expected:
            yield problem(
                facts,
                "R6",
                WARNING,
                f"{label}现行有效件数 {docs.in_force}，按上年 {was.in_force} + 本年制发 {docs.issued}"
                f" − 本年废止 {docs.repealed} 应为 {expected}（如有清理、修订请在"
                "“年度报告数据统计需要说明的事项”中说明）",
                ("proactive", key, "in_force"),
            )
