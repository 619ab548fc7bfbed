"""Subcommands imported only when they are used, so ``govreport --help`` starts quickly.

A command's module (and what it imports: docxtpl, lxml, the importers, rich's
progress bars, the template machinery) is loaded when the command is named on
the command line. ``--help`` lists the commands without loading them: each
one's summary is the first line of its function's docstring, read from the
module's source.
"""

from __future__ import annotations

import ast
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import click


class LazyGroup(click.Group):
    """A click group mapping command names to ``"module:attribute"`` loaded on demand."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})
        self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            if self._listing:
                summary = _docstring(self.lazy_commands[cmd_name])
                if summary is not None:
                    return click.Command(cmd_name, help=summary)
            module, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(import_module(module, __package__), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True  # summaries only: nothing needs importing
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


def _docstring(target: str) -> str | None:
    """The docstring of ``module:function`` read from its source, ``None`` if not found."""
    module, attribute = target.split(":")
    spec = find_spec(module, __package__)
    if spec is None or spec.origin is None:
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attribute:
            return ast.get_docstring(node)
    return None
