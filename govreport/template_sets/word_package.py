"""A set's Word template as an untrusted package: what must be true before it is opened.

A ``report.docx`` shared between offices may be damaged in transit, be an old
``.doc`` or WPS file renamed, or be built to harm: a DOCTYPE (entities, XXE) in a
part, or a zip that unpacks past :data:`MAX_DOCX_UNPACKED` bytes. ``templates check``
and rendering both ask :func:`docx_problems`, so they refuse the same files, in
Chinese, naming the part and, for broken XML, its line (the zip and XML libraries'
own messages are English).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TemplateError

if TYPE_CHECKING:
    import zipfile

#: Bytes a Word template may unpack to (all its parts together).
MAX_DOCX_UNPACKED = 100 * 1024 * 1024
#: The parts every Word document has.
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
#: The parts whose XML is parsed before use: the ones a template author edits
#: (text, headers, footers, notes) and the package's indexes. The rest (styles, themes)
#: python-docx reads as it opens the file.
_PARSED_PARTS = re.compile(
    r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|\[Content_Types\]\.xml|.*\.rels"
)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
#: The first bytes of an OLE compound file: Word 97–2003 (.doc) and WPS documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_DOCX_HINT = "请在 Word 或 WPS 中打开它，另存为“Word 文档（*.docx）”后再用"
DAMAGED_HINT = "文件可能在传输中损坏，请向模板的提供者重新要一份"


def docx_problems(path: Path) -> list[str]:
    """Why the Word template ``path`` must not be opened, in Chinese; empty when it is fine."""
    import zipfile  # a set with a Word template only: a check of facts does without it

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_DOCX_UNPACKED:
                return [f"解压后超过 {MAX_DOCX_UNPACKED:,} 字节，已拒绝打开"]
            names = {info.filename for info in infos}
            missing = [name for name in REQUIRED_PARTS if name not in names]
            if missing:
                return [f"缺少 {missing[0]}，不是完整的 Word 文档（.docx）：{NOT_DOCX_HINT}"]
            return [problem for info in infos for problem in _part_problems(archive, info)]
    except zipfile.BadZipFile:
        return [_not_a_zip(path)]
    except OSError as exc:
        return [f"无法读取（{exc.strerror or '读取出错'}）"]


def _not_a_zip(path: Path) -> str:
    with open(path, "rb") as file:
        head = file.read(len(_OLE_MAGIC))
    if head == _OLE_MAGIC:
        return f"是旧版 Word（.doc）或 WPS 格式，不是 .docx：{NOT_DOCX_HINT}"
    return (
        "不是 Word 文档（.docx）：可能是改了扩展名的其他文件，请在 Word 中另存为 .docx；"
        "也可能已损坏，请向模板的提供者重新要一份"
    )


def _part_problems(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[str]:
    """A part's DOCTYPE, damaged compression or broken XML, read once in chunks."""
    import zipfile

    from lxml import etree

    if not info.filename.endswith((".xml", ".rels")):
        return
    parser = None
    if _PARSED_PARTS.fullmatch(info.filename):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(1 << 20):
                if _DOCTYPE.search(tail + chunk):
                    yield (
                        f"{info.filename} 中含有 DOCTYPE 或实体声明（可被用来读取本机文件），"
                        "已拒绝打开"
                    )
                    return
                tail = chunk[-16:]
                if parser is not None:
                    parser.feed(chunk)
        if parser is not None:
            parser.close()
    except (zipfile.BadZipFile, zlib.error, EOFError):
        yield f"{info.filename} 已损坏，无法解压：{DAMAGED_HINT}"
    except etree.XMLSyntaxError as exc:
        yield f"{info.filename} {xml_place(exc)}的内容已损坏（不是完整的 XML）：{DAMAGED_HINT}"


def xml_place(exc: BaseException) -> str:
    """``第 2 行第 39122 列`` of an XML syntax error, when lxml knows it."""
    position = getattr(exc, "position", None)
    if not position or not position[0]:
        return ""
    line, column = position
    return f"第 {line} 行第 {column} 列" if column else f"第 {line} 行"


def broken_package_reason(exc: BaseException) -> str:
    """In Chinese, why a Word file that passed :func:`docx_problems` still would not open
    (the zip, XML or python-docx error, whose own words are English)."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return "文件已损坏，无法解压"
    if isinstance(exc, KeyError):
        return "缺少必需的部件，不是完整的 Word 文档"
    return f"内容已损坏（{xml_place(exc)}不是完整的 XML）"


def require_safe_docx(path: Path, label: str) -> None:
    """Refuse a Word template :func:`docx_problems` finds fault with, before parsing it
    (looked at once per process unless the file changes)."""
    info = path.stat()
    problems = _docx_problems_cached(str(path), info.st_mtime_ns, info.st_size)
    if problems:
        raise TemplateError(f"Word 模板 {label}：{problems[0]}")


@lru_cache(maxsize=32)
def _docx_problems_cached(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(docx_problems(Path(path)))
