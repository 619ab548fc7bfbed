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
succeeds or fails on its own, and is written to a temporary file then renamed.

One converter serves one thread; ``office`` keeps one for the process and the
batch keeps one per job.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..errors import ConversionError
from ..files.output import atomic_output
from . import profile as _profile
from .fonts import soffice_environment, warn_substitutions_once
from .soffice import TIMEOUT_ENV, kill_tree, pdf_timeout, require_docx, require_soffice
from .uno_finder import uno_python

__all__ = ["MAX_CONVERSIONS", "START_TIMEOUT", "OfficeConverter", "OfficeUnavailable"]

#: Documents one LibreOffice converts before it is replaced (it leaks memory).
MAX_CONVERSIONS = 200
#: Seconds LibreOffice and the bridge may take to start listening.
START_TIMEOUT = 90.0
_BRIDGE = Path(__file__).with_name("uno_bridge.py")


class OfficeUnavailable(ConversionError):
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
        self._work = tempfile.TemporaryDirectory(
            prefix="govreport-office-", ignore_cleanup_errors=True
        )
        work = Path(self._work.name)
        self._seeded = _profile.prepare(work / "profile", soffice, seed=seed)
        self._soffice = soffice
        pipe = f"govreport-{os.getpid()}-{secrets.token_hex(6)}"
        env = soffice_environment(work)
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
                raise OfficeUnavailable(f"LibreOffice 未能启动：{detail}")
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
                kill_tree(bridge)  # type: ignore[arg-type]
        clean = False
        if office is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                clean = office.wait(timeout=10) == 0
            kill_tree(office)
        if self._work is not None:
            if clean:  # a profile LibreOffice finished writing: later starts may copy it
                _profile.keep(Path(self._work.name) / "profile", self._soffice)
            self._work.cleanup()
            self._work = None

    def _kill(self) -> None:
        """Kill a hung or broken LibreOffice at once; the next document starts a new one."""
        for proc in (self._bridge, self._office):
            if proc is not None:
                kill_tree(proc)  # type: ignore[arg-type]
        self.close()

    def __enter__(self) -> OfficeConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- converting

    def convert(self, docx: Path, target: Path, *, timeout: float | None = None) -> None:
        """Print ``docx`` to PDF at ``target`` (written atomically)."""
        warn_substitutions_once()  # the PDF path's own notice, as the fresh soffice path says it
        docx, target = Path(docx).absolute(), Path(target)
        require_docx(docx)
        limit = timeout or self.timeout or pdf_timeout()
        with atomic_output(target) as tmp:
            try:
                self._convert(docx, tmp.absolute(), limit)
            except _Crashed:  # LibreOffice died under this document: once more, on a fresh one
                self._kill()
                try:
                    self._convert(docx, tmp.absolute(), limit)
                except _Crashed as exc:
                    self._kill()
                    raise ConversionError(
                        f"LibreOffice 转换 {docx.name} 时两次意外退出：{exc}"
                    ) from None
            if tmp.stat().st_size == 0:
                raise ConversionError(f"LibreOffice 未能生成 {docx.name} 的 PDF")

    def _convert(self, docx: Path, out: Path, limit: float) -> None:
        if self._bridge is not None and self._done >= self.max_conversions:
            self.close()  # a fresh LibreOffice now and then: it leaks over long runs
        self.start()
        assert self._bridge is not None and self._bridge.stdin is not None
        try:
            self._bridge.stdin.write(json.dumps({"in": str(docx), "out": str(out)}) + "\n")
            self._bridge.stdin.flush()
        except OSError as exc:
            raise _Crashed(str(exc)) from None
        try:
            reply = self._wait(limit)
        except _Hung:
            self._kill()
            raise ConversionError(
                f"LibreOffice 在 {limit:g} 秒内未完成 {docx.name} 的 PDF 转换，已强行终止并重新启动",
                hint=f"文档很大或机器较慢时可设置环境变量 {TIMEOUT_ENV}（秒）延长超时",
            ) from None
        self._done += 1
        if reply is None or reply.get("fatal"):
            raise _Crashed((reply or {}).get("error") or "LibreOffice 已退出")
        if not reply.get("ok"):
            raise ConversionError(
                f"LibreOffice 无法把 {docx.name} 转换为 PDF：{reply.get('error')}"
            )

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
            return subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise ConversionError(f"无法启动 LibreOffice（{command[0]}）：{exc}") from exc


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
