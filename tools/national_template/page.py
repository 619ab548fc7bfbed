"""The page: A4 with the GB/T 9704 margins and the "— 1 —" page number footers.

Kept apart from the styles because it sets up the section (size, margins, odd and
even footers) and writes the PAGE field, not formatting a user restyles.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from .layout import PAGE_NUMBER_SIZE
from .ooxml import _element


def set_up_page(doc: DocxDocument) -> None:
    """A4 with the GB/T 9704 margins (版心 156 mm x 225 mm) and the page number footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28) - PAGE_NUMBER_SIZE  # 页码位于版心下边缘之下约 7 mm
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        _page_number(doc, footer.paragraphs[0], side)


def _page_number(doc: DocxDocument, paragraph: Paragraph, side: str) -> None:
    """ "— 1 —" on the outer side, one character in: odd pages right, even pages left.

    The page-number style of a template set (``page_numbers: centred``) is applied
    to the rendered report by ``govreport.rendering.word``; the template holds GB/T 9704's.
    """
    paragraph.style = doc.styles["Footer"]
    pf = paragraph.paragraph_format
    if side == "right":
        pf.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        pf.right_indent = PAGE_NUMBER_SIZE
    else:
        pf.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
        pf.left_indent = PAGE_NUMBER_SIZE
    paragraph.add_run("— ")
    _add_page_field(paragraph)
    paragraph.add_run(" —")


def _add_page_field(paragraph: Paragraph) -> None:
    """A PAGE field as fldChar runs, which Word and LibreOffice update on every page."""
    instruction = _element("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for element in (
        _element("w:fldChar", fldCharType="begin"),
        instruction,
        _element("w:fldChar", fldCharType="separate"),
    ):
        paragraph.add_run()._r.append(element)
    paragraph.add_run("1")  # shown until the field is updated
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))
