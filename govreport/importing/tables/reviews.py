"""Table 四 (行政复议、行政诉讼): fifteen numbers after its header, in official order."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ... import official as fmt
from ...diagnostics import Problem
from ..base import CODE_MISSING, CODE_NOT_FOUND, Cell, error
from ..labels import canon
from . import (
    TableRead,
    Value,
    blank_warning,
    is_value,
    split_values,
    trimmed,
    values_after,
    whole,
)


@cache
def _review_headers() -> frozenset[str]:
    labels = [c.label for c in fmt.REVIEW_COLUMNS] + [b.label for b in fmt.REVIEW_BLOCKS]
    labels += [fmt.RECONSIDERATION_HEADER, fmt.LITIGATION_HEADER]
    return frozenset(canon(label) for label in labels)


def _is_review_header(text: str) -> bool:
    """A header of table 四, also when flattened into one cell (行政诉讼 · 复议后起诉 · 总计),
    as a Markdown rendering writes a multi-row header."""
    return any(canon(part) in _review_headers() for part in text.split(" · "))


def read_reviews(cells: Sequence[Cell]) -> TableRead:
    """Table 四: 15 numbers after its header, in official order."""
    result = TableRead()
    last = max((i for i, c in enumerate(cells) if _is_review_header(c.text)), default=-1)
    if last < 0:
        result.problems.append(
            error(CODE_NOT_FOUND, "没有找到表四（行政复议、行政诉讼情况）", ("reviews",))
        )
        return result
    start = last + 1
    while start < len(cells) and not is_value(cells[start]):
        start += 1
    values, _ = values_after(cells, start, None)
    width = len(fmt.REVIEW_COLUMNS)
    values = trimmed(values, width * len(fmt.REVIEW_BLOCKS))
    if len(values) != width * len(fmt.REVIEW_BLOCKS):
        blocks = [width] * len(fmt.REVIEW_BLOCKS)
        split = split_values(values, blocks, True, ("reviews",), result.problems)
        if split == []:
            return result
        values = split or values
    if len(values) != width * len(fmt.REVIEW_BLOCKS):
        result.problems.append(
            error(
                CODE_MISSING,
                f"表四读到 {len(values)} 个数，应为 {width * len(fmt.REVIEW_BLOCKS)} 个，"
                "无法确定各栏，按 0 填入",
                ("reviews",),
            )
        )
        return result
    result.found = True
    for b, block in enumerate(fmt.REVIEW_BLOCKS):
        block_values = values[b * width : (b + 1) * width]
        for column, value in zip(fmt.REVIEW_COLUMNS, block_values, strict=True):
            result.keep(("reviews", block.key, column.key), value)
        result.data[block.key] = _review_block(block, block_values, result.problems)
    return result


def _review_block(block: fmt.ReviewBlock, values: list[Value], problems: list[Problem]) -> dict:
    where = ("reviews", block.key)
    counts: dict[str, int] = {}
    blanks = []
    for column, value in zip(fmt.REVIEW_COLUMNS, values, strict=True):
        if value.number is None:
            blanks.append(column.label)
            continue
        counts[column.key] = whole(value, (*where, column.key), problems)
    if blanks:
        problems.append(blank_warning(where, blanks))
    stated = counts.pop("total", None)
    data = {c.key: counts.get(c.key, 0) for c in fmt.REVIEW_OUTCOMES}
    if stated is not None and stated != sum(data.values()):
        data["total"] = stated
    return data
