"""A batch leaves nothing behind: no worker outliving it, no work folder after a kill.

A scheduled job that is stopped (``systemctl stop``, a CI timeout, ``kill -9``)
must not leave worker processes rendering on for minutes nor temporary folders
filling the disk. So workers die with the main process (Linux: the kernel's
parent-death signal; elsewhere a thread that watches the parent), SIGTERM is
handled like Ctrl-C, and what a killed run could not clean up — work folders
named with their owner's process id, hidden ``.tmp`` files beside outputs
(see ``files.output``) — is removed by the next run once its owner is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

#: A work folder or temporary file is stale once its owner is dead and it is this old (s).
STALE_AFTER_SECONDS = 60.0
WORK_PREFIX = "govreport-batch-"
_WORK_FOLDER = re.compile(rf"^{WORK_PREFIX}(\d+)-")
_PR_SET_PDEATHSIG = 1


def work_prefix() -> str:
    """The prefix of this process's work folder: it names the owner, for the next run."""
    return f"{WORK_PREFIX}{os.getpid()}-"


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when ``parent`` ends, however it ends."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the signal was armed
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:  # pragma: no cover - not Linux
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def limit_own(name: str, value: int) -> None:
    """Lower this process's ``resource`` limit ``name`` (``RLIMIT_AS``, ``RLIMIT_CPU`` …)
    to ``value``, never above a hard limit already set. A worker limits itself this way
    once it has started, rather than through ``preexec_fn``, which is unsafe in a parent
    with threads (the editor's and the service's). Nothing where there is no such limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not a POSIX system
        return
    limit = getattr(resource, name, None)
    if limit is None:  # pragma: no cover - a platform without it
        return
    _, hard = resource.getrlimit(limit)
    soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
    with contextlib.suppress(ValueError, OSError):  # a platform that refuses it
        resource.setrlimit(limit, (soft, hard))


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP (a closed terminal) stop the batch exactly as
    Ctrl-C does, so its clean-up runs instead of leaving folders for the next run."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signums = [signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):
        signums.append(signal.SIGHUP)
    previous = {signum: signal.signal(signum, interrupt) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def owner_gone(pid: int) -> bool:
    """Whether process ``pid`` no longer exists (a process of another user still does)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_stale(path: Path, pid: int) -> bool:
    """Ours (same user), its owner dead, and old enough that no one is still writing it."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return owner_gone(pid) and time.time() - info.st_mtime > STALE_AFTER_SECONDS


def remove_stale_work_folders(root: Path | None = None) -> list[Path]:
    """Remove the work folders of batches that were killed; the ones removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            match = _WORK_FOLDER.match(entry.name)
            if (
                match
                and not entry.is_symlink()
                and entry.is_dir()
                and is_stale(entry, int(match.group(1)))
            ):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed
