"""A LibreOffice kept running: PDF in under a second instead of a fresh start each time.

Starting LibreOffice costs seconds; converting one report in a running one costs
well under one. An ``OfficeConverter`` starts LibreOffice once (its own profile,
listening on a named pipe) and beside it ``uno_bridge.py`` under LibreOffice's
own Python (found by ``uno_finder``), which converts through UNO one document
per request.

LibreOffice leaks and now and then hangs at 100 % CPU over long runs, so:
every document has its own timeout (``GOVREPORT_PDF_TIMEOUT``); a hang kills
LibreOffice and the next document gets a fresh one; a LibreOffice that dies
mid-document is restarted and that document tried once more; after
``MAX_CONVERSIONS`` documents LibreOffice is restarted anyway. Each document
succeeds or fails on its own, with a message in Chinese that names the user's
file. LibreOffice writes each PDF into its own work folder (never beside the
user's files, where it would leave its ``.~lock.…#`` files when killed); the
PDF is then copied into place atomically. LibreOffice and the bridge die with
govreport (``office_process``, and the bridge watches its parent).

One converter serves one thread; ``office`` keeps one for the process and the
batch keeps one per job.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

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
from .soffice import TIMEOUT_ENV, pdf_timeout, require_docx, require_soffice
from .uno_finder import uno_python

__all__ = ["MAX_CONVERSIONS", "START_TIMEOUT", "OfficeConverter", "OfficeUnavailable"]

#: Documents one LibreOffice converts before it is replaced (it leaks memory).
MAX_CONVERSIONS = 200
#: Seconds LibreOffice and the bridge may take to start listening.
START_TIMEOUT = 90.0
_BRIDGE = Path(__file__).with_name("uno_bridge.py")


class OfficeUnavailable(LibreOfficeError):
    """LibreOffice could not be started to listen for documents (the plain path may still work)."""


class _Crashed(Exception):
    """LibreOffice or the bridge died while converting."""


class _Hung(Exception):
    """No answer within the document's timeout."""


