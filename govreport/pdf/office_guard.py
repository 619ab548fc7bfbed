"""Run by a plain Python beside every LibreOffice govreport starts (POSIX), never imported.

``python -I -S office_guard.py soffice …``: govreport starts this script in a
process group of its own, with a pipe on its stdin that only govreport holds
open. The script starts LibreOffice in the same group and returns its exit
status. The pipe ends the moment govreport does, however it ends (``kill -9``,
SIGHUP, a crash), and the script then kills its whole group: the ``soffice``
wrapper (``oosplash``), ``soffice.bin`` and whatever they started, and itself.
So no LibreOffice outlives the govreport that started it.

Why not ``prctl(PR_SET_PDEATHSIG)``: it is per process and cleared on fork, so
``soffice.bin``, which ``oosplash`` forks, would not inherit it; it fires when the
*thread* that started the child exits (a batch restarts LibreOffice from pool
threads that end before the batch does); setting it needs ``preexec_fn``, which
is unsafe in a process with threads; and it exists on Linux only. A pipe's end
is seen on every POSIX system, at once and whatever killed govreport.

Only the standard library is used: ``-I -S`` starts it in some 20 ms.
"""

import os
import signal
import subprocess
import sys
import threading


def _kill_group(*_: object) -> None:
    """LibreOffice, everything it started, and this script: all of the group at once."""
    os.killpg(0, signal.SIGKILL)


def _watch_govreport() -> None:
    """Wait for the end of govreport's pipe (govreport never writes to it)."""
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    _kill_group()


def main() -> int:
    threading.Thread(target=_watch_govreport, daemon=True).start()
    signal.signal(signal.SIGTERM, _kill_group)
    signal.signal(signal.SIGHUP, _kill_group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is govreport's to handle
    try:
        office = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
    except OSError as exc:
        sys.stderr.write(f"{exc}\n")
        return 127
    code = office.wait()
    return code if code >= 0 else 128 - code  # killed by a signal: as a shell says it


if __name__ == "__main__":
    sys.exit(main())
