"""Whether PDFs can go through a LibreOffice kept running: finding a Python with ``uno``.

A kept LibreOffice is driven through UNO by ``uno_bridge.py``, which only a
Python that can ``import uno`` runs: LibreOffice's own on Windows and macOS,
the system's ``python3`` with python3-uno on Debian. govreport's own Python
usually cannot, so the interpreter is looked for once per process. Where none
is found (or ``GOVREPORT_PDF_PERSISTENT=0``), :func:`available` says so and
callers use the plain ``soffice --convert-to`` path of ``soffice.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

__all__ = ["PERSISTENT_ENV", "UNO_PYTHON_ENV", "available", "uno_python"]

#: Environment variable naming a Python that can ``import uno`` (LibreOffice's own).
UNO_PYTHON_ENV = "GOVREPORT_UNO_PYTHON"
#: Set to ``0`` to always use a fresh ``soffice --convert-to`` per conversion.
PERSISTENT_ENV = "GOVREPORT_PDF_PERSISTENT"


@cache
def uno_python() -> str | None:
    """A Python interpreter that can ``import uno``, or ``None``.

    ``GOVREPORT_UNO_PYTHON`` when set; else the Python shipped inside LibreOffice
    (Windows, macOS); else the system's ``python3`` (Debian's python3-uno).
    Cached: each probe starts an interpreter.
    """
    configured = os.environ.get(UNO_PYTHON_ENV, "").strip()
    candidates = [configured] if configured else _candidates()
    for candidate in candidates:
        found = shutil.which(candidate)
        if found and _imports_uno(found):
            return found
    return None


def _candidates() -> list[str]:
    found: list[str] = []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        program = Path(soffice).resolve().parent
        found += [str(program / "python"), str(program / "python.exe")]
    return [*found, "/usr/bin/python3", "python3"]


def _imports_uno(python: str) -> bool:
    try:
        probe = subprocess.run(
            [python, "-c", "import uno"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def available() -> bool:
    """Whether PDFs can go through a persistent LibreOffice on this machine."""
    if os.environ.get(PERSISTENT_ENV, "").strip() == "0":
        return False
    return uno_python() is not None
