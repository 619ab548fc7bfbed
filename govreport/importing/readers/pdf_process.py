"""Reading a PDF in a worker process with a memory limit, a CPU limit and a deadline.

A PDF is a program: a 2 KB file can ask pdfminer for gigabytes and minutes, and a
parser deep inside a library can still be driven into a state no pre-check foresaw.
So PDF reading never runs in the caller's process (the editor serves everyone from
one process): a separate Python runs ``pdf_worker`` with ``RLIMIT_AS``/``RLIMIT_CPU``
set, is killed at the deadline, dies with its parent, and hands back plain data (the
paragraphs and cells as JSON, one line per file) through a pipe. Whatever goes wrong
in it comes back as one of the Chinese refusals below, never as a crash of the caller.

A worker that read a file cleanly is kept for the next one (an audit reads hundreds):
starting one costs a Python start, the PDF library's imports and its first-use
caches, about 0.3 s beside a read of 0.4–3 s. One that failed, timed out or grew
large is never reused; an idle one ends by itself after ``IDLE_SECONDS``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import InputError
from ..base import Block, Cell, Paragraph, Table

WORKER = "govreport.importing.readers.pdf_worker"
MEMORY_EXIT = 3  # the worker's status when it ran out of memory and could still say so
MAX_OUTPUT = 64 * 2**20  # what the worker may send back (a report's text is well under 1 MB)
IDLE_SECONDS = 20  # a kept worker with nothing to read ends after this long
MAX_IDLE = 2  # workers kept per process
_RUNNING_MAX = max(1, min(4, os.cpu_count() or 1))
_RUNNING = threading.BoundedSemaphore(_RUNNING_MAX)


@dataclass(frozen=True)
class Limits:
    """What one PDF may cost: address space, seconds of CPU and of wall-clock time."""

    memory: int = 2**30
    seconds: float = 60.0


LIMITS = Limits()
_MEMORY_HINT = "年度报告的 PDF 读取只需几十 MB；请确认文件来源，或另存为 Word 后导入"


def read_in_worker(path: Path, limits: Limits = LIMITS) -> list[Block]:
    """The blocks of the PDF at ``path``, read by a bounded worker process."""
    with _RUNNING:  # a busy editor starts no more workers than it has processors
        for _ in range(2):  # a kept worker may have ended since: one retry, in a fresh one
            worker = POOL.take(limits.memory)
            try:
                reply, status, expired = worker.ask(path, limits.seconds)
            except BaseException:  # Ctrl+C while waiting: the worker goes too
                worker.stop()
                raise
            if reply is not None or expired or not worker.kept:
                break
        if reply is not None and worker.alive():
            POOL.give_back(worker)
        else:
            worker.stop()
            status = worker.process.returncode
    return _outcome(status, reply, expired, limits, path)


class _Worker:
    """One worker process and its pipes; ``ask`` sends a path and waits for the answer."""

    def __init__(self, memory: int):
        command = [
            sys.executable,
            "-I",  # no PYTHON* variables, no user site: the worker imports what we import
            "-c",
            f"import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
            f"from {WORKER} import main; main(sys.argv[2:])",
            json.dumps(sys.path),
            json.dumps({"memory": memory, "idle": IDLE_SECONDS}),
            str(os.getpid()),
        ]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        self.memory = memory
        self.kept = False  # whether it read a file before this one
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, path: Path, seconds: float) -> tuple[bytes | None, int | None, bool]:
        """The worker's answer line, or ``None`` with its exit status, and whether the
        deadline passed first (the worker is then killed)."""
        request = json.dumps({"path": str(path.resolve()), "seconds": seconds}) + "\n"
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(request.encode("utf-8"))
            self.process.stdin.flush()
        except OSError:  # it had ended
            self.stop()
            return None, self.process.returncode, False
        reply, expired = _answer(self.process, seconds)
        if reply is None:
            self.stop()
            if not expired:
                return None, self.process.returncode, False
        return reply, None, expired

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class _Pool:
    """The workers kept between files, by memory limit (at most ``MAX_IDLE``)."""

    def __init__(self) -> None:
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()

    def take(self, memory: int) -> _Worker:
        with self.lock:
            for worker in list(self.idle):
                if worker.memory == memory:
                    self.idle.remove(worker)
                    if worker.alive():
                        worker.kept = True
                        return worker
                    worker.stop()
        return _Worker(memory)

    def give_back(self, worker: _Worker) -> None:
        with self.lock:
            self.idle.append(worker)
            surplus = self.idle[:-MAX_IDLE]
            self.idle = self.idle[-MAX_IDLE:]
        for old in surplus:
            old.stop()

    def close(self) -> None:
        """End the kept workers (at exit: they would end on their own, a little later)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.stop()


