"""Turn the rendered Word report into HTML, Markdown and PDF.

PDF, ODT and RTF are derived from the rendered .docx, so they show the same text
and the same tables: ODT and RTF through pandoc (the copy bundled with
pypandoc-binary), PDF through LibreOffice, because only a real word processor
lays out the official tables faithfully. ``render`` writes HTML and Markdown from
the facts (``_markup``); ``docx_to_html``/``docx_to_markdown`` remain for
converting a Word file that exists already.

The annual-report tables rely on merged cells (表三's 申请人情况 header spans
seven columns; 法人或其他组织 spans five). pandoc reads merged docx cells since
3.1, and its HTML writer and the HTML it embeds in GitHub-flavoured Markdown
keep them as ``colspan``/``rowspan``; older pandoc silently splits them, so it
is refused rather than allowed to produce a wrong table.

Every writer goes through :func:`govreport._output.atomic_output`: a failed or
interrupted conversion leaves no output file behind.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import _profile
from ._exceptions import ConversionError, GovReportError
from ._fonts import warn_substitutions_once
from ._output import atomic_output, cannot_write

__all__ = [
    "FORMATS",
    "convert",
    "docx_to_html",
    "docx_to_markdown",
    "docx_to_pdf",
    "have_libreoffice",
]

#: Every output format govreport can write, in the order they are produced.
#: (HTML and Markdown are rendered from the facts by ``_markup``; the rest come from the .docx.)
FORMATS = ("docx", "html", "md", "odt", "rtf", "pdf")
#: Formats pandoc writes well from the Word file: pandoc's writer name and what users call it.
PANDOC_FORMATS = {"odt": ("odt", "ODT"), "rtf": ("rtf", "RTF")}

#: Environment variable naming the LibreOffice binary when it is not on PATH.
SOFFICE_ENV = "GOVREPORT_SOFFICE"
TIMEOUT_ENV = "GOVREPORT_PDF_TIMEOUT"

_MIN_PANDOC = (3, 1)  # first pandoc whose docx reader understands merged cells

# Where installers put LibreOffice when they do not add it to PATH (Windows, macOS).
_KNOWN_SOFFICE_LOCATIONS: tuple[str, ...] = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

_NEW_PROCESS_GROUP: int = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Windows only

_INSTALL_HINT = (
    "请安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    "（Windows/macOS 请从 libreoffice.org 安装）"
)

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


def _require_docx(docx: Path) -> None:
    if not docx.is_file():
        raise ConversionError(f"找不到要转换的 Word 文件：{docx}")


def _tail(text: str, *, lines: int = 15, chars: int = 2000) -> str:
    """The end of a tool's output, which is where it says what went wrong."""
    kept = "\n".join(text.strip().splitlines()[-lines:])
    return kept[-chars:]


def _pandoc(docx: Path, target: Path, to: str, *, page_title: str | None = None) -> None:
    """Run the bundled pandoc from ``docx`` to ``target`` (written atomically).

    With ``page_title`` the output is a standalone page built on our template.
    """
    import pypandoc

    docx = Path(docx).absolute()
    _require_docx(docx)
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


# --------------------------------------------------------------------------- LibreOffice


def have_libreoffice() -> str | None:
    """Return the LibreOffice binary to use, or ``None`` when there is none.

    ``GOVREPORT_SOFFICE`` (a command name or a path) wins when set; otherwise
    ``soffice`` or ``libreoffice`` on PATH, then the usual install locations on
    Windows and macOS, whose installers do not touch PATH.
    """
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    if configured:
        return shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for location in _KNOWN_SOFFICE_LOCATIONS:
        if Path(location).is_file():
            return location
    return None


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and everything it started (soffice → oosplash → soffice.bin)."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    else:  # pragma: no cover - Windows
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    with contextlib.suppress(subprocess.TimeoutExpired):  # an unkillable process: give up
        proc.wait(timeout=10)


def _read_log(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace") if path.exists() else ""


def docx_to_pdf(docx: Path, target: Path, *, timeout: float | None = None) -> None:
    """Print ``docx`` to PDF with headless LibreOffice, writing ``target`` atomically."""
    docx_to_pdf_many([(Path(docx), Path(target))], timeout=timeout)


#: Seconds LibreOffice may take per document unless ``GOVREPORT_PDF_TIMEOUT`` says otherwise.
PDF_TIMEOUT_DEFAULT = 120.0
#: The range ``GOVREPORT_PDF_TIMEOUT`` may take (seconds): a day at most.
PDF_TIMEOUT_RANGE = (1.0, 86_400.0)


def pdf_timeout() -> float:
    """Seconds one document may take: ``GOVREPORT_PDF_TIMEOUT``, else 120.

    Anything but a finite number of seconds in range (``nan``, ``inf``, ``-1``,
    ``abc``) is refused with a message, never turned into some other timeout.
    """
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return PDF_TIMEOUT_DEFAULT
    low, high = PDF_TIMEOUT_RANGE
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and low <= seconds <= high):
        raise ConversionError(
            f"环境变量 {TIMEOUT_ENV} 的值“{text}”无效",
            hint=f"应是 {low:g} 到 {high:g} 之间的秒数，如 {TIMEOUT_ENV}=300；不设置时为 "
            f"{PDF_TIMEOUT_DEFAULT:g} 秒",
        )
    return seconds


