"""The Word template: rendering it with docxtpl, and saying where a tag went wrong.

A broken placeholder in a Word template is reported by the part (正文, 页眉, 页脚),
the paragraph or table cell, and the text around it, because that is what a
template author can find in Word; Jinja's line numbers point into XML nobody sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaError
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from ._exceptions import TemplateError
from ._output import atomic_output
from ._templates import make_environment, undefined_name

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


def render_word(template: Path, context: dict[str, Any], target: Path) -> None:
    """Render ``template`` with ``context`` into ``target`` (written atomically)."""
    doc = DocxTemplate(template)
    env = make_environment(markup=True)
    try:
        doc.render(context, jinja_env=env, autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"Word 模板 {template.name} 有语法错误：{exc.message}"
            + _located(template, _syntax_clue(exc))
        ) from None
    except UndefinedError as exc:
        name = undefined_name(exc)
        raise TemplateError(
            f"Word 模板 {template.name} 中的占位符“{name}”无法识别" + _located(template, name),
            hint="检查占位符拼写；govreport templates check 可在渲染前列出所有问题",
        ) from None
    except SecurityError as exc:
        raise TemplateError(
            f"Word 模板 {template.name} 试图访问不允许的内容（{exc}），已拒绝渲染"
        ) from None
    except JinjaError as exc:
        raise TemplateError(f"Word 模板 {template.name} 渲染出错：{exc}") from None
    with atomic_output(target) as tmp:
        doc.save(tmp)


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
    """Every paragraph or table cell of the template that holds a Jinja tag."""
    document = Document(str(template))
    yield from _scan(document.element.body, document, "正文")
    for index, section in enumerate(document.sections, 1):
        for part, name in ((section.header, "页眉"), (section.footer, "页脚")):
            if not part.is_linked_to_previous:
                label = name if len(document.sections) == 1 else f"第 {index} 节{name}"
                yield from _scan(part._element, part, label)


def _scan(element: Any, parent: Any, part: str) -> Iterator[TagPlace]:
    paragraph_no = table_no = 0
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_no += 1
            text = Paragraph(child, parent).text
            if _TAG.search(text):
                yield TagPlace(part, f"第 {paragraph_no} 段", text.strip())
        elif tag == "tbl":
            table_no += 1
            yield from _scan_table(Table(child, parent), part, table_no)


def _scan_table(table: Table, part: str, table_no: int) -> Iterator[TagPlace]:
    seen = set()
    for row_no, row in enumerate(table.rows, 1):
        for col_no, cell in enumerate(row.cells, 1):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = cell.text
            if _TAG.search(text):
                yield TagPlace(part, f"表格 {table_no} 第 {row_no} 行第 {col_no} 列", text.strip())
