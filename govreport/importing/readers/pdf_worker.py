"""The worker process that reads PDFs (started by ``pdf_process``, never imported by it).

It imports the PDF library, then limits itself before it opens any file: address
space (``RLIMIT_AS``), no core file, and death with its parent (a thread that watches
the parent's pid, so even a file in hand is abandoned; Windows has none of these
limits and relies on the parent's deadline and the input closing).
Then it reads requests, one JSON line each (``{"path": …, "seconds": …}``): for each it
sets its CPU limit to that many more seconds, measures the file (``pdf_budget``),
reads it (``pdf.extract_blocks``) and writes the blocks or its refusal as one JSON
line. Running out of memory ends it with ``MEMORY_EXIT``; anything it did not foresee
ends it with status 1, which the parent words as a PDF it could not read. It ends
with status 0 when its input closes, when it has waited ``idle`` seconds for a
request, or after a file that made it large (the next file gets a fresh process).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import sys
import threading
import time
from typing import Any

from ...errors import InputError
from ...files.lifetime import limit_own
from .pdf_process import MEMORY_EXIT, encode_blocks

MAX_KEPT_RSS = 300 * 2**10  # KiB (ru_maxrss): a worker that grew past this is not kept


def main(arguments: list[str]) -> None:
    settings, parent = json.loads(arguments[0]), int(arguments[1])
    import pdfplumber  # noqa: F401 - the worker's own cost, before the files' is limited

    from .pdf import extract_blocks  # noqa: F401 - imported once, before the limits

    _limit_self(int(settings["memory"]), parent)
    try:
        while (request := _next_request(float(settings["idle"]))) is not None:
            _limit_cpu(float(request["seconds"]))
            _say(_read(str(request["path"])))
            if _peak_kib() > MAX_KEPT_RSS:
                break
    except MemoryError:
        os._exit(MEMORY_EXIT)
    sys.exit(0)


def _next_request(idle: float) -> dict[str, Any] | None:
    """The next request, or ``None`` when the input closed or (where pipes can be waited
    on: not Windows) stayed silent too long."""
    if os.name == "posix":
        ready, _, _ = select.select([sys.stdin.buffer], [], [], idle)
        if not ready:
            return None
    line = sys.stdin.buffer.readline()
    return json.loads(line) if line.strip() else None


def _read(path: str) -> dict[str, Any]:
    from pathlib import Path

    from .pdf import extract_blocks

    try:
        return {"blocks": encode_blocks(extract_blocks(Path(path)))}
    except InputError as exc:
        return {"refused": exc.message, "hint": exc.hint}
    except RecursionError:
        return {"refused": "PDF 文件的嵌套层次过深，无法作为年度报告读取"}


def _say(answer: dict[str, Any]) -> None:
    line = json.dumps(answer, ensure_ascii=False) + "\n"  # JSON holds no raw line break
    sys.stdout.buffer.write(line.encode("utf-8"))
    sys.stdout.flush()


def _limit_self(memory: int, parent: int) -> None:
    _watch_parent(parent)
    limit_own("RLIMIT_AS", memory)
    limit_own("RLIMIT_CORE", 0)


def _watch_parent(parent: int) -> None:
    """End when the process that started this worker is gone, even in the middle of a
    file. Not ``PR_SET_PDEATHSIG``: that fires when the *thread* that started the worker
    ends, and the editor starts workers from its thread pool, whose threads come and go
    while the worker is kept for the next file."""
    if os.getppid() != parent:  # gone already
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_cpu(seconds: float) -> None:
    """CPU time is counted over the worker's life: allow ``seconds`` more from now."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not a POSIX system
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit_own("RLIMIT_CPU", int(usage.ru_utime + usage.ru_stime + seconds) + 2)


def _peak_kib() -> int:
    """The most memory the worker has held, in KiB (0 where it cannot be known).

    On Linux from ``VmHWM``, the worker's own high-water mark: ``ru_maxrss`` keeps the
    peak of the process that forked it (Linux carries it over ``execve``), so a worker
    started by a large editor or test process would look large from its first file."""
    with (
        contextlib.suppress(OSError, ValueError, IndexError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        return int(status.read().split("VmHWM:")[1].split()[0])
    try:
        import resource
    except ImportError:  # pragma: no cover - not a POSIX system
        return 0
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


if __name__ == "__main__":  # pragma: no cover - started by pdf_process
    main(sys.argv[1:])
