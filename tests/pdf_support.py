"""Small PDFs written byte by byte for the hostile-PDF tests: form XObjects nested deep,
a content stream that inflates a thousandfold, a text layer of private-use characters.

Each is a valid PDF (objects, cross-reference table, trailer) of a few kilobytes, so
the tests build them on the spot instead of keeping bombs in the repository.
"""

from __future__ import annotations

import zlib
from pathlib import Path

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """``objects`` numbered from 1; object 1 is the catalog, 2 the page tree."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def stream(data: bytes, extra: bytes = b"", *, compressed: bytes | None = None) -> bytes:
    body = compressed if compressed is not None else data
    flate = b" /Filter /FlateDecode" if compressed is not None else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(body), flate, extra) + body + b"\nendstream"


def _page(content: int, resources: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources %s >>" % (content, resources),
    ]


def nested_xobjects(path: Path, depth: int, fan_out: int = 10, pages: int = 1) -> Path:
    """``pages`` pages, each drawing form X1 ``fan_out`` times, X1 drawing X2 as often,
    and so on ``depth`` levels down to a form that prints a line of text: a few
    kilobytes that expand to ``pages * fan_out ** depth`` lines."""
    content = 3 + pages  # objects 1–2 catalog and page tree, then the pages, the content,
    first = content + 1  # the forms and the font
    font = first + depth
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /XObject << /X %d 0 R >> >> >>" % (content, first)
    ] * pages
    objects.append(stream(b"/X Do\n" * fan_out))
    for level in range(depth):
        last = level == depth - 1
        drawn = b"BT /F 12 Tf 10 10 Td (AAAAAAAAAA) Tj ET" if last else b"/X Do\n" * fan_out
        inner = (
            b"/Font << /F %d 0 R >>" % font
            if last
            else b"/XObject << /X %d 0 R >>" % (first + level + 1)
        )
        objects.append(
            stream(drawn, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >>"
                   % inner)
        )  # fmt: skip
    objects.append(_FONT)
    return write_pdf(path, objects)


def inflating_stream(path: Path, inflated: int = 2**30) -> Path:
    """A page whose content stream is ``inflated`` bytes of zeros (PDF white space),
    deflated in chunks to about a thousandth of that."""
    packer = zlib.compressobj(9)
    chunk = bytes(2**20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk)))
    packed += packer.flush()
    objects = _page(4, b"<< >>")
    objects.append(stream(b"", compressed=packed))
    return write_pdf(path, objects)


def lzw_zeros(size: int) -> bytes:
    """``size`` zero bytes (or a little more) LZW-encoded as PDF decoders read it: after
    each clear code, code 0 and then each new code, which stands for one zero more
    than the one before: about a thousandth of ``size``."""
    bits = bytearray()
    width = 9

    def put(code: int) -> None:
        bits.extend(int(b) for b in format(code, f"0{width}b"))

    made = 0
    while made < size:
        put(256)
        width, table, length = 9, 258, 1
        put(0)
        made += 1
        while table < 4095 and made < size:
            put(table)
            table, length = table + 1, length + 1
            made += length
            width = {511: 10, 1023: 11, 2047: 12}.get(table, width)
    put(257)
    bits.extend([0] * (-len(bits) % 8))
    return int("".join(map(str, bits)), 2).to_bytes(len(bits) // 8, "big")


def lzw_stream(path: Path, inflated: int) -> Path:
    """A page whose content stream is ``inflated`` zeros, LZW-encoded."""
    packed = lzw_zeros(inflated)
    objects = _page(4, b"<< >>")
    objects.append(
        b"<< /Length %d /Filter /LZWDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    )
    return write_pdf(path, objects)


def text_page(path: Path, lines: list[bytes], to_unicode: dict[int, int] | None = None) -> Path:
    """A page of text lines in Helvetica; ``to_unicode`` maps byte codes to the code
    points a text layer reports for them (a font whose ToUnicode map is garbage)."""
    content = b"BT /F 12 Tf 72 800 Td 14 TL " + b"".join(b"(%s) '" % line for line in lines)
    content += b" ET"
    font = _FONT
    objects = _page(4, b"<< /Font << /F 5 0 R >> >>")
    objects.append(stream(content))
    if to_unicode:
        font = _FONT[:-2] + b"/ToUnicode 6 0 R >>"
    objects.append(font)
    if to_unicode:
        pairs = b"".join(b"<%02X> <%04X>\n" % item for item in sorted(to_unicode.items()))
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Garbage def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"%d beginbfchar\n%sendbfchar\nendcmap CMapName currentdict /CMap defineresource pop "
            b"end end" % (len(to_unicode), pairs)
        )
        objects.append(stream(cmap))
    return write_pdf(path, objects)
