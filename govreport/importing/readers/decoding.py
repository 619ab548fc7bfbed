"""A text file's bytes as text, or a refusal: never a report's worth of mojibake.

``decode`` reads a BOM, a declared charset, UTF-8, then GB18030. Two cases slip
through that alone: UTF-16 saved without a BOM (GB18030 decodes those bytes without an error,
into garbage, and the NUL bytes vanish in clean-up), and bytes in an encoding that
is none of these. Here UTF-16 is recognised by where its NUL bytes fall (ASCII
characters and line breaks are ``00 xx`` in UTF-16BE, ``xx 00`` in UTF-16LE), and
whatever the decoding, the text must look like text: few replacement or control
characters, and Chinese characters that are mostly common ones (GB2312's first
level, or Big5's common characters, cover nearly every character of a real report;
bytes decoded in the wrong encoding give rare characters across the whole range).
"""

from __future__ import annotations

import codecs
import re

from ...errors import InputError

_SAMPLE = 64 * 1024  # bytes looked at for NULs; characters looked at for plausibility
MIN_NULS = 0.05  # a share of NUL bytes no text in an 8-bit or UTF-8 encoding has
MAX_ODD = 0.02  # replacement, control and private-use characters among the shown ones
MIN_COMMON = 0.8  # common Chinese characters among all Chinese ones (a report: 0.95–1.0)
MIN_CHINESE = 20  # fewer Chinese characters than this are too few to judge
_ALLOWED_CONTROLS = set("\t\n\r\x0b\x0c")


def decode_report(data: bytes, *, markup: bool = False) -> str:
    """``data`` as text (see the module doc); ``InputError`` when it is not text."""
    encoding = utf16_without_bom(data)
    text = data.decode(encoding, errors="replace") if encoding else decode(data, markup=markup)
    if not plausible(text[:_SAMPLE]):
        raise InputError(
            "无法识别文件的文字编码：按 UTF-8、GBK（GB18030）、UTF-16 解读都是乱码，未导入",
            hint="请用记事本或 WPS 打开确认文字正常，再“另存为”UTF-8 编码的文本后导入",
        )
    return text


_DECLARED = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode(data: bytes, *, markup: bool = False) -> str:
    """Bytes as text: a BOM or a declared charset first, then UTF-8, then GB18030.

    Government sites and Word's "save as text" still produce GBK; GB18030 is its
    superset and decodes every GBK file.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    candidates = ["utf-8", "gb18030"]
    if markup and (declared := _DECLARED.search(data[:4096])):
        name = declared.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk"):
            name = "gb18030"
        candidates.insert(0, name)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-be`` or ``utf-16-le`` when the NUL bytes say so, else ``None``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None  # a BOM: decode reads it
    sample = data[:_SAMPLE]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if even + odd < MIN_NULS * len(sample):
        return None
    if even > 4 * odd:
        return "utf-16-be"
    if odd > 4 * even:
        return "utf-16-le"
    return None


def plausible(text: str) -> bool:
    """Whether ``text`` reads as text: few odd characters, common Chinese characters."""
    shown = [c for c in text if not c.isspace()]
    odd = sum(1 for c in shown if _odd(c))
    if shown and odd > max(3, MAX_ODD * len(shown)):
        return False
    chinese = [c for c in shown if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"]
    if len(chinese) < MIN_CHINESE:
        return True
    return sum(1 for c in chinese if _common(c)) >= MIN_COMMON * len(chinese)


def _odd(char: str) -> bool:
    code = ord(char)
    return (
        char == "\ufffd"
        or (code < 0x20 and char not in _ALLOWED_CONTROLS)
        or 0x7F <= code < 0xA0
        or 0xE000 <= code <= 0xF8FF
    )


def _common(char: str) -> bool:
    """One of GB2312's 3,755 first-level (most used) characters, or of Big5's 5,401
    common ones (a report in traditional characters is text too)."""
    for encoding, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            lead = char.encode(encoding)[0]
        except UnicodeEncodeError:
            continue
        if first <= lead <= last:
            return True
    return False
