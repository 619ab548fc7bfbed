"""Splitting digits that text extraction ran together, only where the split is certain.

Text taken from some web pages and PDFs loses the borders between cells: the row
80 1 0 0 0 0 81 arrives as ``801000081``. A person reads it back with two facts
about the format: a printed number has no leading zero (``0`` alone is a number,
``05`` is not), and the row's last cell is its total (R2; each block of table 四
likewise). ``split_runs`` tries every way of cutting the digits that obeys both and
keeps the answer only when there is exactly one; anything else is unreadable.
Spaces that survived extraction are borders: a number never crosses one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_DIGITS = re.compile(r"^\d+$")
_MAX_DIGITS = 80  # a table 四 of three blocks of five 4-digit numbers is 60
_MAX_STEPS = 200_000  # the search is tiny for real rows; this bounds a hostile one


def is_run(texts: Sequence[str]) -> bool:
    """Whether ``texts`` are all plain digit groups (what a run-together row leaves)."""
    return bool(texts) and all(_DIGITS.match(t) for t in texts)


def split_runs(
    groups: Sequence[str], blocks: Sequence[int], totals: bool, limit: int = 2
) -> list[tuple[int, ...]]:
    """The ways to read ``groups`` (digit strings, borders between them known) as
    ``sum(blocks)`` numbers; with ``totals`` each block's last number is the sum of
    the others in it. At most ``limit`` answers are returned: one means certain.
    """
    if sum(len(g) for g in groups) > _MAX_DIGITS or not is_run(groups):
        return []
    search = _Search(list(groups), list(blocks), totals)
    answers: list[tuple[int, ...]] = []
    for answer in search.run(0, 0, []):
        answers.append(answer)
        if len(answers) == limit:
            break
    return answers


class _Search:
    def __init__(self, groups: list[str], blocks: list[int], totals: bool):
        self.groups = groups
        self.blocks = blocks
        self.totals = totals
        self.count = sum(blocks)
        self.steps = 0
        # where each block ends, counted in numbers
        self.ends = {sum(blocks[: i + 1]) for i in range(len(blocks))}
        self.block_of = [b for b, size in enumerate(blocks) for _ in range(size)]
        self.starts = [sum(blocks[:b]) for b in range(len(blocks))]

    def run(self, group: int, offset: int, taken: list[int]) -> Iterator[tuple[int, ...]]:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            return
        if group == len(self.groups):
            if len(taken) == self.count:
                yield tuple(taken)
            return
        if len(taken) == self.count:
            return
        text = self.groups[group]
        rest = text[offset:]
        for length in self._lengths(rest, taken):
            piece = rest[:length]
            number = int(piece)
            if not self._fits(number, taken):
                continue
            end = offset + length
            following = (group + 1, 0) if end == len(text) else (group, end)
            yield from self.run(*following, [*taken, number])

    def _lengths(self, rest: str, taken: list[int]) -> range | list[int]:
        if rest[0] == "0":
            return [1]  # a number has no leading zero
        if self.totals and len(taken) + 1 in self.ends:
            start = self.starts[self.block_of[len(taken)]]
            total = str(sum(taken[start:]))
            return [len(total)] if rest.startswith(total) else []
        return range(1, len(rest) + 1)

    def _fits(self, number: int, taken: list[int]) -> bool:
        if not self.totals:
            return True
        start = self.starts[self.block_of[len(taken)]]
        if len(taken) + 1 in self.ends:
            return number == sum(taken[start:])
        return True
