"""Table 四 (行政复议、行政诉讼): fifteen numbers after its header, in official order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache

from ... import official as fmt
from ...diagnostics import Problem
from ..base import (
    CODE_BLANK,
    CODE_MISSING,
    CODE_NOT_FOUND,
    Cell,
    error,
    warning,
)
from ..labels import canon, norm
from ..runs import is_run
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
from .readings import (
    MAX_VANISHED,
    as_assumed,
    doubted_split,
    gapped_readings,
    placed_numbers,
    placed_rows,
    run_readings,
    shown,
)

MAX_NAMED = 5  # columns a message names before it counts the rest


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
    unsure: set[int] = set()  # cells that vanished, each 0 in every reading
    if len(values) != width * len(fmt.REVIEW_BLOCKS):
        settled = _short_row(values, result.problems)
        if settled is None:
            return result
        values, unsure = settled
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
        vanished = {c - b * width for c in unsure if c // width == b}
        result.data[block.key] = _review_block(block, block_values, result.problems, vanished)
    return result


def _short_row(values: list[Value], problems: list[Problem]) -> tuple[list[Value], set[int]] | None:
    """Fewer than fifteen numbers: digits run together (``1020`` for 1, 0, 2, 0), or blank
    cells that vanished from text that lost its rows, or both. Every reading of either
    kind that the blocks' totals allow is tried. Digits that split one way with no cell
    missing are read that way, but when a reading with a vanished blank gives other
    numbers the cells are only assumed and a warning says which; readings that need a
    vanished cell are read only when they all agree; otherwise the row is unreadable
    (``None``, said), never guessed. ``values`` come back unchanged when no reading fits
    (the count is then reported); with them, the columns where a cell vanished that is
    0 whichever it was."""
    blocks = [len(fmt.REVIEW_COLUMNS)] * len(fmt.REVIEW_BLOCKS)
    if not values or values[0].cell.row is not None:  # the source kept its blank cells
        return _split(values, blocks, problems)
    texts = [norm(v.cell.text) for v in values]
    complete = True
    if is_run(texts) and not any(v.cell.whole for v in values):
        found, complete = run_readings(texts, blocks, MAX_VANISHED)
    elif 0 < sum(blocks) - len(values) <= MAX_VANISHED:  # numbers apart: placed as they are
        found = placed_rows([int(v.number or 0) for v in values], blocks)
    else:
        return values, set()
    whole_row = {placed_numbers(placed) for placed in found if None not in placed}
    gapped = gapped_readings(found)
    if whole_row:  # digits split with no cell missing: as split_values reads them
        said = len(problems)
        split = _split(values, blocks, problems)
        if split is None or len(whole_row) > 1:
            return split
        doubt = doubted_split(texts, next(iter(whole_row)), found, complete, ("reviews",))
        if doubt is None:
            return split
        problems[said:] = [doubt]  # instead of the split's own note
        return as_assumed(split[0]), set()
    if len(gapped) > 1:
        ways = "，也可读作 ".join(shown(gapped[numbers]) for numbers in sorted(gapped)[:2])
        problems.append(_unreadable(values, ways))
        return None
    if not gapped or not complete:  # none adds up, or too many to know: the digits alone
        return _split(values, blocks, problems)  # (an assumed split says so, I9)
    return _vanished(values, found, problems)


def _split(
    values: list[Value], blocks: list[int], problems: list[Problem]
) -> tuple[list[Value], set[int]] | None:
    """Digits run together, split as ``split_values`` does (certain, assumed or refused)."""
    split = split_values(values, blocks, True, ("reviews",), problems)
    if split == []:
        return None
    return split or values, set()


def _vanished(
    values: list[Value], found: list[tuple[int | None, ...]], problems: list[Problem]
) -> tuple[list[Value], set[int]]:
    """The one reading's cells: a cell that vanished in every reading is blank, one that
    vanished in some is 0 either way (said once), the rest as read."""
    where = values[0].cell
    cells: list[Value] = []
    unsure: list[int] = []
    for column in range(len(found[0])):
        seen = {placed[column] for placed in found}
        number = next(iter(seen - {None}), None)
        if None in seen and number is not None:
            unsure.append(column)
        if number is None or column in unsure:
            cells.append(Value(Cell("", where.row, None, where.page), None))
        else:
            cells.append(Value(Cell(str(number), where.row, None, where.page), Decimal(number)))
    if unsure:
        labels = "、".join(_column_name(c) for c in unsure[:MAX_NAMED])
        labels += f"等 {len(unsure)} 格" if len(unsure) > MAX_NAMED else ""
        problems.append(
            warning(
                CODE_BLANK,
                f"表四有空白格在文字中消失，不能确定是{labels}中的哪一格"
                "（这几格的数字都是 0），按 0 读入（表格每格都应填写数字，R9）",
                ("reviews",),
            )
        )
    return cells, set(unsure)


def _unreadable(values: list[Value], ways: str) -> Problem:
    found = " ".join(v.cell.text for v in values)
    return error(
        CODE_MISSING,
        f"表四读到 {len(values)} 个数（{found}），应为 15 个：可读作 {ways}，各栏和总计都不能确定是哪一种，"
        "无法读取，按 0 填入，请对照原报告填写",
        ("reviews",),
    )


def _column_name(column: int) -> str:
    width = len(fmt.REVIEW_COLUMNS)
    block, outcome = fmt.REVIEW_BLOCKS[column // width], fmt.REVIEW_COLUMNS[column % width]
    return f"{block.label}·{outcome.label}"


def _review_block(
    block: fmt.ReviewBlock, values: list[Value], problems: list[Problem], vanished: set[int]
) -> dict:
    """One block's counts; ``vanished``: its columns said already (a cell that vanished
    from the text, 0 whichever it was), not blanks of the report to name again."""
    where = ("reviews", block.key)
    counts: dict[str, int] = {}
    blanks = []
    for index, (column, value) in enumerate(zip(fmt.REVIEW_COLUMNS, values, strict=True)):
        if value.number is None:
            if index not in vanished:
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
