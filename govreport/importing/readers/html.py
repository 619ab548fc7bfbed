"""Reading a report saved from a web page (.html/.htm), with the standard library only.

The page is parsed into a small element tree first, because two questions need the
whole tree: is this ``<table>`` a report table or page layout (layout tables hold
other tables), which grid position does a cell take once earlier ``rowspan`` and
``colspan`` cells have claimed theirs, and which elements does the page's style sheet
hide. Scripts, styles and the page head are skipped; what the browser would not show
(``html_visibility``) is read apart, as ``HtmlPage.hidden``, so that import can say
where hidden content held numbers, and never takes them for the report's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ...errors import InputError
from ..base import Block, Cell, Paragraph, Rows, Table, clean
from .html_visibility import GONE, HiddenRules

_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "select", "iframe"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "ul",
    "table", "tbody", "thead", "tfoot", "tr", "td", "th",
}  # fmt: skip
_BOLD = {"b", "strong"}
#: Opening one of these closes an open element of the same kind (HTML's implied end tags).
_IMPLIED_END = {"p": {"p"}, "li": {"li"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}}
_IMPLIED_END["th"] = _IMPLIED_END["td"]
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def find_all(self, tags: set[str]) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                if child.tag in tags:
                    yield child
                yield from child.find_all(tags)


MAX_DEPTH = 200  # elements nested deeper are read as if they stood at this depth
MAX_SPAN = 1000  # HTML's own limit for colspan; rowspan ends with the table
MAX_GRID = 100_000  # grid positions one table may claim (the official tables have ~300)


class _TreeBuilder(HTMLParser):
    """Builds an ``Element`` tree, forgiving unclosed and stray tags as browsers do.

    Nesting is flattened below ``MAX_DEPTH``: the text is kept, the tree stays shallow
    enough to walk (100,000 nested ``<div>`` are a page's bug or an attack, not a report).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.skipping = 0
        self.in_style = False  # skipping a <style>, whose rules are kept
        self.rules = HiddenRules()
        self.flattened = 0  # start tags not pushed because the tree was too deep

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping += 1
            return
        if tag in _SKIP:
            self.skipping = 1
            self.in_style = tag == "style"
            return
        for closes in _IMPLIED_END.get(tag, set()):
            self._close_open(closes, stop_at={"table"} if tag != "p" else {"td", "th", "div"})
        element = Element(tag, {k: v or "" for k, v in attrs})
        if len(self.stack) > MAX_DEPTH:
            if tag not in _VOID:
                self.flattened += 1
            if tag in _BLOCK:  # its text still starts a paragraph of its own
                self.stack[-1].children.append(Element("br", {}))
            return
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping:
            self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping -= 1
                self.in_style = self.in_style and self.skipping > 0
            return
        if self.flattened:
            self.flattened -= 1
            if tag in _BLOCK:
                self.stack[-1].children.append(Element("br", {}))
            return
        self._close_open(tag, stop_at=set())

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)
        elif self.in_style:
            self.rules.read(data)

    def _close_open(self, tag: str, stop_at: set[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[index].tag
            if open_tag == tag:
                del self.stack[index:]
                return
            if open_tag in stop_at:
                return


def parse_html(text: str) -> tuple[Element, HiddenRules]:
    """The page's element tree, and the rules by which its style sheets hide elements."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root, builder.rules


@dataclass
class HtmlPage:
    """A page as read: what a person sees, and apart from it what the page hides."""

    blocks: list[Block]
    hidden: list[Block]


def read_html(text: str, rows: Rows | None = None) -> HtmlPage:
    """The report in the HTML ``text`` as paragraphs and tables, in page order."""
    root, rules = parse_html(text)
    walker = _Walker(rows or Rows(), rules)
    walker.walk(root, bold=False)
    walker.flush()
    return HtmlPage(walker.blocks, walker.hidden)


def read_html_text(text: str, rows: Rows | None = None) -> list[Block]:
    """What a person sees of the report in the HTML ``text``, in page order."""
    return read_html(text, rows).blocks


class _Walker:
    """Turns the tree into blocks: inline text gathers into paragraphs until a block ends;
    a hidden element's content goes to ``hidden``, read the same way."""

    def __init__(self, rows: Rows, rules: HiddenRules):
        self.rows = rows
        self.rules = rules
        self.blocks: list[Block] = []
        self.hidden: list[Block] = []
        self.pieces: list[tuple[str, bool]] = []

    def walk(self, element: Element, bold: bool) -> None:
        for child in element.children:
            if isinstance(child, str):
                self.pieces.append((child, bold))
                continue
            tag = child.tag
            if self.rules.hiding(child.attrs):
                self.hidden += _read_apart(child, self.rows, self.rules)
            elif tag == "br":
                self.flush()
            elif tag == "table" and _is_data_table(child):
                self.flush()
                table, hidden = _table(child, self.rows, self.rules)
                self.blocks.append(table)
                self.hidden += hidden
            elif tag in _BLOCK:
                self.flush()
                self.walk(child, bold or _is_bold(child))
                self.flush()
            else:
                self.walk(child, bold or _is_bold(child))

    def flush(self) -> None:
        """End the current paragraph; a bold start that is not the whole becomes a lead."""
        if not self.pieces:
            return
        text = _inline("".join(t for t, _ in self.pieces))
        lead = _inline("".join(t for t, b in _leading_bold(self.pieces)))
        self.pieces = []
        if not text:
            return
        if lead and text.startswith(lead) and text[len(lead) :].strip():
            text = f"**{lead}**{text[len(lead) :]}"
        self.blocks.append(Paragraph(text))


def _read_apart(element: Element, rows: Rows, rules: HiddenRules) -> list[Block]:
    """A hidden element's content as blocks (hidden inside hidden included)."""
    walker = _Walker(rows, rules)
    shown = Element(element.tag, {}, element.children)  # as if its style did not hide it
    walker.walk(Element("#hidden", {}, [shown]), bold=False)
    walker.flush()
    return walker.blocks + walker.hidden


def _leading_bold(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    lead: list[tuple[str, bool]] = []
    for text, bold in pieces:
        if not text.strip():
            if lead:
                lead.append((text, bold))
            continue
        if not bold:
            break
        lead.append((text, bold))
    return lead


def _is_bold(element: Element) -> bool:
    return element.tag in _BOLD or bool(_BOLD_STYLE.search(element.attrs.get("style", "")))


def _inline(text: str) -> str:
    """HTML whitespace rules: runs collapse to one space; a space a line break left
    between two Chinese characters is dropped (browsers show it, nobody meant it)."""
    text = clean(text).replace("\xa0", " ")
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


# --------------------------------------------------------------------------- tables


def _table(element: Element, rows: Rows, rules: HiddenRules) -> tuple[Table, list[Block]]:
    """The table's cells at their grid positions, ``rowspan``/``colspan`` honoured, and
    what the table hides (rows and cells not shown, read apart).

    A span is cut where the table ends (as browsers do) and the grid the spans claim
    is counted before anything is allocated: a table claiming more than ``MAX_GRID``
    positions is refused.
    """
    hidden: list[Block] = []
    table_rows = []
    for tr in _rows_of(element, rules):
        if rules.hiding(tr.attrs):
            hidden.append(_hidden_cells(tr, rows, rules))
        else:
            table_rows.append(tr)
    spans = []
    claimed = count = 0
    for r, tr in enumerate(table_rows):
        row = []
        for td in (c for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")):
            how = rules.hiding(td.attrs)
            if how:
                hidden.append(_hidden_cells(Element("tr", {}, [td]), rows, rules))
            if how == GONE:
                continue  # takes no place in the grid
            rowspan = min(_span(td, "rowspan"), len(table_rows) - r)
            colspan = _span(td, "colspan")
            claimed += rowspan * colspan
            count += 1
            row.append((td if not how else Element("td", {}), rowspan, colspan))
        spans.append(row)
    if claimed > MAX_GRID:
        raise _too_big(len(table_rows), count, claimed)
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, row in enumerate(spans):
        number = rows.next()
        column = 0
        for td, rowspan, colspan in row:
            while (r, column) in taken:
                column += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, column + dc))
            text, inside = _cell_text(td, rules)
            hidden += inside
            cells.append(Cell(text, number, column))
            column += colspan
    return Table(tuple(cells)), hidden


def _hidden_cells(row: Element, rows: Rows, rules: HiddenRules) -> Table:
    """A hidden row (or row group, or cell) of a table as a table of its own, so that
    import can name the official cell it would have filled."""
    number = rows.next()
    cells = [
        Cell(_cell_text(Element("td", {}, td.children), rules)[0], number, column)
        for column, td in enumerate(row.find_all({"td", "th"}))
    ]
    return Table(tuple(cells))


def _too_big(rows: int, cells: int, claimed: int) -> InputError:
    """The refusal of a table too big for a report, saying why: its size, or its spans."""
    merged = claimed - cells
    why = f"网页中的表格有 {rows} 行、{cells} 个单元格"
    if merged > cells:
        why += f"，其中合并单元格（rowspan/colspan）另占 {merged} 格，共占 {claimed} 格"
    return InputError(
        f"{why}，超过年度报告表格的合理范围（{MAX_GRID} 格），无法作为年度报告的表格读取",
        hint="年度报告的表格不过几百格；请确认网页文件完整、未被改动",
    )


def _is_data_table(table: Element) -> bool:
    """A table of numbers, not page layout: it holds no table, and some row has more
    than one cell (a one-column table is a frame around text)."""
    if any(True for _ in table.find_all({"table"})):
        return False
    return any(
        sum(1 for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")) > 1
        for tr in _rows_of(table)
    )


def _rows_of(table: Element, rules: HiddenRules | None = None) -> Iterator[Element]:
    """The table's rows; a row group ``rules`` hide comes whole, in place of its rows."""
    for child in table.children:
        if isinstance(child, Element):
            if child.tag == "tr":
                yield child
            elif child.tag in ("thead", "tbody", "tfoot"):
                if rules is not None and rules.hiding(child.attrs):
                    yield child
                else:
                    yield from _rows_of(child, rules)


def _span(td: Element, name: str) -> int:
    try:
        return max(1, min(int(td.attrs.get(name, "1").strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(td: Element, rules: HiddenRules) -> tuple[str, list[Block]]:
    """A cell's text (its paragraphs and line breaks become newlines), and what it hides."""
    walker = _Walker(Rows(), rules)
    walker.walk(td, bold=False)
    walker.flush()
    text = "\n".join(b.text.replace("**", "") for b in walker.blocks if isinstance(b, Paragraph))
    return text, walker.hidden
