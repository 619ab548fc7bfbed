"""LibreOffice's processes and folders: nothing of them outlives the govreport that made them.

Every LibreOffice govreport starts runs under ``office_guard.py``, in a process
group of its own, so a timeout kills all of it at once and the death of
govreport (``kill -9`` and SIGHUP included) kills it within moments: see that
script for how and why not ``PR_SET_PDEATHSIG``. Ctrl+C and SIGTERM never
reach LibreOffice; govreport shuts it down itself. On Windows, where there are
no process groups to kill, LibreOffice is started in a new process group and
killed with ``taskkill /T``; a govreport killed there may leave it running (a
job object that kills on close would be the way to end that).

Each LibreOffice works in a folder of its own under the temporary folder,
named ``govreport-office-<pid>-…`` (or ``govreport-soffice-<pid>-…``) after the
process that made it. Its profile, its logs, its own temporary files
(``TMPDIR`` points inside) and the PDFs it writes all stay in there, never
beside the user's files. A run that was killed cannot remove its folders; the
next one that starts LibreOffice or renders a batch removes those whose owner
is gone (``files.lifetime.is_stale``). Every path LibreOffice is given is
absolute: a relative ``TMPDIR`` (``TMPDIR=tmp``) would otherwise break it.

The one thing LibreOffice puts elsewhere is the sockets of its named pipes: its
system layer makes them in ``/tmp`` whatever ``TMPDIR`` says. There are two: the
converter's (``OSL_PIPE_<uid>_govreport-<pid>-…``) and the one every LibreOffice
makes for its profile (``OSL_PIPE_<uid>_SingleOfficeIPC_<MD5 of the profile's
URL>``), which a LibreOffice that was killed leaves behind. Both are removed when
their LibreOffice is done, and the stale-folder sweep removes those a killed run
left: the profile pipe's name follows from the stale folder's profile.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from ..errors import ConversionError
from ..files.lifetime import is_stale
from .fonts import soffice_environment

__all__ = [
    "OFFICE_FOLDER",
    "LibreOfficeError",
    "about",
    "kill_tree",
    "office_environment",
    "profile_pipe",
    "remove_office_pipe",
    "remove_stale_office_folders",
    "spawn_office",
    "temp_root",
    "work_folder",
]

#: What the folders of LibreOffice's work are called: ``govreport-<kind>-<owner pid>-…``.
OFFICE_FOLDER = re.compile(r"^govreport-(?:office|soffice|fonts)-(\d+)-")
_GUARD = Path(__file__).with_name("office_guard.py")
_NEW_PROCESS_GROUP: int = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Windows only
#: Where LibreOffice's system layer makes the sockets of named pipes (not ``TMPDIR``).
PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))
_OFFICE_PIPE = re.compile(r"^OSL_PIPE_\d+_govreport-(\d+)-")
_cleaned = threading.Lock()
_cleaned_for: set[tuple[int, str]] = set()


class LibreOfficeError(ConversionError):
    """A PDF LibreOffice did not make, said in Chinese; ``detail`` keeps what LibreOffice
    itself said (English, a UNO trace), for a developer, never shown to the user."""

    def __init__(self, message: str, *, hint: str | None = None, detail: str = ""):
        super().__init__(message, hint=hint)
        self.detail = detail


def about(name: str | None) -> str:
    """`` 报告.yaml 的 `` for a message about one document, or nothing."""
    return f" {name} 的 " if name else " "


def temp_root() -> Path:
    """The temporary folder, absolute and without links (``TMPDIR=tmp`` or ``.`` included)."""
    return Path(tempfile.gettempdir()).resolve()


def work_folder(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A new folder for one LibreOffice's work, named after this process; first, the
    folders killed runs left are removed."""
    root = temp_root()
    remove_stale_office_folders(root)
    return tempfile.TemporaryDirectory(
        prefix=f"govreport-{kind}-{os.getpid()}-", dir=root, ignore_cleanup_errors=True
    )


def remove_stale_office_folders(root: Path | None = None) -> list[Path]:
    """Remove LibreOffice work folders whose owner is gone (once per process and folder);
    the ones removed."""
    root = root or temp_root()
    key = (os.getpid(), str(root))
    with _cleaned:
        if key in _cleaned_for:
            return []
        _cleaned_for.add(key)
    removed = []
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            match = OFFICE_FOLDER.match(entry.name)
            if not match or entry.is_symlink() or not entry.is_dir():
                continue
            if is_stale(entry, int(match.group(1))):
                remove_office_pipe(profile_pipe(entry / "profile"))
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed + _remove_stale_pipes()