class OfficeConverter:
    """One running LibreOffice converting .docx to PDF, one document at a time.

    Not thread-safe: a batch gives each worker thread its own converter.
    """

    def __init__(
        self,
        *,
        timeout: float | None = None,
        max_conversions: int = MAX_CONVERSIONS,
        start_timeout: float = START_TIMEOUT,
    ):
        self.timeout = timeout
        self.max_conversions = max_conversions
        self.start_timeout = start_timeout
        self.starts = 0  # how many LibreOffices this converter has started
        self._office: subprocess.Popen[bytes] | None = None
        self._bridge: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._work: tempfile.TemporaryDirectory[str] | None = None
        self._soffice = ""  # the program of the running LibreOffice, for its profile seed
        self._pipe = ""  # the name of its pipe, whose socket ``close`` removes
        self._seeded = False  # whether its profile was copied from the seed
        self._ready = False  # it answered: documents may come
        self._done = 0
        self._unavailable: OfficeUnavailable | None = None  # a failed start is not retried

    # ----------------------------------------------------------------- lifecycle

    @property
    def office_pid(self) -> int | None:
        """The process id of the running LibreOffice (its process group), if any."""
        return self._office.pid if self._office is not None else None

    def launch(self) -> None:
        """Start LibreOffice and the bridge without waiting for them (``start`` waits).

        A batch launches all its LibreOffices from one thread before writing its Word
        files: copying the profile seed in a thread that competed with the Word files
        for the GIL took half a second instead of a hundredth."""
        if self._bridge is not None:
            return
        if self._unavailable is not None:
            raise self._unavailable
        try:
            self._launch(seed=True)
        except OfficeUnavailable as exc:
            self._unavailable = exc
            raise

    def start(self) -> None:
        """Start LibreOffice and the bridge now and wait until they listen (otherwise the
        first document does)."""
        if self._ready:
            return
        self.launch()
        try:
            self._await_ready()
        except OfficeUnavailable as exc:
            self._unavailable = exc
            raise

    def _launch(self, *, seed: bool) -> None:
        python = uno_python()
        if python is None:
            raise OfficeUnavailable("未找到带 uno 模块的 Python，无法保持 LibreOffice 运行")
        soffice = require_soffice()
        self._work = work_folder("office")
        work = Path(self._work.name)
        (work / "out").mkdir()
        self._seeded = _profile.prepare(work / "profile", soffice, seed=seed)
        self._soffice = soffice
        pipe = self._pipe = f"govreport-{os.getpid()}-{secrets.token_hex(6)}"
        env = office_environment(work)
        self._office = _spawn(
            [
                soffice,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--invisible",
                "--nocrashreport",
                "--nodefault",
                "--nologo",
                "--nofirststartwizard",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            env,
            work / "soffice.log",
        )
        self._bridge = subprocess.Popen(
            [python, str(_BRIDGE), pipe, str(self.start_timeout)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(work / "bridge.log", "wb"),  # noqa: SIM115 - the child owns it
            text=True,
            encoding="utf-8",
            start_new_session=os.name == "posix",
        )
        self._replies = queue.Queue()
        threading.Thread(
            target=_pump, args=(self._bridge, self._replies), daemon=True, name="uno-bridge"
        ).start()
        self.starts += 1
        self._done = 0

    def _await_ready(self) -> None:
        reply = self._wait_ready()
        if reply is None or not reply.get("ready"):
            assert self._work is not None
            detail = (reply or {}).get("error") or _tail_of(Path(self._work.name) / "soffice.log")
            seeded, soffice = self._seeded, self._soffice
            self._kill()
            if not seeded:
                raise OfficeUnavailable(
                    "LibreOffice 未能启动并接受文档",
                    hint="请确认 LibreOffice 能正常运行（可先关闭已打开的 LibreOffice）",
                    detail=detail,
                )
            _profile.discard(soffice)  # the seed may be what failed: once more, without it
            self._launch(seed=False)
            self._await_ready()
            return
        self._ready = True

    def _wait_ready(self) -> dict | None:
        """The bridge's first line, or ``None`` as soon as LibreOffice or the bridge exits."""
        end = time.monotonic() + self.start_timeout
        while time.monotonic() < end:
            try:
                return self._wait(0.2)
            except _Hung:
                if self._office is None or self._office.poll() is not None:
                    return None
        return None

    def close(self) -> None:
        """Shut LibreOffice down (asking first, then killing) and remove its profile."""
        bridge, office = self._bridge, self._office
        self._bridge = self._office = None
        self._ready = False
        if bridge is not None:
            with contextlib.suppress(OSError, ValueError):
                bridge.stdin.close()  # type: ignore[union-attr]
            try:
                bridge.wait(timeout=10)
            except subprocess.TimeoutExpired:
                kill_tree(bridge)
        clean = False
        if office is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                clean = office.wait(timeout=10) == 0
            kill_tree(office)
        if self._work is not None:
            remove_office_pipe(profile_pipe(Path(self._work.name) / "profile"))
            if clean:  # a profile LibreOffice finished writing: later starts may copy it
                _profile.keep(Path(self._work.name) / "profile", self._soffice)
            self._work.cleanup()
            self._work = None
        if self._pipe:
            remove_office_pipe(self._pipe)
            self._pipe = ""

    def _kill(self) -> None:
        """Kill a hung or broken LibreOffice at once; the next document starts a new one."""
        for proc in (self._bridge, self._office):
            if proc is not None:
                kill_tree(proc)
        self.close()

    def __enter__(self) -> OfficeConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- converting

    def convert(
        self, docx: Path, target: Path, *, timeout: float | None = None, name: str | None = None
    ) -> None:
        """Print ``docx`` to PDF at ``target`` (written atomically). ``name``, the user's
        facts file, names the document in messages (never the Word file's internal name)."""
        warn_substitutions_once()  # the PDF path's own notice, as the fresh soffice path says it
        docx, target = Path(docx).resolve(), Path(target)
        require_docx(docx)
        limit = timeout or self.timeout or pdf_timeout()
        try:
            produced = self._convert(docx, limit, name)
        except _Crashed:  # LibreOffice died under this document: once more, on a fresh one
            self._kill()
            try:
                produced = self._convert(docx, limit, name)
            except _Crashed as exc:
                self._kill()
                raise LibreOfficeError(
                    f"LibreOffice 在转换{about(name)}PDF 时两次意外退出，未生成 PDF",
                    hint="可再运行一次；总是如此时请确认 LibreOffice 能正常运行",
                    detail=str(exc),
                ) from None
        try:
            with atomic_output(target) as tmp:
                shutil.copyfile(produced, tmp)
        finally:
            with contextlib.suppress(OSError):
                produced.unlink()

    def _convert(self, docx: Path, limit: float, name: str | None) -> Path:
        """One try: the PDF LibreOffice wrote in its work folder."""
        if self._bridge is not None and self._done >= self.max_conversions:
            self.close()  # a fresh LibreOffice now and then: it leaks over long runs
        self.start()
        assert self._bridge is not None and self._bridge.stdin is not None
        assert self._work is not None
        out = Path(self._work.name) / "out" / f"{self._done}-{secrets.token_hex(4)}.pdf"
        try:
            self._bridge.stdin.write(json.dumps({"in": str(docx), "out": str(out)}) + "\n")
            self._bridge.stdin.flush()
        except OSError as exc:
            raise _Crashed(str(exc)) from None
        try:
            reply = self._wait(limit)
        except _Hung:
            self._kill()
            raise LibreOfficeError(
                f"LibreOffice 在 {limit:g} 秒内未完成{about(name)}PDF 转换，已强行终止并重新启动",
                hint=f"文档很大或机器较慢时可设置环境变量 {TIMEOUT_ENV}（秒）延长超时",
            ) from None
        self._done += 1
        if reply is not None and reply.get("ok") and out.is_file() and out.stat().st_size:
            return out
        if reply is None or reply.get("fatal") or not self._office_running():
            raise _Crashed((reply or {}).get("error") or "LibreOffice 已退出")
        raise _refusal(reply, name)

    def _office_running(self) -> bool:
        """Whether LibreOffice is still there: a failure it answered may be its dying."""
        return self._office is not None and self._office.poll() is None

    def _wait(self, limit: float) -> dict | None:
        """The bridge's next reply; ``None`` when it exited; ``_Hung`` after ``limit`` seconds."""
        try:
            line = self._replies.get(timeout=limit)
        except queue.Empty:
            raise _Hung from None
        return None if line is None else json.loads(line)


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as output:
        try:
            return spawn_office(command, env, stdout=output, stderr=subprocess.STDOUT)
        except OSError as exc:
            raise OfficeUnavailable(
                f"无法启动 LibreOffice（{command[0]}）", detail=str(exc)
            ) from None


#: What the bridge says failed (``stage``), as the user is told it, and what to do.
_STAGES = {
    "open": (
        "LibreOffice 无法打开{about}Word 文件",
        "Word 文件可能已损坏；请确认能用 Word/WPS 打开它",
    ),
    "store": ("LibreOffice 无法写出{about}PDF", "请确认临时文件夹所在的磁盘有空间、可写入"),
}
_UNKNOWN_STAGE = (
    "LibreOffice 未能生成{about}PDF",
    "可再运行一次；总是如此时请确认 LibreOffice 能正常运行",
)


def _refusal(reply: dict, name: str | None) -> LibreOfficeError:
    """A document LibreOffice (still running) would not convert, said in Chinese; what
    LibreOffice said (an English UNO trace) is kept as ``detail``, never shown."""
    wording, hint = _STAGES.get(str(reply.get("stage")), _UNKNOWN_STAGE)
    return LibreOfficeError(
        wording.format(about=about(name)), hint=hint, detail=str(reply.get("error") or "")
    )


def _pump(bridge: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
    """Hand the bridge's lines to the waiting converter; ``None`` at its exit."""
    assert bridge.stdout is not None
    for line in bridge.stdout:
        if line.strip():
            replies.put(line)
    replies.put(None)


def _tail_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()[-500:] or "无输出"
    except OSError:
        return "无输出"
