"""The three official tables as grids of merged cells, laid out from ``official``.

The Word template's generator (``tools/build_national.py``) merges its cells
in exactly this arrangement; the HTML and Markdown writers read these grids, so
every format shows the same labels, the same merges and the same row order, all
taken from the one definition in ``official``. A cell either holds a label or
names the value it shows (a path into the template context, as the Word
template's ``{{ requests.received.total }}`` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any, NamedTuple

from .. import official as fmt

#: Table 二's fee is shown as written (an exact decimal), pre-formatted in the context.
PREFORMATTED: dict[tuple[str, ...], tuple[str, ...]] = {("proactive", "fees"): ("fees",)}


@dataclass(frozen=True)
class GridCell:
    """A cell at (``row``, ``column``) spanning ``rows`` × ``columns`` grid places.

    ``value`` is the context path of the number shown; ``text`` the label otherwise.
    ``header`` marks column headers (repeated on every page in Word, ``<th>`` in HTML).
    """

    row: int
    column: int
    text: str = ""
    value: tuple[str, ...] | None = None
    rows: int = 1
    columns: int = 1
    header: bool = False

    @property
    def bottom(self) -> int:
        return self.row + self.rows - 1

    @property
    def right(self) -> int:
        return self.column + self.columns - 1


@dataclass(frozen=True)
class Grid:
    """One table: its size, its cells in reading order, and its header rows."""

    key: str
    height: int
    width: int
    cells: tuple[GridCell, ...]
    header_rows: int = 0
    label_columns: int = 1
    by_row: tuple[tuple[GridCell, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows: list[list[GridCell]] = [[] for _ in range(self.height)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.column)):
            rows[cell.row].append(cell)
        object.__setattr__(self, "by_row", tuple(tuple(r) for r in rows))

    def places(self) -> list[list[GridCell]]:
        """Every grid place with the cell covering it (a merged cell fills all of its places)."""
        matrix: list[list[GridCell | None]] = [[None] * self.width for _ in range(self.height)]
        for cell in self.cells:
            for r in range(cell.row, cell.bottom + 1):
                for c in range(cell.column, cell.right + 1):
                    matrix[r][c] = cell
        return [[c for c in row if c is not None] for row in matrix]


class _Builder:
    """Collects cells like the Word generator's ``put(table, top, left, text, bottom, right)``."""

    def __init__(self) -> None:
        self.cells: list[GridCell] = []

    def put(
        self,
        top: int,
        left: int,
        text: str = "",
        *,
        bottom: int | None = None,
        right: int | None = None,
        value: tuple[str, ...] | None = None,
        header: bool = False,
    ) -> None:
        rows = (top if bottom is None else bottom) - top + 1
        columns = (left if right is None else right) - left + 1
        self.cells.append(GridCell(top, left, text, value, rows, columns, header))


def proactive_grid() -> Grid:
    """Table 二: per block an article row, a header row and its rows; a one-column
    block's numbers span the three number columns."""
    width = 1 + max(len(block.columns) for block in fmt.PROACTIVE_BLOCKS)
    last = width - 1
    grid, r = _Builder(), 0
    for block in fmt.PROACTIVE_BLOCKS:
        grid.put(r, 0, block.article, right=last, header=True)
        grid.put(r + 1, 0, fmt.PROACTIVE_ITEM_HEADER, header=True)
        span = len(block.columns) == 1
        for c, column in enumerate(block.columns, start=1):
            grid.put(r + 1, c, column.label, right=last if span else c, header=True)
        cells = iter(block.cells())
        for row_number, row in enumerate(block.rows, start=r + 2):
            grid.put(row_number, 0, row.label)
            for c in range(1, len(block.columns) + 1):
                path = next(cells).path
                value = PREFORMATTED.get(path, path)
                grid.put(row_number, c, value=value, right=last if span else c)
        r += 2 + len(block.rows)
    return Grid("proactive", r, width, tuple(grid.cells), header_rows=0)