def remove_office_pipe(pipe: str) -> None:
    """Remove the socket of LibreOffice's pipe ``pipe`` (a LibreOffice that was killed,
    or even one that ended cleanly, leaves it behind)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    for folder in PIPE_FOLDERS:
        with contextlib.suppress(OSError):
            (folder / f"OSL_PIPE_{uid}_{pipe}").unlink()


def profile_pipe(profile: Path) -> str:
    """The name of the pipe a LibreOffice makes for the profile ``profile`` (so that a
    second one started on it hands its work over): ``SingleOfficeIPC_`` and the MD5 of
    the profile's URL in UTF-16, each byte in hex without a leading zero, as
    LibreOffice's ``desktop/source/app/officeipcthread.cxx`` writes it."""
    url = profile.as_uri().encode("utf-16-le")
    digest = hashlib.md5(url, usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(format(byte, "x") for byte in digest)


def _remove_stale_pipes() -> list[Path]:
    """The pipe sockets of LibreOffices whose govreport is gone, removed."""
    removed = []
    for folder in PIPE_FOLDERS:
        with contextlib.suppress(OSError):
            for entry in folder.iterdir():
                match = _OFFICE_PIPE.match(entry.name)
                if match and entry.is_socket() and is_stale(entry, int(match.group(1))):
                    with contextlib.suppress(OSError):
                        entry.unlink()
                        removed.append(entry)
    return removed


def office_environment(work: Path) -> dict[str, str]:
    """LibreOffice's environment: the font map (``fonts``), and its temporary files inside
    ``work`` (an absolute path), where they go when ``work`` does."""
    env = soffice_environment(work)
    scratch = work / "tmp"
    scratch.mkdir(exist_ok=True)
    for name in ("TMPDIR", "TMP", "TEMP"):
        env[name] = str(scratch)
    return env


def spawn_office(
    command: list[str], env: dict[str, str], *, stdout: IO[Any] | int, stderr: IO[Any] | int
) -> subprocess.Popen[bytes]:
    """Start LibreOffice guarded (POSIX): its process group dies with govreport.

    The returned process is the guard; its exit status is LibreOffice's, and
    :func:`kill_tree` on it kills LibreOffice too. Raises ``OSError`` when it
    cannot be started.
    """
    if os.name != "posix" or not sys.executable:  # pragma: no cover - Windows, embedded Python
        return subprocess.Popen(  # a process group of its own, killed whole by kill_tree
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=os.name == "posix",
            creationflags=0 if os.name == "posix" else _NEW_PROCESS_GROUP,
        )
    if not (os.path.isfile(command[0]) and os.access(command[0], os.X_OK)):
        raise FileNotFoundError(2, "没有这个程序", command[0])
    return subprocess.Popen(
        [sys.executable, "-I", "-S", str(_GUARD), *command],
        env=env,
        stdin=subprocess.PIPE,  # govreport's end: when it closes, LibreOffice is killed
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
    )


def kill_tree(proc: subprocess.Popen[Any]) -> None:
    """Kill LibreOffice and everything it started (guard → soffice → oosplash → soffice.bin)."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        else:
            _await_group_end(proc.pid)
    else:  # pragma: no cover - Windows
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    with contextlib.suppress(subprocess.TimeoutExpired):  # an unkillable process: give up
        proc.wait(timeout=10)
    if proc.stdin is not None:  # the guard's pipe: nothing is left for it to watch
        with contextlib.suppress(OSError):
            proc.stdin.close()


#: Seconds a killed LibreOffice's processes may take to be gone (a loaded machine).
GROUP_END_TIMEOUT = 10.0


def _await_group_end(group: int, timeout: float = GROUP_END_TIMEOUT) -> None:
    """Wait until no process of ``group`` runs, or ``timeout`` seconds. A killed
    ``soffice.bin`` finishes the system call it is in: on a loaded machine it was seen
    writing its profile's ``registrymodifications.xcu`` after its folder was removed,
    which left the folder behind."""
    end = time.monotonic() + timeout
    pause = 0.005
    while _group_running(group) and time.monotonic() < end:
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _group_running(group: int) -> bool:
    """Whether a process of ``group`` still runs. A zombie whose threads are all gone does
    not count; one whose first thread has ended while another finishes a system call
    (a killed ``soffice.bin`` that was writing) does."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not proc.is_dir():  # pragma: no cover - not Linux: a zombie counts
        return True
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # after the command's closing parenthesis: state, parent, process group, …
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                state, pgrp, threads = fields[0], int(fields[2]), int(fields[17])
                if pgrp == group and (state != "Z" or threads > 1):
                    return True
    return False
