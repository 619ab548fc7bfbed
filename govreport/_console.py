"""What the user reads in the terminal: two rich consoles and how a problem is shown."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from ._problems import ERROR, SEVERITY_LABELS, Problem

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def problem_line(problem: Problem) -> str:
    colour = "red" if problem.severity == ERROR else "yellow"
    where = escape(problem.file or "")
    if problem.line is not None:
        where += f":{problem.line}"
    label = f"【{escape(problem.label)}】" if problem.label else ""
    severity = SEVERITY_LABELS[problem.severity]
    return f"{where} [{colour}]{severity} {problem.code}[/] {label}{escape(problem.message)}"
