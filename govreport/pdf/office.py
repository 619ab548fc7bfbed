"""One report's PDF at a time through the process's own LibreOffice, kept running.

``render`` in a loop and the editor print one PDF after another: each through
the same running LibreOffice (an ``OfficeConverter``) instead of a fresh
``soffice --convert-to`` start, which costs seconds. Where LibreOffice cannot be
kept running (no Python with ``uno``, see ``uno_finder``; or it will not listen),
:func:`convert_pdf` falls back to the plain path of ``soffice.py``.

The kept-LibreOffice path is three modules: ``uno_finder`` (can it be used here),
``office_converter`` (one running LibreOffice and its restarts) and this one (the
process's shared converter).
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from pathlib import Path

from ..errors import ConversionError
from .office_converter import OfficeConverter, OfficeUnavailable
from .soffice import docx_to_pdf
from .uno_finder import available

__all__ = ["convert_pdf", "prepare_pdf", "shared_converter"]

_shared: OfficeConverter | None = None
_shared_lock = threading.Lock()  # guards creating ``_shared``
_use_lock = threading.Lock()  # held while a document goes through ``_shared``


def shared_converter() -> tuple[OfficeConverter, threading.Lock]:
    """The process's own running LibreOffice for one report at a time (``render`` in a loop,
    the editor), with the lock to hold while using it; shut down when Python exits."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = OfficeConverter()
            atexit.register(_close_shared)
        return _shared, _use_lock


def _close_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None


def prepare_pdf() -> None:
    """Start the process's LibreOffice now without waiting: it starts while the caller
    writes the Word file (a second or so of the wait for one PDF)."""
    if not available():
        return
    converter, lock = shared_converter()
    with lock, contextlib.suppress(ConversionError):  # convert_pdf says it, or falls back
        converter.launch()


def convert_pdf(docx: Path, target: Path, *, name: str | None = None) -> None:
    """One document to PDF: through the running LibreOffice when possible, else a fresh one.
    ``name`` (the user's facts file) names it in messages."""
    if not available():
        docx_to_pdf(docx, target, name=name)
        return
    converter, lock = shared_converter()
    with lock:
        try:
            converter.convert(docx, target, name=name)
        except OfficeUnavailable:  # LibreOffice would not listen: the plain path still works
            docx_to_pdf(docx, target, name=name)
