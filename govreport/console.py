"""What the user reads in the terminal: lines through click, tables and bars through rich.

A line (a problem, a verdict, an error) is coloured with click, which leaves the
colour out when the output is a file or a pipe (or ``NO_COLOR`` is set). rich is
loaded only when a command asks for ``out`` or ``err``, the consoles that draw
tables and progress bars: importing it costs a cold ``govreport check`` a sixth
of its time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

from .diagnostics import ERROR, SEVERITY_LABELS, Problem

if TYPE_CHECKING:
    from rich.console import Console

    out: Console
    err: Console


def __getattr__(name: str) -> Any:
    """``out`` and ``err``, the two rich consoles, made on first use."""
    if name not in ("out", "err"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    consoles = {
        "out": Console(highlight=False, soft_wrap=True),
        "err": Console(stderr=True, highlight=False, soft_wrap=True),
    }
    globals().update(consoles)
    return consoles[name]


def _colour() -> bool | None:
    """``False`` when ``NO_COLOR`` asks for none; otherwise click decides by the stream."""
    return False if os.environ.get("NO_COLOR") else None


def say(text: str, *, err: bool = False) -> None:
    """One line, its colours (``click.style``) kept only on a terminal."""
    click.echo(text, err=err, color=_colour())


def passed(text: str, *, err: bool = False, indent: int = 0) -> None:
    """A green ✓ line: something was written or passed."""
    _marked("✓", "green", text, err=err, indent=indent)


def failed(text: str, *, err: bool = False, indent: int = 0) -> None:
    """A red ✗ line: the verdict on a file that has errors, or one problem of a list."""
    _marked("✗", "red", text, err=err, indent=indent)


def noted(text: str, *, err: bool = False, indent: int = 0) -> None:
    """A yellow ! line: done, but something deserves a look."""
    _marked("!", "yellow", text, err=err, indent=indent)


def _marked(mark: str, colour: str, text: str, *, err: bool, indent: int) -> None:
    say(f"{' ' * indent}{click.style(mark, fg=colour)} {text}", err=err)


def error(label: str, text: str) -> None:
    """``错误：…`` on standard error, the label in bold red."""
    say(click.style(label, fg="red", bold=True) + text, err=True)


def problem_line(problem: Problem) -> str:
    """``file:line 警告 B1 【label】message``, the severity and code coloured."""
    where = problem.file or ""
    if problem.line is not None:
        where += f":{problem.line}"
    label = f"【{problem.label}】" if problem.label else ""
    colour = "red" if problem.severity == ERROR else "yellow"
    head = click.style(f"{SEVERITY_LABELS[problem.severity]} {problem.code}", fg=colour)
    return f"{where} {head} {label}{problem.message}"


def show_problems(problems: Iterable[Problem], *, err: bool = False) -> None:
    """One line a problem, written at once: a batch may show thousands."""
    lines = [problem_line(problem) for problem in problems]
    if lines:
        say("\n".join(lines), err=err)


def print_json(data: object) -> None:
    """JSON for scripts: UTF-8 Chinese as is, indented."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
