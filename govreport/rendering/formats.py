"""The output formats, and ODT and RTF through pandoc.

``render`` writes the Word file itself (``word``), HTML and Markdown straight
from the facts (``markup``) and PDF through LibreOffice (``pdf.office``,
``pdf.soffice``). What is left here is the list of formats, and ODT and RTF,
which pandoc derives from the rendered Word file, so they show the same text
and the same tables.

pandoc is optional: it comes with pypandoc-binary, installed by the extra
``govreport[pandoc]``. Nothing imports pypandoc until ODT or RTF is asked for;
then :func:`require_pandoc` refuses, before any file is written, when it is
missing or too old to read merged docx cells (3.1): an older pandoc silently
splits them, which would produce a wrong table.

Every conversion goes through :func:`govreport.files.output.atomic_output`: a
failed or interrupted conversion leaves no output file behind.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ConversionError, GovReportError
from ..files.output import atomic_output, cannot_write
from ..pdf.soffice import require_docx

__all__ = [
    "FORMATS",
    "INSTALL_PANDOC",
    "PANDOC_FORMATS",
    "convert",
    "pandoc_version",
    "parse_formats",
    "require_pandoc",
]

#: Every output format govreport can write, in the order they are produced.
FORMATS = ("docx", "html", "md", "odt", "rtf", "pdf")
#: Formats pandoc writes from the Word file: pandoc's writer name and what users call it.
PANDOC_FORMATS = {"odt": ("odt", "ODT"), "rtf": ("rtf", "RTF")}
#: How to get pandoc: the extra that installs pypandoc-binary, which bundles it.
INSTALL_PANDOC = 'pip install "govreport[pandoc]"'

MIN_PANDOC = (3, 1)  # first pandoc whose docx reader understands merged cells

# pandoc lifts paragraphs styled 标题/副标题/作者/日期/摘要 out of the body into
# metadata, and the writers would restyle or move them; put them back where they were.
_LUA_FILTER = """\
local function as_blocks(value)
  local kind = pandoc.utils.type(value)
  if kind == "Blocks" then return value end
  if kind == "List" then
    local out = pandoc.Blocks({})
    for _, item in ipairs(value) do out:extend(as_blocks(item)) end
    return out
  end
  return pandoc.Blocks({ pandoc.Para(value) })
end

function Pandoc(doc)
  local meta, top = doc.meta, pandoc.Blocks({})
  if meta.title then
    top:insert(pandoc.Header(1, meta.title, pandoc.Attr("", { "title" })))
  end
  for _, key in ipairs({ "subtitle", "author", "date", "abstract" }) do
    if meta[key] then top:extend(as_blocks(meta[key])) end
  end
  for _, key in ipairs({ "title", "subtitle", "author", "date", "abstract" }) do
    meta[key] = nil
  end
  doc.blocks = top .. doc.blocks
  return doc
