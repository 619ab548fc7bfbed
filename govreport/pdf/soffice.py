"""LibreOffice, found and run afresh: one ``soffice --convert-to pdf`` per batch call.

Finding the program (``GOVREPORT_SOFFICE``, PATH, the usual install folders),
the per-document timeout (``GOVREPORT_PDF_TIMEOUT``), the font map that stands
in for missing 公文 fonts, and running LibreOffice in a process group of its own
so that a timeout kills all of it. Each run gets a fresh profile, copied from
the profile seed (``pdf.profile``) when there is one. The LibreOffice kept running
(``pdf.office``) uses the same program, environment and timeout.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from pathlib import Path

from ..errors import ConversionError
from ..files.output import atomic_output
from . import profile as _profile
from .fonts import warn_substitutions_once
from .office_process import (
    LibreOfficeError,
    about,
    kill_tree,
    office_environment,
    profile_pipe,
    remove_office_pipe,
    spawn_office,
    work_folder,
)

__all__ = [
    "PDF_TIMEOUT_DEFAULT",
    "SOFFICE_ENV",
    "TIMEOUT_ENV",
    "docx_to_pdf",
    "docx_to_pdf_many",
    "have_libreoffice",
    "pdf_timeout",
    "require_docx",
    "require_soffice",
]

#: Environment variable naming the LibreOffice binary when it is not on PATH.
SOFFICE_ENV = "GOVREPORT_SOFFICE"
TIMEOUT_ENV = "GOVREPORT_PDF_TIMEOUT"

# Where installers put LibreOffice when they do not add it to PATH (Windows, macOS).
_KNOWN_SOFFICE_LOCATIONS: tuple[str, ...] = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

_INSTALL_HINT = (
    "请安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    "（Windows/macOS 请从 libreoffice.org 安装）"
)


def require_docx(docx: Path) -> None:
    """Refuse a conversion whose Word file is missing, in Chinese, before any tool starts."""
    if not docx.is_file():
        raise ConversionError(f"找不到要转换的 Word 文件：{docx}")


def _tail(text: str, *, lines: int = 15, chars: int = 2000) -> str:
    """The end of a tool's output, which is where it says what went wrong."""
    kept = "\n".join(text.strip().splitlines()[-lines:])
    return kept[-chars:]


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


def _read_log(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace") if path.exists() else ""


def docx_to_pdf(
    docx: Path, target: Path, *, timeout: float | None = None, name: str | None = None
) -> None:
    """Print ``docx`` to PDF with headless LibreOffice, writing ``target`` atomically;
    ``name`` (the user's facts file) names it in messages."""
    docx_to_pdf_many([(Path(docx), Path(target))], timeout=timeout, name=name)


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


def docx_to_pdf_many(
    pairs: list[tuple[Path, Path]], *, timeout: float | None = None, name: str | None = None
) -> None:
    """Print many documents to PDF with ONE LibreOffice start (batch rendering).

    Starting LibreOffice costs seconds; a batch pays it once per call. Each call
    gets a fresh LibreOffice profile in a folder of its own (``office_process``):
    a user's running LibreOffice (or a stale lock in their profile) would
    otherwise swallow the request and produce nothing. Documents are copied
    there under plain numbered names first, so output names are known whatever
    characters the real names contain, and LibreOffice writes nothing (no lock
    file) beside the user's files: each PDF is copied into place atomically.
    LibreOffice is killed, with its helper processes, if it takes longer than
    ``timeout`` seconds per document. ``name`` (the user's facts file) names the
    document in messages when there is one.
    """
    for docx, _ in pairs:
        require_docx(docx)
    soffice = require_soffice()
    timeout = timeout or pdf_timeout()
    warn_substitutions_once()  # which faces stand in for missing 公文 fonts, said once
    with work_folder("soffice") as tmpdir:
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
        returncode, output = _run_seeded(command, work, soffice, timeout * len(pairs), name)
        if returncode != 0:
            raise LibreOfficeError(
                f"LibreOffice 未能生成{about(name)}PDF（退出码 {returncode}）{_known(output)}",
                hint=_CHECK_HINT,
                detail=_tail(output),
            )
        for source, (_, target) in zip(sources, pairs, strict=True):
            produced = outdir / f"{source.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                raise LibreOfficeError(
                    f"LibreOffice 未能生成{about(name)}PDF", hint=_CHECK_HINT, detail=_tail(output)
                )
            with atomic_output(target) as tmp:
                shutil.copyfile(produced, tmp)


#: What LibreOffice prints when it fails, as the user is told it.
_KNOWN_FAILURES = {
    "source file could not be loaded": "：LibreOffice 无法打开该 Word 文件",
    "Error: Please verify input parameters": "：LibreOffice 不接受给它的参数",
}


def _known(output: str) -> str:
    """A failure LibreOffice printed, in Chinese, when it is one we know."""
    for words, said in _KNOWN_FAILURES.items():
        if words in output:
            return said
    return ""


_CHECK_HINT = (
    "请确认 LibreOffice 能正常运行：可在命令行运行 soffice --headless --convert-to pdf "
    "加上生成的 Word 文件试一试"
)


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


def _run_seeded(
    command: list[str], work: Path, soffice: str, timeout: float, name: str | None
) -> tuple[int, str]:
    """Run LibreOffice on a copy of the profile seed (``pdf.profile``); if that fails, discard
    the seed and run once more on a profile of its own, which may become the next seed."""
    profile = work / "profile"
    if _profile.prepare(profile, soffice):
        returncode, output = _run_soffice(command, work, soffice, timeout, name)
        if returncode == 0:
            return returncode, output
        _profile.discard(soffice)
        shutil.rmtree(profile, ignore_errors=True)
        _profile.prepare(profile, soffice, seed=False)
    returncode, output = _run_soffice(command, work, soffice, timeout, name)
    if returncode == 0:
        _profile.keep(profile, soffice)
    return returncode, output


def _run_soffice(
    command: list[str], work: Path, soffice: str, timeout: float, name: str | None
) -> tuple[int, str]:
    """Run LibreOffice; its exit status and what it printed."""
    stdout_log, stderr_log = work / "stdout.log", work / "stderr.log"
    # Output goes to files, not pipes: a helper process that outlives a kill
    # could hold a pipe open and hang us; it cannot hold up a file.
    with open(stdout_log, "wb") as out, open(stderr_log, "wb") as err:
        try:  # its own process group, killed at a timeout and when govreport dies
            proc = spawn_office(command, office_environment(work), stdout=out, stderr=err)
        except OSError as exc:
            raise LibreOfficeError(
                f"无法启动 LibreOffice（{soffice}）", hint=_INSTALL_HINT, detail=str(exc)
            ) from None
        try:
            returncode = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LibreOfficeError(
                f"LibreOffice 在 {timeout:g} 秒内未完成{about(name)}PDF 转换，已强行终止",
                hint=f"请确认 LibreOffice 能正常运行（可先关闭已打开的 LibreOffice）；"
                f"文档很大或机器较慢时可设置环境变量 {TIMEOUT_ENV}（秒）延长超时",
            ) from None
        finally:
            kill_tree(proc)  # whatever LibreOffice left running, and the guard's pipe
            remove_office_pipe(profile_pipe(work / "profile"))  # left if it was killed
    output = _read_log(stderr_log).strip() or _read_log(stdout_log).strip()
    return returncode, output
