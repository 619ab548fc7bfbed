"""``templates check``: what would go wrong with a template set, found before anyone renders.

A template author edits a Word file and a few text files; the mistakes they make
(a typo in a placeholder, a tag Word split into differently formatted pieces, a
``{%p`` tag sharing its paragraph with text, a retyped table label) only show
at render time, one at a time, as Jinja messages pointing into XML. This module
finds them all at once and names each by where the author can find it: the part
of the Word file, the paragraph or table cell and its text, or the file and line.

Placeholders are checked against the facts model itself: the names rendering
puts in the context (``_render.word_context``, ``_narrative.text_context``) and,
below them, the model's dataclasses and table 三's rows from ``_format``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from docx.opc.exceptions import PackageNotFoundError
from jinja2 import TemplateSyntaxError, nodes
from lxml.etree import XMLSyntaxError

from . import _format as fmt
from ._exceptions import TemplateError
from ._model import Row, RowGroup
from ._templates import (
    DEFAULT_SET,
    METADATA,
    PAGE_NUMBER_STYLES,
    TEXT_DIR,
    TEXT_SLOTS,
    TOPICS,
    WORD_TEMPLATE,
    TemplateSet,
    explain_syntax,
    load_set,
    locate,
    make_environment,
)
from ._word import Spot, body_tables, scan

#: The keys a ``set.yaml`` may hold.
METADATA_KEYS = ("name", "description", "province", "extends", "wording", "page_numbers")
WORDING_KEYS = ("title", "headings", "topics", "numbering")


@dataclass(frozen=True)
class TemplateProblem:
    """One problem: the file, where in it (paragraph, cell, line), and what is wrong."""

    file: str
    where: str
    message: str

    def format(self) -> str:
        where = f" {self.where}" if self.where else ""
        return f"{self.file}{where}：{self.message}"


def check_set(template: str | Path) -> list[TemplateProblem]:
    """Every problem of the set in folder ``template`` (or a built-in set's name).

    A set that cannot be found at all raises ``TemplateError``; everything else,
    a broken ``extends`` included, is a problem in the list.
    """
    folder = locate(template, base=Path.cwd())
    meta, problems = read_metadata(folder)
    if meta is None:
        return problems
    try:
        tset = load_set(folder)
    except TemplateError as exc:
        return [*problems, TemplateProblem(METADATA, "", exc.message)]
    word = tset.find(WORD_TEMPLATE)
    if word is None:
        problems.append(TemplateProblem(WORD_TEMPLATE, "", "整个继承链中都没有 Word 模板"))
    else:
        problems += _word_file_problems(word, _label(tset, word, WORD_TEMPLATE))
    title = tset.word("title")
    if isinstance(title, str):
        problems += text_problems(title, f"{METADATA} wording.title", text_shapes())
    problems += stray_files(tset.folder)
    for relative, path in tset.text_files().items():
        label = _label(tset, path, f"{TEXT_DIR}/{relative}")
        problems += slot_problems(relative, label)
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(TemplateProblem(label, "", "不是 UTF-8 编码，请用 UTF-8 另存"))
            continue
        problems += text_problems(source, label, text_shapes())
    return problems


def stray_files(folder: Path) -> list[TemplateProblem]:
    """Files under text/ that are not ``<section>/<key>.j2`` are never read."""
    root = folder / TEXT_DIR
    wanted = set(root.glob("*/*.j2"))
    return [
        TemplateProblem(
            path.relative_to(folder).as_posix(),
            "",
            "不会被使用：通用表述文件应放在 text/<部分>/<键>.j2",
        )
        for path in sorted(root.rglob("*"))
        if path.is_file() and path not in wanted
    ]


def _word_file_problems(path: Path, label: str) -> list[TemplateProblem]:
    """The Word template's problems, or that it is not a Word file at all."""
    try:
        return word_problems(path, label)
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, PackageNotFoundError):
        hint = "请确认它是用 Word 另存为的 .docx 文档（不是 .doc、.wps 或改了扩展名的文件）"
        return [TemplateProblem(label, "", f"无法作为 Word 文档打开：{hint}")]


