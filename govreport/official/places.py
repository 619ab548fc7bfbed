"""Naming a place in the facts by its official row and column, for every message.

``describe`` turns a facts path into the label a reviewer reads in the official
tables (``三、（三）1.属于国家秘密 · 自然人``); ``table_cells`` lists every number an
author enters, labelled that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .proactive_table import PROACTIVE_BLOCKS, PROACTIVE_CELLS
from .requests_table import APPLICANT_COLUMNS, REQUEST_COLUMNS, REQUEST_ROW_BY_PATH, REQUEST_ROWS
from .reviews_table import REVIEW_BLOCKS, REVIEW_COLUMNS, REVIEW_OUTCOMES
from .sections import (
    CONTACT_FIELDS,
    OTHER_MATTER_TOPICS,
    OVERVIEW_TOPICS,
    PROBLEM_TOPICS,
    SECTION_HEADINGS,
)

FIELD_LABELS: dict[tuple[str, ...], str] = {
    ("format",): "格式版本",
    ("template",): "模板",
    ("agency",): "机关信息",
    ("agency", "name"): "机关名称",
    ("agency", "short_name"): "机关简称",
    ("agency", "self_reference"): "机关自称",
    ("agency", "level"): "机关层级",
    ("agency", "province"): "所在省份",
    ("agency", "region"): "所在地区",
    ("agency", "contact"): "联系方式",
    ("year",): "报告年度",
    ("published",): "落款日期",
    ("proactive",): "表二 主动公开政府信息情况",
    ("requests",): "表三 收到和处理政府信息公开申请情况",
    ("reviews",): "表四 政府信息公开行政复议、行政诉讼情况",
    ("overview",): SECTION_HEADINGS["overview"],
    ("problems",): SECTION_HEADINGS["problems"],
    ("other_matters",): SECTION_HEADINGS["other_matters"],
}


def describe(path: tuple) -> str:
    """The official name of the place ``path`` points at, for messages.

    ``("requests", "results", "withheld", "state_secret", "natural_person")`` is
    ``三、（三）1.属于国家秘密 · 自然人``.
    """
    path = tuple(path)
    if not path:
        return ""
    head, rest = path[0], path[1:]
    if head == "requests" and rest:
        return _describe_request(rest)
    if head == "proactive" and rest:
        return _describe_proactive(rest)
    if head == "reviews" and rest:
        return _describe_review(rest)
    if head in ("overview", "problems", "other_matters") and rest:
        return _describe_topic(head, rest[0])
    if head == "agency" and len(rest) >= 2 and rest[0] == "contact":
        titles = {t.key: t.title for t in CONTACT_FIELDS}
        return f"联系方式 · {titles.get(rest[1], rest[1])}"
    for length in range(len(path), 0, -1):
        if path[:length] in FIELD_LABELS:
            return FIELD_LABELS[path[:length]]
    return ""


def _describe_request(rest: tuple) -> str:
    for length in range(len(rest), 0, -1):
        row = REQUEST_ROW_BY_PATH.get(rest[:length])
        if row is None:
            continue
        label = row.full_label
        columns = {c.key: c.label for c in REQUEST_COLUMNS}
        tail = rest[length:]
        if tail and tail[0] in columns:
            label += f" · {columns[tail[0]]}"
        elif tail and isinstance(tail[0], int) and tail[0] < len(APPLICANT_COLUMNS):
            label += f" · {APPLICANT_COLUMNS[tail[0]].label}"
        return label
    return FIELD_LABELS[("requests",)]


def _describe_proactive(rest: tuple) -> str:
    path = ("proactive", *rest)
    for cell in PROACTIVE_CELLS:
        if cell.path == path[: len(cell.path)]:
            return cell.full_label
    for block in PROACTIVE_BLOCKS:
        for row in block.rows:
            if row.key == rest[0]:
                return f"二、{block.article} {row.label}"
    return FIELD_LABELS[("proactive",)]


def _describe_review(rest: tuple) -> str:
    blocks = {b.key: b for b in REVIEW_BLOCKS}
    block = blocks.get(rest[0])
    if block is None:
        return FIELD_LABELS[("reviews",)]
    columns = {c.key: c.label for c in REVIEW_COLUMNS}
    if len(rest) > 1 and rest[1] in columns:
        return f"四、{block.full_label} · {columns[rest[1]]}"
    return f"四、{block.full_label}"


def _describe_topic(section: str, key: str) -> str:
    topics = {
        "overview": OVERVIEW_TOPICS,
        "problems": PROBLEM_TOPICS,
        "other_matters": OTHER_MATTER_TOPICS,
    }[section]
    titles = {t.key: t.title for t in topics}
    heading = SECTION_HEADINGS[section]
    return f"{heading} · {titles[key]}" if key in titles else heading


@dataclass(frozen=True)
class Cell:
    """One number the author enters (computed totals are not cells)."""

    path: tuple[str, ...]
    label: str
    decimal: bool = False


def table_cells() -> Iterator[Cell]:
    """Every number of tables 二, 三 and 四, in table order (for sums and comparisons)."""
    for cell in PROACTIVE_CELLS:
        yield Cell(cell.path, describe(cell.path), cell.decimal)
    for row in REQUEST_ROWS:
        if not row.computed:
            for column in APPLICANT_COLUMNS:
                path = ("requests", *row.path, column.key)
                yield Cell(path, describe(path))
    for block in REVIEW_BLOCKS:
        for column in REVIEW_OUTCOMES:
            path = ("reviews", block.key, column.key)
            yield Cell(path, describe(path))
