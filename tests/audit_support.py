"""Published reports for the audit tests: examples rendered to Markdown, then edited as a
careless office would (a wrong printed total, a blank cell, a retyped label …)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import yaml
from tests_support import EXAMPLES_DIR

from govreport import render

DEPARTMENT = "busy-2023"  # 某市自然资源和规划局, a department of …
GOVERNMENT = "busy-government-2023"  # … 某市人民政府


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def publish(data: dict, target: Path) -> Path:
    """The report of ``data`` as the office would publish it (Markdown with pipe tables)."""
    return render(data, target.with_suffix(""), to="md").outputs["md"]


def last_year(data: dict) -> dict:
    """The same agency's report a year earlier: its 结转下年度 is this year's 上年结转
    except one less for 自然人 (予以公开 takes up the difference, keeping its own R1),
    so this year's 上年结转 breaks R5 in that one column."""
    data = copy.deepcopy(data)
    data["year"] -= 1
    data["published"] = dt.date(data["year"] + 1, 1, 20)
    requests = data["requests"]
    carried = list(requests["carried_over"])
    carried[0] -= 1
    disclosed = requests["results"]["disclosed"]
    for n, (was, now) in enumerate(zip(requests["carried_forward"], carried, strict=True)):
        disclosed[n] += was - now
    requests["carried_forward"] = carried
    return data


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def cell_row(text: str, label: str) -> tuple[int, list[str]]:
    """The line index of the pipe-table row labelled ``label`` and the text's lines."""
    lines = text.split("\n")
    start = next(
        i for i, line in enumerate(lines) if line.startswith("|") and label in _cells(line)
    )
    return start, lines


def set_cell(text: str, label: str, column: int, value: str) -> str:
    """Print ``value`` in the ``column``-th number cell (0-based) of the row ``label``."""
    start, lines = cell_row(text, label)
    cells = _cells(lines[start])
    index = cells.index(label) + 1 + column
    assert re.fullmatch(r"[\d.]*", cells[index]), cells[index]
    cells[index] = value
    lines[start] = _row(cells)
    return "\n".join(lines)


def set_review_cell(text: str, index: int, value: str) -> str:
    """Print ``value`` in the ``index``-th of table 四's 15 number cells."""
    lines = text.split("\n")
    head = next(i for i, line in enumerate(lines) if "复议后起诉 · 总计" in line)
    row = head + 2  # under the header and its |---| rule
    cells = _cells(lines[row])
    cells[index] = value
    lines[row] = _row(cells)
    return "\n".join(lines)


def edit(path: Path, target: Path, *changes: tuple[str, str]) -> Path:
    """A copy of ``path`` with each (old, new) replaced exactly once."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, (old, text.count(old))
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target
