"""Options that more than one command takes, declared once so they read the same
everywhere (``render --font-path`` and ``doctor --font-path`` find the same fonts)."""

from __future__ import annotations

from pathlib import Path

import click

font_path_option = click.option(
    "--font-path",
    "font_paths",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="另外查找字体的文件夹（可写多次），例如放有公文字体的文件夹（只用于 Typst 排版的 PDF）。",
)