POOL = _Pool()
atexit.register(POOL.close)


def _forget_after_fork() -> None:
    """A forked child (a process pool's worker) starts with no kept worker: those it
    inherited belong to its parent, and two processes must never share one."""
    global _RUNNING
    for worker in POOL.idle:  # this process's copies of the pipes: the parent keeps its own
        for pipe in (worker.process.stdin, worker.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
    POOL.idle = []
    POOL.lock = threading.Lock()
    _RUNNING = threading.BoundedSemaphore(_RUNNING_MAX)


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_forget_after_fork)


def _answer(process: subprocess.Popen[bytes], seconds: float) -> tuple[bytes | None, bool]:
    """One line from the worker: ``(None, True)`` when ``seconds`` passed first (the
    worker is then killed), ``(None, False)`` when it ended without one or sent more
    than ``MAX_OUTPUT``. A thread reads, so that the wait has a deadline everywhere
    (Windows cannot wait on a pipe with ``select``)."""
    assert process.stdout is not None
    stdout = process.stdout
    lines: list[bytes] = []
    reader = threading.Thread(
        target=lambda: lines.append(stdout.readline(MAX_OUTPUT + 1)), daemon=True
    )
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        process.kill()  # the read ends with the pipe
        reader.join()
        return None, True
    line = lines[0] if lines else b""
    return (line, False) if line.endswith(b"\n") else (None, False)


def _outcome(
    status: int | None, output: bytes | None, expired: bool, limits: Limits, path: Path
) -> list[Block]:
    if expired or _died_of(status, "SIGXCPU"):
        raise InputError(
            f"PDF 文件过于复杂，无法在 {limits.seconds:g} 秒内读完",
            file=str(path),
            hint="真实的年度报告几秒即可读完；请确认文件来源，或另存为 Word 后导入",
        )
    if status == MEMORY_EXIT or _died_of(status, "SIGABRT", "SIGKILL", "SIGSEGV"):
        # MemoryError said so, or Python aborted on it, or the kernel's OOM killer struck
        raise InputError(
            f"读取 PDF 所需内存超过上限（{limits.memory // 2**20} MB），无法读取",
            file=str(path),
            hint=_MEMORY_HINT,
        )
    try:
        answer = json.loads(output or b"")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise InputError(
            "无法作为 PDF 文件读取：读取过程意外中止",
            file=str(path),
            hint="请用 PDF 阅读器打开确认，或另存为 Word 后导入",
        )
    if "refused" in answer:
        raise InputError(answer["refused"], file=str(path), hint=answer.get("hint"))
    return decode_blocks(answer["blocks"])


def _died_of(status: int | None, *signals: str) -> bool:
    """Whether a process that ended with ``status`` was killed by one of ``signals``
    (named: Windows has none of them)."""
    numbers = {getattr(signal, name, None) for name in signals} - {None}
    return status is not None and status < 0 and -status in numbers


# --------------------------------------------------------------------------- the pipe's data


def encode_blocks(blocks: list[Block]) -> list[Any]:
    """Blocks as plain JSON data: ``["p", text, page]`` or
    ``["t", [[text, row, column, page, whole]…]]``."""
    return [
        ["p", b.text, b.page]
        if isinstance(b, Paragraph)
        else ["t", [[c.text, c.row, c.column, c.page, c.whole] for c in b.cells]]
        for b in blocks
    ]


def decode_blocks(data: list[Any]) -> list[Block]:
    blocks: list[Block] = []
    for kind, *rest in data:
        if kind == "p":
            blocks.append(Paragraph(str(rest[0]), rest[1]))
        else:
            blocks.append(
                Table(tuple(Cell(str(t), r, c, p, w is True) for t, r, c, p, w in rest[0]))
            )
    return blocks
