"""``render``: facts → the Word report, HTML and Markdown; PDF, ODT and RTF from the Word file.

The flow is one way: load → check (errors refuse) → template set → narrative →
the set's templates (Word, HTML, Markdown, all from one context) → conversions
of the Word file (LibreOffice for PDF, pandoc for ODT and RTF). Every output is written to a temporary file beside
its target and renamed, so a failure never leaves a partial report.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checks import check
from ..diagnostics import Problem
from ..errors import FactsError
from ..facts.loading import FactsInput, load
from ..facts.model import Facts
from ..files.output import write_bytes, write_text
from ..narrative.title import broken_title
from ..narrative.writer import Narrative, text_context
from ..pdf.office import convert_pdf, prepare_pdf
from ..pdf.soffice import require_soffice
from ..template_sets.sets import TemplateSet, template_set_for
from .formats import convert, parse_formats, require_pandoc
from .markup import MARKUP_FORMATS, render_markup
from .office_copy import for_libreoffice
from .typst_pdf import choose_engine, render_typst_pdf
from .word import render_word, set_page_numbers

SUFFIXES = {
    "docx": ".docx",
    "html": ".html",
    "md": ".md",
    "odt": ".odt",
    "rtf": ".rtf",
    "pdf": ".pdf",
}
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
    fragment: bool = False,
    pdf_engine: str = "auto",
    pdf_standard: str | None = None,
    font_paths: Iterable[str | Path] = (),
) -> RenderResult:
    """Render the report of ``source`` (a facts file, a dict or ``Facts``).

    ``output`` is a file name (its suffix is replaced per format) or a folder;
    by default the report goes next to the facts file, named after the agency
    and year. ``to`` lists formats from ``docx, html, md, odt, rtf, pdf``. Facts
    with errors are refused with ``FactsError``, the same report as ``check`` gives.
    ``keep_docx`` also leaves the Word file there (batch PDF conversion uses it).
    ``fragment`` writes the HTML as a block to paste into a web site's editor,
    without ``<html>``/``<head>``. ``pdf_engine``: ``auto`` (Typst when the set has
    ``report.typ``, see ``rendering.typst_pdf``), ``typst`` or ``libreoffice``;
    ``pdf_standard`` (``a-2b`` …) and ``font_paths`` (extra font folders) are Typst's.
    """
    formats = parse_formats(to)
    if "pdf" in formats and pdf_engine == "libreoffice":
        require_soffice()  # before anything is written: all formats or none
    require_pandoc(formats)  # ODT, RTF: pandoc is an extra (govreport[pandoc])
    facts = load(source)
    # A missing or malformed set is the template's fault, not the facts': say so
    # (TemplateError, exit 3) before check would report it as a facts error.
    tset = template_set_for(facts, template)
    result = check(facts, template=tset)
    if result.errors or result.narrative is None:
        raise FactsError(result.errors + result.warnings, _source_file(facts))
    narrative = result.narrative
    engine = choose_engine(tset, pdf_engine, pdf_standard) if "pdf" in formats else None
    if engine == "libreoffice":
        if pdf_engine != "libreoffice":  # asked for outright: checked above already
            require_soffice()
        prepare_pdf()  # LibreOffice starts while the Word file is written
    targets = output_paths(facts, output, formats, title=narrative.title)
    context = word_context(facts, narrative)
    # Everything is rendered before anything is written: a template error writes nothing.
    texts = {
        name: render_markup(tset, name, context, fragment=fragment)
        for name in MARKUP_FORMATS
        if name in targets
    }
    typeset = None
    if engine == "typst":  # straight from the facts, before anything is written
        typeset = render_typst_pdf(
            tset, context, pdf_standard=pdf_standard, font_paths=tuple(map(str, font_paths))
        )
    skipped = ("docx", *MARKUP_FORMATS, *(("pdf",) if typeset is not None else ()))
    conversions = {k: v for k, v in targets.items() if k not in skipped}
    document = None
    if conversions or keep_docx is not None or "docx" in targets:
        document = render_word(tset.word_template(), context)
        document = set_page_numbers(document, tset.page_number_style())
    if keep_docx is not None and document is not None:  # a batch's LibreOffice prints it
        keep_docx.write_bytes(for_libreoffice(document))
    if "docx" in targets and document is not None:
        write_bytes(targets["docx"], document)
    for name, text in texts.items():
        write_text(targets[name], text)
    if typeset is not None:
        write_bytes(targets["pdf"], typeset)
    if conversions and document is not None:
        with tempfile.TemporaryDirectory(prefix="govreport-") as work:
            docx = Path(work) / "report.docx"
            docx.write_bytes(document)
            for name, target in conversions.items():
                if name == "pdf":  # through a LibreOffice kept running, when there is one
                    printed = docx.with_name("printed.docx")
                    printed.write_bytes(for_libreoffice(document))
                    convert_pdf(printed, target)
                else:
                    convert(docx, target, name)
    return RenderResult(facts, targets, result.warnings, tset)


def default_name(facts: Facts, title: str | None = None) -> str:
    """The report's file name without suffix: its title (the template set's, when it
    rewords it), else the official one from the agency and year; safe on every OS."""
    name = title or f"{facts.agency.name}{facts.year}年政府信息公开工作年度报告"
    return _UNSAFE_IN_NAMES.sub("_", " ".join(name.split())).strip(" .") or "report"


def output_paths(
    facts: Facts, output: str | Path | None, formats: list[str], *, title: str | None = None
) -> dict[str, Path]:
    """Where each format goes; ``title`` names the file when no name is given."""
    if output is None:
        source = _source_file(facts)
        folder, stem = (Path(source).parent if source else Path.cwd()), default_name(facts, title)
    else:
        path = Path(output)
        if path.is_dir() or str(output).endswith(("/", "\\")):
            folder, stem = path, default_name(facts, title)
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
        "title": broken_title(narrative.title, facts.agency.name),  # \n: a line break in Word
        # the title on one line, as document properties, pages and PDFs carry it
        "document_title": narrative.title,
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
