"""The batch side of ``check`` and ``render``: progress while working, a summary at the end.

On a terminal a rich progress bar runs; in a log (not a terminal) each file gets
one plain line, so a scheduled job's output stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from ..batch.runner import FileResult, check_many, render_many
from ..console import err, out, print_json, say, show_problems

if TYPE_CHECKING:
    from rich.table import Table

Callback = Callable[[FileResult], None]


@contextmanager
def progress(total: int, verb: str) -> Iterator[Callback]:
    """A callback that reports each finished file, as a bar or as plain lines."""
    if err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        bar = Progress(
            TextColumn(f"{verb}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        )
        with bar:
            task = bar.add_task("", total=total)

            def advance(result: FileResult) -> None:
                bar.update(task, advance=1, description=result.source.name)

            yield advance
        return
    done = 0

    def line(result: FileResult) -> None:
        # a log line, written as is: rich's rendering (and wrapping at 80 columns) would
        # cost the main process more than checking the file costs a worker
        nonlocal done
        done += 1
        status = "完成" if result.ok and not result.errors else "失败"
        click.echo(f"[{done}/{total}] {result.source}：{status}", err=True)

    yield line


def check_files(
    files: list[Path],
    *,
    jobs: int | None,
    output_format: str,
    strict: bool,
    template: str | None = None,
) -> int:
    """Check many files; the exit status (2 unreadable, 1 errors, 0 clean)."""
    with progress(len(files), "校验") as report:
        results = check_many(files, jobs=jobs, on_result=report, template=template)
    if output_format == "json":
        print_json([check_json(r) for r in results])
    else:
        for result in results:
            show_problems(result.problems)
            if result.failure:
                say(f"{result.source} {click.style('无法读取', fg='red')} {result.failure}")
        show_summary(results, rendered=False)
    if any(r.failure for r in results):
        return 2
    if any(r.errors for r in results) or (strict and any(r.warnings for r in results)):
        return 1
    return 0


def check_json(result: FileResult) -> dict:
    """One file's check as JSON: the same fields for one file and for a batch."""
    return {
        "file": str(result.source),
        "ok": result.ok and not result.errors,
        "readable": result.failure is None,
        "error": result.failure,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [p.to_dict() for p in result.problems],
    }


def render_files(
    files: list[Path],
    out_dir: str,
    *,
    to: str,
    template: str | None,
    jobs: int | None,
    pdf: dict[str, Any] | None = None,
) -> int:
    """Render many files into ``out_dir``; exit status 1 if any failed. ``pdf``: the PDF
    options of ``render`` (engine, standard, font folders)."""
    with progress(len(files), "生成") as report:
        results = render_many(
            files, out_dir, to=to, template=template, jobs=jobs, on_result=report, pdf=pdf
        )
    for result in results:
        show_problems(result.problems, err=True)
    show_summary(results, rendered=True)
    return 1 if any(not r.ok for r in results) else 0


ALL_ROWS_UP_TO = 30  # a bigger batch lists only the files that need attention


def show_summary(results: list[FileResult], *, rendered: bool) -> None:
    """The table on a terminal; in a log or a pipe, plain full lines that nothing cuts."""
    if out.is_terminal:
        out.print(_summary(results, rendered=rendered))
        return
    table = _summary(results, rendered=rendered)
    shown = results if len(results) <= ALL_ROWS_UP_TO else [r for r in results if _failed(r)]
    lines = [str(table.title) + "："]
    lines += [plain_line(result, rendered) for result in shown]
    lines.append(str(table.caption))
    click.echo("\n".join(lines))


def _failed(result: FileResult) -> bool:
    return bool(result.failure or result.errors)


def plain_line(result: FileResult, rendered: bool) -> str:
    """One file of the summary in full: name, result, counts, then the reason or outputs
    (a reason of several lines continues indented)."""
    if result.failure:
        status, note = "失败", result.failure
    elif result.errors:
        status, note = "有错误", ""
    else:
        status = "已生成" if rendered else "通过"
        note = "、".join(str(p) for p in result.outputs.values())
    counts = f"错误 {len(result.errors)}，警告 {len(result.warnings)}"
    line = f"{result.source}：{status}（{counts}）"
    if note:
        line += "：" + note.replace("\n", "\n    ")
    return line


def _summary(results: list[FileResult], *, rendered: bool) -> Table:
    """Per file for a small batch; for a large one the counts and the files that failed."""
    from rich.table import Table

    failed = [r for r in results if r.failure or r.errors]
    warned = [r for r in results if not (r.failure or r.errors) and r.warnings]
    shown = results if len(results) <= ALL_ROWS_UP_TO else failed
    table = Table(title="生成结果" if rendered else "校验结果")
    table.add_column("文件")
    table.add_column("结果")
    table.add_column("错误", justify="right")
    table.add_column("警告", justify="right")
    table.add_column("原因 / 输出")
    for result in shown:
        table.add_row(*_row(result, rendered))
    passed = len(results) - len(failed)
    table.caption = (
        f"共 {len(results)} 个文件，{passed} 个成功（其中 {len(warned)} 个有警告），"
        f"{len(failed)} 个失败"
    )
    if len(shown) < len(results):
        table.caption += "；表中只列出失败的文件"
    return table


def _row(result: FileResult, rendered: bool) -> tuple[str, ...]:
    if result.failure:
        status, note = "[red]失败[/]", escape(result.failure.splitlines()[0])
    elif result.errors:
        status, note = "[red]有错误[/]", ""
    else:
        status = "[green]已生成[/]" if rendered else "[green]通过[/]"
        note = escape("、".join(p.name for p in result.outputs.values()))
    return (
        escape(str(result.source)),
        status,
        str(len(result.errors)),
        str(len(result.warnings)),
        note,
    )
