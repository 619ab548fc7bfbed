"""Writing validated facts back to a facts file (``import``, ``next``).

The file looks like one ``govreport init`` writes: every table cell spelled out
with the official label beside it, texts as block scalars with their paragraphs,
Chinese comments. A total is written only where the report stated one that
disagrees with the sum, so that ``check`` shows the report's own 勾稽关系 problem.
Loading the file gives back the same facts (tests hold this for every example).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from .. import official as fmt
from .model import Facts, ReviewCounts, Row, RowGroup

Notes = Mapping[tuple[str, ...], str]
_LEVEL_NOTE = {
    "department": "department（部门，次年1月31日前公布）或 government（人民政府，3月31日前）",
    "government": "government（人民政府，次年3月31日前公布）或 department（部门）",
}
_COMMENT_COLUMN = 36
_UNSAFE_FOR_BLOCK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
#: What may not stand in a ``#`` comment: a line break would end it and start a live key
#: (a source file named ``x\ntemplate: y\n#.html``), other controls make the file unreadable.
_UNSAFE_IN_COMMENT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def comment_text(text: str) -> str:
    """``text`` made safe for one comment line: each control character becomes U+FFFD."""
    return _UNSAFE_IN_COMMENT.sub("\ufffd", text)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _with_comment(line: str, comment: str) -> str:
    return f"{line}{' ' * max(1, _COMMENT_COLUMN - _width(line))}# {comment}"


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns, so comments line up."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def dump_facts(
    facts: Facts,
    *,
    header: Sequence[str] = (),
    notes: Notes | None = None,
    every_key: bool = False,
) -> str:
    """The facts file text for ``facts``; ``notes`` puts a comment above a text's key.

    ``every_key`` also writes the keys left at their defaults (blank texts, contact
    lines, short name), which is what ``govreport init`` hands a user to fill in.
    """
    writer = _Writer(notes or {}, every_key)
    writer.facts(facts, header)
    return "\n".join(writer.lines) + "\n"


class _Writer:
    def __init__(self, notes: Notes, every_key: bool = False):
        self.notes = notes
        self.every_key = every_key
        self.lines: list[str] = []

    def add(self, line: str, comment: str | None = None) -> None:
        self.lines.append(_with_comment(line, comment_text(comment)) if comment else line)

    def comment(self, text: str, indent: str = "") -> None:
        """A comment line: the one place free text (file names, titles) reaches a comment."""
        self.lines.append(f"{indent}# {comment_text(text)}")

    def facts(self, facts: Facts, header: Sequence[str]) -> None:
        self.comment(f"{facts.title} · 事实文件")
        for line in header:
            self.comment(line)
        self.add("# 表格中的数字没有就是 0；检查：govreport check 本文件.yaml")
        self.add("")
        self.add(f"format: {_q(facts.format)}")
        if facts.template:
            self.add(f"template: {_q(facts.template)}")
        self.agency(facts)
        self.add(f"year: {facts.year}", "报告年度")
        if facts.published is not None:
            self.add(f"published: {facts.published.isoformat()}", "落款日期")
        else:
            suggested = fmt.suggested_publication(facts.year, facts.agency.level)
            self.add(f"# published: {suggested.isoformat()}", "落款日期：定稿后填写")
        self.texts(facts)
        self.proactive(facts)
        self.requests(facts.requests)
        self.reviews(facts)
        self.problems(facts)
        self.topics(facts, "other_matters", fmt.OTHER_MATTER_TOPICS)

    # ----------------------------------------------------------------- agency

    def agency(self, facts: Facts) -> None:
        agency = facts.agency
        self.add("agency:")
        self.add(f"  name: {_q(agency.name)}", "机关全称（标题、落款用）")
        if self.every_key or agency.short_name != agency.name:
            self.add(f"  short_name: {_q(agency.short_name)}", "简称（正文用）")
        if self.every_key or agency.self_reference != fmt.self_reference_for(agency.name):
            self.add(f"  self_reference: {_q(agency.self_reference)}", "自称：我局 / 我委 / 本机关")
        self.add(f"  level: {agency.level}", _LEVEL_NOTE[agency.level])
        for key, label in (
            ("province", "所在省份，如 山东省（用于选择省级模板）"),
            ("region", "所在地区，如 泰安市泰山区"),
        ):
            if self.every_key or getattr(agency, key):
                self.add(f"  {key}: {_q(getattr(agency, key) or '')}", label)
        contact = [(t.title, getattr(agency.contact, t.key) or "") for t in fmt.CONTACT_FIELDS]
        if not self.every_key:
            contact = [(label, value) for label, value in contact if value]
        if contact:
            self.add("  contact:", "联系方式（报告末尾）")
            titles = {t.title: t.key for t in fmt.CONTACT_FIELDS}
            for label, value in contact:
                self.add(f"    {titles[label]}: {_q(value)}", label)

    # ----------------------------------------------------------------- texts

    def texts(self, facts: Facts) -> None:
        self.topics(facts, "overview", (fmt.Topic("summary", "总体概述"), *fmt.OVERVIEW_TOPICS))

    def topics(self, facts: Facts, section: str, topics: Sequence[fmt.Topic]) -> None:
        values = getattr(facts, section)
        written = [
            (t, getattr(values, t.key) or "")
            for t in topics
            if self.every_key or getattr(values, t.key)
        ]
        self.add("")
        if not written:
            self.add(f"{section}: {{}}", fmt.SECTION_HEADINGS[section])
            return
        self.add(f"{section}:", fmt.SECTION_HEADINGS[section])
        for topic, text in written:
            self.text(f"  {topic.key}", text, (section, topic.key), topic.title)

    def problems(self, facts: Facts) -> None:
        text = facts.problems.text
        if text is None:
            self.topics(facts, "problems", fmt.PROBLEM_TOPICS)
            return
        self.add("")
        self.text("problems", text, ("problems",), fmt.SECTION_HEADINGS["problems"])

    def text(self, key: str, text: str, path: tuple[str, ...], title: str) -> None:
        indent = " " * (len(key) - len(key.lstrip()) + 2)
        note = self.notes.get(path)
        if note:
            self.comment(note, indent[2:])
        if not text:
            self.add(f'{key}: ""', f"{title}（留空则使用通用表述）")
            return
        lines = text.split("\n")
        if _block_safe(lines):
            self.add(f"{key}: |", title)
            self.lines += [f"{indent}{line}" if line else "" for line in lines]
        else:
            self.add(f"{key}: {_q(text)}", title)

    # ----------------------------------------------------------------- tables

    def proactive(self, facts: Facts) -> None:
        proactive = facts.proactive
        self.add("")
        self.add("proactive:", f"表二 {fmt.SECTION_HEADINGS['proactive']}")
        for block in fmt.PROACTIVE_BLOCKS:
            for row in block.rows:
                value = getattr(proactive, row.key)
                if len(block.columns) > 1:
                    cells = ", ".join(f"{c.key}: {getattr(value, c.key)}" for c in block.columns)
                    names = " / ".join(c.label for c in block.columns)
                    self.add(f"  {row.key}: {{{cells}}}", f"{block.article} {row.label}（{names}）")
                else:
                    shown = format(value, "f") if block.decimal else str(value)
                    self.add(
                        f"  {row.key}: {shown}",
                        f"{block.article} {row.label} · {block.columns[0].label}",
                    )

    def requests(self, requests: RowGroup) -> None:
        self.add("")
        self.add("requests:", f"表三 {fmt.SECTION_HEADINGS['requests']}")
        self.add(
            "  # 每行 6 个数依次为："
            + "、".join(c.label for c in fmt.APPLICANT_COLUMNS)
            + "；总计由程序计算"
        )
        self.request_rows(fmt.REQUEST_TREE, requests, 1)

    def request_rows(self, rows: tuple[fmt.RequestRow, ...], group: RowGroup, depth: int) -> None:
        indent = "  " * depth
        for row in rows:
            if row.computed:
                stated = group.stated_total
                if stated is not None and _breaks(stated, group.total):
                    self.add(
                        f"{indent}{row.key}: {_row_mapping(stated)}",
                        f"{row.label}（原报告所填，与各项之和不一致）",
                    )
                else:
                    self.add(f"{indent}# {row.label}：由程序计算")
            elif row.is_group:
                self.add(f"{indent}{row.key}:", row.label)
                self.request_rows(row.children, group[row.key], depth + 1)  # type: ignore[arg-type]
            else:
                value: Row = group[row.key]  # type: ignore[assignment]
                if value.stated_total is not None and value.stated_total != value.total:
                    self.add(
                        f"{indent}{row.key}: {_row_mapping(value)}",
                        f"{row.label}（原报告的总计与各栏之和不一致）",
                    )
                else:
                    numbers = ", ".join(str(n) for n in value.applicants())
                    self.add(f"{indent}{row.key}: [{numbers}]", row.label)

    def reviews(self, facts: Facts) -> None:
        self.add("")
        self.add("reviews:", f"表四 {fmt.SECTION_HEADINGS['reviews']}（总计由程序计算）")
        for block in fmt.REVIEW_BLOCKS:
            counts: ReviewCounts = getattr(facts.reviews, block.key)
            cells = [f"{c.key}: {getattr(counts, c.key)}" for c in fmt.REVIEW_OUTCOMES]
            comment = block.full_label
            if counts.stated_total is not None and counts.stated_total != counts.total:
                cells.append(f"total: {counts.stated_total}")
                comment += "（原报告的总计与各项之和不一致）"
            self.add(f"  {block.key}: {{{', '.join(cells)}}}", comment)
        self.add("  # upheld 结果维持 / corrected 结果纠正 / other 其他结果 / pending 尚未审结")


def _breaks(stated: Row, computed: Row) -> bool:
    if stated.applicants() != computed.applicants():
        return True
    return stated.stated_total is not None and stated.stated_total != computed.total


def _row_mapping(row: Row) -> str:
    cells = [f"{c.key}: {getattr(row, c.key)}" for c in fmt.APPLICANT_COLUMNS]
    if row.stated_total is not None:
        cells.append(f"total: {row.stated_total}")
    return "{" + ", ".join(cells) + "}"


def _block_safe(lines: list[str]) -> bool:
    """Whether a literal block scalar gives back exactly these lines."""
    if not lines or lines[0][:1].isspace() or not lines[0]:
        return False
    for line in lines:
        if _UNSAFE_FOR_BLOCK.search(line) or (line and not line.strip()) or line != line.rstrip():
            return False
    return True
