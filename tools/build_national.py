"""Generate ``govreport/template_sets/builtin/national/report.docx``, the national docxtpl template.

The template is generated rather than edited by hand so that every label in its
tables comes from ``govreport.official`` (the single definition of the official
format): retyping labels in Word is exactly the "label drift" reviewers find in
published reports. Run ``python tools/build_national.py`` after changing
``govreport/official`` or this script; the output is byte-for-byte reproducible,
so a diff in ``report.docx`` always means a real change (``tests/test_build_national.py``
builds it into a temporary file, ``-o PATH``, and compares the bytes with the shipped one).

Layout follows GB/T 9704-2012 (党政机关公文格式): A4, 版心 156 mm x 225 mm,
3号仿宋 body on a fixed 28.95 pt line (22 lines a page), page number
"— 1 —" in 4号半角宋体, odd pages right and even pages left, one character in
(§7.5). Everything visual lives in named styles so a user can restyle the report
in Word without touching the tags.

Pagination is the template's job too, in properties Word, WPS and LibreOffice all
honour: no table row splits (cantSplit), headings keep with what follows
(keepNext), tables 二 and 四 keep their rows together, table 三 keeps its rows
together (a keep-with-next chain, so it starts on a new page rather than split)
and repeats its header rows if it ever must break, and the last paragraph of the
body keeps with the 落款 so the agency name and date never stand alone.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing govreport

from govreport import official as fmt  # noqa: E402
from govreport.official.grids import Grid, proactive_grid, requests_grid, reviews_grid  # noqa: E402

OUTPUT = ROOT / "govreport" / "template_sets" / "builtin" / "national" / "report.docx"

# Fixed metadata and zip timestamps: the same script must give the same bytes.
BUILD_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# GB/T 9704-2012 fonts and sizes (号 → pt: 2号 22, 3号 16, 4号 14, 五号 10.5).
WESTERN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
#: fontTable fallbacks: a PC without the GB2312 fonts substitutes the modern ones.
FONT_FALLBACKS = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    XIAOBIAOSONG: SONGTI,
    HEITI: "SimHei",
    SONGTI: "SimSun",
}
BODY_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
TABLE_SIZE = Pt(10.5)
PAGE_NUMBER_SIZE = Pt(14)
LINE = Pt(28.95)  # 22 lines on a 225 mm 版心
TITLE_LINE = Pt(35)
TABLE_LINE = Pt(12)  # 五号 on a fixed line: table 三 fits a page (single spacing does not)
INDENT_CHARS = 2

TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
CELL_MARGIN = Mm(0.6)  # five digits fit a 10.5 mm column at 五号

# Styles the template uses; users restyle the report by editing these in Word.
# (Custom names that do not collide with Word's built-in "Signature"/"Date" styles.)
TABLE_TEXT = "Table Text"
SIGNATURE = "Closing Agency"
DATE = "Closing Date"
CONTACT = "Contact Line"


# --------------------------------------------------------------------------- XML helpers


def _element(tag: str, **attrs: str) -> etree._Element:
    """A ``w:`` element with ``w:`` attributes, for properties python-docx has no API for."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _replace_child(
    parent: etree._Element, child: etree._Element, successors: tuple[str, ...] = ()
) -> None:
    """Put ``child`` in ``parent`` in schema order (Word rejects misordered properties),
    replacing any element of the same tag; ``successors`` are the tags that follow it."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    for tag in successors:
        following = parent.find(qn(tag))
        if following is not None:
            following.addprevious(child)
            return
    parent.append(child)


def _set_fonts(rpr: etree._Element, east_asia: str, western: str = WESTERN) -> None:
    """Name the fonts explicitly: theme fonts (asciiTheme …) would override them in Word."""
    fonts = _element("w:rFonts", ascii=western, hAnsi=western, eastAsia=east_asia, cs=western)
    existing = rpr.find(qn("w:rFonts"))
    if existing is not None:
        rpr.replace(existing, fonts)
    else:
        rpr.insert(0, fonts)


def _set_first_line(style: BaseStyle, chars: int, size: Length) -> None:
    """First-line indent in characters; ``firstLineChars`` wins in Word, ``firstLine`` elsewhere.

    Both are written even when zero, or a style would inherit Normal's 2-character indent.
    """
    style.paragraph_format.first_line_indent = Pt(chars * size.pt)
    indent = style.element.pPr.find(qn("w:ind"))
    indent.set(qn("w:firstLineChars"), str(chars * 100))


# --------------------------------------------------------------------------- styles


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

    Body text is aligned left, not justified: in justified Chinese text LibreOffice drops a
    full-width comma that falls at the very end of a line (it is missing from the PDF),
    and a line of full-width characters ends at the margin either way.
    """
    justify, centre = WD_PARAGRAPH_ALIGNMENT.LEFT, WD_PARAGRAPH_ALIGNMENT.CENTER
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


