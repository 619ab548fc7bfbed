"""Starting the editor without a terminal: the Windows batch file and ``govreport-editor``.

The batch file cannot run here, so its bytes are checked (CRLF, UTF-8 without BOM,
``chcp 65001`` before any Chinese) and the command lines it runs are parsed by the real
``govreport`` command. The console script runs for real, with the server stubbed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest

from govreport.cli import launcher
from govreport.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "tools" / "windows" / "启动年报编辑器.bat"


def batch_lines() -> list[str]:
    return BATCH.read_bytes().decode("utf-8").split("\r\n")


def test_the_batch_file_is_crlf_utf8_without_bom() -> None:
    data = BATCH.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would break "@echo off"
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF: cmd.exe mis-parses those
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = batch_lines()
    assert lines[0] == "@echo off"
    chcp = lines.index("chcp 65001 >nul")
    assert all(line.isascii() for line in lines[: chcp + 1])  # nothing Chinese before UTF-8


def test_the_batch_file_says_how_to_stop_and_waits() -> None:
    text = "\n".join(batch_lines())
    assert "关闭此窗口即可停止" in text
    assert batch_lines()[-2] == "pause"  # the window stays open after the editor stops
    assert 'set "TARGET=%~dp0."' in text  # its own folder, without a trailing backslash


def _edit_lines() -> list[list[str]]:
    """The argument lists after ``govreport`` of each command the batch file runs."""
    found = []
    for line in batch_lines():
        words = shlex.split(line.strip().replace("%TARGET%", "某个文件夹"))
        if "govreport" in words and "edit" in words:
            found.append(words[words.index("govreport") + 1 :])
    return found


def test_the_commands_it_runs_are_real_edit_command_lines() -> None:
    commands = _edit_lines()
    assert len(commands) == 2  # govreport on PATH, else "py -3 -m govreport"
    for args in commands:
        assert args[0] == "edit"
        ctx = main.make_context("govreport", list(args))
        name, command, rest = main.resolve_command(ctx, list(args))
        assert name == "edit" and command is not None
        sub = command.make_context("edit", rest, parent=ctx)
        assert sub.params["path"] == Path("某个文件夹")
        assert not sub.params["no_browser"]  # the browser opens
    options = {o for p in main.get_command(click.Context(main), "edit").params for o in p.opts}
    used = {w for args in commands for w in args if w.startswith("-")}
    assert used <= options


def test_the_console_script_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^govreport-editor = "govreport\.cli\.launcher:main"$', text, re.M)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``serve`` stubbed: records its call and returns at once, as after Ctrl+C."""
    calls: list[dict[str, Any]] = []

    def serve(target: Any, **options: Any) -> None:
        calls.append({"target": target, **options})
        options["say"]("http://127.0.0.1:8765/folder", None)

    monkeypatch.setattr("govreport.web.server.serve", serve)
    return calls


def test_the_launcher_starts_the_editor_in_the_folder(
    tmp_path: Path, served: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launcher.main([str(tmp_path)]) == 0
    assert len(served) == 1
    assert served[0]["target"].root == tmp_path.resolve()
    assert served[0]["open_browser"] is True and served[0]["host"] == "127.0.0.1"
    out = capsys.readouterr().out
    assert "关闭此窗口即可停止" in out and "编辑器已启动" in out


def test_the_launcher_asks_for_a_folder_and_can_be_cancelled(
    monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]], tmp_path: Path
) -> None:
    monkeypatch.setattr(launcher, "choose_folder", lambda: None)
    assert launcher.main([]) == 0 and served == []
    monkeypatch.setattr(launcher, "choose_folder", lambda: tmp_path)
    assert launcher.main([]) == 0 and served[0]["target"].root == tmp_path.resolve()


def test_a_failure_is_reported_with_its_status(
    tmp_path: Path, served: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "报告.txt"
    wrong.write_text("x", "utf-8")
    assert launcher.main([str(wrong)]) == 2
    assert served == []
    assert "请给出事实文件（.yaml）或文件夹" in capsys.readouterr().err