end
"""


def parse_formats(to: str | Iterable[str]) -> list[str]:
    """``"docx,pdf"`` or ``["docx", "pdf"]`` → a checked, de-duplicated list."""
    items = to.split(",") if isinstance(to, str) else list(to)
    formats: list[str] = []
    for item in (i.strip().lower().lstrip(".") for i in items):
        if item == "markdown":
            item = "md"
        if item not in FORMATS:
            raise GovReportError(f"不支持的输出格式“{item}”", hint=f"可选：{'、'.join(FORMATS)}")
        if item not in formats:
            formats.append(item)
    if not formats:
        raise GovReportError("没有指定输出格式", hint=f"可选：{'、'.join(FORMATS)}")
    return formats


# --------------------------------------------------------------------------- pandoc


def _what(formats: Iterable[str]) -> str:
    return "、".join(PANDOC_FORMATS[f][1] for f in formats if f in PANDOC_FORMATS) or "ODT、RTF"


def pandoc_version(formats: Iterable[str] = ()) -> tuple[int, ...]:
    """The version of the pandoc pypandoc runs, or a ``ConversionError`` in Chinese
    when pypandoc is not installed or finds no pandoc (``formats`` name what needs it)."""
    what = _what(formats)
    try:
        import pypandoc
    except ImportError:
        raise ConversionError(
            f"生成 {what} 需要 pandoc，本机未安装。", hint=f"请安装：{INSTALL_PANDOC}"
        ) from None
    try:
        text = pypandoc.get_pandoc_version()
    except OSError:
        raise ConversionError(
            f"生成 {what} 需要 pandoc，未找到 pandoc 程序。",
            hint=f"请重新安装：pip install --force-reinstall pypandoc-binary，或 {INSTALL_PANDOC}",
        ) from None
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def require_pandoc(formats: Iterable[str]) -> None:
    """Refuse, before anything is written, ODT or RTF without a usable pandoc: none
    installed (the ``govreport[pandoc]`` extra), or one too old to read merged cells.
    Formats that need no pandoc never import pypandoc."""
    wanted = [f for f in formats if f in PANDOC_FORMATS]
    if not wanted:
        return
    version = pandoc_version(wanted)
    if version < MIN_PANDOC:
        shown = ".".join(map(str, version))
        raise ConversionError(
            f"pandoc 版本 {shown} 过低，无法正确转换合并单元格（需要 3.1 或更高版本）",
            hint="请升级：pip install -U pypandoc-binary",
        )


def convert(docx: Path, target: Path, fmt: str) -> None:
    """Write ``docx`` to ``target`` as ``fmt`` (``odt`` or ``rtf``) with pandoc, atomically."""
    if fmt not in PANDOC_FORMATS:
        raise ConversionError(
            f"不支持用 pandoc 转换为 {fmt}", hint="可选格式：" + "、".join(PANDOC_FORMATS)
        )
    docx = Path(docx).absolute()
    require_docx(docx)
    require_pandoc([fmt])
    import pypandoc

    writer, what = PANDOC_FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="govreport-pandoc-") as tmpdir:
        lua = Path(tmpdir) / "restore-title.lua"
        lua.write_text(_LUA_FILTER, encoding="utf-8")
        # --standalone: RTF is a fragment without it
        args = ["--wrap=none", f"--lua-filter={lua}", "--standalone"]
        with atomic_output(target) as tmp:
            try:
                # pypandoc expands glob patterns even in a single path, so a
                # name like 报告[2023].docx must be escaped to mean itself.
                pypandoc.convert_file(
                    glob.escape(str(docx)),
                    writer,
                    format="docx",
                    outputfile=str(tmp),
                    extra_args=args,
                )
            except (RuntimeError, OSError) as exc:
                raise pandoc_failure(exc, docx, target, what) from None


#: What pandoc's (Haskell) error text says when the output could not be written.
_PANDOC_WRITE_ERRORS = {
    "No space left on device": errno.ENOSPC,
    "resource exhausted": errno.ENOSPC,
    "Permission denied": errno.EACCES,
    "Read-only file system": errno.EROFS,
}


def pandoc_failure(exc: Exception, docx: Path, target: Path, what: str) -> GovReportError:
    """pandoc's failure in Chinese: a write failure as ``OutputError`` (a full disk is
    exit 5, not a damaged Word file); anything else as ``ConversionError``. pandoc's own
    text and Haskell backtrace stay out of the message."""
    if isinstance(exc, OSError) and exc.errno in _PANDOC_WRITE_ERRORS.values():
        return cannot_write(target, exc)
    text = str(exc)
    for clue, code in _PANDOC_WRITE_ERRORS.items():
        if clue in text:
            return cannot_write(target, OSError(code, os.strerror(code)))
    status = re.search(r'exitcode "(\d+)"', text)
    said = f"（pandoc 退出码 {status.group(1)}）" if status else ""
    return ConversionError(
        f"pandoc 无法把 {docx.name} 转换为 {what}{said}",
        hint="请确认该文件是完好的 Word（.docx）文档；可先用 Word 打开后另存为 .docx 再试",
    )