def _label(tset: TemplateSet, path: Path, relative: str) -> str:
    """The file as the author knows it; an inherited file names the set it comes from."""
    if path.is_relative_to(tset.folder):
        return relative
    owner = next(t for t in tset.chain if path.is_relative_to(t.folder))
    return f"{relative}（继承自模板“{owner.name}”）"


# --------------------------------------------------------------------------- set.yaml


def read_metadata(folder: Path) -> tuple[dict | None, list[TemplateProblem]]:
    """set.yaml as data (``None`` when unreadable), and its unknown keys and wording."""
    try:
        meta = yaml.safe_load((folder / METADATA).read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [TemplateProblem(METADATA, "", f"无法读取：{exc}")]
    if not isinstance(meta, dict):
        return None, [TemplateProblem(METADATA, "", "应是“键: 值”形式的映射")]
    problems = [
        TemplateProblem(METADATA, "", f"未知的键“{key}”" + _guess(str(key), METADATA_KEYS))
        for key in meta
        if key not in METADATA_KEYS
    ]
    numbers = meta.get("page_numbers")
    if numbers is not None and numbers not in PAGE_NUMBER_STYLES:
        problems.append(
            TemplateProblem(
                METADATA, "page_numbers", "应为 " + "、".join(PAGE_NUMBER_STYLES) + " 之一"
            )
        )
    wording = meta.get("wording") or {}
    if not isinstance(wording, dict):
        problems.append(TemplateProblem(METADATA, "wording", "应是“键: 值”形式的映射"))
    else:
        problems += [TemplateProblem(METADATA, where, msg) for where, msg in _wording(wording)]
    return meta, problems


def _wording(wording: dict) -> Iterator[tuple[str, str]]:
    """(where, message) for each wording entry that is unknown or of the wrong kind."""
    allowed: dict[str, tuple[str, ...]] = {
        "headings": tuple(fmt.SECTION_HEADINGS),
        "topics": tuple(TOPICS),
        "numbering": tuple(TOPICS),
    }
    for key, value in wording.items():
        where = f"wording.{key}"
        if key not in WORDING_KEYS:
            yield where, "未知的表述项" + _guess(str(key), WORDING_KEYS)
        elif key == "title":
            if value is not None and not isinstance(value, str):
                yield where, "标题应是一行文字"
        elif not isinstance(value, dict):
            yield where, "应是“键: 值”形式的映射"
        else:
            yield from _wording_section(key, value, allowed[key])


def _wording_section(key: str, value: dict, allowed: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for name, entry in value.items():
        where = f"wording.{key}.{name}"
        if name not in allowed:
            yield where, "未知的项目" + _guess(str(name), allowed)
        elif key == "topics":
            yield from _topics(name, entry)
        elif entry is not None and not isinstance(entry, str):
            yield where, "应是一行文字"
        elif key == "numbering" and entry and "一" not in entry and "1" not in entry:
            yield where, f"编号样式“{entry}”中应有“一”或“1”，如（一）、1."


def _topics(section: str, entry: Any) -> Iterator[tuple[str, str]]:
    keys = tuple(t.key for t in TOPICS[section])
    if not isinstance(entry, dict):
        yield f"wording.topics.{section}", "应是“键: 值”形式的映射"
        return
    for key, title in entry.items():
        where = f"wording.topics.{section}.{key}"
        if key not in keys:
            yield where, "未知的小标题" + _guess(str(key), keys)
        elif title is not None and not isinstance(title, str):
            yield where, "小标题应是一行文字"


def slot_problems(relative: str, label: str) -> list[TemplateProblem]:
    """A text file whose name matches no narrative slot is never used."""
    section, _, name = relative.partition("/")
    key = name.removesuffix(".j2")
    if section not in TEXT_SLOTS:
        known = "、".join(TEXT_SLOTS)
        return [
            TemplateProblem(
                label, "", f"文件夹“{section}”不对应任何章节（可用：{known}），不会被使用"
            )
        ]
    if key not in TEXT_SLOTS[section]:
        known = "、".join(TEXT_SLOTS[section])
        return [
            TemplateProblem(
                label,
                "",
                f"“{key}”不对应 {section} 中的任何条目，不会被使用"
                + _guess(key, TEXT_SLOTS[section])
                + f"（可用：{known}）",
            )
        ]
    return []


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True, eq=False)
class Shape:
    """What a placeholder may reach below a value: attributes, items, or anything."""

    attrs: Mapping[str, Shape] | None = None
    item: Shape | None = None
    pytype: type | None = None
    anything: bool = False

    def lookup(self, name: str) -> Shape | None:
        """The shape of ``value.name``, or ``None`` when rendering would find nothing."""
        if self.anything:
            return ANY
        if self.attrs is not None and name in self.attrs:
            return self.attrs[name]
        if self.pytype is not None and hasattr(self.pytype, name):
            return ANY
        return None

    def names(self) -> list[str]:
        return list(self.attrs or ())


ANY = Shape(anything=True)


@cache
def shape_of_type(tp: Any) -> Shape:
    """The shape of a model type: dataclass fields and properties, element types, builtins."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return shape_of_type(args[0]) if len(args) == 1 else ANY
    if origin in (list, tuple):
        args = typing.get_args(tp)
        return Shape(item=shape_of_type(args[0]) if args else ANY, pytype=origin)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_shape(tp)
    if isinstance(tp, type) and tp is not object:
        return Shape(pytype=tp)
    return ANY


def _dataclass_shape(cls: type) -> Shape:
    hints = typing.get_type_hints(cls)
    attrs = {f.name: shape_of_type(hints[f.name]) for f in dataclasses.fields(cls)}
    for name, member in vars(cls).items():
        if isinstance(member, property) and not name.startswith("_"):
            returns = typing.get_type_hints(member.fget).get("return", Any)
            attrs[name] = shape_of_type(returns)
    return Shape(attrs=attrs, pytype=cls)


def _group_shape(spec: tuple[fmt.RequestRow, ...]) -> Shape:
    """A level of table 三 as ``RowGroup`` builds it from ``_format``."""
    row = shape_of_type(Row)
    attrs = {r.key: _group_shape(r.children) if r.is_group else row for r in spec}
    attrs["total"] = row
    return Shape(attrs=attrs, pytype=RowGroup)


def shape_of_value(value: Any) -> Shape:
    """The shape of a context value, from its model type where it has one."""
    if isinstance(value, RowGroup):
        return _group_shape(value._spec)
    if dataclasses.is_dataclass(value):
        return shape_of_type(type(value))
    if isinstance(value, Mapping):
        return Shape(attrs={k: shape_of_value(v) for k, v in value.items()}, pytype=dict)
    if isinstance(value, (list, tuple)):
        return Shape(item=shape_of_value(value[0]) if value else ANY, pytype=type(value))
    return ANY if value is None else Shape(pytype=type(value))


_SAMPLE = {
    "agency": {"name": "某某局", "contact": {"department": "办公室", "phone": "0000-0000000"}},
    "year": 2023,
    "published": dt.date(2024, 1, 20),
}


@cache
def _sample_contexts() -> tuple[dict[str, Any], dict[str, Any]]:
    """The text and Word contexts of a sample report: rendering's own names, no list empty."""
    from ._facts import load
    from ._narrative import text_context, write_narrative
    from ._render import word_context

    facts = load(_SAMPLE)
    narrative = write_narrative(facts, load_set(DEFAULT_SET))
    return text_context(facts), word_context(facts, narrative)


def text_shapes() -> dict[str, Shape]:
    """What boilerplate texts, the title and the author's texts may name."""
    return {k: shape_of_value(v) for k, v in _sample_contexts()[0].items()}


def word_shapes() -> dict[str, Shape]:
    """What the Word template may name."""
    return {k: shape_of_value(v) for k, v in _sample_contexts()[1].items()}


# --------------------------------------------------------------------------- names

_GLOBALS = frozenset(make_environment().globals)
_INCLUDES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


class NameChecker:
    """Walks a template's syntax tree and reports every name the context cannot answer.

    Scopes follow Jinja: a ``for`` binds its target and ``loop`` inside the loop, a
    ``set`` binds from that point on, macros bind their arguments.
    """

    def __init__(self, context: Mapping[str, Shape], report: Callable[[int, str], None]):
        self.context = context
        self.report = report

    def template(self, tree: nodes.Template) -> None:
        self.body(tree.body, {})

    def body(self, statements: list[nodes.Node], scope: dict[str, Shape]) -> None:
        for statement in statements:
            self.stmt(statement, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        handler = getattr(self, f"_{type(node).__name__}", None)
        if handler is not None:
            handler(node, scope)
        elif isinstance(node, _INCLUDES):
            self.report(node.lineno, "模板中不能引用其他模板（include、import、extends）")
        else:
            self.generic(node, scope)

    def generic(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.stmt(child, scope)

    def _For(self, node: nodes.For, scope: dict[str, Shape]) -> None:
        iterated = self.expr(node.iter, scope)
        inner = {**scope, "loop": ANY}
        self.bind(node.target, iterated.item or ANY, inner)
        if node.test is not None:
            self.expr(node.test, inner)
        self.body(node.body, inner)
        self.body(node.else_, dict(scope))

    def _If(self, node: nodes.If, scope: dict[str, Shape]) -> None:
        self.expr(node.test, scope)
        self.body(node.body, scope)
        for branch in node.elif_:
            self._If(branch, scope)
        self.body(node.else_, scope)

    def _Assign(self, node: nodes.Assign, scope: dict[str, Shape]) -> None:
        self.bind(node.target, self.expr(node.node, scope), scope)

    def _AssignBlock(self, node: nodes.AssignBlock, scope: dict[str, Shape]) -> None:
        self.body(node.body, dict(scope))
        self.bind(node.target, ANY, scope)

    def _Macro(self, node: nodes.Macro, scope: dict[str, Shape]) -> None:
        scope[node.name] = ANY
        self._callable(node, scope)

    def _CallBlock(self, node: nodes.CallBlock, scope: dict[str, Shape]) -> None:
        self.expr(node.call, scope)
        self._callable(node, scope)

    def _callable(self, node: nodes.Macro | nodes.CallBlock, scope: dict[str, Shape]) -> None:
        for default in node.defaults:
            self.expr(default, scope)
        inner = {**scope, "caller": ANY, "varargs": ANY, "kwargs": ANY}
        for arg in node.args:
            self.bind(arg, ANY, inner)
        self.body(node.body, inner)

    def _With(self, node: nodes.With, scope: dict[str, Shape]) -> None:
        inner = dict(scope)
        for target, value in zip(node.targets, node.values, strict=True):
            self.bind(target, self.expr(value, scope), inner)
        self.body(node.body, inner)

    def bind(self, target: nodes.Node, shape: Shape, scope: dict[str, Shape]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)
        elif isinstance(target, nodes.NSRef):
            self.expr(nodes.Name(target.name, "load", lineno=target.lineno), scope)

    def expr(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        """Check an expression; its shape, so a chain is checked link by link."""
        if isinstance(node, nodes.Name):
            return self._name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self._attribute(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
            if isinstance(key, str):
                return self._attribute(node, base, key)
            self.expr(node.arg, scope)
            return (base.item or ANY) if isinstance(key, int) else ANY
        if isinstance(node, nodes.Const):
            return ANY if node.value is None else Shape(pytype=type(node.value))
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            return ANY
        self.generic(node, scope)
        return ANY

    def _name(self, node: nodes.Name, scope: dict[str, Shape]) -> Shape:
        if node.ctx != "load":
            return ANY
        if node.name in scope:
            return scope[node.name]
        if node.name in self.context:
            return self.context[node.name]
        if node.name not in _GLOBALS:
            known = [*scope, *self.context]
            self.report(node.lineno, f"占位符“{node.name}”无法识别" + _guess(node.name, known))
        return ANY

    def _attribute(self, node: nodes.Node, base: Shape, name: str) -> Shape:
        path = dotted(node)
        if name.startswith("_"):
            self.report(
                node.lineno,
                f"占位符“{path}”试图访问 Python 内部属性“{name}”：模板中不允许，渲染时会被拒绝",
            )
            return ANY
        found = base.lookup(name)
        if found is None:
            owner = dotted(node.node)
            self.report(
                node.lineno,
                f"占位符“{path}”无法识别：“{owner}”没有“{name}”" + _guess(name, base.names()),
            )
            return ANY
        return found


def dotted(node: nodes.Node) -> str:
    """``requests.results.withheld`` for the chain of names a placeholder writes."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
        return (
            f"{dotted(node.node)}.{key}" if isinstance(key, str) else f"{dotted(node.node)}[{key}]"
        )
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


def _guess(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"（是不是“{close[0]}”？）" if close else ""


def syntax_message(exc: TemplateSyntaxError) -> str:
    return f"模板语法错误：{explain_syntax(exc)}"


# --------------------------------------------------------------------------- tags

_ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PREFIX = re.compile(r"^\{([{%#])(p|tr|tc|r) ")
_KEYWORD = re.compile(r"^\{%[-+]?\s*(\w+)")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_OPENERS = ("for", "if", "macro", "call", "filter", "with", "block", "autoescape", "raw")
_MIDDLES = {"elif": ("if",), "else": ("if", "for")}
#: What stands in for a broken tag when the whole template is parsed, keeping its block.
_DUMMIES = {
    "for": "{% for _ in () %}",
    "if": "{% if true %}",
    "elif": "{% elif true %}",
    "else": "{% else %}",
    "macro": "{% macro _m() %}",
    "call": "{% call _m() %}",
    "filter": "{% filter string %}",
    "with": "{% with %}",
    "block": "{% block _b %}",
    "autoescape": "{% autoescape true %}",
    "set": "{% set _s %}",
}


@dataclass(eq=False)
class Tag:
    """A Jinja tag as Jinja will see it, and where the author wrote it.

    In a Word template ``source`` has docxtpl's ``p``/``tr``/``tc``/``r`` prefix and
    Word's curly quotes taken off, as docxtpl does before Jinja compiles it.
    """

    raw: str
    source: str
    where: str
    line: int
    prefix: str = ""
    spot: Spot | None = None
    broken: bool = False
    stray: bool = False
    keyword: str = field(init=False)

    def __post_init__(self) -> None:
        match = _KEYWORD.match(self.source)
        self.keyword = match.group(1) if match else ""

    @property
    def opens(self) -> bool:
        if self.keyword == "set":
            return "=" not in self.source
        return self.keyword in _OPENERS

    @property
    def closes(self) -> str | None:
        return self.keyword[3:] if self.keyword.startswith("end") else None

    @property
    def stand_in(self) -> str:
        """What the whole-template parse sees: the tag, or a harmless stand-in."""
        if self.stray:
            return ""
        return _DUMMIES.get(self.keyword, "") if self.broken else self.source


Found = tuple[str, str]  # (where, message)


def jinja_problems(
    tags: list[Tag],
    source: Callable[[], str],
    where: Callable[[int], str],
    shapes: Mapping[str, Shape],
    *,
    word: bool = False,
) -> list[Found]:
    """Syntax tag by tag, then the block structure, then every placeholder.

    Broken and unpaired tags are stood in for, so one mistake does not hide the
    placeholders after it; ``source`` builds the whole template from the tags.
    """
    found = [(t.where, m) for t, m in tag_syntax(tags, word=word)]
    found += [(t.where, m) for t, m in pairing(tags, word=word)]
    env = make_environment(markup=word)
    try:
        tree = env.parse(source())
    except TemplateSyntaxError as exc:
        if not found:
            found.append((where(exc.lineno or 1), syntax_message(exc)))
        return found

    def report(lineno: int, message: str) -> None:
        if (where(lineno), message) not in found:
            found.append((where(lineno), message))

    NameChecker(shapes, report).template(tree)
    return found


def tag_syntax(tags: list[Tag], *, word: bool) -> Iterator[tuple[Tag, str]]:
    """Each tag compiled on its own (its block closed for it), so every broken tag is found."""
    env = make_environment(markup=word)
    for tag in tags:
        if tag.source.startswith("{#") or tag.closes is not None or tag.keyword == "raw":
            continue
        source = tag.source
        if tag.keyword in _MIDDLES:
            source = "{% if true %}" + source + "{% endif %}"
        elif tag.opens:
            source += "{% end" + tag.keyword + " %}"
        try:
            env.compile(source)
        except TemplateSyntaxError as exc:
            tag.broken = True
            yield tag, f"“{tag.raw}”：{syntax_message(exc)}"


def pairing(tags: list[Tag], *, word: bool) -> Iterator[tuple[Tag, str]]:
    """Blocks that do not close, close the wrong block, or (in Word) span what docxtpl
    cannot join. Unpaired tags are marked ``stray``."""
    stack: list[Tag] = []
    for tag in tags:
        if tag.opens:
            stack.append(tag)
        elif tag.keyword in _MIDDLES:
            if not stack or stack[-1].keyword not in _MIDDLES[tag.keyword]:
                tag.stray = True
                yield (
                    tag,
                    f"“{tag.raw}”前面没有对应的 {{% if %}}"
                    + ("或 {% for %}" if tag.keyword == "else" else ""),
                )
            elif word:
                yield from _span(stack[-1], tag)
        elif tag.closes is not None:
            yield from _close(tag, stack, word=word)
    for opener in stack:
        opener.stray = True
        closing = "{%" + opener.prefix + f" end{opener.keyword} %}}"
        yield opener, f"“{opener.raw}”没有对应的 {closing}"


def _close(tag: Tag, stack: list[Tag], *, word: bool) -> Iterator[tuple[Tag, str]]:
    if stack and stack[-1].keyword == tag.closes:
        opener = stack.pop()
        if word:
            yield from _span(opener, tag)
        return
    tag.stray = True
    if not stack:
        yield tag, f"多余的“{tag.raw}”：前面没有对应的 {{% {tag.closes} %}}"
    else:
        opener = stack[-1]
        yield tag, f"“{tag.raw}”与前面的“{opener.raw}”（{opener.where}）不配对"


def _span(opener: Tag, other: Tag) -> Iterator[tuple[Tag, str]]:
    """Two tags of one block in different paragraphs must be of a kind docxtpl joins safely."""
    if opener.spot is other.spot or opener.spot is None or other.spot is None:
        return
    kinds = {opener.prefix, other.prefix}
    if kinds in ({"tr"}, {"tc"}):
        return
    if len(kinds) > 1:
        yield (
            other,
            (
                f"“{other.raw}”与“{opener.raw}”（{opener.where}）应是同一种标签"
                "（都写 {%p …%}，或表格中都写 {%tr …%}），混用会损坏生成的 Word 文件"
            ),
        )
    elif opener.spot.cell_key != other.spot.cell_key:
        yield (
            other,
            (
                f"“{other.raw}”与“{opener.raw}”（{opener.where}）不在同一个单元格中，"
                "生成的 Word 文件会损坏；跨行重复请用 {%tr …%}"
            ),
        )


def _problems(label: str, found: list[Found]) -> list[TemplateProblem]:
    return [TemplateProblem(label, where, message) for where, message in found]


def _excerpt(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------- text templates


def text_problems(source: str, label: str, shapes: Mapping[str, Shape]) -> list[TemplateProblem]:
    """Syntax errors and unknown placeholders of a text template, by line."""
    lines = source.splitlines()

    def where(lineno: int) -> str:
        text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
        return f"第 {lineno} 行：“{_excerpt(text)}”" if text else f"第 {lineno} 行"

    spans, tags = [], []
    for match in _ANY_TAG.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        tags.append(Tag(match.group(), match.group(), where(line), line))
        spans.append(match.span())

    def whole() -> str:
        parts, last = [], 0
        for (start, end), tag in zip(spans, tags, strict=True):
            parts += [source[last:start], tag.stand_in + "\n" * tag.raw.count("\n")]
            last = end
        return "".join([*parts, source[last:]])

    found = jinja_problems(tags, whole, where, shapes)
    blanked = _ANY_TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
        if opening in blanked:
            line = blanked.count("\n", 0, blanked.index(opening)) + 1
            found.append((where(line), f"“{opening}”没有对应的“{closing}”"))
    return _problems(label, found)


# --------------------------------------------------------------------------- the Word template


def tags_of(spot: Spot) -> list[Tag]:
    """The tags of one paragraph of the Word template."""
    tags = []
    for match in _ANY_TAG.finditer(spot.text):
        raw = match.group()
        prefixed = _PREFIX.match(raw)
        source = raw.translate(_QUOTES)
        if prefixed:
            source = "{" + prefixed.group(1) + " " + source[prefixed.end() :]
        prefix = prefixed.group(2) if prefixed else ""
        tags.append(Tag(raw, source, spot.place.describe(), 0, prefix, spot))
    return tags


def word_problems(path: Path, label: str) -> list[TemplateProblem]:
    """Every problem of the Word template ``path``; ``label`` names it in messages."""
    spots = list(scan(path))
    found: list[Found] = []
    tags: list[Tag] = []
    for spot in spots:
        found += [(spot.place.describe(), message) for message in layout(spot)]
        tags += tags_of(spot)
    lines = [s for s in spots if any(t.spot is s for t in tags)]
    number = {id(spot): n for n, spot in enumerate(lines, 1)}
    for tag in tags:
        tag.line = number[id(tag.spot)]

    def where(lineno: int) -> str:
        return lines[lineno - 1].place.describe() if 0 < lineno <= len(lines) else ""

    def whole() -> str:
        text = [""] * len(lines)
        for tag in tags:
            text[tag.line - 1] += tag.stand_in
        return "\n".join(text)

    found += jinja_problems(tags, whole, where, word_shapes(), word=True)
    return _problems(label, found) + table_problems(path, label)


def layout(spot: Spot) -> Iterator[str]:
    """Tags Word split across runs, tags not closed in their paragraph, and docxtpl's
    paragraph, row and cell tags that would delete the text around them."""
    rest = _ANY_TAG.sub("", spot.text)
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
    for match in _ANY_TAG.finditer(spot.text):
        cuts = [b - match.start() for b in bounds if match.start() < b < match.end()]
        if cuts:
            raw = match.group()
            pieces = "|".join(raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True))
            yield (
                f"标签“{raw}”被 Word 拆成了几段格式不同的文字（{pieces}），渲染时可能出错或格式错乱；"
                "请选中整个标签，清除格式后重新输入"
            )


def _row_or_cell(spot: Spot, tag: Tag) -> Iterator[str]:
    whole = spot.row if tag.prefix == "tr" else spot.cell
    unit = "行" if tag.prefix == "tr" else "单元格"
    if whole is None:
        yield f"“{tag.raw}”只能写在表格的{unit}中：docxtpl 会用它替换所在的整个表格{unit}"
    elif _ANY_TAG.sub("", whole.replace(tag.raw, "", 1)).strip():
        yield f"“{tag.raw}”所在的{unit}中还有其他文字：docxtpl 会删除整个{unit}，这些文字会丢失"


# --------------------------------------------------------------------------- table 三


def official_request_labels() -> list[str]:
    """Every label of table 三 as the official format prints it, top left to bottom right."""
    return [
        fmt.REQUESTS_CORNER,
        fmt.APPLICANT_HEADER,
        fmt.LEGAL_PERSON_HEADER,
        *(c.label for c in fmt.APPLICANT_COLUMNS),
        fmt.TOTAL.label,
        *(row.label for row in fmt.walk()),
    ]


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def table_problems(path: Path, label: str) -> list[TemplateProblem]:
    """Table 三's labels against ``_format``: retyped labels drift (情况 for 情形)."""
    table = next((t for t in body_tables(path) if _is_requests_table(t)), None)
    if table is None:
        return [TemplateProblem(label, "", "找不到表三（收到和处理政府信息公开申请情况）")]
    expected = {_plain(text): text for text in official_request_labels()}
    found = [c for c in table if _plain(c.text) and not _ANY_TAG.search(c.text)]
    seen = {_plain(c.text) for c in found}
    missing = [text for key, text in expected.items() if key not in seen]
    problems = []
    for cell in found:
        if _plain(cell.text) in expected:
            continue
        close = difflib.get_close_matches(cell.text.strip(), missing, n=1, cutoff=0.5)
        hint = f"，官方表述为“{close[0]}”" if close else ""
        problems.append(
            TemplateProblem(
                label,
                f"正文{cell.where}",
                f"表三的标签“{_excerpt(cell.text.strip())}”与官方格式不一致{hint}",
            )
        )
        if close:
            missing.remove(close[0])
    problems += [
        TemplateProblem(label, f"正文表格 {table[0].table}", f"表三缺少官方标签“{text}”")
        for text in missing
    ]
    return problems


def _is_requests_table(cells: list[Any]) -> bool:
    texts = [c.text for c in cells]
    return any("requests." in t for t in texts) or any(
        _plain(t) in (_plain(fmt.REQUESTS_CORNER), fmt.APPLICANT_HEADER) for t in texts
    )
