"""PDF straight from the facts: the set's Typst template (``report.typ``) fed with JSON.

The report's context (the same narrative, title lines and official tables the Word,
HTML and Markdown writers get) is turned into plain JSON data and handed to Typst
as ``sys.inputs.report``; ``report.typ`` reads it with ``json(bytes(…))``. Facts are
never spliced into Typst source, so a narrative holding ``#read("/etc/passwd")``,
``#let`` or ``]`` prints as typed. The typesetting itself (kept compilers, fonts,
limits for a shared set) is ``pdf.typst_engine``'s.

Which engine prints a set's PDF: Typst when the set (or the set it inherits from)
has ``report.typ`` no farther up the chain than its Word template; a set that brings
its own ``report.docx`` without a ``report.typ`` is printed by LibreOffice, so its
PDF looks like its Word file. ``--pdf-engine libreoffice`` asks for LibreOffice.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import click

from ..console import say
from ..errors import GovReportError, TemplateError
from ..narrative.title import title_lines
from ..narrative.writer import Item, Paragraph
from ..official.grids import filled, official_grids
from ..pdf.engines import PDF_ENGINES, PDF_STANDARDS
from ..pdf.typst_engine import TypstJob, typeset
from ..pdf.typst_fonts import FONT_ROLES, font_plan, substitutions_to_say
from ..pdf.typst_fonts import font_paths as typst_font_paths
from ..template_sets.sets import (
    TYPST_TEMPLATE,
    WORD_TEMPLATE,
    TemplateSet,
    builtin_sets,
    read_cached,
)


def pdf_engine(tset: TemplateSet, requested: str = "auto") -> str:
    """``typst`` or ``libreoffice`` for ``tset``'s PDF.

    ``auto``: Typst when a ``report.typ`` comes no later along the chain than the
    Word template (a set with its own Word layout and no Typst template keeps
    LibreOffice, whose PDF matches that Word file)."""
    if requested not in PDF_ENGINES:
        raise GovReportError(
            f"不支持的 PDF 生成方式“{requested}”", hint="可选：" + "、".join(PDF_ENGINES)
        )
    if requested == "libreoffice":
        return "libreoffice"
    if requested == "typst":
        if not any(os.path.lexists(t.folder / TYPST_TEMPLATE) for t in tset.chain):
            raise TemplateError(
                f"模板“{tset.name}”没有 Typst 模板 {TYPST_TEMPLATE}，不能用 Typst 生成 PDF",
                hint="去掉 --pdf-engine typst（自动改用 LibreOffice），或在模板中加入 report.typ",
            )
        return "typst"
    for level in tset.chain:  # nearest set first: which of its own files does it bring?
        if os.path.lexists(level.folder / TYPST_TEMPLATE):
            return "typst"
        if os.path.lexists(level.folder / WORD_TEMPLATE):
            break
    return "libreoffice"


def pdf_possible(facts: Any) -> bool:
    """Whether a PDF of ``facts`` can be made on this machine: always where its set prints
    with Typst (a dependency), otherwise only where LibreOffice is installed. What the
    editor and the service ask before they offer a PDF."""
    from ..pdf.soffice import have_libreoffice
    from ..template_sets.sets import template_set_for

    try:
        if facts is None or pdf_engine(template_set_for(facts)) == "typst":
            return True
    except GovReportError:  # a set that can't be used: render will say why
        return True
    return have_libreoffice() is not None


def choose_engine(tset: TemplateSet, requested: str, pdf_standard: str | None) -> str:
    """The engine for this render; a PDF standard only Typst writes is refused otherwise."""
    engine = pdf_engine(tset, requested)
    if pdf_standard is not None and pdf_standard not in PDF_STANDARDS:
        raise GovReportError(
            f"不支持的 PDF 标准“{pdf_standard}”", hint="可选：" + "、".join(PDF_STANDARDS)
        )
    if pdf_standard is not None and engine != "typst":
        why = (
            "不能与 --pdf-engine libreoffice 同用"
            if requested == "libreoffice"
            else f"模板“{tset.name}”的 PDF 由 LibreOffice 生成（它有自己的 Word 模板，没有 report.typ）"
        )
        raise GovReportError(
            f"PDF/A（{pdf_standard}）只能由 Typst 生成，{why}",
            hint="去掉 --pdf-standard，或使用带 report.typ 的模板（如 national）",
        )
    return engine


def typst_template(tset: TemplateSet) -> tuple[Path, bool]:
    """The ``report.typ`` in effect and whether it is one of the package's own.

    A set's unchanged copy of a built-in template (``templates new`` copies it) is the
    built-in one: it typesets in this process, as fast, instead of in a worker."""
    path = tset.find(TYPST_TEMPLATE)
    if path is None:
        raise TemplateError(f"模板“{tset.name}”中没有 Typst 模板 {TYPST_TEMPLATE}")
    owner = next(t for t in tset.chain if path.parent == t.folder)
    if owner.builtin:
        return path, True
    same = _builtin_templates().get(read_cached(path))
    return (same, True) if same is not None else (path, False)


@cache
def _builtin_templates() -> dict[str, Path]:
    """The package's own ``report.typ`` files by their text."""
    found = (folder / TYPST_TEMPLATE for folder in builtin_sets().values())
    return {read_cached(path): path for path in found if path.is_file()}


