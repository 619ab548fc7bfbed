"""Typst: typesets a set's ``report.typ`` with the report as JSON data, into PDF bytes.

The data goes in as ``sys.inputs.report`` (a JSON text the template decodes), never
as Typst source, so no text of the facts can run as Typst code. Typst reads files
only below its root; the root is the folder of the set that holds ``report.typ``.
No package is ever downloaded: package folders point nowhere and, for a shared set,
the network is closed (see below).

The package's own templates are trusted and compile in this process through a
kept ``typst.Compiler`` per template (fonts are scanned once; a warm report takes a
few milliseconds, a batch worker keeps its own). A set's own ``report.typ`` is
untrusted code: it compiles in a separate process (``pdf.typst_worker``) over a
copy of only the set's regular files, under a memory limit (RLIMIT_AS, on Linux and
macOS) and a time limit, with every proxy variable aimed at a closed port so a
package import cannot reach the network. Every failure is a Chinese
``TemplateError`` (exit 3) naming the template and its line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import TemplateError

#: Seconds a shared set's template may take to typeset a report (a report takes < 1 s).
TYPST_SECONDS = 30.0
#: Bytes of address space the worker compiling a shared set's template may use.
TYPST_MEMORY_BYTES = 2 * 1024**3
#: What of a shared set is copied for Typst to read: files, and bytes in all.
MAX_SET_FILES = 2_000
MAX_SET_BYTES = 64 * 1024**2
#: Where Typst would look for packages: a path below a file, which cannot exist on any
#: OS, so nothing is found there and nothing can be stored there (no package is used).
NO_PACKAGES = str(Path(__file__).resolve() / "no-packages")
#: A proxy on a closed local port: a package download fails at once, offline.
CLOSED_PROXY = "http://127.0.0.1:9"
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")


@dataclass(frozen=True)
class TypstJob:
    """One report to typeset: the template, the report data (JSON), and how."""

    template: Path
    data: str
    trusted: bool
    label: str  # the template as a user knows it: national/report.typ
    pdf_standard: str | None = None
    font_paths: tuple[str, ...] = field(default=())


def typeset(job: TypstJob) -> bytes:
    """The PDF of ``job``: in this process for a trusted template, else in a worker."""
    if job.trusted:
        return _typeset_here(job)
    return _typeset_in_worker(job)


# --------------------------------------------------------------------------- trusted


class _KeptCompiler:
    """A ``typst.Compiler`` kept for one template: fonts load once, sources are cached."""

    def __init__(self, template: str, fonts: tuple[str, ...]) -> None:
        import typst

        self.lock = threading.Lock()  # one compile at a time per compiler
        self.compiler = typst.Compiler(
            template,
            root=str(Path(template).parent),
            font_paths=list(fonts),
            package_path=NO_PACKAGES,
            package_cache_path=NO_PACKAGES,
        )


@lru_cache(maxsize=8)
def _kept(template: str, fonts: tuple[str, ...]) -> _KeptCompiler:
    return _KeptCompiler(template, fonts)


def _typeset_here(job: TypstJob) -> bytes:
    import typst

    kept = _kept(str(job.template), job.font_paths)
    with kept.lock:
        try:
            pdf, _ = kept.compiler.compile_with_warnings(
                format="pdf",
                sys_inputs={"report": job.data},
                pdf_standards=[job.pdf_standard] if job.pdf_standard else [],  # type: ignore[list-item]
            )
        except typst.TypstError as exc:
            raise typst_failure(job.label, exc.message, exc.diagnostic) from None
    assert isinstance(pdf, bytes)
    return pdf


# --------------------------------------------------------------------------- untrusted


def _typeset_in_worker(job: TypstJob) -> bytes:
    with tempfile.TemporaryDirectory(prefix="govreport-typst-") as work:
        root = Path(work) / "set"
        copy_set_files(job.template.parent, root, job.label)
        request = Path(work) / "request.json"
        output = Path(work) / "report.pdf"
        request.write_text(
            json.dumps(
                {
                    "input": str(root / job.template.name),
                    "root": str(root),
                    "data": job.data,
                    "fonts": list(job.font_paths),
                    "standard": job.pdf_standard,
                    "output": str(output),
                    "packages": NO_PACKAGES,
                    "memory": TYPST_MEMORY_BYTES if _can_limit_memory() else None,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        done = _run_worker(request, job.label)
        if done.returncode == 0 and output.is_file():
            return output.read_bytes()
        return _worker_failed(done, job.label)


def _run_worker(request: Path, label: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k.upper() != "NO_PROXY"}
    env.update(dict.fromkeys(_PROXY_VARIABLES, CLOSED_PROXY))
    command = [sys.executable, "-m", "govreport.pdf.typst_worker", str(request)]
    try:
        return subprocess.run(
            command,
            capture_output=True,
            env=env,
            timeout=TYPST_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateError(
            f"Typst 模板 {label} 在 {TYPST_SECONDS:g} 秒内未完成排版，已停止（可能有死循环）",
            hint="检查该模板中的 #while、#for 循环和递归函数；内置的 national 模板不会这样",
        ) from None
    except OSError as exc:
        raise TemplateError(f"无法启动排版进程：{exc.strerror or exc}") from None


def _can_limit_memory() -> bool:
    return sys.platform.startswith("linux") or sys.platform == "darwin"


#: The worker's first line on a Typst error: message, then the diagnostic (JSON).
WORKER_ERROR = "GOVREPORT-TYPST-ERROR "


def _worker_failed(done: subprocess.CompletedProcess[bytes], label: str) -> bytes:
    text = done.stdout.decode("utf-8", errors="replace")
    if text.startswith(WORKER_ERROR):
        message, diagnostic = json.loads(text[len(WORKER_ERROR) :])
        raise typst_failure(label, message, diagnostic)
    if done.returncode < 0 or b"memory" in done.stderr.lower():
        raise TemplateError(
            f"Typst 模板 {label} 排版时占用内存超过 {TYPST_MEMORY_BYTES // 1024**2} MB，已停止",
            hint="检查该模板是否生成了过多内容；内置的 national 模板不会这样",
        )
    raise TemplateError(f"Typst 模板 {label} 排版失败（排版进程退出状态 {done.returncode}）")


def copy_set_files(folder: Path, root: Path, label: str) -> None:
    """The set's regular files, and nothing else, copied to ``root`` for Typst to read.

    Links and special files are left out; too many files or bytes are refused."""
    count, size = 0, 0
    for here, dirs, files in os.walk(folder, followlinks=False):
        relative = Path(here).relative_to(folder)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(here, d))]
        (root / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            source = Path(here) / name
            info = source.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            count, size = count + 1, size + info.st_size
            if count > MAX_SET_FILES or size > MAX_SET_BYTES:
                raise TemplateError(
                    f"Typst 模板 {label} 所在的模板文件夹过大"
                    f"（超过 {MAX_SET_FILES} 个文件或 {MAX_SET_BYTES // 1024**2} MB），已拒绝排版"
                )
            shutil.copyfile(source, root / relative / name, follow_symlinks=False)


# --------------------------------------------------------------------------- errors

_WHERE = re.compile(r"┌─ (?P<file>[^\n:]+):(?P<line>\d+):(?P<column>\d+)")
_MEANINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"download|package", re.I),
        "试图使用 Typst 包；govreport 不联网，不能下载或使用包",
    ),
    (
        re.compile(r"file not found|access denied|failed to load|is a directory|escape", re.I),
        "试图读取模板文件夹以外或不存在的文件",
    ),
    (re.compile(r"unclosed|expected|unexpected", re.I), "有语法错误"),
    (re.compile(r"does not contain key|unknown variable", re.I), "用到了报告数据中没有的名称"),
    (re.compile(r"infinite|always true|maximum .*depth|too deep", re.I), "有死循环或嵌套过深"),
    (re.compile(r"unknown font", re.I), "指定的字体不存在"),
)


def typst_failure(label: str, message: str, diagnostic: str = "") -> TemplateError:
    """A Typst error in Chinese: the template, its line, what it means; Typst's own words
    (temporary paths removed) as a hint for the template's author."""
    where = _WHERE.search(diagnostic or "")
    line = f" 第 {where.group('line')} 行" if where else ""
    meaning = next((m for pattern, m in _MEANINGS if pattern.search(message)), "排版出错")
    detail = re.sub(r"\(searched at [^)]*\)|/\S*govreport-typst-\S*", "", message).strip()
    return TemplateError(f"Typst 模板 {label}{line}{meaning}", hint=f"Typst 的说明：{detail}")


def close_compilers() -> None:
    """Drop the kept compilers (tests; a long-running process that changed its fonts)."""
    _kept.cache_clear()