def docx_to_pdf_many(pairs: list[tuple[Path, Path]], *, timeout: float | None = None) -> None:
    """Print many documents to PDF with ONE LibreOffice start (batch rendering).

    Starting LibreOffice costs seconds; a batch pays it once per call. Each call
    gets a fresh LibreOffice profile in a temporary folder: a user's running
    LibreOffice (or a stale lock in their profile) would otherwise swallow the
    request and produce nothing. Documents are copied to plain numbered names
    first, so output names are known whatever characters the real names contain.
    LibreOffice is killed, with its helper processes, if it takes longer than
    ``timeout`` seconds per document.
    """
    for docx, _ in pairs:
        _require_docx(docx)
    soffice = require_soffice()
    timeout = timeout or pdf_timeout()
    warn_substitutions_once()  # which faces stand in for missing 公文 fonts, said once
    with tempfile.TemporaryDirectory(
        prefix="govreport-soffice-", ignore_cleanup_errors=True
    ) as tmpdir:
        work = Path(tmpdir)
        inputs, outdir = work / "in", work / "out"
        inputs.mkdir()
        outdir.mkdir()
        sources = []
        for index, (docx, _) in enumerate(pairs):
            source = inputs / f"{index}.docx"
            shutil.copyfile(docx, source)
            sources.append(source)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        returncode, output = _run_seeded(command, work, soffice, timeout * len(pairs))
        detail = f"：\n{_tail(output)}" if output else ""
        if returncode != 0:
            raise ConversionError(f"LibreOffice 转换 PDF 失败（退出码 {returncode}）{detail}")
        for source, (_, target) in zip(sources, pairs, strict=True):
            produced = outdir / f"{source.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionError(f"LibreOffice 未能生成 PDF{detail}")
            with atomic_output(target) as tmp:
                shutil.copyfile(produced, tmp)


def require_soffice() -> str:
    """The LibreOffice program, or a ``ConversionError`` saying how to install it."""
    pdf_timeout()  # a bad GOVREPORT_PDF_TIMEOUT is said before anything is written
    soffice = have_libreoffice()
    if soffice is None:
        configured = os.environ.get(SOFFICE_ENV, "").strip()
        hint = _INSTALL_HINT
        if configured:
            hint = f"环境变量 {SOFFICE_ENV} 指定的程序不存在或不可执行：{configured}；" + hint
        raise ConversionError("未找到 LibreOffice，无法生成 PDF", hint=hint)
    return soffice


# What Word on a government PC uses, and what a Linux server most likely has in
# its place (fonts-noto-cjk, fonts-arphic-*, fonts-wqy-*). Without this,
# fontconfig picks the first CJK font it knows, often one with Japanese forms.
_FONT_SUBSTITUTES = {
    "仿宋_GB2312": ("FangSong", "仿宋", "Noto Serif CJK SC", "AR PL UMing CN"),
    "仿宋": ("FangSong", "Noto Serif CJK SC", "AR PL UMing CN"),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
    "楷体_GB2312": ("KaiTi", "楷体", "AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    # digits: metric-compatible faces first; DejaVu's wide digits overflow table cells
    "Times New Roman": ("Liberation Serif", "Tinos", "Noto Serif CJK SC"),
}
_SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def _soffice_environment(work: Path) -> dict[str, str]:
    """LibreOffice's environment: on Linux, with the official fonts mapped to what is installed."""
    env = dict(os.environ)
    if os.name != "posix" or not _SYSTEM_FONTCONFIG.is_file():
        return env
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{family}</family>" for family in prefer)
        + "</prefer></alias>"
        for name, prefer in _FONT_SUBSTITUTES.items()
    )
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">{_SYSTEM_FONTCONFIG}</include>{aliases}</fontconfig>',
        encoding="utf-8",
    )
    env["FONTCONFIG_FILE"] = str(config)
    return env


def _run_seeded(command: list[str], work: Path, soffice: str, timeout: float) -> tuple[int, str]:
    """Run LibreOffice on a copy of the profile seed (``_profile``); if that fails, discard
    the seed and run once more on a profile of its own, which may become the next seed."""
    profile = work / "profile"
    if _profile.plant(profile, soffice):
        returncode, output = _run_soffice(command, work, soffice, timeout)
        if returncode == 0:
            return returncode, output
        _profile.discard(soffice)
        shutil.rmtree(profile, ignore_errors=True)
    returncode, output = _run_soffice(command, work, soffice, timeout)
    if returncode == 0:
        _profile.keep(profile, soffice)
    return returncode, output


def _run_soffice(command: list[str], work: Path, soffice: str, timeout: float) -> tuple[int, str]:
    """Run LibreOffice; its exit status and what it printed."""
    stdout_log, stderr_log = work / "stdout.log", work / "stderr.log"
    # Output goes to files, not pipes: a helper process that outlives a kill
    # could hold a pipe open and hang us; it cannot hold up a file.
    with open(stdout_log, "wb") as out, open(stderr_log, "wb") as err:
        try:
            # Its own process group, so a timeout can kill all of it at once.
            proc = subprocess.Popen(
                command,
                env=_soffice_environment(work),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=os.name == "posix",
                creationflags=0 if os.name == "posix" else _NEW_PROCESS_GROUP,
            )
        except OSError as exc:
            raise ConversionError(
                f"无法启动 LibreOffice（{soffice}）：{exc}", hint=_INSTALL_HINT
            ) from exc
        try:
            returncode = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            raise ConversionError(
                f"LibreOffice 在 {timeout:g} 秒内未完成 PDF 转换，已强行终止",
                hint=f"请确认 LibreOffice 能正常运行（可先关闭已打开的 LibreOffice）；"
                f"文档很大或机器较慢时可设置环境变量 {TIMEOUT_ENV}（秒）延长超时",
            ) from None
        except BaseException:
            _kill_tree(proc)
            raise
    output = _read_log(stderr_log).strip() or _read_log(stdout_log).strip()
    return returncode, output


# --------------------------------------------------------------------------- dispatch


def _copy_docx(docx: Path, target: Path) -> None:
    _require_docx(docx)
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
