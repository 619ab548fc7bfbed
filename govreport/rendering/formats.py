"""Turn the rendered Word report into HTML, Markdown and PDF.

PDF, ODT and RTF are derived from the rendered .docx, so they show the same text
and the same tables: ODT and RTF through pandoc (the copy bundled with
pypandoc-binary), PDF through LibreOffice (``_soffice``; the LibreOffice kept
running is ``_office``), because only a real word processor lays out the official
tables faithfully. ``render`` writes HTML and Markdown from
the facts (``_markup``); ``docx_to_html``/``docx_to_markdown`` remain for
converting a Word file that exists already.

The annual-report tables rely on merged cells (表三's 申请人情况 header spans
seven columns; 法人或其他组织 spans five). pandoc reads merged docx cells since
3.1, and its HTML writer and the HTML it embeds in GitHub-flavoured Markdown
keep them as ``colspan``/``rowspan``; older pandoc silently splits them, so it
is refused rather than allowed to produce a wrong table.

Every writer goes through :func:`govreport.files.output.atomic_output`: a failed or
interrupted conversion leaves no output file behind.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ConversionError, GovReportError
from ..files.output import atomic_output, cannot_write
from ..pdf.soffice import docx_to_pdf, require_docx

__all__ = [
    "FORMATS",
    "convert",
    "docx_to_html",
    "docx_to_markdown",
    "parse_formats",
]

#: Every output format govreport can write, in the order they are produced.
#: (HTML and Markdown are rendered from the facts by ``_markup``; the rest come from the .docx.)
FORMATS = ("docx", "html", "md", "odt", "rtf", "pdf")
#: Formats pandoc writes well from the Word file: pandoc's writer name and what users call it.
PANDOC_FORMATS = {"odt": ("odt", "ODT"), "rtf": ("rtf", "RTF")}

_MIN_PANDOC = (3, 1)  # first pandoc whose docx reader understands merged cells

# Our own page template instead of pandoc's: pandoc's default stylesheet makes
# tables ``display: block`` with rules only between row groups, which is not
# what a 政府信息公开 table looks like. Nothing here loads an external resource.
_HTML_TEMPLATE = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="govreport">
<title>$pagetitle$</title>
<style>
body {
  font-family: "仿宋", "仿宋_GB2312", FangSong, FangSong_GB2312, STFangsong, serif;
  font-size: 16pt;
  line-height: 1.75;
  max-width: 60em;
  margin: 0 auto;
  padding: 2em;
  color: #000;
  background: #fff;
}
h1.title { text-align: center; }
table { border-collapse: collapse; margin: 1em auto; }
table, th, td { border: 1px solid black; }
th, td { text-align: center; vertical-align: middle; padding: 0.2em 0.5em; }
th p, td p { margin: 0; }
</style>
</head>
<body>
$body$
</body>
</html>
"""

# pandoc lifts paragraphs styled 标题/副标题/作者/日期/摘要 out of the body into
# metadata. The Markdown writer (not standalone) would then drop the report's
# title, and the HTML writer would restyle it; put them back where they were.
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


def _pandoc_version() -> tuple[int, ...]:
    import pypandoc

    try:
        text = pypandoc.get_pandoc_version()
    except OSError as exc:
        raise ConversionError(
            "未找到 pandoc，无法生成 HTML 或 Markdown",
            hint="请重新安装 pypandoc-binary：pip install --force-reinstall pypandoc-binary",
        ) from exc
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _require_pandoc() -> None:
    """Refuse a pandoc too old to read merged cells: it would silently break the tables."""
    version = _pandoc_version()
    if version < _MIN_PANDOC:
        shown = ".".join(map(str, version))
        raise ConversionError(
            f"pandoc 版本 {shown} 过低，无法正确转换合并单元格（需要 3.1 或更高版本）",
            hint="请升级：pip install -U pypandoc-binary",
        )


def _pandoc(docx: Path, target: Path, to: str, *, page_title: str | None = None) -> None:
    """Run the bundled pandoc from ``docx`` to ``target`` (written atomically).

    With ``page_title`` the output is a standalone page built on our template.
    """
    import pypandoc

    docx = Path(docx).absolute()
    require_docx(docx)
    _require_pandoc()
    what = {"html5": "HTML", "gfm": "Markdown"}.get(to) or PANDOC_FORMATS[to][1]
    with tempfile.TemporaryDirectory(prefix="govreport-pandoc-") as tmpdir:
        work = Path(tmpdir)
        lua = work / "restore-title.lua"
        lua.write_text(_LUA_FILTER, encoding="utf-8")
        args = ["--wrap=none", f"--lua-filter={lua}"]
        if to in PANDOC_FORMATS:
            args.append("--standalone")  # RTF is a fragment without it
        if page_title is not None:
            template = work / "template.html"
            template.write_text(_HTML_TEMPLATE, encoding="utf-8")
            args += [
                "--standalone",
                "--embed-resources",
                f"--template={template}",
                "--metadata",
                f"pagetitle={page_title}",
            ]
        with atomic_output(target) as tmp:
            try:
                # pypandoc expands glob patterns even in a single path, so a
                # name like 报告[2023].docx must be escaped to mean itself.
                pypandoc.convert_file(
                    glob.escape(str(docx)),
                    to,
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


def docx_to_html(docx: Path, target: Path, *, title: str) -> None:
    """Write a standalone UTF-8 HTML page of ``docx`` with merged cells kept.

    ``title`` only fills the page's ``<title>`` (pandoc's ``pagetitle``): the
    report already opens with its title, so no second heading is added. The
    page embeds its stylesheet and any images and loads nothing from outside.
    """
    _pandoc(docx, target, "html5", page_title=title.strip() or Path(docx).stem)


def docx_to_markdown(docx: Path, target: Path) -> None:
    """Write ``docx`` as GitHub-flavoured Markdown.

    Plain tables become pipe tables; a table with merged cells, which pipe
    tables cannot express, is written as an embedded HTML ``<table>`` with
    ``colspan``/``rowspan``, which GitHub, GitLab, Gitee and most Markdown
    viewers render. (pandoc's own ``markdown`` writer would use grid tables,
    which nothing but pandoc reads.)
    """
    _pandoc(docx, target, "gfm")


# --------------------------------------------------------------------------- dispatch


def _copy_docx(docx: Path, target: Path) -> None:
    require_docx(docx)
    with atomic_output(target) as tmp:
        shutil.copyfile(docx, tmp)


def convert(docx: Path, target: Path, fmt: str, *, title: str) -> None:
    """Write ``docx`` to ``target`` as ``fmt`` (one of :data:`FORMATS`).

    ``title`` is the report's title, used where a format carries one besides
    the text (the HTML ``<title>``). ``docx`` simply copies the file.
    """
    if fmt == "html":
        docx_to_html(docx, target, title=title)
    elif fmt == "md":
        docx_to_markdown(docx, target)
    elif fmt in PANDOC_FORMATS:
        _pandoc(docx, target, PANDOC_FORMATS[fmt][0])
    elif fmt == "pdf":
        docx_to_pdf(docx, target)
    elif fmt == "docx":
        _copy_docx(docx, target)
    else:
        raise ConversionError(f"不支持的输出格式：{fmt}", hint="可选格式：" + "、".join(FORMATS))
