"""Tables 二, 三 and 四 as grids laid out like the official tables.

The page template draws whatever grid it gets; the merged headers, the label
hierarchy of table 三 (三、 spanning its results, （三） spanning its eight
reasons), the row order and every label come from ``official`` here. A computed
cell (总计 column, （七）总计 row, table 四's totals) lists the inputs it sums;
the page adds them up as the user types and never lets them be edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import official as fmt

LABEL_COLUMNS = 3  # table 三's labels: 一、 / （一） / 1.


@dataclass
class GridCell:
    """One ``<td>``/``<th>``: a header, a label, an input (``field``) or a sum (``sums``)."""

    text: str = ""
    kind: str = "label"  # head | label | input | sum
    colspan: int = 1
    rowspan: int = 1
    field: str = ""
    sums: tuple[str, ...] = ()
    anchor: str = ""


@dataclass
class GridRow:
    cells: list[GridCell] = field(default_factory=list)
    anchor: str = ""
    header: bool = False


@dataclass
class Grid:
    key: str
    title: str
    rows: list[GridRow]


def grids() -> list[Grid]:
    return [proactive_grid(), requests_grid(), reviews_grid()]


# --------------------------------------------------------------------------- table 二

_PROACTIVE_NUMBER_COLUMNS = max(len(block.columns) for block in fmt.PROACTIVE_BLOCKS)


def proactive_grid() -> Grid:
    rows: list[GridRow] = []
    width = _PROACTIVE_NUMBER_COLUMNS
    for block in fmt.PROACTIVE_BLOCKS:
        rows.append(GridRow([GridCell(block.article, "head", colspan=width + 1)], header=True))
        span = width // len(block.columns)
        heads = [GridCell(fmt.PROACTIVE_ITEM_HEADER, "head")]
        heads += [GridCell(c.label, "head", colspan=span) for c in block.columns]
        rows.append(GridRow(heads, header=True))
        cells = {cell.path: cell for cell in block.cells()}
        for row in block.rows:
            line = [GridCell(row.label)]
            for column in block.columns:
                path: tuple[str, ...] = (
                    ("proactive", row.key)
                    if len(block.columns) == 1
                    else ("proactive", row.key, column.key)
                )
                line.append(GridCell(kind="input", colspan=span, field=".".join(cells[path].path)))
            rows.append(GridRow(line, anchor="row-" + ".".join(("proactive", row.key))))
    return Grid("proactive", fmt.FIELD_LABELS[("proactive",)], rows)


# --------------------------------------------------------------------------- table 三


def _leaves(row: fmt.RequestRow) -> list[fmt.RequestRow]:
    if not row.is_group:
        return [row]
    return [leaf for child in row.children for leaf in _leaves(child)]


def _request_header() -> list[GridRow]:
    columns = fmt.APPLICANT_COLUMNS
    legal = columns[1:]
    return [
        GridRow(
            [
                GridCell(fmt.REQUESTS_CORNER, "head", colspan=LABEL_COLUMNS, rowspan=3),
                GridCell(fmt.APPLICANT_HEADER, "head", colspan=len(fmt.REQUEST_COLUMNS)),
            ],
            header=True,
        ),
        GridRow(
            [
                GridCell(columns[0].label, "head", rowspan=2),
                GridCell(fmt.LEGAL_PERSON_HEADER, "head", colspan=len(legal)),
                GridCell(fmt.TOTAL.label, "head", rowspan=2),
            ],
            header=True,
        ),
        GridRow([GridCell(c.label, "head") for c in legal], header=True),
    ]


def _request_id(row: fmt.RequestRow, column: str) -> str:
    return ".".join(("requests", *row.path, column))


def requests_grid() -> Grid:
    rows = _request_header()
    result_rows = fmt.result_rows()
    for leaf in fmt.REQUEST_ROWS:
        line: list[GridCell] = []
        for parent in leaf.parents:  # a group's label spans its rows, on its first row
            if _leaves(parent)[0] == leaf:
                anchor = "row-" + ".".join(("requests", *parent.path))
                line.append(GridCell(parent.label, rowspan=len(_leaves(parent)), anchor=anchor))
        line.append(GridCell(leaf.label, colspan=LABEL_COLUMNS - leaf.depth))
        ids = []
        for column in fmt.APPLICANT_COLUMNS:
            if leaf.computed:
                sums = tuple(_request_id(r, column.key) for r in result_rows)
                line.append(GridCell(kind="sum", sums=sums))
            else:
                ids.append(_request_id(leaf, column.key))
                line.append(GridCell(kind="input", field=ids[-1]))
        if leaf.computed:
            ids = [_request_id(r, c.key) for r in result_rows for c in fmt.APPLICANT_COLUMNS]
        line.append(GridCell(kind="sum", sums=tuple(ids)))
        rows.append(GridRow(line, anchor="row-" + ".".join(("requests", *leaf.path))))
    return Grid("requests", fmt.FIELD_LABELS[("requests",)], rows)


# --------------------------------------------------------------------------- table 四


def reviews_grid() -> Grid:
    width = len(fmt.REVIEW_COLUMNS)
    headers: dict[str, list[fmt.ReviewBlock]] = {}
    for block in fmt.REVIEW_BLOCKS:
        headers.setdefault(block.header, []).append(block)
    top, middle = [], []
    for header, blocks in headers.items():
        alone = len(blocks) == 1 and blocks[0].label == header
        top.append(GridCell(header, "head", colspan=width * len(blocks), rowspan=2 if alone else 1))
        if not alone:
            middle += [GridCell(b.label, "head", colspan=width) for b in blocks]
    columns = [GridCell(c.label, "head") for _ in fmt.REVIEW_BLOCKS for c in fmt.REVIEW_COLUMNS]
    line = []
    for block in fmt.REVIEW_BLOCKS:
        ids = tuple(".".join(("reviews", block.key, c.key)) for c in fmt.REVIEW_OUTCOMES)
        line += [GridCell(kind="input", field=i) for i in ids]
        line.append(GridCell(kind="sum", sums=ids))
    rows = [
        GridRow(top, header=True),
        GridRow(middle, header=True),
        GridRow(columns, header=True),
        GridRow(line, anchor="row-reviews"),
    ]
    return Grid("reviews", fmt.FIELD_LABELS[("reviews",)], rows)
