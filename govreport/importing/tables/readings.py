"""The ways a table 三 row can be read when its source lost cells, and which one is certain.

Text taken from a web page or a PDF drops an empty cell without a trace: the row
``3,(blank),0,0,0,2,5`` arrives as ``3 0 0 0 2 5``. Position says nothing about which
cell went: six numbers fit seven cells in seven ways. A reading is one placement of the
numbers found, in order, the other cells blank; the row's own arithmetic rules a reading
out only when it prints a 总计 that is not the sum of the applicant cells (blanks 0).
A row is read when every reading left gives the same numbers and one of them has its
总计 printed; otherwise the table's identities (R1, R3) may settle it (``requests``), or
it is unreadable. A reading whose 总计 is the vanished cell is never ruled out by the
row, nor confirmed by it: nothing in it can be checked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ... import official as fmt
from ...diagnostics import Problem
from ..base import CODE_ASSUMED, CODE_MISSING, Cell, error, warning
from ..labels import norm
from ..runs import split_runs
from . import Value, ambiguous_split, split_values

#: a cell per column: the value printed there, or ``None`` for a cell that vanished
Reading = tuple[Value | None, ...]

_MAX_READINGS = 200  # C(7, k) is at most 35; a bound for any other width
#: blank cells that may have vanished from a row of text: more would leave a row of digits
#: run together (``100002000220000``) open to absurd readings (one number, fourteen blanks)
MAX_VANISHED = 3


def numbers_of(reading: Reading) -> tuple[Decimal, ...]:
    """The numbers a reading gives (a blank or a vanished cell counts 0)."""
    return tuple(
        v.number if v is not None and v.number is not None else Decimal(0) for v in reading
    )


def readings(values: Sequence[Value], width: int) -> list[Reading]:
    """Every placement of ``values`` (fewer than ``width``, in order) in a row of ``width``
    cells whose last is the total, except those whose printed total is not the sum."""
    fitting = (reading for reading in _placements(values, width) if _block_adds_up(reading))
    return list(itertools.islice(fitting, _MAX_READINGS))


def _placements(values: Sequence[Value], width: int) -> Iterator[Reading]:
    """``values`` in order in ``width`` cells, the others vanished, every way."""
    for columns in itertools.combinations(range(width), len(values)):
        placed: list[Value | None] = [None] * width
        for column, value in zip(columns, values, strict=True):
            placed[column] = value
        yield tuple(placed)


#: a reading of a row given as numbers: per column the number, or ``None`` if it vanished
Placed = tuple[int | None, ...]


def run_readings(
    groups: Sequence[str], blocks: Sequence[int], max_vanished: int, limit: int = 20_000
) -> tuple[list[Placed], bool]:
    """Every way to read digit ``groups`` (borders between them known) as a row of
    ``blocks`` with up to ``max_vanished`` of its cells vanished: the digits cut into
    numbers (no leading zero), placed in order, each block's total its sum. Both happen
    in one row of text taken from a web page (cells run together, blank cells gone), and
    each alone may fit the totals by chance. A block's total is taken as printed: a
    report that leaves cells blank fills its totals (taierzhuang's 表四 has only 总计 0),
    and a vanished total would let any digits through unchecked. With the readings,
    whether all were tried: more vanished cells are not tried once ``limit`` placements
    have been (a long run of digits has thousands of ways to lose three)."""
    found: list[Placed] = []
    tried = 0
    for vanished in range(max_vanished + 1):
        count = sum(blocks) - vanished
        if count < len(groups):
            break
        cuts = split_runs(groups, [count], False, limit=limit)
        inner = sum(blocks) - len(blocks)  # cells that may vanish: all but the totals
        tried += len(cuts) * math.comb(inner, vanished)
        if len(cuts) >= limit or tried > limit:
            return found, False
        for cut in cuts:
            found += placed_rows(cut, blocks)
    return found, True


def split_unless_doubted(
    values: list[Value], blocks: Sequence[int], where: tuple[str, ...], problems: list[Problem]
) -> list[Value] | None:
    """``split_values`` under the blocks' totals; but in text that lost its blank cells,
    a split that a vanished blank would make another is only assumed (its I9 said
    instead of the split's own I7)."""
    said = len(problems)
    split = split_values(values, list(blocks), True, where, problems)
    if not split or values[0].cell.row is not None:
        return split
    texts = [norm(v.cell.text) for v in values]
    found, complete = run_readings(texts, blocks, MAX_VANISHED)
    read = tuple(int(v.number or 0) for v in split)
    doubt = doubted_split(texts, read, found, complete, where)
    if doubt is None:
        return split
    problems[said:] = [doubt]
    return as_assumed(split)


def as_assumed(values: Sequence[Value]) -> list[Value]:
    """The cells of a split that is only assumed: an audit does not judge them."""
    return [Value(v.cell, v.number, True) for v in values]


def doubted_split(
    texts: Sequence[str],
    read: tuple[int, ...],
    found: Sequence[Placed],
    complete: bool,
    where: tuple[str, ...],
) -> Problem | None:
    """I9 when digits that split one way with no cell missing (``read``) would also read,
    among the readings ``found`` by ``run_readings``, with blank cells vanished from the
    text (a reading that is only assumed, then); ``None`` when every other reading was
    tried (``complete``) and none gives other numbers."""
    others = gapped_readings(found)
    others.pop(read, None)
    if complete and not others:
        return None
    other = others[min(others)] if others else None
    also = f"也可读作 {shown(other)}" if other else "读法可能不同（可能的读法太多，未能逐一核对）"
    table = "表四" if where[:1] == ("reviews",) else ""
    return warning(
        CODE_ASSUMED,
        f"{table}“{' '.join(texts)}”按总计读作 {shown(read)}；但原表若有空白格在文字中消失，"
        f"{also}，未能确定，请对照原报告核对",
        where,
    )


def gapped_readings(found: Sequence[Placed]) -> dict[tuple[int, ...], Placed]:
    """The readings with a cell vanished, one for each row of numbers they give, to be
    quoted with the vanished cells as blanks."""
    return {placed_numbers(placed): placed for placed in found if None in placed}


def placed_numbers(placed: Placed) -> tuple[int, ...]:
    """The numbers a reading gives (a vanished cell counts 0)."""
    return tuple(n or 0 for n in placed)


def placed_rows(numbers: Sequence[int], blocks: Sequence[int]) -> list[Placed]:
    """``numbers`` in order in a row of ``blocks``, the cells they leave vanished, every
    way in which each block adds up to its total. A block's total never vanishes (see
    ``run_readings``)."""
    width = sum(blocks)
    ends = set(itertools.accumulate(blocks))
    inner = [c for c in range(width) if c + 1 not in ends]  # the cells that may vanish
    found: list[Placed] = []
    for gone in itertools.combinations(inner, width - len(numbers)):
        placed: list[int | None] = [None] * width
        kept = (c for c in range(width) if c not in gone)
        for column, number in zip(kept, numbers, strict=True):
            placed[column] = number
        if _adds_up(placed, blocks):
            found.append(tuple(placed))
    return found


def _adds_up(placed: list[int | None], blocks: Sequence[int]) -> bool:
    start = 0
    for size in blocks:
        block = placed[start : start + size]
        start += size
        if block[-1] is not None and sum(n or 0 for n in block[:-1]) != block[-1]:
            return False
    return True


def _block_adds_up(block: Reading) -> bool:
    """A block whose total is printed adds up to it; one whose total vanished may be anything."""
    total = block[-1]
    if total is None or total.number is None:
        return True
    numbers = numbers_of(block)
    return sum(numbers[:-1]) == numbers[-1]


def agreed(options: Sequence[Reading]) -> tuple[list[Value | None], list[int]]:
    """What ``options`` that give the same numbers agree on: per column the cell they all
    have there (``None`` where all have it vanished), and the columns where one has a cell
    and another a vanished one (a 0 printed, or a blank: which, nobody can tell)."""
    cells: list[Value | None] = []
    unsure: list[int] = []
    for column in range(len(options[0])):
        texts = {None if o[column] is None else o[column].cell.text for o in options}  # type: ignore[union-attr]
        if len(texts) == 1:
            cells.append(options[0][column])
        else:
            cells.append(None)
            unsure.append(column)
    return cells, unsure


def shown(reading: Sequence[Value | None] | Sequence[int | None]) -> str:
    """A reading as a message quotes it: 3、空白、0…"""
    return "、".join(
        "空白" if v is None else str(v) if isinstance(v, int) else (v.cell.text or "空白")
        for v in reading
    )


@dataclass(frozen=True)
class Unsettled:
    """A row the row alone cannot settle: its readings, and what was found (the digits as
    printed when they ran together, else how many numbers stood after the label)."""

    options: list[Reading]
    digits: str | None
    found: int = 0

    def what(self) -> str:
        if self.digits is not None:
            return f"“{self.digits}”的数字连在一起，按本行总计"
        return f"本行读到 {self.found} 个数（空白格在文字中消失），按本行总计"

    def unreadable(self, where: tuple[str, ...]) -> Problem:
        """The error for a row no arithmetic settles: unreadable, never placed by guess."""
        if self.digits is not None:
            answers = [tuple(int(n) for n in numbers_of(o)) for o in self.options[:2]]
            return ambiguous_split(self.digits, answers, True, where)
        if len(self.options) >= 2:
            ways = f"（可读作 {shown(self.options[0])}，也可读作 {shown(self.options[1])}）"
        elif self.options:  # one placement, which the table's other rows contradict
            ways = f"（唯一的读法 {shown(self.options[0])} 与表内勾稽关系不符）"
        else:
            ways = ""
        return error(
            CODE_MISSING,
            f"读到 {self.found} 个数，应为 7 个（六类申请人和总计）：空白格在文字中消失，"
            f"不能确定是哪几格{ways}，本行总计和表内勾稽关系都不能确定，无法读取，"
            "按 0 填入，请对照原报告填写",
            where,
        )


def split_reading(values: list[Value], numbers: tuple[int, ...]) -> Reading:
    cell = values[0].cell
    return tuple(Value(Cell(str(n), cell.row, None, cell.page), Decimal(n)) for n in numbers)


def hold(
    rows: dict[tuple[str, ...], dict[str, int]],
    unread: set[tuple[str, ...]],
    chosen: dict[tuple[str, ...], tuple[Decimal, ...]],
) -> bool:
    """Whether R1 and R3 hold with the rows read and the readings ``chosen``, each chosen
    row checked at least once; a row found but not read is never taken as 0."""
    table: dict[tuple[str, ...], list[Any]] = {
        p: [n.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS] for p, n in rows.items()
    }
    table.update({p: list(numbers[:-1]) for p, numbers in chosen.items()})
    leaves = [r.path for r in fmt.result_rows()]
    identities: list[tuple[list[tuple[str, ...]], list[tuple[str, ...]]]] = [
        ([fmt.RESULT_TOTAL_PATH], leaves),
        (list(fmt.R1_LEFT), list(fmt.R1_RIGHT)),
    ]
    unchecked = set(chosen)
    known = set(table) - (unread - set(chosen))
    for left, right in identities:
        involved = set(left) | set(right)
        if not involved <= known or not involved & set(chosen):
            continue
        unchecked -= involved
        for column in range(len(fmt.APPLICANT_COLUMNS)):
            if sum(table[p][column] for p in left) != sum(table[p][column] for p in right):
                return False
    return not unchecked