def requests_grid() -> Grid:
    """Table 三: three merged label columns (一、 / （一） / 1.) and the seven applicant columns.

    A row's label spans from its own level to the last label column; each group
    header (三、本年度办理结果, （三）不予公开) is merged down over the rows beneath it.
    """
    label_columns = max(row.depth for row in fmt.REQUEST_ROWS) + 1
    header_rows = 3
    legal_persons = fmt.APPLICANT_COLUMNS[1:]
    first, last = label_columns, label_columns + len(fmt.REQUEST_COLUMNS) - 1
    grid = _Builder()
    corner = fmt.REQUESTS_CORNER
    grid.put(0, 0, corner, bottom=header_rows - 1, right=label_columns - 1, header=True)
    grid.put(0, first, fmt.APPLICANT_HEADER, right=last, header=True)
    grid.put(1, first, fmt.APPLICANT_COLUMNS[0].label, bottom=2, header=True)
    right = first + len(legal_persons)
    grid.put(1, first + 1, fmt.LEGAL_PERSON_HEADER, right=right, header=True)
    for c, column in enumerate(legal_persons, start=first + 1):
        grid.put(2, c, column.label, header=True)
    grid.put(1, last, fmt.TOTAL.label, bottom=2, header=True)

    index = {row.path: i for i, row in enumerate(fmt.REQUEST_ROWS, start=header_rows)}
    for group in (row for row in fmt.walk() if row.is_group):
        below = [i for path, i in index.items() if path[: len(group.path)] == group.path]
        grid.put(min(below), group.depth, group.label, bottom=max(below))
    for row in fmt.REQUEST_ROWS:
        r = index[row.path]
        grid.put(r, row.depth, row.label, right=label_columns - 1)
        for c, column in enumerate(fmt.REQUEST_COLUMNS, start=first):
            grid.put(r, c, value=("requests", *row.path, column.key))
    height = header_rows + len(fmt.REQUEST_ROWS)
    return Grid("requests", height, last + 1, tuple(grid.cells), header_rows, label_columns)


def reviews_grid() -> Grid:
    """Table 四: 行政复议 (outcomes merged down two rows) and 行政诉讼's two blocks."""
    per_block = len(fmt.REVIEW_COLUMNS)
    grid, c = _Builder(), 0
    for header, group in groupby(fmt.REVIEW_BLOCKS, key=lambda block: block.header):
        blocks = list(group)
        grid.put(0, c, header, right=c + per_block * len(blocks) - 1, header=True)
        for block in blocks:
            titled = block.label != block.header
            if titled:
                grid.put(1, c, block.label, right=c + per_block - 1, header=True)
            for column in fmt.REVIEW_COLUMNS:
                grid.put(2 if titled else 1, c, column.label, bottom=2, header=True)
                grid.put(3, c, value=("reviews", block.key, column.key))
                c += 1
    return Grid("reviews", 4, c, tuple(grid.cells), header_rows=3, label_columns=0)


@cache
def official_grids() -> tuple[Grid, Grid, Grid]:
    """Tables 二, 三 and 四, laid out once per process."""
    return proactive_grid(), requests_grid(), reviews_grid()


# --------------------------------------------------------------------------- values


def lookup(context: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The context value at ``path``, reached as the Word template's ``a.b.c`` reaches it."""
    node: Any = context[path[0]]
    for key in path[1:]:
        node = getattr(node, key)
    return node


class FilledCell(NamedTuple):
    """A cell as a writer shows it: its text (label or number) and its spans.

    A tuple, so a template unpacks it in its loop (``for text, rows, columns, header,
    number, source in row``) instead of looking up attributes through the sandbox.
    """

    text: str
    rows: int
    columns: int
    header: bool
    number: bool
    source: GridCell


def filled(grid: Grid, context: dict[str, Any]) -> list[list[FilledCell]]:
    """The grid's rows with every value looked up in ``context`` and shown as text."""
    return [
        [
            FilledCell(
                str(lookup(context, cell.value)) if cell.value else cell.text,
                cell.rows,
                cell.columns,
                cell.header,
                cell.value is not None,
                cell,
            )
            for cell in row
        ]
        for row in grid.by_row
    ]


def iter_grids(context: dict[str, Any]) -> Iterator[tuple[Grid, list[list[FilledCell]]]]:
    for grid in official_grids():
        yield grid, filled(grid, context)
