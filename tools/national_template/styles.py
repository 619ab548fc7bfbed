"""The named paragraph styles and document defaults of the template.

Everything visual lives in styles (title, headings, body, 落款, contact lines, table
text, footer), each redefined completely so nothing leaks from python-docx's default
template, and every style names its east-Asian font so Word and WPS agree.
"""

from __future__ import annotations

import copy

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt, RGBColor
from docx.styles.style import BaseStyle

from .layout import (
    BODY_SIZE,
    CONTACT,
    DATE,
    FANGSONG,
    HEITI,
    INDENT_CHARS,
    KAITI,
    LINE,
    PAGE_NUMBER_SIZE,
    SIGNATURE,
    SONGTI,
    TABLE_LINE,
    TABLE_SIZE,
    TABLE_TEXT,
    TITLE_LINE,
    TITLE_SIZE,
    WESTERN,
    XIAOBIAOSONG,
)
from .ooxml import _element, _replace_child, _set_first_line, _set_fonts


def _reset_style(style: BaseStyle) -> None:
    """Drop the default template's formatting (blue theme colours, borders, Cambria)."""
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    font: str,
    size: Length,
    align: WD_PARAGRAPH_ALIGNMENT,
    indent_chars: int = 0,
    line: Length | None = LINE,
    western: str = WESTERN,
) -> BaseStyle:
    """Create or redefine a paragraph style completely, so nothing leaks from the default."""
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    _reset_style(style)
    _set_fonts(style.element.get_or_add_rPr(), font, western)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = line
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _set_first_line(style, indent_chars, size)
    _sync_linked_character_style(doc, style)
    return style


def _sync_linked_character_style(doc: DocxDocument, style: BaseStyle) -> None:
    """Give the linked "… Char" style (used when a style is applied to part of a
    paragraph) the same fonts, or Word shows the default template's blue Cambria."""
    link = style.element.find(qn("w:link"))
    if link is None:
        return
    character = doc.styles.element.get_by_id(link.get(qn("w:val")))
    for old in character.findall(qn("w:rPr")):
        character.remove(old)
    character.append(copy.deepcopy(style.element.rPr))


def define_styles(doc: DocxDocument) -> None:
    """The GB/T 9704 styles: 小标宋 title, 黑体 一、, 楷体 （一）, 仿宋 body, 宋体 tables.

    Body text is justified (两端对齐), as a 公文's body is in Word and WPS. LibreOffice,
    printing such a file, can lose a full-width comma at the very end of a justified
    line; ``govreport.pdf`` takes care of that in its LibreOffice path only.
    """
    justify, centre = WD_PARAGRAPH_ALIGNMENT.JUSTIFY, WD_PARAGRAPH_ALIGNMENT.CENTER
    right, left = WD_PARAGRAPH_ALIGNMENT.RIGHT, WD_PARAGRAPH_ALIGNMENT.LEFT
    _set_document_defaults(doc)
    normal = _paragraph_style(
        doc, "Normal", font=FANGSONG, size=BODY_SIZE, align=justify, indent_chars=INDENT_CHARS
    )
    normal.paragraph_format.widow_control = True
    title = _paragraph_style(
        doc, "Title", font=XIAOBIAOSONG, size=TITLE_SIZE, align=centre, line=TITLE_LINE
    )
    title.paragraph_format.space_after = LINE  # 标题下空一行
    for level, (name, font) in enumerate((("Heading 1", HEITI), ("Heading 2", KAITI))):
        heading = _paragraph_style(
            doc, name, font=font, size=BODY_SIZE, align=justify, indent_chars=INDENT_CHARS
        )
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True  # a two-line heading stays whole
        heading.element.get_or_add_pPr().append(_element("w:outlineLvl", val=str(level)))
    signature = _paragraph_style(doc, SIGNATURE, font=FANGSONG, size=BODY_SIZE, align=right)
    signature.paragraph_format.space_before = LINE * 2  # 正文之下空两行署名
    signature.paragraph_format.right_indent = BODY_SIZE * INDENT_CHARS  # 右空二字
    signature.paragraph_format.keep_with_next = True  # 署名与成文日期同页
    date = _paragraph_style(doc, DATE, font=FANGSONG, size=BODY_SIZE, align=right)
    date.paragraph_format.right_indent = BODY_SIZE * INDENT_CHARS
    date.paragraph_format.keep_with_next = True  # the contact lines go with the 落款
    contact = _paragraph_style(doc, CONTACT, font=FANGSONG, size=BODY_SIZE, align=left)
    contact.paragraph_format.keep_with_next = True
    _paragraph_style(doc, TABLE_TEXT, font=SONGTI, size=TABLE_SIZE, align=centre, line=TABLE_LINE)
    _paragraph_style(
        doc, "Footer", font=SONGTI, size=PAGE_NUMBER_SIZE, align=right, line=None, western=SONGTI
    )
    _name_east_asian_fonts(doc)


def _name_east_asian_fonts(doc: DocxDocument) -> None:
    """Every paragraph and character style names its east-Asian font (``w:eastAsia``):
    a style that only inherits it shows the theme's font in WPS."""
    for style in doc.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None or fonts.get(qn("w:eastAsia")) is None:
            _set_fonts(rpr, _inherited_east_asian(style))


def _inherited_east_asian(style: BaseStyle) -> str:
    """The east-Asian font a style would inherit (仿宋 when nothing names one)."""
    node = style.base_style
    while node is not None:
        fonts = node.element.rPr.find(qn("w:rFonts")) if node.element.rPr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        node = node.base_style
    return FANGSONG


def _set_document_defaults(doc: DocxDocument) -> None:
    """Chinese defaults without theme fonts, and no 10 pt "space after" from the template."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(rpr, FANGSONG)
    _replace_child(
        rpr,
        _element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"),
        ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
    )
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    _replace_child(ppr, _element("w:spacing", after="0", line="240", lineRule="auto"))
