"""The copy of the Word file LibreOffice prints: justified lines keep their last comma.

The Word file's body is justified (两端对齐), as a 公文's is in Word and WPS. LibreOffice
(7.x), printing such a file, loses a full-width comma that ends a justified line: the
PDF reads "加强和改进使我局" where the report says "加强和改进，使我局" (turning off
hanging punctuation, ``w:overflowPunct``, does not help). So the copy handed to
LibreOffice, and only that copy, aligns justified paragraphs left, as the template did
before: every character is printed, the right edge is a little ragged. The Word file
the user gets is not touched; the Typst PDF (the default) is justified.
"""

from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn
from lxml import etree

#: The parts whose paragraphs (or paragraph styles) may be justified.
_PARTS = ("word/styles.xml", "word/document.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def for_libreoffice(document: bytes) -> bytes:
    """``document`` with every justified paragraph and paragraph style aligned left."""
    source = zipfile.ZipFile(io.BytesIO(document))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in _PARTS:
                data = _justified_to_left(data)
            target.writestr(info, data)
    return buffer.getvalue()


def _justified_to_left(data: bytes) -> bytes:
    root = etree.fromstring(data, _PARSER)
    changed = False
    for jc in root.iter(qn("w:jc")):
        if jc.get(qn("w:val")) == "both":
            jc.set(qn("w:val"), "left")
            changed = True
    if not changed:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
