"""The whole report in the official order, and saving it byte-for-byte reproducibly.

Assembles the styles, page, narrative and tables into one document with fixed
metadata, then rewrites the zip with fixed timestamps and the GB2312 font fallbacks,
so the same code always gives the same ``report.docx`` bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from lxml import etree

from govreport import official as fmt

from .body import add_closing, add_heading, add_items, add_paragraphs, add_text
from .layout import FONT_FALLBACKS
from .ooxml import _element
from .page import set_up_page
from .styles import define_styles
from .tables import build_proactive_table, build_requests_table, build_reviews_table

# Fixed metadata and zip timestamps: the same script must give the same bytes.
BUILD_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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
    # the report's own title and agency (rendered like the body); LibreOffice carries
    # them into the PDF it prints, as the Typst PDF has them
    props.title = "{{ document_title }}"
    props.author = "{{ agency.name }}"
    props.last_modified_by = "govreport"
    props.subject = fmt.FORMAT_SOURCE
    props.comments = ""
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
