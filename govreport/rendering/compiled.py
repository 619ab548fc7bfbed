"""Word templates compiled once per process and rendered many times.

``DocxTemplate(path).render()`` re-reads the Word package and recompiles its
Jinja template every time; on the national report that compile is most of a
render. A ``CompiledDocx`` does docxtpl's own preparation (``patch_xml``) and the
Jinja compile once, keeps the package parts rendering never touches as
ready-compressed bytes, and for each report only renders the XML, applies
docxtpl's own post-processing (``resolve_listing``, ``fix_tables``,
``fix_docpr_ids``) and writes the zip. The document is the one docxtpl makes.

Each post-processing step is skipped when it cannot change anything (measured:
together they cost more than the Jinja render itself): ``resolve_listing`` only
rewrites tab, line-feed, form-feed and bell characters, so without one it is
skipped; ``fix_tables`` only rebuilds a grid whose rows hold more or fewer
columns than it declares, which ``_tables_need_fixing`` asks of the parsed tree
without rebuilding; ``fix_docpr_ids`` only renumbers drawings. Tests compare
document.xml byte for byte with ``DocxTemplate.render`` (tests/test_fast_paths.py).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ..facts.model import MODEL_TYPES
from ..narrative.writer import NARRATIVE_TYPES
from ..template_sets.environment import make_environment
from ..template_sets.sandbox import LimitError, arithmetic_message, time_limit

_PARAGRAPH = re.compile(r"<w:p([ >])")
_TAGS = ("{{", "{%")
_LISTING_CHARS = "\t\a\n\f"  # what docxtpl's resolve_listing turns into Word breaks
_LISTING = re.compile("[" + _LISTING_CHARS + "]")
_LISTING_BYTES = tuple(c.encode("ascii") for c in _LISTING_CHARS)
#: A paragraph as docxtpl's resolve_listing finds it.
_LISTING_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_HEADER_FOOTER_URIS = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
#: Core document properties that may hold tags, rendered as docxtpl does.
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
#: Rendered XML is parsed without entities or network: a template cannot make it read files.
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class _Stored:
    """A package part kept exactly as it will be written: deflated once, copied as is."""

    info: zipfile.ZipInfo
    payload: bytes


class CompiledDocx:
    """A Word template ready to render: compiled parts and pre-compressed untouched parts."""

    def __init__(self, path: Path):
        self.path = path
        self._docx = DocxTemplate(path)
        self._docx.render_init()
        self._env = _quick_attributes(make_environment(markup=True))
        document = self._docx.docx
        self._body = self._compile(self._docx.patch_xml(self._docx.get_xml()))
        self._document_shell = self._shell(document.element)
        self._document_name = document.part.partname.lstrip("/")
        self._parts = self._compile_other_parts()
        self._properties = self._compile_properties()
        rendered = {self._document_name, *self._parts}
        if self._properties:
            rendered.add(self._properties_part().partname.lstrip("/"))
        self._stored = _store_untouched(path, rendered)
        self._order = [info.filename for info in zipfile.ZipFile(path).infolist()]

    def _compile(self, xml: str) -> Template:
        """Compile one XML part as docxtpl does: each paragraph on its own line."""
        return self._env.from_string(_PARAGRAPH.sub(r"\n<w:p\1", xml))

    @staticmethod
    def _shell(root: Any) -> bytes:
        """The document part without its body, to put each rendered body into."""
        shell = etree.fromstring(etree.tostring(root))
        body = shell.find(root.body.tag)
        assert body is not None  # a copy of ``root``, which has its body
        shell.remove(body)
        return etree.tostring(shell)

    def _compile_other_parts(self) -> dict[str, Template]:
        """Headers, footers and footnotes that hold tags; the rest are copied untouched."""
        parts: dict[str, Template] = {}
        for uri in _HEADER_FOOTER_URIS:
            for _, part in self._docx.get_headers_footers(uri):
                xml = self._docx.get_part_xml(part)
                if any(tag in xml for tag in _TAGS):
                    parts[part.partname.lstrip("/")] = self._compile(self._docx.patch_xml(xml))
        for part in self._docx.docx.part.package.parts:
            if part.content_type == _FOOTNOTES_TYPE:
                xml = part.blob.decode("utf-8")
                if any(tag in xml for tag in _TAGS):
                    parts[part.partname.lstrip("/")] = self._compile(self._docx.patch_xml(xml))
        return parts

    def _compile_properties(self) -> dict[str, Template]:
        """Core properties (title, subject …) that hold tags, rendered as docxtpl does."""
        properties = self._docx.docx.core_properties
        return {
            name: self._env.from_string(value)
            for name in PROPERTIES
            if any(tag in (value := getattr(properties, name) or "") for tag in _TAGS)
        }

    def _properties_part(self) -> Any:
        return self._docx.docx.part.package._core_properties_part

    def render(self, context: dict[str, Any]) -> bytes:
        """The rendered .docx as bytes, within the sandbox's time limit."""
        with time_limit():
            try:
                return self._render(context)
            except (ArithmeticError, TypeError, ValueError) as exc:  # in a filter, say
                raise TemplateRuntimeError(arithmetic_message(exc)) from None

    def _render(self, context: dict[str, Any]) -> bytes:
        written = {self._document_name: self._render_document(context)}
        if self._properties:
            properties = self._docx.docx.core_properties
            for name, template in self._properties.items():
                setattr(properties, name, template.render(context))
            part = self._properties_part()
            written[part.partname.lstrip("/")] = part.blob
        for name, template in self._parts.items():
            written[name] = _serialize(
                etree.fromstring(self._finish(template.render(context)), _SAFE_XML)
            )
        return self._package(written)

    def _render_document(self, context: dict[str, Any]) -> bytes:
        xml = self._finish(self._body.render(context))
        body = _parse(xml)
        if body is None or _tables_need_fixing(xml, body):
            body = self._docx.fix_tables(xml.decode("utf-8"))  # docxtpl's own repair, as is
        if b"docPr" in xml:  # drawings: renumbered as docxtpl does; nothing else has an id
            self._docx.docx_ids_index = 1000
            self._docx.fix_docpr_ids(body)
        root = etree.fromstring(self._document_shell, _SAFE_XML)
        root.append(body)
        return _serialize(root)

    def _finish(self, rendered: str) -> bytes:
        """docxtpl's clean-up after Jinja: rejoin paragraphs, unescape literal braces, listings;
        as UTF-8, which is what the parser reads.

        Done on the encoded bytes, where searching and replacing ASCII is several times
        faster than in text full of Chinese; none of these ASCII bytes can occur inside
        a character's UTF-8 encoding. docxtpl parses the result with entities on, so a
        DOCTYPE made by the template itself (``{{ "<!DOCTYPE …" | safe }}``) is refused first."""
        xml = rendered.encode("utf-8")
        if b"<!" in xml and _DECLARATION.search(xml):
            raise LimitError("Word 模板生成了 DOCTYPE 或实体声明，已拒绝（可被用来读取本机文件）")
        xml = xml.replace(b"\n<w:p>", b"<w:p>").replace(b"\n<w:p ", b"<w:p ")  # _PARAGRAPH undone
        if b"{_" in xml or b"_}" in xml:  # a brace the template wrote literally
            xml = (
                xml.replace(b"{_{", b"{{")
                .replace(b"}_}", b"}}")
                .replace(b"{_%", b"{%")
                .replace(b"%_}", b"%}")
            )
        region = _listing_region(xml)
        if region is None:
            return xml  # resolve_listing only rewrites these characters: nothing to do
        # resolve_listing works paragraph by paragraph and leaves one without these
        # characters as it is: hand it only the few that have them (a title's line break)
        start, end = region
        stretch = _LISTING_PARAGRAPH.sub(self._resolve_paragraph, xml[start:end].decode("utf-8"))
        return xml[:start] + stretch.encode("utf-8") + xml[end:]

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        paragraph = match.group(0)
        return self._docx.resolve_listing(paragraph) if _LISTING.search(paragraph) else paragraph

    def _package(self, written: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in self._order:
                if name in written:
                    archive.writestr(_info(name), written[name])
                else:
                    _copy_stored(archive, self._stored[name])
        return buffer.getvalue()


def _listing_region(xml: bytes) -> tuple[int, int] | None:
    """The stretch of ``xml`` whose paragraphs hold every listing character, cut where
    docxtpl's paragraph pattern finds the same paragraphs in it as in the whole; ``None``
    when there is no listing character.

    That pattern's match ends at the first ``</w:p>`` after its start, so no match runs
    across the end of a ``</w:p>``: the region may start right after the last one before
    the first listing character and end right after the first one after the last."""
    last = max(xml.rfind(c) for c in _LISTING_BYTES)
    if last < 0:
        return None
    first = min(i for i in (xml.find(c) for c in _LISTING_BYTES) if i >= 0)
    start = xml.rfind(b"</w:p>", 0, first)
    end = xml.find(b"</w:p>", last)
    return (0 if start < 0 else start + 6), (len(xml) if end < 0 else end + 6)


#: What the Word template reads attributes of: the facts model and the narrative.
_OWN_TYPES = frozenset((*MODEL_TYPES, *NARRATIVE_TYPES))


def _quick_attributes(env: Any) -> Any:
    """The sandbox's attribute access, with what it answers remembered or known beforehand.

    A report reads some 800 attributes, and the sandbox's checks cost a fifth of a
    render. On govreport's own model objects (``_OWN_TYPES``) the sandbox can only
    answer with the attribute itself or refuse a name starting with ``_``: its
    other checks concern functions, methods, frames and ``str.format``, which these
    objects are not. Elsewhere the check of a (type, name) is answered once: it
    depends on nothing else. A subclass with checks of its own is left alone.
    """
    if (
        type(env).is_safe_attribute is not SandboxedEnvironment.is_safe_attribute
        or type(env).getattr is not SandboxedEnvironment.getattr
    ):
        return env
    check, sandboxed = env.is_safe_attribute, env.getattr
    known: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        if key not in known:
            known[key] = check(obj, attr, value)
        return known[key]

    def getattr_(obj: Any, attribute: str) -> Any:
        if type(obj) in _OWN_TYPES and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass  # a row a template names wrongly: the sandbox makes it undefined
        return sandboxed(obj, attribute)

    env.is_safe_attribute = is_safe_attribute
    env.getattr = getattr_
    return env


def _parse(xml: bytes) -> Any:
    """The rendered body as a tree; ``None`` if it is not well-formed (docxtpl then recovers)."""
    try:
        return etree.fromstring(xml, _SAFE_XML)
    except etree.XMLSyntaxError:
        return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _GRID, _TR, _TC = f"{_W}tbl", f"{_W}tblGrid", f"{_W}tr", f"{_W}tc"
_TCPR, _SPAN, _VAL = f"{_W}tcPr", f"{_W}gridSpan", f"{_W}val"
_XPATH_NS = {"w": _W[1:-1]}
_GRID_COLUMNS = etree.XPath("count(w:gridCol)", namespaces=_XPATH_NS)
_ROW_TOO_LONG = etree.XPath("boolean(.//w:tr[count(w:tc) > $n])", namespaces=_XPATH_NS)
_PLAIN_SPAN = re.compile(rb'<w:gridSpan w:val="[1-9][0-9]{0,3}"/>')


def _tables_need_fixing(xml: bytes, body: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` would change (or stumble on) any table.

    It changes a table only when a row (its own or a nested table's) holds more
    cells than the grid has columns, or when no row spans as many columns as the
    grid has: the same questions, asked without rebuilding anything. A span
    written any other way than ``<w:gridSpan w:val="3"/>`` is left to docxtpl.
    """
    if b"<w:tbl>" not in xml and b"<w:tbl " not in xml:
        return False
    if len(_PLAIN_SPAN.findall(xml)) != xml.count(b"<w:gridSpan"):
        return True
    for table in body.iter(_TBL):
        grid = table.find(_GRID)
        if grid is None:
            return True
        counted = _GRID_COLUMNS(grid)
        assert isinstance(counted, float)  # XPath count() is a number
        columns = int(counted)
        if _ROW_TOO_LONG(table, n=columns):
            return True
        if not any(_width(row) >= columns for row in table.iter(_TR)):
            return True
    return False


def _width(row: Any) -> int:
    """How many grid columns a row spans, read as docxtpl reads it."""
    width = 0
    for cell in row.iterchildren(_TC):
        props = cell.find(_TCPR)
        span = props.find(_SPAN) if props is not None else None
        width += int(span.get(_VAL)) if span is not None else 1
    return width


def _serialize(element: Any) -> bytes:
    """A part's XML as python-docx writes it."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _store_untouched(path: Path, rendered: set[str]) -> dict[str, _Stored]:
    """Deflate every part rendering does not change, once."""
    stored = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename in rendered:
                continue
            data = archive.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = compressor.compress(data) + compressor.flush()
            out = _info(info.filename)
            out.CRC = zlib.crc32(data)
            out.file_size = len(data)
            out.compress_size = len(payload)
            stored[info.filename] = _Stored(out, payload)
    return stored


def _copy_stored(archive: zipfile.ZipFile, stored: _Stored) -> None:
    """Append a ready-deflated entry; zipfile writes the central directory for it on close."""
    info = zipfile.ZipInfo(stored.info.filename, date_time=stored.info.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.CRC, info.file_size, info.compress_size = (
        stored.info.CRC,
        stored.info.file_size,
        stored.info.compress_size,
    )
    out = archive.fp
    assert out is not None  # the archive is open for writing
    info.header_offset = out.tell()
    out.write(info.FileHeader())
    out.write(stored.payload)
    archive.start_dir = out.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


@lru_cache(maxsize=32)
def _compiled(path: str, mtime_ns: int, size: int) -> CompiledDocx:
    return CompiledDocx(Path(path))


def compiled(path: Path) -> CompiledDocx:
    """The compiled template for ``path``, compiled once per process (recompiled if edited)."""
    stat = path.stat()
    return _compiled(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
