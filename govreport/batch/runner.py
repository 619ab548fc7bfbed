"""Many facts files at once: a city's or a province's reports in one command.

Files are handled in worker processes (one per core by default); each worker
compiles a template set once and reuses it (see ``rendering.compiled``). One bad file
never stops the others: it becomes a failed ``FileResult`` with its reason.
PDFs are converted as the Word files appear, on one LibreOffice per job (``batch.pdf_pool``).
Workers ignore Ctrl-C; the main process stops handing out files, lets the ones
in progress finish (every output is written atomically) and re-raises.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..diagnostics import ERROR, Problem, ProblemReport
from ..errors import FactsError, GovReportError
from ..files.lifetime import (
    die_with_parent,
    remove_stale_work_folders,
    terminate_as_interrupt,
    work_prefix,
)
from ..files.output import remove_stale_temps
from ..pdf.office_process import remove_stale_office_folders
from ..pdf.soffice import require_soffice

if TYPE_CHECKING:
    from ..checks import CheckResult
    from .pdf_pool import PdfBatch

# Rendering (docxtpl, lxml, LibreOffice glue) is imported by the functions that render:
# finding and checking files must not pay for it.


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
    remove_stale_work_folders()
    with terminate_as_interrupt():
        return _run(_check_one, [(f, template) for f in files], files, jobs, on_result)


def _check_one(path: Path, template: str | Path | None = None) -> FileResult:
    from ..checks import check

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
    pdf: dict[str, Any] | None = None,
) -> list[FileResult]:
    """Render every file into ``out_dir``, mirroring the folders below ``root``.

    Outputs are named after each facts file (``泰山区工信局2023.yaml`` →
    ``泰山区工信局2023.docx``), so two offices' reports can never overwrite each other.
    ``pdf`` holds ``render``'s PDF options; unless it asks for LibreOffice, each worker
    typesets its PDFs itself (Typst, a kept compiler per worker).
    """
    from ..rendering.formats import parse_formats, require_pandoc
    from .pdf_pool import PdfBatch

    formats = parse_formats(to)  # without loading the Word side: LibreOffice starts first
    pdf = dict(pdf or {})
    through_office = "pdf" in formats and pdf.get("pdf_engine") == "libreoffice"
    if through_office:
        require_soffice()  # say so once, before any file is rendered
    require_pandoc(formats)  # ODT, RTF without the govreport[pandoc] extra: said once, too
    out_dir = Path(out_dir)
    root = root or _common_root(files)
    word_formats = [f for f in formats if f != "pdf"] if through_office else formats
    targets = distinct_targets(files, out_dir, root)
    remove_stale_work_folders()
    remove_stale_office_folders()  # what a killed run's LibreOffices left
    for folder in {t.parent for t in targets}:
        remove_stale_temps(folder)
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix=work_prefix()) as work:
        tasks = [
            _RenderTask(
                path,
                target,
                word_formats,
                template,
                Path(work) / f"{index}.docx" if through_office else None,
                pdf,
            )
            for index, (path, target) in enumerate(zip(files, targets, strict=True))
        ]
        confirmed = _confirming(on_result)
        if not through_office:
            return _run(_render_one, tasks, files, jobs, confirmed)
        jobs = jobs or default_jobs()
        with PdfBatch(jobs, confirmed) as pdfs:
            results = _run(_render_one, tasks, files, _word_jobs(jobs), _queue_pdfs(tasks, pdfs))
    return results


def _word_jobs(jobs: int) -> int:
    """Processes writing the Word files of a PDF batch: one per eight LibreOffices.

    LibreOffice takes some 25 times longer over a PDF than govreport over its Word
    file, so one process keeps eight of them fed; more would only load docxtpl again
    on cores the LibreOffices need (with ``-j 2``, one core's worth while they start)."""
    return max(1, jobs // 8)


def _confirming(on_result: Progress | None) -> Progress:
    """``on_result`` for results whose outputs were checked to be on disk first."""

    def report(result: FileResult) -> None:
        _confirm_outputs(result)
        if on_result:
            on_result(result)

    return report


def _confirm_outputs(result: FileResult) -> None:
    """The summary names only files that are really there."""
    missing = [path for path in result.outputs.values() if not path.is_file()]
    if result.ok and missing:
        names = "、".join(str(p) for p in missing)
        result.failure = f"生成后找不到输出文件：{names}"
    result.outputs = {k: p for k, p in result.outputs.items() if p.is_file()}


class _RenderTask(NamedTuple):
    """One file's work in a batch: the arguments of ``_render_one``."""

    source: Path
    target: Path
    formats: list[str]
    template: Any
    keep_docx: Path | None
    pdf: Any = None  # render's PDF options


def _common_root(files: list[Path]) -> Path:
    folders = [str(f.resolve().parent) for f in files]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _target(out_dir: Path, root: Path, path: Path, stem: str | None = None) -> Path:
    try:
        relative = path.resolve().parent.relative_to(root.resolve())
    except ValueError:
        relative = Path()
    return out_dir / relative / f"{stem or path.stem}.docx"


def distinct_targets(files: list[Path], out_dir: Path, root: Path) -> list[Path]:
    """Each file's output, no two the same, decided before anything is written.

    ``报告.yaml`` and ``报告.yml`` in one folder would both become ``报告.docx``;
    clashing files keep their suffix in the name instead (``报告-yaml.docx``,
    ``报告-yml.docx``), compared without case as Windows and macOS disks do.
    """
    targets = [_target(out_dir, root, path) for path in files]
    groups: dict[str, list[int]] = {}
    for index, target in enumerate(targets):
        groups.setdefault(str(target).casefold(), []).append(index)
    taken = {key for key, members in groups.items() if len(members) == 1}
    for members in groups.values():
        if len(members) == 1:
            continue
        for index in members:
            path = files[index]
            stem = f"{path.stem}-{path.suffix.lstrip('.') or 'facts'}"
            target, n = _target(out_dir, root, path, stem), 1
            while str(target).casefold() in taken:
                n += 1
                target = _target(out_dir, root, path, f"{stem}-{n}")
            taken.add(str(target).casefold())
            targets[index] = target
    return targets


def _render_one(
    path: Path,
    target: Path,
    formats: list[str],
    template: Any,
    keep_docx: Path | None,
    pdf: dict[str, Any] | None = None,
) -> FileResult:
    from ..rendering.report import render

    try:
        if formats:
            result = render(
                path, target, to=formats, template=template, keep_docx=keep_docx, **(pdf or {})
            )
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


def _ignore_interrupt(parent: int | None = None) -> None:
    """Workers leave Ctrl-C to the main process, which stops the batch cleanly, and
    die with it when it is killed (see ``files.lifetime``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent or os.getppid())


def _run(
    work: Callable[..., FileResult],
    tasks: Sequence[tuple[Any, ...]],
    files: list[Path],
    jobs: int | None,
    on_result: Progress | None,
) -> list[FileResult]:
    jobs = max(1, jobs or default_jobs())
    if jobs == 1 or len(tasks) <= 1:
        results = []
        for task in tasks:
            results.append(_run_one(work, task))
            if on_result:
                on_result(results[-1])
        return results
    done: dict[int, FileResult] = {}

    def record(index: int, result: FileResult) -> None:
        done[index] = result
        if on_result:
            on_result(result)

    # A worker that dies (killed, out of memory, a crash in a library) loses every file
    # not yet finished in its pool. Those run again one per hand-out, then, if a worker
    # dies again, in one worker in order, where the first file lost is the one to blame.
    pending, size, rounds = list(range(len(tasks))), _chunk_size(len(tasks), jobs), 0
    while pending:
        crashed = _run_pool(work, tasks, pending, jobs, size, files, record)
        if crashed and jobs == 1:
            record(crashed[0], FileResult(files[crashed[0]], failure=_CRASHED))
            crashed = crashed[1:]
        rounds += 1
        pending, size, jobs = crashed, 1, jobs if rounds < 2 else 1
    return [done[i] for i in range(len(tasks))]


_CRASHED = "内部错误（请报告此问题）：处理该文件时工作进程意外退出"


def _run_pool(
    work: Callable[..., FileResult],
    tasks: Sequence[tuple[Any, ...]],
    indices: list[int],
    jobs: int,
    size: int,
    files: list[Path],
    record: Callable[[int, FileResult], None],
) -> list[int]:
    """Run ``indices`` in a pool of ``jobs`` workers, ``size`` files a hand-out; the
    indices lost because a worker process died (their files are run again)."""
    chunks = [indices[i : i + size] for i in range(0, len(indices), size)]
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        initializer=_ignore_interrupt,
        initargs=(os.getpid(),),
        mp_context=_pool_context(),
    )
    crashed: list[int] = []
    try:
        futures = {pool.submit(_run_chunk, work, [tasks[i] for i in c]): c for c in chunks}
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                crashed += chunk
                continue
            except Exception as exc:  # the results could not come back: those files failed
                outcomes = [FileResult(files[i], failure=internal_failure(exc)) for i in chunk]
            for index, result in zip(chunk, outcomes, strict=True):
                record(index, result)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(crashed)


def _pool_context() -> Any:
    """How workers start: forked, unless this process has used Typst, whose thread pool
    does not survive a fork (a forked worker would wait on it forever): then spawned."""
    if "typst" in sys.modules and sys.platform != "win32":
        import multiprocessing

        return multiprocessing.get_context("spawn")
    return None


def _chunk_size(count: int, jobs: int) -> int:
    """Files per hand-out: few enough for even progress, enough to keep IPC cheap."""
    return max(1, min(16, count // (jobs * 8)))


def _run_chunk(work: Callable[..., FileResult], tasks: list[tuple]) -> list[FileResult]:
    return [_run_one(work, task) for task in tasks]


def _run_one(work: Callable[..., FileResult], task: tuple) -> FileResult:
    """One file's work; whatever goes wrong (a bug of ours included) is that file's failure."""
    try:
        return work(*task)
    except Exception as exc:
        return FileResult(Path(task[0]), failure=internal_failure(exc))


def internal_failure(exc: BaseException) -> str:
    return f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}"
