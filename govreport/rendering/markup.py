"""HTML and Markdown written straight from the facts, through the template set.

The Word file is not converted back: the same narrative and the same context
the Word template gets, plus the three official tables as grids (``official.grids``),
fill ``report.html.j2`` or ``report.md.j2`` of the template set (a set that has
none inherits the national one). That costs a Jinja render, not a pandoc run.

Escaping happens once, where text meets markup. HTML: Jinja's autoescape.
Markdown: every ``{{ … }}`` passes a Markdown escape (``finalize``), so a text
with ``*``, ``|`` or ``<script>`` shows as typed; the pipe tables, built here,
escape their own cells.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ..narrative.title import break_points
from ..official.grids import FilledCell, Grid, filled, official_grids
from ..template_sets.environment import FailureWording, make_environment, template_failures
from ..template_sets.sandbox import time_limit
from ..template_sets.sets import TemplateSet, read_cached

#: The template file of each format in a set, and what the format is called in messages.
MARKUP_FORMATS = {"html": "HTML", "md": "Markdown"}


def markdown_text(text: str) -> Markup:
    """Markdown already escaped (a pipe table): the Markdown finalize passes it as is."""
    return Markup(text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape_markdown(text: str) -> str:
    """``text`` shown literally in Markdown: ASCII punctuation that means markup is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _finalize_markdown(value: Any) -> Any:
    """Escape an expression's value for Markdown. The environment autoescapes, so
    macro output and ready tables arrive as ``Markup`` and pass unchanged."""
    if isinstance(value, Markup) or value is None:
        return value
    return Markup(escape_markdown(str(value)))


@cache
def _environment(fmt: str) -> SandboxedEnvironment:
    """The sandboxed, strict, autoescaping environment of ``template_sets.environment``; for Markdown
    every expression is escaped for Markdown first (``finalize``)."""
    env = make_environment(markup=True)
    if fmt == "md":
        env.finalize = _finalize_markdown
    return env


@cache
def _compile(fmt: str, source: str) -> Any:
    return _environment(fmt).from_string(source)


#: The web page and Markdown templates (``where`` names the template and its file).
MARKUP_FAILURES = FailureWording(
    syntax="{where} 第 {line} 行有语法错误：{detail}",
    undefined="{where} 中的占位符“{name}”无法识别",
    undefined_hint="检查占位符拼写；可用的名称见 national 模板 report.html.j2 开头的说明",
    security="{where} 试图访问不允许的内容（{detail}），已拒绝渲染",
    other="{where} 渲染出错：{detail}",
    recursion="{where} 嵌套过深，已停止",
    arithmetic="{where} 渲染出错：{detail}",
)


def render_markup(
    tset: TemplateSet, fmt: str, context: dict[str, Any], *, fragment: bool = False
) -> str:
    """The report as ``fmt`` (``html`` or ``md``) from the set's template and ``context``
    (what the Word template gets). ``fragment``: HTML without ``<html>``/``<head>``."""
    path = tset.markup_template(fmt)
    values = {
        **context,
        "fragment": fragment,
        "tables": tables_for(fmt, context),
        # the Word title carries its line break; a page breaks it where it fits (at <wbr>)
        "title": (title := context["document_title"]),
        "title_parts": title_parts(title, context["agency"].name),
    }
    with template_failures(MARKUP_FAILURES, f"{MARKUP_FORMATS[fmt]} 模板 {_shown(path)}"):
        template = _compile(fmt, read_cached(path))
        with time_limit():  # a shared set's template must not hang a batch
            text = template.render(values)
    return _tidy(text)


def title_parts(title: str, agency: str) -> list[str]:
    """The title cut at every place a line may break without cutting a word
    (GB/T 9704: after the agency's name or its parts, 年 / 年度, 政府信息公开, 工作)."""
    bounds = (0, *break_points(title, agency), len(title))
    return [title[a:b] for a, b in pairwise(bounds)]


def _shown(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """One blank line at most between blocks, one newline at the end."""
    return _BLANK_LINES.sub("\n\n", text.strip()) + "\n"


def tables_for(fmt: str, context: dict[str, Any]) -> dict[str, Any]:
    """The three tables for ``fmt``: rows of filled cells (HTML) or pipe tables (Markdown)."""
    result: dict[str, Any] = {}
    for grid in official_grids():
        rows = filled(grid, context)
        result[grid.key] = rows if fmt == "html" else markdown_text(pipe_tables(grid, rows))
    return result


# --------------------------------------------------------------------------- Markdown tables


def pipe_tables(grid: Grid, rows: list[list[FilledCell]]) -> str:
    """The grid as GitHub pipe tables, merged cells flattened.

    A row that is one cell across the whole table (table 二's 第二十条第（X）项) becomes
    a bold line that starts a new pipe table. Header rows fold into one: each
    column's header is its header cells top to bottom (申请人情况 · 法人或其他组织 ·
    商业企业). A label merged down over several rows is repeated in each; a cell
    merged across columns is written once, in its last column, so a row's own label
    stands next to its numbers (一、 and （一） beside the numbers like 1.); columns
    merged in every row are one.
    """
    text = {id(cell.source): cell.text for row in rows for cell in row}
    numbers = {id(cell.source) for row in rows for cell in row if cell.number}
    places = grid.places()
    blocks: list[str] = []
    for caption, segment in _segments(grid, places):
        if caption is not None:
            blocks.append(f"**{escape_markdown(text[id(caption)])}**")
        blocks.append(_pipe_table(segment, text, numbers))
    return "\n\n".join(blocks)


def _segments(grid: Grid, places: list[list[Any]]) -> list[tuple[Any, list[list[Any]]]]:
    """Split the rows at caption rows (one cell as wide as the table)."""
    segments: list[tuple[Any, list[list[Any]]]] = []
    caption: Any = None
    current: list[list[Any]] = []
    for row in places:
        if len({id(c) for c in row}) == 1 and row[0].columns == grid.width:
            if current:
                segments.append((caption, current))
            caption, current = row[0], []
        else:
            current.append(row)
    if current:
        segments.append((caption, current))
    return segments


def _pipe_table(rows: list[list[Any]], text: dict[int, str], numbers: set[int]) -> str:
    width = len(rows[0])
    kept = [j for j in range(width) if j == 0 or any(r[j] is not r[j - 1] for r in rows)]
    heads = 0
    while heads < len(rows) - 1 and all(c.header for c in rows[heads]):
        heads += 1
    header, body = rows[:heads], rows[heads:]

    def head_cells(j: int) -> list[Any]:
        column: list[Any] = []
        for row in header:
            if not column or row[j] is not column[-1]:
                column.append(row[j])
        return column

    titles, previous = [], None
    for j in kept:
        column = head_cells(j)
        same = previous is not None and [id(c) for c in column] == [id(c) for c in previous]
        titles.append("" if same else " · ".join(text[id(c)] for c in column))
        previous = column
    rule = ["---:" if id(body[0][j]) in numbers else "---" for j in kept]
    lines = [_pipe_row(titles), _pipe_row(rule, escape=False)]
    for row in body:
        cells = []
        for n, j in enumerate(kept):
            spans_on = n + 1 < len(kept) and row[j] is row[kept[n + 1]]
            cells.append("" if spans_on else text[id(row[j])])
        lines.append(_pipe_row(cells))
    return "\n".join(lines)


def _pipe_row(cells: list[str], *, escape: bool = True) -> str:
    shown = [escape_markdown(c).replace("\n", " ") if escape else c for c in cells]
    return "| " + " | ".join(shown) + " |"
