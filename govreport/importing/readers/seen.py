"""What a person sees of a report: numbers the file hides, and a table it prints twice.

A reader hands import what is shown (``html`` keeps hidden elements apart). Two things
must still be said, at the cell, rather than resolved silently:

- hidden content that holds numbers: a hidden copy of table 二 whose 行政许可 reads 9999
  while the shown one reads 1268 is a warning at that cell (I4, not imported), and
  hidden text with digits is a warning quoting it (unless it is a bare date, counter
  or code, as web pages hide by the dozen);
- a table printed twice: the first copy is read, the second is not, and a cell where the
  copies differ is an error at that cell (I5): which number the report means can't be
  known. A table continued in a second table (other rows) is no copy and is read whole.

An official table is recognised by reading it with each table reader and keeping the
one that finds its rows, so no label is repeated here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ... import official as fmt
from ...diagnostics import Problem
from ..base import CODE_MISSING, CODE_NOT_IMPORTED, Block, Cell, Table, error, excerpt, warning
from ..tables import PrintedCell, TableRead
from ..tables.proactive import read_proactive
from ..tables.requests import read_requests
from ..tables.reviews import read_reviews

_READERS: dict[str, Callable[[Sequence[Cell]], TableRead]] = {
    "proactive": read_proactive,
    "requests": read_requests,
    "reviews": read_reviews,
}
_DIGIT = re.compile(r"\d")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
MIN_CHINESE = 4  # hidden text quoted only when it says something (not a bare date or counter)
MAX_HIDDEN_TEXTS = 5  # hidden paragraphs quoted one by one; the rest are counted
Printed = dict[tuple[str, ...], PrintedCell]


@dataclass
class Seen:
    """The blocks import reads (second copies of a table left out) and what to say."""

    blocks: list[Block]
    notes: list[Problem] = field(default_factory=list)


def what_is_seen(blocks: list[Block], hidden: Sequence[Block] = ()) -> Seen:
    """``blocks`` without repeated copies of an official table, with a note for every
    copy and for every hidden block that holds numbers."""
    seen = Seen([])
    shown: dict[str, Printed] = {}
    for block in blocks:
        found = official_table(block) if isinstance(block, Table) else None
        if found is None:
            seen.blocks.append(block)
            continue
        key, printed = found
        earlier = shown.setdefault(key, {})
        common = earlier.keys() & printed.keys()
        if common and 2 * len(common) >= len(printed):
            seen.notes += _copy_notes(key, earlier, printed)
            continue  # a second copy: the first is read
        seen.notes += _overlap_notes(key, earlier, printed, common)
        earlier.update(printed)
        seen.blocks.append(block)
    seen.notes += _hidden_notes(hidden, shown)
    return seen


def official_table(table: Table) -> tuple[str, Printed] | None:
    """Which official table ``table`` is (by the reader that finds its rows), and its
    cells as printed by facts path; ``None`` for any other table."""
    best: tuple[str, Printed] | None = None
    for key, reader in _READERS.items():
        read = reader(table.cells)
        if read.found and read.printed and (best is None or len(read.printed) > len(best[1])):
            best = (key, read.printed)
    return best


def _same(one: PrintedCell, other: PrintedCell) -> bool:
    return (one.number or 0) == (other.number or 0)


def _copy_notes(key: str, first: Printed, copy: Printed) -> list[Problem]:
    name = f"“{fmt.describe((key,))}”"
    notes = [warning(CODE_NOT_IMPORTED, f"{name}在文件中出现两次，只读入第一份", (key,))]
    for path, cell in copy.items():
        if path in first and not _same(first[path], cell):
            notes.append(
                error(
                    CODE_MISSING,
                    f"{name}在文件中出现两次，此格第一份是 {first[path].text or '（空白）'}、"
                    f"第二份是 {cell.text or '（空白）'}，无法确定报告的数字；"
                    "已按第一份填入，请对照原报告核对",
                    path,
                )
            )
    return notes


def _overlap_notes(key: str, first: Printed, later: Printed, common: set) -> list[Problem]:
    """Cells a continuation repeats with another number: the later one is read."""
    name = f"“{fmt.describe((key,))}”"
    return [
        error(
            CODE_MISSING,
            f"{name}中此格印了两次：{first[path].text or '（空白）'} 和 "
            f"{later[path].text or '（空白）'}，无法确定报告的数字；已按后一处填入，请对照原报告核对",
            path,
        )
        for path in sorted(common)
        if not _same(first[path], later[path])
    ]


def _hidden_notes(hidden: Sequence[Block], shown: dict[str, Printed]) -> list[Problem]:
    notes: list[Problem] = []
    texts: list[str] = []
    for block in hidden:
        found = official_table(block) if isinstance(block, Table) else None
        if found is not None:
            notes += _hidden_table_notes(*found, shown.get(found[0], {}))
            continue
        if isinstance(block, Table):  # hidden rows or cells of a table: any number counts
            text = " ".join(c.text for c in block.cells)
            if _DIGIT.search(text):
                texts.append(text)
        elif _DIGIT.search(block.text) and len(_CHINESE.findall(block.text)) >= MIN_CHINESE:
            texts.append(block.text)
    for text in texts[:MAX_HIDDEN_TEXTS]:
        notes.append(
            warning(
                CODE_NOT_IMPORTED,
                f"文件中有隐藏（不显示）的内容含有数字，未读入：“{excerpt(text)}”",
                label="隐藏内容",
            )
        )
    if len(texts) > MAX_HIDDEN_TEXTS:
        notes.append(
            warning(
                CODE_NOT_IMPORTED,
                f"另有 {len(texts) - MAX_HIDDEN_TEXTS} 段隐藏（不显示）的内容含有数字，未读入",
                label="隐藏内容",
            )
        )
    return notes


def _hidden_table_notes(key: str, hidden: Printed, shown: Printed) -> list[Problem]:
    """A hidden copy of an official table: a note at every cell whose number differs from
    the shown one (or every number, when the table is not shown at all)."""
    name = f"“{fmt.describe((key,))}”"
    notes = []
    for path, cell in hidden.items():
        visible = shown.get(path)
        if cell.number is None or (visible is not None and _same(visible, cell)):
            continue
        read = f"读入的是显示的 {visible.text or '（空白）'}" if visible else "未读入"
        notes.append(
            warning(
                CODE_NOT_IMPORTED,
                f"文件中隐藏（不显示）的{name}在此格写着 {cell.text}，{read}",
                path,
            )
        )
    if not notes and hidden:
        notes.append(
            warning(
                CODE_NOT_IMPORTED,
                f"文件中有{name}的隐藏（不显示）副本，与显示的相同，未读入",
                (key,),
            )
        )
    return notes