# --------------------------------------------------------------------------- page


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


# --------------------------------------------------------------------------- narrative


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


# --------------------------------------------------------------------------- tables


def new_table(doc: DocxDocument, rows: int, widths_mm: Iterable[float]) -> Table:
    """A bordered, centred, fixed-layout table whose columns fill the 156 mm text width."""
    widths = list(widths_mm)
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 0.01, sum(widths)
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _replace_child(
        tbl_pr,
        _element("w:tblW", w=str(Mm(TEXT_WIDTH_MM).twips), type="dxa"),
        ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:tblLayout"),
    )
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="single", sz="4", space="0", color="000000"))
    _replace_child(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    margins = _element("w:tblCellMar")
    for edge in ("left", "right"):
        margins.append(_element(f"w:{edge}", w=str(CELL_MARGIN.twips), type="dxa"))
    _replace_child(tbl_pr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def put(
    table: Table,
    top: int,
    left: int,
    text: str,
    bottom: int | None = None,
    right: int | None = None,
) -> None:
    """Write ``text`` as one run into a cell, first merging it down to ``bottom``/``right``."""
    bottom = top if bottom is None else bottom
    right = left if right is None else right
    cell = table.cell(top, left)
    if (bottom, right) != (top, left):
        cell = cell.merge(table.cell(bottom, right))
    cell.paragraphs[0].add_run(text)


def finish_table(table: Table, header_rows: int = 0) -> None:
    """Rows never split across pages; header rows repeat; every cell paragraph is table text."""
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_element("w:cantSplit"))
        if index < header_rows:
            tr_pr.append(_element("w:tblHeader"))
    style_id = table.part.document.styles[TABLE_TEXT].style_id
    for paragraph in table._tbl.iter(qn("w:p")):  # the hidden parts of merged cells too
        paragraph.get_or_add_pPr().style = style_id


def keep_together(table: Table) -> None:
    """Keep a table on one page: each row's paragraphs keep with the next row.

    A table that fits moves to the next page whole (with its heading, which keeps
    with the first row) instead of splitting; one longer than a page breaks where
    the page ends, between rows (cantSplit), under its repeated header rows."""
    for row in table.rows[:-1]:
        # every paragraph of the row, the hidden parts of merged cells too: python-docx's
        # row.cells gives a vertically merged cell's first part for each of its rows
        for p in row._tr.iter(qn("w:p")):
            Paragraph(p, table).paragraph_format.keep_with_next = True


def fill(table: Table, grid: Grid) -> None:
    """Write the grid's labels and placeholders into ``table``, merging as the grid says.

    The layout (which cells merge, in which order the labels stand) is ``govreport.official.grids``',
    the same the HTML and Markdown writers read, so every format shows the same tables.
    """
    for cell in grid.cells:
        text = f"{{{{ {'.'.join(cell.value)} }}}}" if cell.value else cell.text
        put(table, cell.row, cell.column, text, bottom=cell.bottom, right=cell.right)


def build_proactive_table(doc: DocxDocument) -> Table:
    """Table 二 as the official single 4-column table: per block an article row, a
    header row and its rows; a one-column block's cells span the three number columns."""
    grid = proactive_grid()
    numbers = grid.width - 1
    number_width = 36.0  # fits 本年收费金额（单位：万元） spanned, 本年制发件数 alone
    table = new_table(
        doc, grid.height, [TEXT_WIDTH_MM - number_width * numbers] + [number_width] * numbers
    )
    fill(table, grid)
    finish_table(table)
    keep_together(table)
    return table


def build_requests_table(doc: DocxDocument) -> Table:
    """Table 三: three merged label columns (一、 / （一） / 1.) and the seven applicant columns."""
    grid = requests_grid()
    # 自然人 fits its label on one line and six digits, 总计 seven; the other labels
    # wrap two characters a line at word ends (商业/企业, 社会/公益/组织) and fit five
    # digits (in Times New Roman and in the wider free faces LibreOffice may use).
    # Column 1 holds 三、… one character a line; column 2 fits （三）不予公开.
    number_widths = [13.0] + [11.5] * (len(fmt.APPLICANT_COLUMNS) - 1) + [14.0]
    label_widths = [6.0, 27.5, TEXT_WIDTH_MM - 33.5 - sum(number_widths)]
    assert len(label_widths) == grid.label_columns
    table = new_table(doc, grid.height, label_widths + number_widths)
    fill(table, grid)
    finish_table(table, grid.header_rows)
    keep_together(table)
    return table


def build_reviews_table(doc: DocxDocument) -> Table:
    """Table 四: 行政复议 (outcomes merged down two rows) and 行政诉讼's two blocks."""
    grid = reviews_grid()
    table = new_table(doc, grid.height, [TEXT_WIDTH_MM / grid.width] * grid.width)
    fill(table, grid)
    finish_table(table, header_rows=grid.header_rows)
    keep_together(table)
    return table


# --------------------------------------------------------------------------- document


def build() -> DocxDocument:
    """The whole report in the official order: title, 一 to 六, 落款 and contacts."""
    doc = Document()
    define_styles(doc)
    set_up_page(doc)

    add_text(doc, "{{ title }}", "Title")
    add_heading(doc, "overview")
    add_paragraphs(doc, "summary")
    add_items(doc, "overview_items")
    add_heading(doc, "proactive")
    build_proactive_table(doc)
    add_heading(doc, "requests")
    build_requests_table(doc)
    add_heading(doc, "reviews")
    build_reviews_table(doc)
    add_heading(doc, "problems")
    add_items(doc, "problem_items")
    add_heading(doc, "other_matters")
    add_items(doc, "other_items", last_keeps=True)
    add_closing(doc)

    props = doc.core_properties
    props.author = props.last_modified_by = "govreport"
    props.title = "政府信息公开工作年度报告"
    props.subject = fmt.FORMAT_SOURCE
    props.comments = "Generated by tools/build_national.py; edit the script, not this file."
    props.keywords = props.category = ""
    props.created = props.modified = BUILD_TIME
    props.revision = 1
    return doc


def _add_font_fallbacks(font_table: bytes) -> bytes:
    """Declare the GB2312 fonts with altName so Word substitutes 仿宋/楷体 when missing."""
    root = etree.fromstring(font_table)
    for name, alternative in FONT_FALLBACKS.items():
        font = _element("w:font", name=name)
        font.append(_element("w:altName", val=alternative))
        font.append(_element("w:charset", val="86"))  # GB2312
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def save_reproducibly(doc: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps (python-docx stamps the current time on each entry)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "word/fontTable.xml":
                data = _add_font_fallbacks(data)
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)


def main(argv: list[str] | None = None) -> Path:
    """Build the template and write it into the package (or to ``-o PATH``); its path."""
    parser = argparse.ArgumentParser(description="Generate the national report.docx template.")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=OUTPUT,
        help=f"where to write it (default: {OUTPUT.relative_to(ROOT)})",
    )
    output: Path = parser.parse_args(argv).output
    save_reproducibly(build(), output)
    shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
    print(f"wrote {shown}")
    return output


if __name__ == "__main__":
    main()
