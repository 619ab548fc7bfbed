"""Many facts files at once: a city's or a province's reports in one command.

Files are handled in worker processes (one per core by default); each worker
compiles a template set once and reuses it (see ``_compiled``). One bad file
never stops the others: it becomes a failed ``FileResult`` with its reason.
PDFs are converted as the Word files appear, on one LibreOffice per job (``_pdf_batch``).
Workers ignore Ctrl-C; the main process stops handing out files, lets the ones
in progress finish (every output is written atomically) and re-raises.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ._convert import require_soffice
from ._exceptions import FactsError, GovReportError
from ._problems import ERROR, Problem, ProblemReport
from ._templates import METADATA

if TYPE_CHECKING:
    from ._checks import CheckResult
    from ._pdf_batch import PdfBatch

# Rendering (docxtpl, lxml, LibreOffice glue) is imported by the functions that render:
# finding and checking files must not pay for it.

FACTS_SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult(ProblemReport):
    """What happened to one facts file in a batch."""

    source: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


Progress = Callable[[FileResult], None]


def find_facts(paths: Iterable[str | Path]) -> list[Path]:
    """The facts files named, and those found (recursively) in the folders named.

    Template-set folders (they hold ``set.yaml``) and hidden folders are skipped.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(_walk(path))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _walk(folder: Path) -> Iterator[Path]:
    if (folder / METADATA).is_file():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.suffix.lower() in FACTS_SUFFIXES:
            yield entry


def default_jobs() -> int:
    return os.cpu_count() or 1


# --------------------------------------------------------------------------- check


def check_many(
    files: list[Path],
    *,
    jobs: int | None = None,
    on_result: Progress | None = None,
    template: str | Path | None = None,
) -> list[FileResult]:
    """Check every file; results in the order given."""
    return _run(_check_one, [(f, template) for f in files], files, jobs, on_result)


def _check_one(path: Path, template: str | Path | None = None) -> FileResult:
    from ._checks import check

    try:
        result: CheckResult = check(path, template=template)
    except GovReportError as exc:
        return FileResult(path, failure=exc.format_message())
    return FileResult(path, problems=result.problems)


# --------------------------------------------------------------------------- render


def render_many(
    files: list[Path],
    out_dir: str | Path,
    *,
    to: str | Iterable[str] = ("docx",),
    template: str | Path | None = None,
    jobs: int | None = None,
    on_result: Progress | None = None,
    root: Path | None = None,
) -> list[FileResult]:
    """Render every file into ``out_dir``, mirroring the folders below ``root``.

    Outputs are named after each facts file (``泰山区工信局2023.yaml`` →
    ``泰山区工信局2023.docx``), so two offices' reports can never overwrite each other.
    """
    from ._pdf_batch import PdfBatch
    from ._render import parse_formats

    formats = parse_formats(to)
    if "pdf" in formats:
        require_soffice()  # say so once, before any file is rendered
    out_dir = Path(out_dir)
    root = root or _common_root(files)
    word_formats = [f for f in formats if f != "pdf"]
    with tempfile.TemporaryDirectory(prefix="govreport-batch-") as work:
        tasks = [
            _RenderTask(
                path,
                _target(out_dir, root, path),
                word_formats,
                template,
                Path(work) / f"{index}.docx" if "pdf" in formats else None,
            )
            for index, path in enumerate(files)
        ]
        if "pdf" not in formats:
            return _run(_render_one, tasks, files, jobs, on_result)
        with PdfBatch(jobs or default_jobs(), on_result) as pdfs:
            results = _run(_render_one, tasks, files, jobs, _queue_pdfs(tasks, pdfs))
    return results


class _RenderTask(NamedTuple):
    """One file's work in a batch: the arguments of ``_render_one``."""

    source: Path
    target: Path
    formats: list[str]
    template: Any
    keep_docx: Path | None


def _common_root(files: list[Path]) -> Path:
    folders = [str(f.resolve().parent) for f in files]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _target(out_dir: Path, root: Path, path: Path) -> Path:
    try:
        relative = path.resolve().parent.relative_to(root.resolve())
    except ValueError:
        relative = Path()
    return out_dir / relative / f"{path.stem}.docx"


def _render_one(
    path: Path, target: Path, formats: list[str], template: Any, keep_docx: Path | None
) -> FileResult:
    from ._render import render

    try:
        if formats:
            result = render(path, target, to=formats, template=template, keep_docx=keep_docx)
        else:  # PDF only: the Word file goes to the work folder, not beside the PDF
            result = render(path, keep_docx, to=["docx"], template=template)
    except FactsError as exc:
        count = len([p for p in exc.problems if p.severity == ERROR])
        return FileResult(path, problems=exc.problems, failure=f"有 {count} 处错误，未生成")
    except GovReportError as exc:
        return FileResult(path, failure=exc.format_message())
    outputs = result.outputs if formats else {}
    return FileResult(path, outputs=dict(outputs), problems=result.warnings)


def _queue_pdfs(tasks: list[_RenderTask], pdfs: PdfBatch) -> Progress:
    """As each Word file is rendered, queue its PDF; a file that failed is reported at once."""
    waiting = {task.source: task for task in tasks}

    def queue_pdf(result: FileResult) -> None:
        task = waiting.pop(result.source, None)
        if result.ok and task is not None and task.keep_docx is not None:
            pdfs.submit(result, task.keep_docx, task.target.with_suffix(".pdf"))
        else:
            pdfs.report(result)

    return queue_pdf


# --------------------------------------------------------------------------- running


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops the batch cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(
    work: Callable[..., FileResult],
    tasks: list[tuple],
    files: list[Path],
    jobs: int | None,
    on_result: Progress | None,
) -> list[FileResult]:
    jobs = max(1, jobs or default_jobs())
    if jobs == 1 or len(tasks) <= 1:
        results = []
        for task in tasks:
            results.append(work(*task))
            if on_result:
                on_result(results[-1])
        return results
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when needed

    results: dict[int, FileResult] = {}
    size = _chunk_size(len(tasks), jobs)
    chunks = [list(range(i, min(i + size, len(tasks)))) for i in range(0, len(tasks), size)]
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=_ignore_interrupt)
    try:
        futures = {pool.submit(_run_chunk, work, [tasks[i] for i in c]): c for c in chunks}
        for future in as_completed(futures):
            for index, result in zip(
                futures[future], _outcomes(future, futures[future], files), strict=True
            ):
                results[index] = result
                if on_result:
                    on_result(result)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(tasks))]


def _chunk_size(count: int, jobs: int) -> int:
    """Files per hand-out: few enough for even progress, enough to keep IPC cheap."""
    return max(1, min(16, count // (jobs * 8)))


def _run_chunk(work: Callable[..., FileResult], tasks: list[tuple]) -> list[FileResult]:
    return [work(*task) for task in tasks]


def _outcomes(future: Future, indices: list[int], files: list[Path]) -> list[FileResult]:
    try:
        return future.result()
    except Exception as exc:  # a crash in a worker is those files' failure, not the batch's
        return [
            FileResult(files[i], failure=f"内部错误：{type(exc).__name__}: {exc}") for i in indices
        ]
