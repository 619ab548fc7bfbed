"""勾稽关系 within one report's tables: R1 (table 三 balances) and R2–R4 (typed totals).

Each problem carries the numbers it compared in ``Problem.values``: ``stated`` and
``computed`` for a total (R2–R4); for R1 both sides, ``left`` = 一 + 二 and ``right`` =
（七）总计 + 四, with their four terms. The audit runs the same rules on a published
report's tables as printed (``balance_with``, ``stated_results_total``).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import official as fmt
from ..diagnostics import ERROR, Problem, problem
from ..facts.model import Facts, Row, RowGroup


def stated_results_total(facts: Facts) -> Row | None:
    """三、（七）总计 as typed (or as printed, for an imported report); ``None`` when not given."""
    results = facts.requests["results"]
    return results.stated_total if isinstance(results, RowGroup) else None


def _written(facts: Facts, path: tuple) -> bool:
    """Whether the author typed this cell (a dict given in Python counts as typed)."""
    return facts.source is None or not facts.source.marks or facts.source.has(path)


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
                values={"stated": value.stated_total, "computed": value.total},
            )
    stated = stated_results_total(facts)
    if stated is not None:
        yield from _stated_results_total(facts, stated, facts.requests.row(fmt.RESULT_TOTAL_PATH))
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
                values={"stated": counts.stated_total, "computed": counts.total},
            )


def _stated_results_total(facts: Facts, stated: Row, computed: Row) -> Iterator[Problem]:
    """R3 per column of （七）总计, for the columns the author typed."""
    path = ("requests", *fmt.RESULT_TOTAL_PATH)
    for column in fmt.REQUEST_COLUMNS:
        given: int | None
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
                values={"stated": given, "computed": computed[column.key]},
            )


def balance(facts: Facts) -> Iterator[Problem]:
    """R1 per applicant column: 一 + 二 = （七）总计 + 四."""
    yield from balance_with(facts, facts.requests.row(fmt.RESULT_TOTAL_PATH))


def balance_with(facts: Facts, handled_row: Row) -> Iterator[Problem]:
    """R1 with ``handled_row`` as （七）总计: the computed row for a facts file, the printed
    one when the audit judges a published table as it stands."""
    requests = facts.requests
    received_row, carried_over_row = (requests.row(p) for p in fmt.R1_LEFT)
    carried_forward_row = requests.row(fmt.R1_RIGHT[1])
    for column in fmt.APPLICANT_COLUMNS:
        received, carried_over = received_row[column.key], carried_over_row[column.key]
        handled, carried_forward = handled_row[column.key], carried_forward_row[column.key]
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
                values={
                    "received": received,
                    "carried_over": carried_over,
                    "left": left,
                    "handled": handled,
                    "carried_forward": carried_forward,
                    "right": right,
                },
            )
