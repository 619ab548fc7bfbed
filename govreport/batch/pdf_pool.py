"""A batch's PDFs: every core converting, each file reported the moment its PDF is written.

With a Python that can drive LibreOffice (see ``pdf.office``) the batch runs one
running LibreOffice per job. They start while the Word files are still being
rendered, and each Word file is queued for conversion as soon as it exists, so
no core waits for the whole Word stage, for a fresh LibreOffice per share, or
for the slowest share: a free LibreOffice takes the next document in line.

Without it, the Word files are converted after the Word stage, a share per
``soffice --convert-to`` start (``pdf.soffice.docx_to_pdf_many``), and each share's
files are reported when the share ends.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import GovReportError
from ..pdf.office_converter import OfficeConverter, OfficeUnavailable
from ..pdf.soffice import docx_to_pdf_many
from ..pdf.uno_finder import available

Done = Callable[[Any], None]  # called with each finished FileResult


class PdfBatch:
    """Converts Word files to PDF on ``jobs`` LibreOffices while more are still coming."""

    def __init__(self, jobs: int, on_done: Done | None = None):
        self.jobs = max(1, jobs)
        self._on_done = on_done
        self._report_lock = threading.Lock()
        self._persistent = available()
        self._pending: list[tuple[Any, Path, Path]] = []  # the plain path's queue
        self._converters: queue.Queue[OfficeConverter] = queue.Queue()
        self._started: list[OfficeConverter] = []  # every one, idle, busy or never offered
        self._working = 0  # documents (and starts) in hand in the pool's threads
        self._idle = threading.Condition()
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> PdfBatch:
        if self._persistent:
            self._pool = ThreadPoolExecutor(self.jobs, thread_name_prefix="govreport-pdf")
            for _ in range(self.jobs):  # start them all now, before any Word file is written
                converter = OfficeConverter()
                self._started.append(converter)
                with contextlib.suppress(GovReportError):  # shows again, per document
                    converter.launch()  # from this thread; the pool's threads wait for them
                self._pool.submit(self._start, converter)
        return self

    def submit(self, result: Any, docx: Path, pdf: Path) -> None:
        """Queue one rendered Word file; ``result`` gets its PDF or its failure."""
        if self._pool is None:
            self._pending.append((result, docx, pdf))
        else:
            self._pool.submit(self._convert, result, docx, pdf)

    def report(self, result: Any) -> None:
        """Tell the caller a file is finished (from whichever thread finished it)."""
        if self._on_done is not None:
            with self._report_lock:
                self._on_done(result)

    def __exit__(self, *exc: object) -> None:
        try:
            if self._pool is not None:
                self._finish(self._pool, interrupted=exc[0] is not None)
            elif exc[0] is None:
                self._convert_in_shares()
        finally:
            self._close_all()

    @staticmethod
    def _finish(pool: ThreadPoolExecutor, *, interrupted: bool) -> None:
        """Wait for the documents in hand; once interrupted (Ctrl+C, SIGTERM), drop those
        not yet begun (``_close_all`` waits for the ones being converted)."""
        try:
            pool.shutdown(wait=not interrupted, cancel_futures=interrupted)
        except BaseException:  # interrupted while waiting for the last documents
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    def _close_all(self) -> None:
        """Once no document is being converted, shut every LibreOffice down at once: each
        takes a moment to save its profile.

        The wait is counted here, not left to the pool's ``shutdown``: a thread's
        ``join`` that Ctrl+C or SIGTERM interrupts marks the thread finished while it
        still converts (CPython 3.11), so a LibreOffice still at work was left out of
        the shutdown, and killed with govreport, leaving its work folder behind."""
        with self._idle:
            while self._working:
                self._idle.wait(0.5)
        converters = self._started
        if converters:
            with ThreadPoolExecutor(len(converters), thread_name_prefix="govreport-close") as pool:
                list(pool.map(OfficeConverter.close, converters))

    @contextlib.contextmanager
    def _at_work(self) -> Iterator[None]:
        """Count a start or a document in hand, for ``_close_all`` to wait on."""
        with self._idle:
            self._working += 1
        try:
            yield
        finally:
            with self._idle:
                self._working -= 1
                self._idle.notify_all()

    def _start(self, converter: OfficeConverter) -> None:
        """Start a LibreOffice, then offer it: no document may reach it while it starts.

        A failed start shows again, per document, as ``OfficeUnavailable``.
        """
        with self._at_work():
            try:
                converter.start()
            except GovReportError:
                pass
            finally:
                self._converters.put(converter)

    def _convert(self, result: Any, docx: Path, pdf: Path) -> None:
        with self._at_work():
            self._convert_on(self._converters.get(), result, docx, pdf)
        self.report(result)

    def _convert_on(self, converter: OfficeConverter, result: Any, docx: Path, pdf: Path) -> None:
        name = _name(result)
        try:
            try:
                converter.convert(docx, pdf, name=name)
            except OfficeUnavailable:  # LibreOffice would not listen: a fresh one per document
                docx_to_pdf_many([(docx, pdf)], name=name)
        except GovReportError as exc:
            result.failure = exc.format_message()
        except Exception as exc:  # a bug of ours must not lose the document: it fails alone
            result.failure = f"内部错误：{type(exc).__name__}: {exc}"
        else:
            result.outputs["pdf"] = pdf
        finally:
            self._converters.put(converter)

    def _convert_in_shares(self) -> None:
        """The plain path: one ``soffice --convert-to`` start per share."""
        pending = self._pending
        shares = [pending[i :: self.jobs] for i in range(self.jobs) if pending[i :: self.jobs]]
        with ThreadPoolExecutor(max_workers=max(1, len(shares))) as pool:
            list(pool.map(self._convert_share, shares))

    def _convert_share(self, share: list[tuple[Any, Path, Path]]) -> None:
        try:
            docx_to_pdf_many([(docx, pdf) for _, docx, pdf in share])
        except GovReportError:
            for result, docx, pdf in share:  # find which document failed
                try:
                    docx_to_pdf_many([(docx, pdf)], name=_name(result))
                except GovReportError as exc:
                    result.failure = exc.format_message()
                else:
                    result.outputs["pdf"] = pdf
                self.report(result)
            return
        for result, _, pdf in share:
            result.outputs["pdf"] = pdf
            self.report(result)


def _name(result: Any) -> str | None:
    """The user's facts file a result is about: messages name it, never the Word file in
    the batch's work folder (``3.docx``)."""
    source = getattr(result, "source", None)
    return Path(source).name if source is not None else None
