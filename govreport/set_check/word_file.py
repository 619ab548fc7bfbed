"""The Word template: its paragraphs and table cells, then its other parts, walked for tags.

Word hides what Jinja sees: a tag may be split into differently formatted runs,
and docxtpl's ``{%p``/``{%tr``/``{%tc`` tags delete the paragraph, row or cell
around them. Each problem is named by the paragraph or cell the author can find.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree
from lxml.etree import XMLSyntaxError

from ..rendering.compiled import PROPERTIES
from ..rendering.word import Spot, scan
from ..template_sets.word_package import docx_problems
from .problem import Found, TemplateProblem, problems_in
from .requests_labels import table_problems
from .shapes import word_shapes
from .tags import ANY_TAG, Tag, jinja_problems, tags_of
from .text_files import text_problems

_FOOTNOTES = "word/footnotes.xml"
_CORE = "docProps/core.xml"
_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def word_file_problems(path: Path, label: str) -> list[TemplateProblem]:
    """The Word template's problems, or that it is not a Word file at all."""
    refused = docx_problems(path)
    if refused:
        return [TemplateProblem(label, "", message) for message in refused]
    try:
        return word_problems(path, label) + package_problems(path, label)
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, PackageNotFoundError):
        hint = "请确认它是用 Word 另存为的 .docx 文档（不是 .doc、.wps 或改了扩展名的文件）"
        return [TemplateProblem(label, "", f"无法作为 Word 文档打开：{hint}")]


def word_problems(path: Path, label: str) -> list[TemplateProblem]:
    """Every problem of the Word template ``path``; ``label`` names it in messages."""
    spots = list(scan(path))
    found: list[Found] = []
    tags: list[Tag] = []
    for spot in spots:
        found += [(spot.place.describe(), message) for message in layout(spot)]
        tags += tags_of(spot)
    lines = _number_lines(spots, tags)
    where = _paragraph_namer(lines)
    found += jinja_problems(tags, lambda: _whole(lines, tags), where, word_shapes(), word=True)
    return problems_in(label, found) + table_problems(path, label)


def _number_lines(spots: list[Spot], tags: list[Tag]) -> list[Spot]:
    """The paragraphs with tags, one line each of the whole-template parse; tags get their line."""
    lines = [s for s in spots if any(t.spot is s for t in tags)]
    number = {id(spot): n for n, spot in enumerate(lines, 1)}
    for tag in tags:
        tag.line = number[id(tag.spot)]
    return lines


def _paragraph_namer(lines: list[Spot]) -> Callable[[int], str]:
    """Jinja's line number back to the paragraph or cell the author wrote it in."""

    def where(lineno: int) -> str:
        return lines[lineno - 1].place.describe() if 0 < lineno <= len(lines) else ""

    return where


def _whole(lines: list[Spot], tags: list[Tag]) -> str:
    """The template as docxtpl hands it to Jinja: each paragraph's tags on its own line."""
    text = [""] * len(lines)
    for tag in tags:
        text[tag.line - 1] += tag.stand_in
    return "\n".join(text)


def layout(spot: Spot) -> Iterator[str]:
    """Tags Word split across runs, tags not closed in their paragraph, and docxtpl's
    paragraph, row and cell tags that would delete the text around them."""
    rest = ANY_TAG.sub("", spot.text)
    for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
        if opening in rest:
            yield f"“{opening}”在本段内没有对应的“{closing}”：一个标签必须写在同一段落中"
    yield from _split(spot)
    tags = tags_of(spot)
    for tag in tags:
        if tag.prefix == "p" and (len(tags) > 1 or rest.strip()):
            yield (
                f"“{tag.raw}”必须单独占一段：docxtpl 会删除它所在的整个段落，"
                "同一段中的其他文字和标签都会丢失"
            )
        elif tag.prefix in ("tr", "tc"):
            yield from _row_or_cell(spot, tag)


def _split(spot: Spot) -> Iterator[str]:
    """A tag whose characters lie in more than one run (Word's formatting boundaries)."""
    bounds, offset = [], 0
    for run in spot.runs[:-1]:
        offset += len(run)
        bounds.append(offset)
    for match in ANY_TAG.finditer(spot.text):
        cuts = [b - match.start() for b in bounds if match.start() < b < match.end()]
        if cuts:
            raw = match.group()
            pieces = "|".join(raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True))
            yield (
                f"标签“{raw}”被 Word 拆成了几段格式不同的文字（{pieces}），渲染时可能出错或格式错乱；"
                "请选中整个标签，清除格式后重新输入"
            )


def _row_or_cell(spot: Spot, tag: Tag) -> Iterator[str]:
    """A ``{%tr``/``{%tc`` tag replaces its whole row or cell: outside a table, or beside
    other text, something is lost."""
    whole = spot.row if tag.prefix == "tr" else spot.cell
    unit = "行" if tag.prefix == "tr" else "单元格"
    if whole is None:
        yield f"“{tag.raw}”只能写在表格的{unit}中：docxtpl 会用它替换所在的整个表格{unit}"
    elif ANY_TAG.sub("", whole.replace(tag.raw, "", 1)).strip():
        yield f"“{tag.raw}”所在的{unit}中还有其他文字：docxtpl 会删除整个{unit}，这些文字会丢失"


def package_problems(path: Path, label: str) -> list[TemplateProblem]:
    """Tags outside the body, headers and footers: footnotes and the document's core
    properties (title, subject …) render, so their Jinja is checked like the body's;
    tags in any other part (app.xml, custom.xml, endnotes …) would stay as typed."""
    problems = _property_problems(path, label)
    with zipfile.ZipFile(path) as archive:
        problems += _unrendered_parts(archive, label)
        problems += _footnote_problems(archive, label)
    return problems


def _property_problems(path: Path, label: str) -> list[TemplateProblem]:
    """The core properties with tags, checked as the text templates they render as."""
    problems: list[TemplateProblem] = []
    properties = Document(str(path)).core_properties
    for name in PROPERTIES:
        value = getattr(properties, name) or ""
        if any(tag in value for tag in ("{{", "{%")):
            problems += text_problems(value, f"{label} 文档属性“{name}”", word_shapes())
    return problems


def _unrendered_parts(archive: zipfile.ZipFile, label: str) -> list[TemplateProblem]:
    """Parts rendering never reads, whose tags would reach the reader as typed."""
    problems = []
    for info in archive.infolist():
        name = info.filename
        if not name.endswith(".xml") or name in (_FOOTNOTES, _CORE):
            continue
        if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
            continue
        data = archive.read(info)
        if b"{{" in data or b"{%" in data:
            problems.append(
                TemplateProblem(label, name, "其中的标签不会被替换，会原样留在生成的文件中")
            )
    return problems


def _footnote_problems(archive: zipfile.ZipFile, label: str) -> list[TemplateProblem]:
    """The footnotes render, so their text is checked like a text template, a line a paragraph."""
    if _FOOTNOTES not in archive.namelist():
        return []
    root = etree.fromstring(archive.read(_FOOTNOTES), _SAFE_XML)
    text = "\n".join("".join(t.text or "" for t in p.iter(_W_T)) for p in root.iter(_W_P))
    if "{{" in text or "{%" in text:
        return text_problems(text, f"{label} 脚注", word_shapes())
    return []
