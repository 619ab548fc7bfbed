"""The Word template: rendering it with docxtpl, and saying where a tag went wrong.

A broken placeholder in a Word template is reported by the part (正文, 页眉, 页脚),
the paragraph or table cell, and the text around it, because that is what a
template author can find in Word; Jinja's line numbers point into XML nobody sees.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree
from lxml.etree import XMLSyntaxError

from ..errors import TemplateError
from ..template_sets.environment import (
    FailureWording,
    template_failures,
    undefined_name,
    unsafe_attribute,
)
from ..template_sets.word_package import broken_package_reason
from .compiled import compiled

_TAG = re.compile(r"\{[{%].*?[%}]\}", re.DOTALL)


@dataclass(frozen=True)
class TagPlace:
    """Where a tag stands in the Word template, in words a Word user follows."""

    part: str
    where: str
    text: str

    def describe(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:60] + "…"
        return f"{self.part}{self.where}：“{excerpt}”"


#: The Word template: a place in the document (``_located``) instead of an XML line.
WORD_FAILURES = FailureWording(
    syntax="Word 模板 {where} 有语法错误：{detail}",
    undefined="Word 模板 {where} 中的占位符“{name}”无法识别",
    undefined_hint="检查占位符拼写；govreport templates check 可在渲染前列出所有问题",
    security="Word 模板 {where} 试图访问不允许的内容（{detail}），已拒绝渲染",
    other="Word 模板 {where} 渲染出错：{detail}",
    recursion="Word 模板 {where} 嵌套过深，已停止",
    arithmetic="Word 模板 {where} 渲染出错：{detail}",
)


def render_word(template: Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context``: the .docx as bytes.

    The template is compiled once per process (see ``rendering.compiled``); errors name the
    placeholder and where it stands in the Word file.
    """
    with template_failures(WORD_FAILURES, template.name, partial(_place_of, template)):
        try:
            document = compiled(template)
        except (zipfile.BadZipFile, KeyError, XMLSyntaxError) as exc:
            # Not a Word file (or a damaged one): the template's fault, not an internal error.
            raise TemplateError(
                f"Word 模板 {template} 无法打开：{broken_package_reason(exc)}",
                hint="请确认它是用 Word 另存为的 .docx 文档（不是 .doc、.wps 或改了扩展名的文件）",
            ) from None
        return document.render(context)


def _place_of(template: Path, exc: BaseException) -> str:
    """Where in the Word file a syntax error or an unknown placeholder stands."""
    if isinstance(exc, TemplateSyntaxError):
        return _located(template, _syntax_clue(exc))
    if isinstance(exc, UndefinedError):
        return _located(template, undefined_name(exc))
    if isinstance(exc, SecurityError):
        return _located(template, unsafe_attribute(exc))
    return ""


def set_page_numbers(document: bytes, style: str) -> bytes:
    """The rendered report with the set's page-number style (``PAGE_NUMBER_STYLES``).

    ``outside`` is what the national template holds (GB/T 9704 §7.5: odd pages
    right, even pages left, one character in); ``centred`` drops the separate even
    footers and centres every paragraph holding a PAGE field.
    """
    if style != "centred":
        return document
    source = zipfile.ZipFile(io.BytesIO(document))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/settings.xml":
                data = _edit_xml(data, _drop_even_and_odd)
            elif re.fullmatch(r"word/footer\d*\.xml", info.filename):
                data = _edit_xml(data, _centre_page_numbers)
            target.writestr(info, data)
    return buffer.getvalue()


def _edit_xml(data: bytes, edit: Any) -> bytes:
    root = etree.fromstring(data)
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_even_and_odd(settings: Any) -> None:
    for element in settings.findall(qn("w:evenAndOddHeaders")):
        settings.remove(element)


def _centre_page_numbers(footer: Any) -> None:
    for paragraph in footer.iter(qn("w:p")):
        if not any("PAGE" in (t.text or "") for t in paragraph.iter(qn("w:instrText"))):
            continue
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            continue
        for tag in ("w:ind", "w:jc"):
            for element in ppr.findall(qn(tag)):
                ppr.remove(element)
        jc = etree.SubElement(ppr, qn("w:jc"))
        jc.set(qn("w:val"), "center")
        # w:jc comes before w:rPr in a paragraph's properties
        rpr = ppr.find(qn("w:rPr"))
        if rpr is not None:
            rpr.addprevious(jc)


def _syntax_clue(exc: TemplateSyntaxError) -> str:
    source = exc.source or ""
    lines = source.splitlines()
    if exc.lineno and 0 < exc.lineno <= len(lines):
        text = re.sub(r"<[^>]+>", "", lines[exc.lineno - 1])
        tags = _TAG.findall(text)
        if tags:
            return tags[-1]
        return text.strip()[:20]
    return ""


