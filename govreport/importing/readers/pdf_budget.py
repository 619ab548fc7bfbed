"""How much a PDF would make the reader interpret, measured before anything is laid out.

A page's content may draw a form XObject, which may draw another: ten forms drawn ten
times each, five levels deep, are a 2 KB file that asks pdfminer for a million lines
of text. A content stream may also inflate a thousandfold (1 MB of zlib, 1 GB of
zeros). Both are found here from the file's objects alone: each stream is inflated
at most up to the budget, each form is measured once and multiplied by the number of
times it is drawn, and the file is refused before pdfminer starts on it.

The budget is far beyond any real report (a page of a published report is 10–40 KB
of content and a few hundred to three thousand glyphs) and far below what would
exhaust the worker's memory. What the measure cannot see (another filter than
Flate, an image, a font) is left to the worker's memory and time limits.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError

MAX_STREAM_BYTES = 16 * 2**20  # one stream inflated
MAX_PAGE_BYTES = 8 * 2**20  # a page's content, forms expanded
MAX_PAGE_GLYPHS = 60_000  # string bytes a page shows, forms expanded (≈ glyphs)
MAX_DOCUMENT_BYTES = 128 * 2**20
MAX_DOCUMENT_GLYPHS = 1_500_000

_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)
_HINT = "年度报告的 PDF 由 Word/WPS 直接导出，不会这样；请确认文件来源，或另存为 Word 后导入"


@dataclass(frozen=True)
class Cost:
    """What drawing a stream once costs: its content bytes and the string bytes it shows."""

    size: int = 0
    glyphs: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.size + other.size, self.glyphs + other.glyphs)

    def times(self, count: int) -> Cost:
        return Cost(self.size * count, self.glyphs * count)

    def within(self, size: int, glyphs: int) -> bool:
        return self.size <= size and self.glyphs <= glyphs


class TooComplex(InputError):
    """The PDF asks for more content than any report holds; refused before reading."""


@dataclass
class _Measure:
    costs: dict[int, Cost] = field(default_factory=dict)  # by stream object id
    open: set[int] = field(default_factory=set)  # forms being measured (a loop is not drawn)

    def contents(self, streams: list[Any], resources: Any) -> Cost:
        total = Cost()
        for stream in streams:
            total = total + self.stream(stream, resources)
        return total

    def stream(self, stream: Any, resources: Any) -> Cost:
        from pdfminer.pdftypes import PDFStream, resolve1

        stream = resolve1(stream)
        if not isinstance(stream, PDFStream):
            return Cost()
        key = id(stream)
        if key in self.costs:
            return self.costs[key]
        if key in self.open:
            return Cost()  # pdfminer does not draw a form inside itself
        self.open.add(key)
        data = inflated(stream)
        cost = Cost(len(data), sum(len(s) for s in _STRING.findall(data)))
        forms = _forms(resolve1(resources))
        for name, count in _drawn(data).items():
            form = forms.get(name)
            if form is not None:
                own = resolve1(form.get("Resources")) or resources
                cost = cost + self.stream(form, own).times(count)
                if not cost.within(MAX_PAGE_BYTES, MAX_PAGE_GLYPHS):
                    break  # already over: the exact figure does not matter
        self.open.discard(key)
        self.costs[key] = cost
        return cost


def check_budget(document: Any, pages: list[Any]) -> None:
    """Refuse ``document`` (a pdfminer ``PDFDocument``) when a page, its forms expanded,
    or the whole would show more than any report does. ``pages`` are its ``PDFPage``s."""
    measure = _Measure()
    total = Cost()
    for number, page in enumerate(pages, start=1):
        cost = measure.contents(list(page.contents), page.resources)
        if not cost.within(MAX_PAGE_BYTES, MAX_PAGE_GLYPHS):
            raise TooComplex(
                f"PDF 文件过于复杂：第 {number} 页的内容（含嵌套的表单对象）展开后"
                f"超过 {MAX_PAGE_BYTES // 2**20} MB 或 {MAX_PAGE_GLYPHS} 字，无法作为年度报告读取",
                hint=_HINT,
            )
        total = total + cost
        if not total.within(MAX_DOCUMENT_BYTES, MAX_DOCUMENT_GLYPHS):
            raise TooComplex(
                f"PDF 文件过于复杂：前 {number} 页的内容展开后超过 "
                f"{MAX_DOCUMENT_BYTES // 2**20} MB 或 {MAX_DOCUMENT_GLYPHS} 字，无法作为年度报告读取",
                hint=_HINT,
            )


def inflated(stream: Any) -> bytes:
    """The stream's data, inflated no further than ``MAX_STREAM_BYTES`` (refused past it).
    Flate and LZW, the filters that multiply, are decoded here, bounded; a chain with
    another filter is left to pdfminer (and the worker's memory limit)."""
    from pdfminer.psparser import literal_name

    names = [literal_name(f) for f, _ in stream.get_filters()]
    if stream.data is not None or stream.rawdata is None or not set(names) <= set(_BOUNDED):
        data: bytes = stream.get_data()
    else:
        data = stream.rawdata
        if stream.decipher:  # an encrypted file opened with its (empty) password
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for name in names:
            data = _BOUNDED[name](data)
    if len(data) > MAX_STREAM_BYTES:
        raise _too_big()
    return data


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_STREAM_BYTES + 1)
    except zlib.error:
        return data  # pdfminer deals with a broken stream its own way
    if len(out) > MAX_STREAM_BYTES:
        raise _too_big()
    return out


def _unlzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder
    from pdfminer.pdftypes import PDFException

    out = bytearray()
    try:
        for piece in LZWDecoder(io.BytesIO(data)).run():
            out += piece
            if len(out) > MAX_STREAM_BYTES:
                raise _too_big()
    except PDFException:
        pass  # corrupt: pdfminer keeps what it decoded, so do we
    return bytes(out)


_BOUNDED = {"FlateDecode": _inflate, "Fl": _inflate, "LZWDecode": _unlzw, "LZW": _unlzw}


def _too_big() -> TooComplex:
    return TooComplex(
        f"PDF 中有一段内容解压后超过 {MAX_STREAM_BYTES // 2**20} MB，远超年度报告的篇幅，无法读取",
        hint=_HINT,
    )


def _forms(resources: Any) -> dict[str, Any]:
    """The form XObjects a resource dictionary names (images cost nothing here)."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import literal_name

    if not isinstance(resources, dict):
        return {}
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return {}
    forms = {}
    for name, value in xobjects.items():
        form = resolve1(value)
        if isinstance(form, PDFStream) and "BBox" in form:
            subtype = resolve1(form.get("Subtype"))
            if subtype is not None and literal_name(subtype) == "Form":
                forms[str(name)] = form
    return forms


def _drawn(data: bytes) -> dict[str, int]:
    """How often each XObject name is drawn (``/Name Do``) in a content stream."""
    counts: dict[str, int] = {}
    for match in _DRAW.finditer(data):
        name = match.group(1).decode("latin-1")
        counts[name] = counts.get(name, 0) + 1
    return counts
