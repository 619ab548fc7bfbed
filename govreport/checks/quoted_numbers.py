"""R8: numbers the narrative quotes (收到申请 N 件, 行政复议 N 件 …) against the tables.

A text written before the tables were final keeps its old numbers; reviewers catch it
by reading the two side by side. ``Problem.values``: ``quote`` (the words of the text),
``said`` (the number they give; absent for "未收到申请") and ``table`` (the table's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..diagnostics import WARNING, Problem, problem
from ..facts.model import Facts


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


def narrative_numbers(facts: Facts) -> Iterator[Problem]:
    """R8: numbers the text quotes must be the table's."""
    for path, text in facts.texts():
        for quoted in QUOTED_NUMBERS:
            for match in quoted.pattern.finditer(text):
                said, actual = int(match.group(1)), quoted.value(facts)
                if said != actual:
                    statement = (
                        f"正文“{match.group(0)}”写的是 {said} 件，表格中{quoted.what}是 {actual} 件"
                    )
                    yield problem(
                        facts,
                        "R8",
                        WARNING,
                        f"{statement}（可改写为 {{{{ {quoted.placeholder} }}}}件，让正文数字随表格）",
                        path,
                        values={"quote": match.group(0), "said": said, "table": actual},
                        reader_message=statement,
                    )
        received = facts.requests.row(("received",)).total
        if received and (none := NONE_RECEIVED.search(text)):
            yield problem(
                facts,
                "R8",
                WARNING,
                f"正文说“{none.group(0)}”，但表格中本年新收政府信息公开申请 {received} 件",
                path,
                values={"quote": none.group(0), "table": received},
            )