def _located(template: Path, needle: str) -> str:
    places = [p.describe() for p in find_tags(template) if needle and needle in p.text]
    if not places:
        return ""
    return "，位置：" + "；".join(places[:3])


def find_tags(template: Path) -> Iterator[TagPlace]:
    """Every paragraph of the template that holds a Jinja tag, and where it stands."""
    for spot in scan(template):
        if _TAG.search(spot.text):
            yield spot.place


# --------------------------------------------------------------------------- scanning


@dataclass(frozen=True)
class Spot:
    """A paragraph of the Word template as a template author and docxtpl both see it.

    ``runs`` are the texts of its runs (Word splits a paragraph into runs wherever
    formatting, spelling marks or revision ids change); ``cell`` and ``row`` hold
    the text of the table cell and row around it, ``None`` outside a table.
    """

    place: TagPlace
    runs: tuple[str, ...]
    cell: str | None = None
    row: str | None = None
    cell_key: tuple[str, int, int, int] | None = None

    @property
    def text(self) -> str:
        return "".join(self.runs)


@dataclass(frozen=True)
class Cell:
    """A table cell with its 1-based row and grid column (merged cells counted once)."""

    table: int
    row: int
    column: int
    element: Any

    @property
    def where(self) -> str:
        return f"表格 {self.table} 第 {self.row} 行第 {self.column} 列"

    @property
    def text(self) -> str:
        return _text_of(self.element)


def scan(template: Path) -> Iterator[Spot]:
    """Every paragraph of the body, headers and footers that holds a ``{``."""
    document = Document(str(template))
    for part, root in _parts(document):
        yield from _scan(root, part)


def body_tables(template: Path) -> list[list[Cell]]:
    """The cells of every table in the body, table by table."""
    root = Document(str(template)).element.body
    return [list(_cells(tbl, n)) for n, tbl in enumerate(root.iter(qn("w:tbl")), 1)]


def _parts(document: Any) -> Iterator[tuple[str, Any]]:
    """(label, root element) of the body and of every header and footer in use."""
    yield "正文", document.element.body
    seen: set[Any] = set()
    many = len(document.sections) > 1
    for index, section in enumerate(document.sections, 1):
        for attribute, label in _HEADERS_FOOTERS:
            part = getattr(section, attribute)
            if part.is_linked_to_previous or part._element in seen:
                continue
            seen.add(part._element)
            yield (f"第 {index} 节{label}" if many else label), part._element


_HEADERS_FOOTERS = (
    ("header", "页眉"),
    ("first_page_header", "首页页眉"),
    ("even_page_header", "偶数页页眉"),
    ("footer", "页脚"),
    ("first_page_footer", "首页页脚"),
    ("even_page_footer", "偶数页页脚"),
)


def _scan(root: Any, part: str) -> Iterator[Spot]:
    tables = enumerate(root.iter(qn("w:tbl")), 1)
    cells = {c.element: c for n, t in tables for c in _cells(t, n, continued=True)}
    paragraph_no = 0
    for paragraph in root.iter(qn("w:p")):
        tc = _ancestor(paragraph, "tc")
        if tc is None:
            paragraph_no += 1
        runs = tuple(_run_text(r) for r in paragraph.iter(qn("w:r")) if _owner(r) is paragraph)
        if "{" not in "".join(runs):
            continue
        text = "".join(runs).strip()
        if tc is None:
            yield Spot(TagPlace(part, f"第 {paragraph_no} 段", text), runs)
            continue
        cell = cells[tc]
        key = (part, cell.table, cell.row, cell.column)
        row = _text_of(_ancestor(tc, "tr"))
        yield Spot(TagPlace(part, cell.where, text), runs, cell.text, row, key)


def _cells(tbl: Any, table_no: int, *, continued: bool = False) -> Iterator[Cell]:
    """The cells of one table; the hidden rest of a vertically merged cell only if
    ``continued``."""
    for row_no, tr in enumerate(tbl.findall(qn("w:tr")), 1):
        column = 1
        for tc in tr.findall(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span = props.find(qn("w:gridSpan")) if props is not None else None
            merge = props.find(qn("w:vMerge")) if props is not None else None
            if continued or merge is None or merge.get(qn("w:val")) == "restart":
                yield Cell(table_no, row_no, column, tc)
            column += int(span.get(qn("w:val"))) if span is not None else 1


def _ancestor(element: Any, name: str) -> Any:
    """The nearest enclosing ``w:<name>``, or ``None``."""
    tag = qn(f"w:{name}")
    node = element.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _owner(run: Any) -> Any:
    return _ancestor(run, "p")


def _run_text(run: Any) -> str:
    return "".join(t.text or "" for t in run.findall(qn("w:t")))


def _text_of(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))
