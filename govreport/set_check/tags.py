"""Jinja tags one by one: each tag's syntax, then how the tags pair into blocks.

Jinja stops at the first error; checking each tag on its own, and standing in for
the broken and unpaired ones, lets one check list every mistake and still check
the placeholders after them. Word adds docxtpl's rules on blocks across paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from jinja2 import TemplateSyntaxError

from ..rendering.word import Spot
from ..template_sets.environment import explain_syntax, make_environment
from .names import NameChecker
from .problem import Found
from .shapes import Shape

#: Any tag, ``{{ }}``, ``{% %}`` or ``{# #}``; a tag may span lines in a text file.
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
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
        """Whether the tag starts a block (a ``set`` without ``=`` captures one)."""
        if self.keyword == "set":
            return "=" not in self.source
        return self.keyword in _OPENERS

    @property
    def closes(self) -> str | None:
        """The keyword of the block an ``end…`` tag closes."""
        return self.keyword[3:] if self.keyword.startswith("end") else None

    @property
    def stand_in(self) -> str:
        """What the whole-template parse sees: the tag, or a harmless stand-in."""
        if self.stray:
            return ""
        return _DUMMIES.get(self.keyword, "") if self.broken else self.source


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
    """An ``end…`` tag closes the innermost open block or, failing that, is stray."""
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


def tags_of(spot: Spot) -> list[Tag]:
    """The tags of one paragraph of the Word template."""
    tags = []
    for match in ANY_TAG.finditer(spot.text):
        raw = match.group()
        prefixed = _PREFIX.match(raw)
        source = raw.translate(_QUOTES)
        if prefixed:
            source = "{" + prefixed.group(1) + " " + source[prefixed.end() :]
        prefix = prefixed.group(2) if prefixed else ""
        tags.append(Tag(raw, source, spot.place.describe(), 0, prefix, spot))
    return tags


def syntax_message(exc: TemplateSyntaxError) -> str:
    """Jinja's error in the author's words, marked as a syntax error."""
    return f"模板语法错误：{explain_syntax(exc)}"
