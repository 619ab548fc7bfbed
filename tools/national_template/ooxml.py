"""Raw WordprocessingML helpers for what python-docx has no API for.

Elements with ``w:`` attributes, children put in schema order (Word rejects misordered
properties), explicit font names and character-based first-line indents; the styles,
page and tables modules all build on them.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.styles.style import BaseStyle
from lxml import etree

from .layout import WESTERN


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