def report_data(
    context: dict[str, Any], *, page_numbers: str = "outside", font_paths: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The report as plain JSON data for ``report.typ``: texts are strings, never markup."""
    agency = context["agency"]
    title = context["document_title"]
    plan = font_plan(font_paths)
    return {
        "title": title,
        "title_lines": title_lines(title, agency.name),
        "agency": {"name": agency.name, "short_name": context.get("short_name") or ""},
        "year": context["year"],
        "headings": dict(context["headings"]),
        "summary": _paragraphs(context["summary"]),
        "overview_items": _items(context["overview_items"]),
        "problem_items": _items(context["problem_items"]),
        "other_items": _items(context["other_items"]),
        "tables": _tables(context),
        "published_text": context["published_text"],
        "contact_lines": list(context["contact_lines"]),
        "page_numbers": page_numbers,
        "fonts": {role: list(plan.families(role)) for role in FONT_ROLES},
        "fake_bold": not plan.body_has_bold,
    }


def _paragraphs(paragraphs: tuple[Paragraph, ...]) -> list[dict[str, str]]:
    return [{"lead": p.lead, "text": p.text} for p in paragraphs]


def _items(items: list[Item]) -> list[dict[str, Any]]:
    return [
        {"number": i.number, "title": i.title, "paragraphs": _paragraphs(i.paragraphs)}
        for i in items
    ]


def _tables(context: dict[str, Any]) -> dict[str, Any]:
    """Each official table as header-row count, width and rows of cells (merges as in Word)."""
    result = {}
    for grid in official_grids():
        rows = [
            [
                {
                    "text": cell.text,
                    "rows": cell.rows,
                    "columns": cell.columns,
                    "header": cell.header,
                    "number": cell.number,
                }
                for cell in row
            ]
            for row in filled(grid, context)
        ]
        result[grid.key] = {"width": grid.width, "header_rows": grid.header_rows, "rows": rows}
    return result


def render_typst_pdf(
    tset: TemplateSet,
    context: dict[str, Any],
    *,
    pdf_standard: str | None = None,
    font_paths: tuple[str, ...] = (),
) -> bytes:
    """The report's PDF through the set's ``report.typ`` (see ``pdf.typst_engine``);
    the first time a process prints, which fonts stand in for missing 公文 fonts."""
    template, builtin = typst_template(tset)
    fonts = typst_font_paths(font_paths)
    data = report_data(context, page_numbers=tset.page_number_style(), font_paths=fonts)
    notice = substitutions_to_say(fonts)
    if notice:
        say(click.style("提示：", fg="yellow") + notice, err=True)
    job = TypstJob(
        template=template,
        data=json.dumps(data, ensure_ascii=False),
        trusted=builtin,
        pdf_standard=pdf_standard,
        label=f"{template.parent.name}/{template.name}",
        font_paths=fonts,
    )
    return typeset(job)
