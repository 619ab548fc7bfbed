"""The narrative: docxtpl tags and placeholders for the headings, paragraphs and 落款.

The report's text is not in the template, only the loops and placeholders docxtpl
fills from the report data, each in a paragraph of its own so no tag is split
across runs; the section headings are placeholders so template sets may reword them.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from govreport import official as fmt

from .layout import CONTACT, DATE, SIGNATURE


def add_tag(doc: DocxDocument, tag: str) -> None:
    """A docxtpl paragraph tag (``{%p … %}``): alone in its paragraph, which it replaces."""
    doc.add_paragraph().add_run(tag)


def add_text(doc: DocxDocument, text: str, style: str = "Normal") -> None:
    """A paragraph holding one run, so a ``{{ … }}`` placeholder is never split."""
    doc.add_paragraph(style=style).add_run(text)


def add_narrative_paragraph(doc: DocxDocument, var: str, *, keep_with_next: bool = False) -> None:
    """One narrative paragraph: the bold lead-in (一是…。) then the text, as two runs."""
    paragraph = doc.add_paragraph(style="Normal")
    paragraph.add_run(f"{{{{ {var}.lead }}}}").bold = True
    paragraph.add_run(f"{{{{ {var}.text }}}}")
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def add_paragraphs(doc: DocxDocument, items: str, *, last_keeps: str | None = None) -> None:
    """A loop over a list of narrative paragraphs (``summary``, ``item.paragraphs``).

    With ``last_keeps`` (a Jinja condition) the last paragraph, when the condition
    holds, keeps with the next one: the body's end stays with the 落款 (GB/T 9704
    §7.3.5: 成文日期不得单独成页). Widow control carries at least two of its lines.
    """
    add_tag(doc, f"{{%p for para in {items} %}}")
    if last_keeps is None:
        add_narrative_paragraph(doc, "para")
    else:
        add_tag(doc, f"{{%p if loop.last and {last_keeps} %}}")
        add_narrative_paragraph(doc, "para", keep_with_next=True)
        add_tag(doc, "{%p else %}")
        add_narrative_paragraph(doc, "para")
        add_tag(doc, "{%p endif %}")
    add_tag(doc, "{%p endfor %}")


def add_items(doc: DocxDocument, items: str, *, last_keeps: bool = False) -> None:
    """Numbered sub-items （一）… with their paragraphs; an untitled item is just its text.

    ``last_keeps``: the last paragraph of the last item keeps with what follows."""
    add_tag(doc, f"{{%p for item in {items} %}}")
    if last_keeps:
        add_tag(doc, "{%p set last_item = loop.last %}")
    add_tag(doc, "{%p if item.title %}")
    add_text(doc, "{{ item.number }}{{ item.title }}", "Heading 2")
    add_tag(doc, "{%p endif %}")
    add_paragraphs(doc, "item.paragraphs", last_keeps="last_item" if last_keeps else None)
    add_tag(doc, "{%p endfor %}")


def add_heading(doc: DocxDocument, key: str) -> None:
    """A section heading 一、… as a placeholder, so template sets may reword it."""
    assert key in fmt.SECTION_HEADINGS, key
    add_text(doc, f"{{{{ headings.{key} }}}}", "Heading 1")


def add_closing(doc: DocxDocument) -> None:
    """落款 (agency and date, 右空二字) and the contact lines."""
    add_text(doc, "{{ agency.name }}", SIGNATURE)
    add_tag(doc, "{%p if published_text %}")
    add_text(doc, "{{ published_text }}", DATE)
    add_tag(doc, "{%p endif %}")
    add_tag(doc, "{%p for line in contact_lines %}")
    add_text(doc, "{{ line }}", CONTACT)
    add_tag(doc, "{%p endfor %}")
