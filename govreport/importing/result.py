"""What an import hands back, whichever reader read the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import official as fmt
from ..diagnostics import Problem, ProblemReport
from ..facts.model import Facts
from ..facts.writer import dump_facts
from .base import CODE_ASSUMED, CODE_SPLIT
from .tables import PrintedCell


@dataclass
class ImportResult(ProblemReport):
    """What import read: the facts, the facts-file data they came from, and every caveat."""

    source: Path
    data: dict[str, Any]
    facts: Facts
    problems: list[Problem] = field(default_factory=list)
    trial_format: bool = False
    #: every table cell read, as printed (blank marks included), by its facts path
    cells: dict[tuple[str, ...], PrintedCell] = field(default_factory=dict)
    #: the report's paragraphs as printed: (section key or "preface", text, PDF page)
    paragraphs: list[tuple[str, str, int | None]] = field(default_factory=list)
    #: where ``published`` came from: the 落款 ("closing"), the web page ("page"), nowhere
    published_from: str | None = None

    @property
    def pages(self) -> dict[tuple[str, ...], int]:
        """The PDF page of each cell read from a PDF."""
        return {path: cell.page for path, cell in self.cells.items() if cell.page is not None}

    @property
    def complete(self) -> bool:
        return not self.errors

    def to_yaml(self) -> str:
        """The facts file for these facts (see ``facts.writer.dump_facts``)."""
        return dump_facts(self.facts, header=import_header(self))


def import_header(result: ImportResult) -> list[str]:
    """The comment lines that open an imported facts file."""
    lines = [f"由 govreport import 从 {result.source.name} 导入。"]
    if result.trial_format:
        lines.append(
            f"原报告使用{fmt.TRIAL_FORMAT_SOURCE}试行格式，已按{fmt.FORMAT_SOURCE}格式导入，请核对。"
        )
    splits = [p for p in result.problems if p.code == CODE_SPLIT]
    if splits:
        lines.append(f"有 {len(splits)} 行数字在原报告中连在一起，已按总计唯一拆分（I7），请核对。")
    assumed = [p for p in result.problems if p.code == CODE_ASSUMED]
    if assumed:
        places = "、".join(dict.fromkeys(p.label or fmt.describe(p.path) for p in assumed))
        lines.append(
            f"有 {len(assumed)} 行连在一起的数字是按假定拆开的（I9：没有总计可以核实，"
            f"或有空白格消失时还能读成别的数）：{places}，请对照原报告核对。"
        )
    if result.errors:
        lines.append(f"有 {len(result.errors)} 处未能读取（按 0 或空白填入），请对照原报告补全。")
    return lines
