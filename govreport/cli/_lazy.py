"""Subcommands imported only when they are used, so ``govreport --help`` starts quickly.

A command's module (and what it imports: docxtpl, lxml, the importers, rich's
progress bars) is loaded when the command is named on the command line, or
when ``--help`` lists the commands; the modules keep their own heavy imports
inside the functions that need them.
"""

from __future__ import annotations

from importlib import import_module

import click


class LazyGroup(click.Group):
    """A click group mapping command names to ``"module:attribute"`` loaded on demand."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(import_module(module, __package__), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
