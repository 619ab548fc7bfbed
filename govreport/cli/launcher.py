"""``govreport-editor``: the web editor started by a double click, without a terminal.

pip puts ``govreport-editor.exe`` in the Scripts folder of the Python it installs
into (on Linux, ``govreport-editor`` in the venv's ``bin``); a desktop shortcut to it,
or ``tools/windows/启动年报编辑器.bat`` copied beside the facts files, starts
``govreport edit`` in a console window that says the editor stops when the window is
closed. A double-clicked program starts in its own folder, not the user's, so
without a folder argument it asks for one (a folder picker where tkinter is
installed, as it is with python.org's Python for Windows). When the editor cannot
start (the port is taken, say) the window stays open until the message is read.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

#: What the window says while the editor runs.
BANNER = (
    "政府信息公开工作年度报告 · 网页编辑器\n"
    "编辑器在浏览器中打开；关闭此窗口即可停止编辑器（也可以按 Ctrl+C）。\n"
)


def edit_arguments(folder: Path) -> list[str]:
    """The ``govreport`` command line the launcher runs for ``folder``."""
    return ["edit", str(folder)]


def choose_folder() -> Path | None:
    """A folder picked in a dialog; the working folder when no dialog can be shown;
    ``None`` when the user cancels."""
    try:
        import tkinter
        from tkinter import filedialog
    except ImportError:
        return Path.cwd()
    try:
        root = tkinter.Tk()
    except tkinter.TclError:  # no display
        return Path.cwd()
    root.withdraw()
    try:
        chosen = filedialog.askdirectory(
            title="选择存放事实文件（.yaml）的文件夹", initialdir=str(Path.home()), mustexist=True
        )
    finally:
        root.destroy()
    return Path(chosen) if chosen else None


def _keep_window_open() -> None:
    """Let the user read a message before a double-clicked window closes."""
    if sys.stdin is not None and sys.stdin.isatty():
        with contextlib.suppress(EOFError):
            input("按回车键关闭此窗口……")


def main(argv: list[str] | None = None) -> int:
    """Start the editor in the folder given (or chosen); the exit status of ``edit``."""
    from ..console import say
    from .main import main as govreport

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else choose_folder()
    if folder is None:
        say("没有选择文件夹，编辑器未启动。")
        return 0
    say(BANNER)
    try:
        govreport.main(edit_arguments(folder), prog_name="govreport", standalone_mode=True)
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if status != 0:
        _keep_window_open()
    return status


if __name__ == "__main__":
    sys.exit(main())
