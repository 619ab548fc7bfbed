"""No English left in the command line: every argument and option value has a Chinese
name in ``--help`` and in errors, and a missing argument is said in Chinese."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from govreport.cli.main import main

#: click's own English, and its upper-case metavars.
ENGLISH = re.compile(r"Usage|Options|Arguments|Missing|\[OPTIONS\]|COMMAND|\b[A-Z]{3,}\b\.\.\.")


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command, the lazily loaded ones included, with the words that name it."""
    ctx = click.Context(group)
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


COMMANDS = _commands(main)
IDS = [" ".join(words) for words, _ in COMMANDS]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="govreport")
    return result.exit_code, result.output


def test_every_command_is_listed() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"check", "render", "import", "next", "aggregate", "templates check"} <= names


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_every_metavar_is_chinese(words: tuple[str, ...], command: click.Command) -> None:
    ctx = click.Context(command, info_name=words[-1])
    for param in command.params:
        if isinstance(param, click.Option) and param.is_flag:
            continue
        metavar = param.make_metavar(ctx)
        assert not re.search(r"[A-Za-z]", metavar), (words, param.name, metavar)


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_help_has_no_english_usage_words(words: tuple[str, ...], command: click.Command) -> None:
    code, output = invoke(*words, "--help")
    assert code == 0, output
    usage = output.splitlines()[0]
    assert usage.startswith("用法: govreport"), usage
    assert not re.search(r"[A-Z]", usage), usage  # PATHS, SOURCE, REPORT, FACTS …
    assert not ENGLISH.search(output), output
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice):
            assert "可选：" in (param.help or ""), param.name  # the values one may type
            assert "[" + "|".join(map(str, param.type.choices)) + "]" not in output


def _required_argument(command: click.Command) -> click.Argument | None:
    return next((p for p in command.params if isinstance(p, click.Argument) and p.required), None)


WITH_ARGUMENT = [(w, c) for w, c in COMMANDS if _required_argument(c) is not None]


@pytest.mark.parametrize(
    ("words", "command"), WITH_ARGUMENT, ids=[" ".join(w) for w, _ in WITH_ARGUMENT]
)
def test_a_missing_argument_is_named_in_chinese(
    words: tuple[str, ...], command: click.Command
) -> None:
    code, output = invoke(*words)
    assert code == 2, output
    argument = _required_argument(command)
    assert argument is not None and argument.metavar
    name = argument.metavar.removesuffix("...")
    assert f"错误：缺少参数“{name}”。" in output, output
    assert "'" not in output and "Missing" not in output, output


def test_the_commands_the_issue_names() -> None:
    assert "错误：缺少参数“事实文件或文件夹”。" in invoke("check")[1]
    assert "用法: govreport render [选项] 事实文件或文件夹..." in invoke("render", "--help")[1]
    assert "用法: govreport import [选项] 报告或工作簿" in invoke("import", "--help")[1]
    assert "用法: govreport next [选项] 事实文件" in invoke("next", "--help")[1]
    assert "用法: govreport excel [选项] 事实文件或工作簿" in invoke("excel", "--help")[1]
    init_help = invoke("init", "--help")[1]
    assert "--level 层级" in init_help
    assert "department（部门）、government（人民政府）" in init_help
    assert "[department|government]" not in init_help


def test_a_missing_option_and_a_missing_choice_are_chinese(tmp_path) -> None:
    code, output = invoke("aggregate", str(tmp_path))
    assert code == 2 and "错误：缺少选项“-o / --output”。" in output, output
    code, output = invoke("init", "--level")
    assert code == 2 and "选项“--level”后面需要一个值" in output, output
    code, output = invoke("check", "--format", "xml", "x.yaml")
    assert code == 2 and "“--format”的值无效：“xml”不是可选的值" in output, output
