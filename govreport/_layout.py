"""The three tables as grids of placed cells: where each label and number stands.

The official tables have merged cells (table 三's three label levels, table 四's two
header levels). Every writer of a table grid (the Word template's generator, the
Excel workbook) needs the same answer to "which cell spans which", derived from the
one definition in ``_format``; this module gives it once, as rows and columns
counted from 0 with the bottom-right corner of each merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from . import _format as fmt


@dataclass(frozen=True)
class Placed:
    """One (possibly merged) cell: a label (``text``) or a number (``path`` into the facts).

    ``computed`` marks a number the format defines as a sum (总计), never typed in.
    """

    row: int
    column: int
    text: str = ""
    path: tuple[str, ...] | None = None
    bottom: int | None = None
    right: int | None = None
    header: bool = False
    computed: bool = False

    @property
    def last_row(self) -> int:
        return self.row if self.bottom is None else self.bottom

    @property
    def last_column(self) -> int:
        return self.column if self.right is None else self.right

    @property
    def merged(self) -> bool:
        return self.last_row != self.row or self.last_column != self.column


@dataclass(frozen=True)
class Grid:
    """A table: its title, size, how many header rows repeat, and its cells."""

    title: str
    rows: int
    columns: int
    header_rows: int
    cells: tuple[Placed, ...]

    def numbers(self) -> tuple[Placed, ...]:
        return tuple(cell for cell in self.cells if cell.path is not None)


def proactive_grid() -> Grid:
    """Table 二: per block an article row, a header row and its rows; a one-column
    block's numbers span the number columns."""
    width = max(len(block.columns) for block in fmt.PROACTIVE_BLOCKS)
    cells: list[Placed] = []
    r = 0
    for block in fmt.PROACTIVE_BLOCKS:
        cells.append(Placed(r, 0, block.article, right=width, header=True))
        cells.append(Placed(r + 1, 0, fmt.PROACTIVE_ITEM_HEADER, header=True))
        span = len(block.columns) == 1
        for c, column in enumerate(block.columns, start=1):
            cells.append(Placed(r + 1, c, column.label, right=width if span else None, header=True))
        numbers = iter(block.cells())
        for row_number, row in enumerate(block.rows, start=r + 2):
            cells.append(Placed(row_number, 0, row.label))
            for c in range(1, len(block.columns) + 1):
                cell = next(numbers)
                cells.append(Placed(row_number, c, path=cell.path, right=width if span else None))
        r += 2 + len(block.rows)
    return Grid(fmt.SECTION_HEADINGS["proactive"], r, width + 1, 0, tuple(cells))


def requests_grid() -> Grid:
    """Table 三: three label columns merged along the label tree, seven number columns."""
    label_columns = max(row.depth for row in fmt.REQUEST_ROWS) + 1
    header_rows = 3
    first = label_columns
    last = label_columns + len(fmt.REQUEST_COLUMNS) - 1
    legal_persons = fmt.APPLICANT_COLUMNS[1:]
    cells = [
        Placed(
            0, 0, fmt.REQUESTS_CORNER, bottom=header_rows - 1, right=label_columns - 1, header=True
        ),
        Placed(0, first, fmt.APPLICANT_HEADER, right=last, header=True),
        Placed(1, first, fmt.APPLICANT_COLUMNS[0].label, bottom=2, header=True),
        Placed(
            1, first + 1, fmt.LEGAL_PERSON_HEADER, right=first + len(legal_persons), header=True
        ),
        *(
            Placed(2, c, column.label, header=True)
            for c, column in enumerate(legal_persons, start=first + 1)
        ),
        Placed(1, last, fmt.TOTAL.label, bottom=2, header=True),
    ]
    index = {row.path: i for i, row in enumerate(fmt.REQUEST_ROWS, start=header_rows)}
    for group in (row for row in fmt.walk() if row.is_group):
        below = [i for path, i in index.items() if path[: len(group.path)] == group.path]
        cells.append(Placed(min(below), group.depth, group.label, bottom=max(below)))
    for row in fmt.REQUEST_ROWS:
        r = index[row.path]
        right = label_columns - 1 if row.depth < label_columns - 1 else None
        cells.append(Placed(r, row.depth, row.label, right=right))
        for c, column in enumerate(fmt.REQUEST_COLUMNS, start=first):
            computed = row.computed or column is fmt.TOTAL
            cells.append(Placed(r, c, path=("requests", *row.path, column.key), computed=computed))
    rows = header_rows + len(fmt.REQUEST_ROWS)
    return Grid(fmt.SECTION_HEADINGS["requests"], rows, last + 1, header_rows, tuple(cells))


def reviews_grid() -> Grid:
    """Table 四: 行政复议 (outcomes merged down two rows) and 行政诉讼's two blocks."""
    per_block = len(fmt.REVIEW_COLUMNS)
    cells: list[Placed] = []
    c = 0
    for header, blocks in groupby(fmt.REVIEW_BLOCKS, key=lambda block: block.header):
        blocks = list(blocks)
        cells.append(Placed(0, c, header, right=c + per_block * len(blocks) - 1, header=True))
        for block in blocks:
            titled = block.label != block.header
            if titled:
                cells.append(Placed(1, c, block.label, right=c + per_block - 1, header=True))
            for column in fmt.REVIEW_COLUMNS:
                top = 2 if titled else 1
                cells.append(
                    Placed(top, c, column.label, bottom=2 if top < 2 else None, header=True)
                )
                path = ("reviews", block.key, column.key)
                cells.append(Placed(3, c, path=path, computed=column is fmt.TOTAL))
                c += 1
    return Grid(fmt.SECTION_HEADINGS["reviews"], 4, c, 3, tuple(cells))


def grids() -> tuple[Grid, Grid, Grid]:
    """Tables 二, 三 and 四 in report order."""
    return proactive_grid(), requests_grid(), reviews_grid()
