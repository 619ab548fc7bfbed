"""Reading a report from plain text or Markdown, where the tables arrive flattened.

Text copied out of Word or a web page keeps tables in one of two shapes: one cell
per line with a leading tab (blank lines between rows, an empty tab line for an
empty cell, a label broken over two lines continuing without a tab), or one cell
per line with nothing to mark rows (a blank line after every cell, empty cells
gone). Lines with several tabs are rows of their own. Markdown from pandoc embeds
tables as HTML; other Markdown tables use pipes.
"""

from __future__ import annotations

import re

from ..base import Block, Cell, Paragraph, Rows, Table, clean, is_page_number
from ..labels import section_heading
from .flat import split_headings
from .html import read_html_text

_HEADING_MARKS = re.compile(r"^\s{0,3}#{1,6}\s+(?=\S)")  # CommonMark: a space after the marks
_CONTINUATION_MAX = 24  # a broken label's second line is short; a paragraph is not


def read_plain(text: str) -> list[Block]:
    """Plain text: every line a paragraph, tab lines table cells (see module doc)."""
    reader = _PlainReader()
    for raw in clean(text).split("\n"):
        if is_page_number(raw) or _PIPE_RULE.match(raw):
            continue
        raw = _HEADING_MARKS.sub("", raw)  # Markdown pasted as text: ## 一、总体情况
        if is_pipe_row(raw):  # a pipe table's row: its cells, like a tab line
            raw = "\t" + "\t".join(raw.strip().strip("|").split("|"))
        for line in [raw] if "\t" in raw else split_headings(raw):
            reader.line(line)
    reader.close_table()
    return reader.blocks


class _PlainReader:
    def __init__(self) -> None:
        self.rows = Rows()
        self.blocks: list[Block] = []
        self.cells: list[Cell] = []
        self.row = self.rows.next()
        self.after_cell = False  # the previous line was a one-cell tab line (no blank between)

    def line(self, line: str) -> None:
        if "\t" in line:
            self.tab_line(line)
        elif not line.strip():
            if self.cells:
                self.row = self.rows.next()
            self.after_cell = False
        elif self.after_cell and _continues(self.cells[-1].text, line):
            last = self.cells[-1]
            self.cells[-1] = Cell(last.text + line.strip(), last.row, last.column)
        else:
            self.close_table()
            self.blocks.append(Paragraph(line.strip()))

    def tab_line(self, line: str) -> None:
        fields = line.split("\t")
        if not fields[0].strip():
            fields = fields[1:]
        row = self.row
        if len(fields) > 1:  # a whole row on one line
            row = self.rows.next()
        for text in fields:
            self.cells.append(Cell(text.strip(), row))
        self.after_cell = len(fields) == 1

    def close_table(self) -> None:
        if self.cells:
            self.blocks.append(Table(tuple(self.cells)))
            self.cells = []
            self.row = self.rows.next()
        self.after_cell = False


def is_pipe_row(line: str) -> bool:
    """A table row written with pipes: ``| 规章 | 0 |``, or without the outer ones as
    text taken from a web page writes it (``规章 | 0 | 0 | 0 |``, ``第二十条第（一）项 |``)."""
    text = line.strip()
    return text.startswith("|") or text.endswith("|") or text.count("|") >= 2


def _continues(cell: str, line: str) -> bool:
    """Whether ``line`` is the rest of a label broken over two lines (结果 / 维持)."""
    text = line.strip()
    return (
        bool(cell)
        and not cell[-1].isdigit()
        and len(text) <= _CONTINUATION_MAX
        and section_heading(text) is None
    )


# --------------------------------------------------------------------------- Markdown

_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~\"'])")
_WHOLE_BOLD = re.compile(r"^\*\*([^*]+)\*\*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HARD_BREAK = re.compile(r"(\\|\s{2,})$")
_SETEXT_RULE = re.compile(r"^\s{0,3}=+\s*$")  # the line under a title (a broken one too)


def read_markdown(text: str) -> list[Block]:
    """Markdown: headings and paragraphs; HTML tables and pipe tables as tables."""
    rows = Rows()
    blocks: list[Block] = []
    position = 0
    for match in _HTML_TABLE.finditer(text):
        blocks += _markdown_blocks(text[position : match.start()], rows)
        blocks += read_html_text(match.group(0), rows)
        position = match.end()
    blocks += _markdown_blocks(text[position:], rows)
    return blocks


def _markdown_blocks(text: str, rows: Rows) -> list[Block]:
    blocks: list[Block] = []
    lines: list[str] = []
    pipe_cells: list[Cell] = []

    def end_paragraph() -> None:
        if lines:
            blocks.append(_md_paragraph("".join(lines)))
            lines.clear()

    def end_pipe_table() -> None:
        if pipe_cells:
            blocks.append(Table(tuple(pipe_cells)))
            pipe_cells.clear()

    for raw in clean(text).split("\n"):
        if _FENCE.match(raw) or _PIPE_RULE.match(raw):
            continue
        if _SETEXT_RULE.match(raw):
            end_paragraph()
            continue
        if is_pipe_row(raw):
            end_paragraph()
            row = rows.next()
            fields = raw.strip().strip("|").split("|")
            pipe_cells.extend(Cell(_unescape(f).strip(), row, i) for i, f in enumerate(fields))
            continue
        end_pipe_table()
        heading = _HEADING.match(raw)
        if heading or _BULLET.match(raw) or not raw.strip():
            end_paragraph()
            if heading:
                blocks.append(_md_paragraph(heading.group(1)))
            elif raw.strip():
                lines.append(_BULLET.sub("", raw).strip())
            continue
        lines.append(_HARD_BREAK.sub("", raw.strip()))
        if _HARD_BREAK.search(raw.rstrip("\n")):
            end_paragraph()
    end_paragraph()
    end_pipe_table()
    return [b for b in blocks if not isinstance(b, Paragraph) or b.text]


_HTML_BOLD = re.compile(r"<(strong|b)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE)


def _md_paragraph(text: str) -> Paragraph:
    text = _HTML_BOLD.sub(r"**\2**", text)  # <strong> where CommonMark's ** would not close
    text = _unescape(re.sub(r"</?(?:span|u|sup|sub|br)\b[^>]*>", "", text)).strip()
    whole = _WHOLE_BOLD.match(text)
    return Paragraph(whole.group(1).strip() if whole else text)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)
