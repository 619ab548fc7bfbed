"""Reading a rendered report back: its paragraphs, and its tables cell by cell.

The tables are read from the XML (``w:gridSpan``, ``w:vMerge``) rather than
through python-docx's convenience API, so a merged cell is seen as one cell with
its row and column span, exactly as Word shows it. Expected values are taken
from the facts file as parsed by PyYAML, not from govreport's model, so the
tests do not share the code they check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx as python_docx
import yaml
from docx.document import Document
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from govreport import official as fmt

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.yaml"))
#: The examples with a non-zero number in every table cell.
BUSY = ("busy-2023", "busy-government-2023")

TABLE_PROACTIVE, TABLE_REQUESTS, TABLE_REVIEWS = 0, 1, 2
REQUEST_LABEL_COLUMNS = max(row.depth for row in fmt.REQUEST_ROWS) + 1
REQUEST_HEADER_ROWS = 3


# --------------------------------------------------------------------------- the facts file


def raw_facts(path: Path) -> dict:
    """The facts file as plain YAML data."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def fee_as_written(path: Path) -> str:
    """表二's 行政事业性收费 exactly as typed in the file (``12.35``), ``0`` when left out."""
    match = re.search(r"^\s*fees:\s*\"?([0-9.]+)", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "0"


def _applicants(value: Any) -> list[int]:
    if value is None:
        return [0] * len(fmt.APPLICANT_COLUMNS)
    if isinstance(value, list):
        return [int(v) for v in value]
    return [int(value.get(c.key, 0)) for c in fmt.APPLICANT_COLUMNS]


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def expected_request_row(raw: dict, row: fmt.RequestRow) -> list[int]:
    """The seven numbers of a table 三 row: the six applicant columns and their sum."""
    requests = raw.get("requests") or {}
    if row.computed:  # （七）总计: every result row summed
        columns = [_applicants(_lookup(requests, r.path)) for r in fmt.result_rows()]
        values = [sum(col) for col in zip(*columns, strict=True)]
    else:
        values = _applicants(_lookup(requests, row.path))
    return [*values, sum(values)]


def expected_proactive(raw: dict, cell: fmt.ProactiveCell) -> int:
    value = _lookup(raw, cell.path)
    return int(value or 0)


def expected_review(raw: dict, block: fmt.ReviewBlock, column: fmt.Column) -> int:
    counts = _lookup(raw, ("reviews", block.key)) or {}
    if column.key == fmt.TOTAL.key:
        return sum(int(counts.get(c.key, 0)) for c in fmt.REVIEW_OUTCOMES)
    return int(counts.get(column.key, 0))


def chinese_date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# --------------------------------------------------------------------------- tables


@dataclass(eq=False)
class Cell:
    """A cell as Word shows it: merged cells are one ``Cell`` covering several grid places."""

    text: str
    top: int
    left: int
    rowspan: int
    colspan: int
    tc: Any


def _cell_text(tc: Any) -> str:
    return "\n".join(
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterchildren(qn("w:p"))
    )


def grid(table: Table) -> list[list[Cell]]:
    """The table as a grid: ``grid[row][column]`` is the (possibly merged) cell there."""
    rows: list[list[Cell]] = []
    for r, tr in enumerate(table._tbl.iterchildren(qn("w:tr"))):
        row: list[Cell] = []
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            left = len(row)
            if vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue":
                cell = rows[r - 1][left]
                assert (cell.left, cell.colspan) == (left, span), "vMerge over different columns"
                assert _cell_text(tc) == "", (
                    f"hidden part of a merged cell holds text ({r}, {left})"
                )
                cell.rowspan += 1
            else:
                cell = Cell(_cell_text(tc), r, left, 1, span, tc)
            row.extend([cell] * span)
        rows.append(row)
    width = len(rows[0])
    assert all(len(row) == width for row in rows), "rows of different widths"
    return rows


def unique_cells(cells: list[list[Cell]]) -> list[Cell]:
    seen: list[Cell] = []
    for row in cells:
        for cell in row:
            if not any(cell is other for other in seen):
                seen.append(cell)
    return seen


def texts(cells: list[list[Cell]]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in cells]


def request_rows(cells: list[list[Cell]]) -> dict[tuple[str, ...], tuple[list[Cell], list[str]]]:
    """Each numeric row of table 三, found by its label: (its label cells, its 7 numbers)."""
    found = {}
    for row in fmt.REQUEST_ROWS:
        hits = [
            r
            for r in range(REQUEST_HEADER_ROWS, len(cells))
            if cells[r][REQUEST_LABEL_COLUMNS - 1].text == row.label
        ]
        assert len(hits) == 1, f"row {row.full_label} found at {hits}"
        r = hits[0]
        numbers = [cell.text for cell in cells[r][REQUEST_LABEL_COLUMNS:]]
        found[row.path] = (cells[r][:REQUEST_LABEL_COLUMNS], numbers)
    return found


def proactive_value(cells: list[list[Cell]], cell: fmt.ProactiveCell) -> tuple[Cell, Cell]:
    """Table 二: (the number cell, its column header cell) for one of the 10 cells."""
    rows = [r for r in range(len(cells)) if cells[r][0].text == cell.row_label]
    assert len(rows) == 1, f"{cell.full_label}: rows {rows}"
    r = rows[0]
    header = max(h for h in range(r) if cells[h][0].text == fmt.PROACTIVE_ITEM_HEADER)
    assert cells[header - 1][0].text == cell.block
    columns = [c for c in unique_cells([cells[header]]) if c.text == cell.column_label]
    assert len(columns) == 1, f"{cell.full_label}: columns {columns}"
    return cells[r][columns[0].left], columns[0]


def review_value(
    cells: list[list[Cell]], block: fmt.ReviewBlock, column: fmt.Column
) -> tuple[Cell, Cell]:
    """Table 四: (the number cell, its column header cell)."""
    heads = [c for c in unique_cells(cells[:2]) if c.text == block.label]
    assert len(heads) == 1, f"{block.full_label}: {heads}"
    head = heads[0]
    span = range(head.left, head.left + head.colspan)
    labels = [
        c
        for c in unique_cells(cells[head.top + 1 : 3])
        if c.text == column.label and c.left in span
    ]
    assert len(labels) == 1, f"{block.full_label} · {column.label}: {labels}"
    return cells[3][labels[0].left], labels[0]


# --------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Para:
    style: str
    text: str
    alignment: Any
    paragraph: Paragraph


def alignment(paragraph: Paragraph) -> Any:
    """The paragraph's effective alignment: its own, else its style's, else its bases'."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment
        style = style.base_style
    return WD_PARAGRAPH_ALIGNMENT.LEFT


def body(document: Document) -> list[Para]:
    """The body paragraphs outside tables, in order."""
    return [Para(p.style.name, p.text, alignment(p), p) for p in document.paragraphs]


def section_of(paras: list[Para], heading: str, next_heading: str | None) -> list[Para]:
    """The paragraphs after ``heading`` up to ``next_heading`` (or up to the 落款)."""
    start = [p.text for p in paras].index(heading) + 1
    if next_heading is not None:
        end = [p.text for p in paras].index(next_heading)
    else:
        end = next(i for i in range(start, len(paras)) if paras[i].style.startswith("Closing"))
    return paras[start:end]


def open_docx(path: Path) -> Document:
    return python_docx.Document(str(path))


def digits(text: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", text) is not None and Decimal(text) >= 0


# --------------------------------------------------------------------------- HTML


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


#: Elements that never hold text or close: nothing stays open after them.
_VOID = frozenset({"meta", "col", "br", "wbr", "img", "link", "hr", "input"})


class Page(HTMLParser):
    """Tables as rows of cells, and the text of title, style and headings."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Element] = []
        self.tables: list[list[list[Element]]] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.tags.append(element)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:  # <br /> closes nothing open
            return
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def all(self, *tags: str) -> list[Element]:
        return [e for e in self.tags if e.tag in tags]

    def cell(self, table: int, text: str) -> Element:
        found = [c for row in self.tables[table] for c in row if c.text == text]
        assert len(found) == 1, f"{text}: {len(found)} cells"
        return found[0]

    def after(self, table: int, label: str, count: int) -> list[str]:
        """The ``count`` cells after the cell ``label`` in its row."""
        for row in self.tables[table]:
            texts = [c.text for c in row]
            if label in texts:
                start = texts.index(label) + 1
                return texts[start : start + count]
        raise AssertionError(f"no row labelled {label}")
