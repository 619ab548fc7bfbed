"""What the user reads in the terminal: two rich consoles and how a problem is shown."""

from __future__ import annotations

import json
from collections.abc import Iterable

import click
from rich.console import Console
from rich.markup import escape

from ._problems import ERROR, SEVERITY_LABELS, Problem

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def problem_line(problem: Problem, *, markup: bool = True) -> str:
    """``file:line 警告 B1 【label】message`` (with rich colours when ``markup``)."""
    text = escape if markup else str
    where = text(problem.file or "")
    if problem.line is not None:
        where += f":{problem.line}"
    label = f"【{text(problem.label)}】" if problem.label else ""
    head = f"{SEVERITY_LABELS[problem.severity]} {problem.code}"
    if markup:
        colour = "red" if problem.severity == ERROR else "yellow"
        head = f"[{colour}]{head}[/]"
    return f"{where} {head} {label}{text(problem.message)}"


def print_json(data: object) -> None:
    """JSON for scripts: UTF-8 Chinese as is, indented."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def show_problems(problems: Iterable[Problem], console: Console) -> None:
    """One line a problem: coloured on a terminal, plain text in a log or a pipe.

    Plain text skips rich's markup parsing, which dominates a batch of thousands.
    """
    if console.is_terminal:
        for problem in problems:
            console.print(problem_line(problem))
        return
    lines = [problem_line(problem, markup=False) for problem in problems]
    if lines:
        click.echo("\n".join(lines), err=console.stderr)
