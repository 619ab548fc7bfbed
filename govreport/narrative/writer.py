"""The narrative: the author's texts, and boilerplate where the facts leave them out.

Author text names values with placeholders (``{{ requests.received.total }}``,
see ``narrative.placeholders``: data, never code) and boilerplate is the template set's
Jinja with the same names, so numbers in the text cannot drift from the tables. Boilerplate belongs to the template set (``text/<section>/<key>.j2``);
an item of 六 appears when the author wrote it or the set has boilerplate for it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import official as fmt
from ..diagnostics import ERROR, WARNING, Problem, problem
from ..errors import TemplateError
from ..facts.model import Facts
from ..template_sets.environment import chinese_number, render_text
from ..template_sets.sets import TemplateSet
from .placeholders import PlaceholderSyntaxError, find_errors, substitute

CODE_BOILERPLATE = "B1"
CODE_PLACEHOLDER = "T1"


class PlaceholderError(TemplateError):
    """A placeholder in the author's own text fails: a problem of the facts file (T1)."""

    def __init__(self, message: str, path: tuple[str, ...], *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.path = path


_LEAD = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``lead`` is its bold lead-in (``**…**`` in the facts file)."""

    lead: str
    text: str

    @property
    def plain(self) -> str:
        return self.lead + self.text


@dataclass(frozen=True)
class Item:
    """A numbered sub-item of a section: （一）主动公开 and its paragraphs."""

    key: str
    number: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    boilerplate: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"


@dataclass
class Narrative:
    """Every text of the report, ready for the Word template."""

    title: str
    headings: dict[str, str]
    summary: tuple[Paragraph, ...]
    overview_items: list[Item]
    problem_items: list[Item]
    other_items: list[Item]
    boilerplate: list[tuple[str, str]] = field(default_factory=list)

    def items(self) -> Iterator[tuple[str, Item]]:
        for section in ("overview", "problems", "other_matters"):
            for item in self.section_items(section):
                yield section, item

    def section_items(self, section: str) -> list[Item]:
        return {
            "overview": self.overview_items,
            "problems": self.problem_items,
            "other_matters": self.other_items,
        }[section]


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Split a text into paragraphs at newlines; a ``**lead**`` becomes bold."""
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LEAD.match(line)
        result.append(Paragraph(match.group(1), match.group(2)) if match else Paragraph("", line))
    return tuple(result)


def text_context(facts: Facts) -> dict[str, Any]:
    """What placeholders in texts and templates can name."""
    return {
        "agency": facts.agency,
        "year": facts.year,
        "published": facts.published,
        "proactive": facts.proactive,
        "requests": facts.requests,
        "reviews": facts.reviews,
        "fees": format_amount(facts.proactive.fees),
        "me": facts.agency.self_reference,
        "short_name": facts.agency.short_name,
        "next_year": facts.year + 1,
    }


def format_amount(amount: Any) -> str:
    """An exact decimal as written, without exponent or float noise."""
    return format(amount, "f")


def number(style: str, n: int) -> str:
    """Number ``n`` in the set's style: ``（一）``, ``(一)``, ``一、``, ``1.`` or ``1、``."""
    if "一" in style:
        return style.replace("一", chinese_number(n), 1)
    return style.replace("1", str(n), 1)


#: The narrative's classes, whose attributes templates read (``rendering.compiled`` reads them quickly).
NARRATIVE_TYPES: tuple[type, ...] = (Paragraph, Item, Narrative)


class _Writer:
    """Builds the narrative of one report from its facts and template set."""

    def __init__(self, facts: Facts, tset: TemplateSet):
        self.facts = facts
        self.tset = tset
        self.context = text_context(facts)
        self.boilerplate: list[tuple[str, str]] = []

    def slot(self, section: str, key: str, text: str | None) -> tuple[tuple[Paragraph, ...], bool]:
        """The paragraphs for one slot and whether they are boilerplate."""
        path = (section,) if section == "problems" and key == "text" else (section, key)
        if text:
            try:
                rendered = substitute(text, self.context)
            except PlaceholderSyntaxError as exc:
                raise PlaceholderError(exc.message, path, hint=exc.hint) from None
            return paragraphs(rendered), False
        source = self.tset.text(section, key)
        if source is None:
            return (), False
        where = f"模板“{self.tset.name}”的 text/{section}/{key}.j2"
        paras = paragraphs(render_text(source, self.context, where=where))
        if paras:
            self.boilerplate.append((section, key))
        return paras, bool(paras)

    def items(self, section: str, topics: tuple[fmt.Topic, ...], values: Any) -> list[Item]:
        style = self.tset.word("numbering", section, default="（一）")
        items: list[Item] = []
        for topic in topics:
            paras, boiler = self.slot(section, topic.key, getattr(values, topic.key))
            if paras:
                title = self.tset.word("topics", section, topic.key, default=topic.title)
                items.append(Item(topic.key, number(style, len(items) + 1), title, paras, boiler))
        return items

    def problem_items(self) -> list[Item]:
        problems = self.facts.problems
        if problems.text:
            paras, _ = self.slot("problems", "text", problems.text)
            return [Item("text", "", "", paras)]
        return self.items("problems", fmt.PROBLEM_TOPICS, problems)

    def title(self) -> str:
        pattern = self.tset.word("title", default=None)
        if pattern is None:
            return self.facts.title
        return render_text(pattern, self.context, where=f"模板“{self.tset.name}”的标题").strip()

    def write(self) -> Narrative:
        summary, _ = self.slot("overview", "summary", self.facts.overview.summary)
        headings = {
            key: self.tset.word("headings", key, default=text)
            for key, text in fmt.SECTION_HEADINGS.items()
        }
        return Narrative(
            title=self.title(),
            headings=headings,
            summary=summary,
            overview_items=self.items("overview", fmt.OVERVIEW_TOPICS, self.facts.overview),
            problem_items=self.problem_items(),
            other_items=self.items(
                "other_matters", fmt.OTHER_MATTER_TOPICS, self.facts.other_matters
            ),
            boilerplate=self.boilerplate,
        )


def write_narrative(facts: Facts, tset: TemplateSet) -> Narrative:
    """The report's texts: the author's where given, the set's boilerplate elsewhere."""
    return _Writer(facts, tset).write()


def placeholder_problems(facts: Facts) -> list[Problem]:
    """One T1 for every placeholder in the author's texts that fails, at its own line:
    inside a ``|`` block that is the key's line plus the line within the text."""
    context = text_context(facts)
    found = []
    for path, text in facts.texts():
        for exc in find_errors(text, context):
            where = problem(facts, CODE_PLACEHOLDER, ERROR, exc.message, path)
            line = facts.source.text_line(path, exc.line) if facts.source else None
            suffix = f"（该段第 {exc.line} 行）" if "\n" in text else ""
            found.append(
                dataclasses.replace(where, message=exc.message + suffix, line=line, column=None)
            )
    return found


def boilerplate_problems(facts: Facts, narrative: Narrative) -> list[Problem]:
    """One warning per section where boilerplate stands in for the agency's own text.

    Reviewers flag reports whose text is the same as every other office's.
    """
    used: dict[str, list[str]] = {}
    for section, key in narrative.boilerplate:
        used.setdefault(section, []).append(key)
    found = []
    for section, keys in used.items():
        names = "、".join(_slot_title(section, key) for key in keys)
        found.append(
            problem(
                facts,
                CODE_BOILERPLATE,
                WARNING,
                f"{names}未填写，报告将使用模板的通用表述；评审会把与其他单位雷同的表述视为问题，"
                "建议写出本单位的实际做法",
                (section,),
                label=narrative.headings.get(section, fmt.describe((section,))),
            )
        )
    return found


def _slot_title(section: str, key: str) -> str:
    if key == "summary":
        return "总体情况概述"
    topics = {
        "overview": fmt.OVERVIEW_TOPICS,
        "problems": fmt.PROBLEM_TOPICS,
        "other_matters": fmt.OTHER_MATTER_TOPICS,
    }[section]
    return next((t.title for t in topics if t.key == key), key)
