"""Whether a PDF's text layer says anything: glyphs that map to no readable character.

A PDF may carry text whose fonts map every glyph to the private-use area, to no
character at all (pdfminer writes ``(cid:123)``) or to Latin letters standing for
Chinese ones: the file opens and looks right, but its text layer is not the text.
Such a file is not broken or encrypted; its text can't be read without OCR, and
the user is told so.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ...errors import InputError

#: A share of strange glyphs above this, with few Chinese characters, is no text layer.
MAX_STRANGE = 0.3
MIN_CHINESE = 0.5
_LATIN_SIGNS = set("·×÷°±§¨´µ¶¸¹²³¼½¾")
_STRANGE = {
    "private": "多为私用区字符，字体没有给出对应的汉字",
    "unmapped": "字体没有给出字形对应的文字",
    "latin": "多为乱码，字体的编码不正确",
}


def glyph_kind(text: str) -> str:
    """What one extracted glyph is: ``chinese``, ``ascii``, ``space``, or one of the
    strange kinds (``private``, ``unmapped``, ``latin``), else ``other``."""
    if text.startswith("(cid:") or text == "\ufffd":
        return "unmapped"
    if not text or text.isspace():
        return "space"
    code = ord(text[0])
    if code < 0x80:
        return "ascii"
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return "private"
    if 0x80 <= code <= 0x24F and text[0] not in _LATIN_SIGNS:
        return "latin"
    if 0x3000 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF:
        return "chinese"
    return "other"


def unreadable_text_layer(glyphs: Counter[str], path: Path) -> None:
    """Refuse a text layer made mostly of glyphs that stand for no readable character."""
    shown = sum(count for kind, count in glyphs.items() if kind != "space")
    strange = {kind: glyphs[kind] for kind in _STRANGE if glyphs[kind]}
    if not shown or not strange:
        return
    if sum(strange.values()) < MAX_STRANGE * shown or glyphs["chinese"] >= MIN_CHINESE * shown:
        return
    most = max(strange, key=lambda kind: strange[kind])
    raise InputError(
        f"PDF 的文字层无法识别（{_STRANGE[most]}），无法读取其中的文字和数字，可能需要 OCR",
        file=str(path),
        hint="请在 PDF 阅读器中复制一段文字确认；可从原 Word/WPS 文件重新导出 PDF，"
        "或用 OCR 软件识别后另存为 Word 再导入",
    )
