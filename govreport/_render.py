"""``render``: facts → the Word report, then HTML, Markdown or PDF from it.

The flow is one way: load → check (errors refuse) → template set → narrative →
Word template → conversions. Every output is written to a temporary file beside
its target and renamed, so a failure never leaves a partial report.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._checks import check
from ._convert import FORMATS, convert, require_soffice
from ._exceptions import FactsError, GovReportError
from ._facts import FactsInput, load
from ._model import Facts
from ._narrative import Narrative, text_context
from ._office import convert_pdf
from ._output import write_bytes
from ._problems import Problem
from ._templates import TemplateSet, template_set_for
from ._word import render_word

SUFFIXES = {"docx": ".docx", "html": ".html", "md": ".md", "pdf": ".pdf"}
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class RenderResult:
    """What a render produced: one path per format, and the warnings it carried."""

    facts: Facts
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    template: TemplateSet | None = None


def render(
    source: FactsInput,
    output: str | Path | None = None,
    *,
    to: str | Iterable[str] = ("docx",),
    template: str | Path | None = None,
    keep_docx: Path | None = None,
) -> RenderResult:
    """Render the report of ``source`` (a facts file, a dict or ``Facts``).

    ``output`` is a file name (its suffix is replaced per format) or a folder;
    by default the report goes next to the facts file, named after the agency
    and year. ``to`` lists formats from ``docx, html, md, pdf``. Facts with
    errors are refused with ``FactsError``, the same report as ``check`` gives.
    ``keep_docx`` also leaves the Word file there (batch PDF conversion uses it).
    """
    formats = parse_formats(to)
    if "pdf" in formats:
        require_soffice()  # before anything is written: all formats or none
    facts = load(source)
    # A missing or malformed set is the template's fault, not the facts': say so
    # (TemplateError, exit 3) before check would report it as a facts error.
    tset = template_set_for(facts, template)
    result = check(facts, template=tset)
    if result.errors or result.narrative is None:
        raise FactsError(result.errors + result.warnings, _source_file(facts))
    narrative = result.narrative
    targets = output_paths(facts, output, formats)
    document = render_word(tset.word_template(), word_context(facts, narrative))
    if keep_docx is not None:
        keep_docx.write_bytes(document)
    if "docx" in targets:
        write_bytes(targets["docx"], document)
    conversions = {name: path for name, path in targets.items() if name != "docx"}
    if conversions:
        with tempfile.TemporaryDirectory(prefix="govreport-") as work:
            docx = Path(work) / "report.docx"
            docx.write_bytes(document)
            for name, target in conversions.items():
                if name == "pdf":  # through a LibreOffice kept running, when there is one
                    convert_pdf(docx, target)
                else:
                    convert(docx, target, name, title=narrative.title)
    return RenderResult(facts, targets, result.warnings, tset)


def parse_formats(to: str | Iterable[str]) -> list[str]:
    """``"docx,pdf"`` or ``["docx", "pdf"]`` → a checked, de-duplicated list."""
    items = to.split(",") if isinstance(to, str) else list(to)
    formats: list[str] = []
    for item in (i.strip().lower().lstrip(".") for i in items):
        if item == "markdown":
            item = "md"
        if item not in FORMATS:
            raise GovReportError(f"不支持的输出格式“{item}”", hint=f"可选：{'、'.join(FORMATS)}")
        if item not in formats:
            formats.append(item)
    if not formats:
        raise GovReportError("没有指定输出格式", hint=f"可选：{'、'.join(FORMATS)}")
    return formats


def default_name(facts: Facts) -> str:
    """The report's file name without suffix: the agency and the year, safe on every OS."""
    name = f"{facts.agency.name}{facts.year}年政府信息公开工作年度报告"
    return _UNSAFE_IN_NAMES.sub("_", name).strip(" .") or "report"


def output_paths(facts: Facts, output: str | Path | None, formats: list[str]) -> dict[str, Path]:
    """Where each format goes."""
    if output is None:
        source = _source_file(facts)
        folder, stem = (Path(source).parent if source else Path.cwd()), default_name(facts)
    else:
        path = Path(output)
        if path.is_dir() or str(output).endswith(("/", "\\")):
            folder, stem = path, default_name(facts)
        elif path.suffix.lower() in SUFFIXES.values():
            folder, stem = path.parent, path.stem
        else:
            folder, stem = path.parent, path.name
    return {name: folder / f"{stem}{SUFFIXES[name]}" for name in formats}


def word_context(facts: Facts, narrative: Narrative) -> dict[str, Any]:
    """Everything the Word template's placeholders can name."""
    published = facts.published
    return {
        **text_context(facts),
        "title": narrative.title,
        "headings": narrative.headings,
        "summary": narrative.summary,
        "overview_items": narrative.overview_items,
        "problem_items": narrative.problem_items,
        "other_items": narrative.other_items,
        "published_text": (
            f"{published.year}年{published.month}月{published.day}日" if published else ""
        ),
        "contact_lines": [f"{label}：{value}" for label, value in facts.agency.contact.items()],
    }


def _source_file(facts: Facts) -> str | None:
    return facts.source.file if facts.source is not None else None
