"""``import_report``: a published report (.docx, .html, .txt, .md, PDF, .xlsx) → facts.

The stages: read the file into paragraphs and table cells (``readers``: docx,
html, pdf, text; a govreport workbook is read straight into facts by
``readers.xlsx``), cut it at the six headings, read the three tables by their
labels (``tables``) and the narrative by its headings and items (``sections``),
then validate the result as any facts file is.

Nothing is guessed silently: every cell read as 0 because it was blank, every
label that differs from the official wording, every number of the 2019 trial
format mapped to the 2021 one and everything that could not be read is a problem
in ``ImportResult.problems`` (errors where the facts are incomplete).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from .. import official as fmt
from ..diagnostics import Problem
from ..errors import FactsError, InputError
from ..facts.loading import load
from ..narrative.placeholders import escape
from .base import (
    CODE_MISSING,
    CODE_NOT_IMPORTED,
    CODE_TRIAL,
    Block,
    Cell,
    NotAReport,
    Paragraph,
    Table,
    error,
    warning,
)
from .closing import take_closing
from .readers.choose import READERS as READERS  # re-exported: the suffixes import reads
from .readers.choose import WORKBOOKS, read_report
from .readers.flat import label_cells, split_items
from .readers.xlsx import read_workbook
from .result import ImportResult
from .sections import (
    OVERVIEW_KEYWORDS,
    PROBLEM_KEYWORDS,
    TABLE_SECTIONS,
    Sections,
    guessed,
    heading_drift,
    is_chrome,
    missing_section,
    preface_texts,
    split_other_matters,
    split_overview,
    split_sections,
    stray_tables,
    stray_text,
    text_of,
    without_chrome,
)
from .tables import PrintedCell, TableRead
from .tables.proactive import read_proactive
from .tables.requests import read_requests
from .tables.reviews import read_reviews
from .title import (
    level_of,
    mentioned_year,
    named_in_text,
    opening_year,
    read_title,
    statistics_year,
)

UNKNOWN_NAME = "（未识别的机关名称）"


def import_report(path: str | Path) -> ImportResult:
    """Read the published report at ``path`` into facts.

    Raises ``InputError`` when the file cannot be read or holds nothing that looks
    like a 政府信息公开工作年度报告. A report whose own totals break 勾稽关系 is
    imported as it stands: run ``check`` on the facts to see those problems.
    """
    path = Path(path)
    if path.suffix.lower() in WORKBOOKS:
        return read_workbook(path)
    try:
        seen = read_report(path)  # what a person sees, and notes on what was not read
        blocks = _without_chrome(seen.blocks)
    except InputError as exc:
        exc.file = exc.file or str(path)
        raise
    except RecursionError:  # a reader met nesting deeper than it bounds
        raise InputError("文件的嵌套层次过深，无法作为年度报告读取", file=str(path)) from None
    sections = split_sections(blocks)
    if not sections.parts and not any(isinstance(b, Table) for b in blocks):
        raise NotAReport(
            "没有找到年度报告的各部分标题（一、总体情况 … 六、其他需要报告的事项）和表格，"
            "无法作为政府信息公开工作年度报告导入",
            file=str(path),
        )
    builder = _Builder(sections)
    data = builder.build()
    try:
        facts = load(data)
    except FactsError as exc:  # pragma: no cover - the builder writes only valid data
        raise InputError(
            f"导入的数据无法通过校验：{exc.format_message()}", file=str(path)
        ) from None
    problems = [_located(p, path) for p in [*seen.notes, *builder.problems]]
    return ImportResult(
        path,
        data,
        facts,
        problems,
        builder.trial,
        builder.printed,
        _paragraphs(sections),
        builder.published_from,
    )


def _without_chrome(blocks: list[Block]) -> list[Block]:
    cleaned: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            text = without_chrome(block.text)
            if not text:
                continue
            block = dataclasses.replace(block, text=text) if text != block.text else block
        cleaned.append(block)
    return cleaned


def _paragraphs(sections: Sections) -> list[tuple[str, str, int | None]]:
    parts = [("preface", sections.preface), *sections.parts.items()]
    return [
        (key, b.text, b.page)
        for key, blocks in parts
        for b in blocks
        if isinstance(b, Paragraph) and not is_chrome(b.text)
    ]


def _escaped(texts: dict[str, Any]) -> dict[str, Any]:
    """Narrative as data: a published ``原文写着{{ year }}`` must come back as written,
    never be filled in (see ``narrative.placeholders``)."""
    return {
        key: escape(value) if isinstance(value, str) else {k: escape(v) for k, v in value.items()}
        for key, value in texts.items()
    }


def _located(problem: Problem, path: Path) -> Problem:
    return dataclasses.replace(problem, file=str(path))


# --------------------------------------------------------------------------- building facts


class _Builder:
    """Assembles the facts-file data from the report's sections, collecting problems."""

    def __init__(self, sections: Sections):
        self.sections = sections
        self.problems: list[Problem] = []
        self.trial = False
        self.printed: dict[tuple[str, ...], PrintedCell] = {}
        self.published_from: str | None = None

    def build(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": fmt.FORMAT_VERSION}
        self.problems += [heading_drift(key, text) for key, text in self.sections.typos]
        tables = self._tables()
        texts = self._narrative()
        heading = read_title(self.sections.preface)
        closing = texts.pop("__closing__")
        data["agency"] = self._agency(heading.name, closing)
        data["year"] = self._year(heading.year, closing.date)
        published = closing.date
        self.published_from = "closing" if published else None
        if published is None and heading.page_date is not None:
            published = heading.page_date
            self.published_from = "page"
            self.problems.append(
                guessed(
                    f"原报告没有落款日期，取网页发布日期 {published.isoformat()}，请核对",
                    ("published",),
                )
            )
        if published is not None:
            data["published"] = published
        summary = preface_texts(self.sections.preface, heading.used, self.problems)
        if summary:
            texts.setdefault("overview", {})
            lead = texts["overview"].get("summary")
            texts["overview"]["summary"] = text_of([*summary, *([lead] if lead else [])])
        data.update(_escaped(texts))
        data.update(tables)
        if self.trial:
            self.problems.insert(
                0,
                warning(
                    CODE_TRIAL,
                    f"原报告使用{fmt.TRIAL_FORMAT_SOURCE}试行格式，已按{fmt.FORMAT_SOURCE}格式导入；"
                    "未能对应的栏目见以下各条",
                ),
            )
        return data

    # ----------------------------------------------------------------- tables

    def _tables(self) -> dict[str, Any]:
        readers = {"proactive": read_proactive, "requests": read_requests, "reviews": read_reviews}
        found: dict[str, Any] = {}
        for key in TABLE_SECTIONS:
            blocks = self.sections.parts.get(key)
            if blocks is None:
                blocks = self._table_elsewhere(key)
            read: TableRead = readers[key](_cells(blocks or []))
            if blocks is not None:
                stray_text(blocks, key, self.problems)
            self.problems += read.problems
            self.trial |= read.trial
            self.printed.update(read.printed)
            found[key] = read.data
        return found

    def _table_elsewhere(self, key: str) -> list[Block] | None:
        """A table whose heading is missing, recognised by its content."""
        marks = {"proactive": "第二十条", "requests": "本年新收", "reviews": "未经复议"}
        for blocks in [self.sections.preface, *self.sections.parts.values()]:
            for block in blocks:
                if isinstance(block, Table) and any(marks[key] in c.text for c in block.cells):
                    self.problems.append(
                        warning(
                            CODE_MISSING,
                            f"没有找到“{fmt.SECTION_HEADINGS[key]}”标题，按表格内容读入",
                            (key,),
                        )
                    )
                    return [block]
        return None

    # ----------------------------------------------------------------- narrative

    def _narrative(self) -> dict[str, Any]:
        """The texts of 一, 五 and 六; the 落款 and contact lines come off the last section."""
        parts = self.sections.parts
        last = next(reversed(parts)) if parts else None
        ending, closing = take_closing(self.sections.paragraphs(last) if last else [])
        texts: dict[str, Any] = {"__closing__": closing}
        for key in ("overview", "problems", "other_matters"):
            if key not in parts:
                self.problems.append(missing_section(key))
                continue
            stray_tables(parts[key], key, self.problems)
            paragraphs = ending if key == last else self.sections.paragraphs(key)
            value = self._section_text(key, paragraphs)
            if value:
                texts[key] = value
        return texts

    def _section_text(self, key: str, paragraphs: list[str]) -> Any:
        paragraphs = [piece for text in paragraphs for piece in split_items(text)]
        if key == "overview":
            items = split_overview(paragraphs, OVERVIEW_KEYWORDS)
            value = {"summary": text_of(items.lead)}
            value.update({k: text_of(v) for k, v in items.items.items()})
            return {k: v for k, v in value.items() if v}
        if key == "problems":
            items = split_overview(paragraphs, PROBLEM_KEYWORDS)
            if not items.items:
                return text_of(paragraphs)
            value = {k: text_of(v) for k, v in items.items.items()}
            if items.lead:
                first = next(iter(value))
                kept = value[first]
                value[first] = text_of([*items.lead, *([kept] if kept else [])])
            return {k: v for k, v in value.items() if v}
        items = split_other_matters(paragraphs)
        for text in items.unmatched:
            self.problems.append(
                warning(
                    CODE_NOT_IMPORTED,
                    f"“{text[:30]}”未能对应到具体事项，已并入“本机关认为需要报告的其他事项”",
                    ("other_matters", "other"),
                )
            )
        value = {k: text_of(v) for k, v in items.items.items()}
        return {k: v for k, v in value.items() if v}

    # ----------------------------------------------------------------- agency, year

    def _agency(self, name: str | None, closing: Any) -> dict[str, Any]:
        if name is None and closing.name:
            name = closing.name
            self.problems.append(
                guessed(f"标题中没有识别出机关名称，取落款“{name}”", ("agency", "name"))
            )
        named = named_in_text(self._opening())
        if name is None and named:
            name = named[0]
            self.problems.append(
                guessed(f"报告没有标题，机关名称取正文开头“{name}”，请核对", ("agency", "name"))
            )
        if name is None:
            name = UNKNOWN_NAME
            self.problems.append(
                error(CODE_MISSING, "没有识别出机关名称，请填写 agency.name", ("agency", "name"))
            )
        agency: dict[str, Any] = {"name": name}
        agency["level"] = level_of(name)
        if closing.contact:
            agency["contact"] = {
                t.key: closing.contact[t.key]
                for t in fmt.CONTACT_FIELDS
                if t.key in closing.contact
            }
        return agency

    def _opening(self) -> list[str]:
        """The report's first paragraphs, where a report without a title names itself."""
        texts = [b.text for b in self.sections.preface if isinstance(b, Paragraph)]
        return (texts + self.sections.paragraphs("overview"))[:4]

    def _year(self, year: int | None, published: dt.date | None) -> int:
        if year is not None:
            return year
        named = named_in_text(self._opening())
        if named:
            self.problems.append(
                guessed(f"报告没有标题，年度取正文开头所称的 {named[1]} 年", ("year",))
            )
            return named[1]
        texts = [b.text for b in self.sections.preface if isinstance(b, Paragraph)]
        texts += self.sections.paragraphs("overview") + self.sections.paragraphs("other_matters")
        found = statistics_year(texts) or opening_year(self.sections.paragraphs("overview"))
        if found is not None:
            self.problems.append(
                guessed(f"标题中没有识别出报告年度，按统计期限或正文开头取 {found} 年", ("year",))
            )
            return found
        if published is not None:
            self.problems.append(
                guessed(
                    f"标题中没有识别出报告年度，按落款日期取 {published.year - 1} 年", ("year",)
                )
            )
            return published.year - 1
        guess = dt.date.today().year - 1
        said = mentioned_year([*texts, *self._all_paragraphs()], guess + 1)
        if said is not None:
            self.problems.append(
                guessed(
                    f"标题、统计期限和落款都没有写报告年度，按正文中提到最多的 {said} 年填入，"
                    "请核对",
                    ("year",),
                )
            )
            return said
        self.problems.append(
            error(CODE_MISSING, f"没有识别出报告年度，暂填 {guess}，请核对 year", ("year",))
        )
        return guess

    def _all_paragraphs(self) -> list[str]:
        return [text for key in self.sections.parts for text in self.sections.paragraphs(key)]


def _cells(blocks: list[Block]) -> list[Cell]:
    """A table section's blocks as one run of cells. Tables give their cells; text
    between them (a table that arrived as text) is cut at the official labels, which
    may be wrapped over lines or glued to the numbers (see ``flat``)."""
    cells: list[Cell] = []
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            cells.extend(label_cells("\n".join(texts)))
            texts = []
            cells.extend(block.cells)
        else:
            texts.append(block.text)
    cells.extend(label_cells("\n".join(texts)))
    return cells
