"""click in Chinese: usage errors, ``--help`` boilerplate, metavars.

click routes every message it writes through ``gettext`` (each of its modules
binds ``_`` and ``ngettext`` at import). ``install`` binds them to the catalogue
below instead, once, so every command present and future speaks Chinese; a
message click adds in a later version and the catalogue lacks still falls back
to a Chinese sentence rather than English (``tests/test_hostile_facts.py`` lists
click's messages and fails when one is missing here). ``localize`` gives a
command's usage line and option metavars Chinese names; ``ChineseGroup`` applies
it to every command added to it. Help columns are measured in display width, so
Chinese metavars and option names line up.
"""

from __future__ import annotations

import importlib
import unicodedata
from typing import Any

import click

#: click's message ids (exactly as click passes them to gettext) and their Chinese.
MESSAGES: dict[str, str] = {
    # help
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Choice({choices})": "选项（{choices}）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看用法。",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "No such option {name!r}.": "没有“{name}”这个选项。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "Invalid value for {param_hint}: {message}": "“{param_hint}”的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项“{name}”后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项“{name}”后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项“{name}”后面不能带值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Value must be an iterable.": "值应为多个。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "Windows error: {error}": "Windows 错误：{error}",
    "Unknown standard stream '{name}'": "未知的标准流“{name}”",
    # parameter types
    "path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是文件夹。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读（没有读取权限）。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写（没有写入权限）。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "{value!r} is not {choice}.": "“{value}”不是可选的值（应为 {choice}）。",
    "{value!r} is not one of {choices}.": "“{value}”不是可选的值（可选：{choices}）。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围内（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值（可用：{states}）"
    ),
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats}。",
    "{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。"
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。"
    ),
    # prompts and terminal
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接执行。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Unknown color {colour!r}": "未知的颜色“{colour}”",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
}
#: For a message the catalogue lacks (a newer click): Chinese, never English.
FALLBACK = "命令行参数有误，请运行 govreport --help 查看用法。"
#: Metavars click derives from parameter types (``TEXT``, ``INTEGER RANGE`` …).
METAVARS = {
    "text": "文字",
    "integer": "整数",
    "integer range": "整数",
    "float": "数字",
    "float range": "数字",
    "path": "路径",
    "filename": "文件",
    "boolean": "是/否",
}
#: Chinese metavars of arguments by name, for a command that does not give its own
#: (``metavar=`` in ``click.argument``); ``tests/test_messages_cli.py`` fails on any
#: argument left with click's upper-case English name.
ARGUMENT_METAVARS = {
    "paths": "文件或文件夹...",
    "path": "文件或文件夹",
    "source": "事实文件或工作簿",
    "report": "报告文件",
    "facts": "事实文件",
    "folder": "模板文件夹",
    "name": "名称",
}
#: What a choice option's value is called in the usage column; the choices themselves
#: are listed in its help (``可选：text、json``).
CHOICE_METAVARS = {"format": "格式", "level": "层级", "pdf_engine": "方式", "pdf_standard": "标准"}
CHOICE_METAVAR = "取值"
#: What a choice means, where the English word would not say it to a Chinese reader.
CHOICE_MEANINGS = {"department": "部门", "government": "人民政府"}
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
#: click's modules that bind gettext at import.
_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
    "shell_completion",
    "_termui_impl",
)
_INTERNAL = frozenset({"d"})  # ids click never shows a user (a format letter, developer errors)


def gettext(message: str) -> str:
    """click's message in Chinese."""
    if message in _INTERNAL:
        return message
    return MESSAGES.get(message, FALLBACK)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def display_width(x: str) -> int:
    """Columns ``x`` takes in a terminal: a Chinese character takes two (click counts one,
    so its help columns would not line up once the metavars are Chinese). The parameter
    has the name of ``click.formatting.term_len``'s, which this replaces."""
    plain = click.unstyle(x)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def install() -> None:
    """Bind click's gettext names to the catalogue (idempotent); help columns by display width."""
    click.formatting.term_len = display_width
    click.core.Parameter.get_error_hint = _error_hint  # type: ignore[method-assign,assignment]
    click.core.Argument.get_error_hint = _error_hint  # type: ignore[method-assign,assignment]
    click.exceptions.MissingParameter.format_message = _missing_message  # type: ignore[method-assign]
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a module a later click drops
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def localize(command: click.Command) -> None:
    """Chinese usage metavars for ``command`` and, for a group, every command under it."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None:
            metavar = ARGUMENT_METAVARS.get(param.name or "")
            optional = metavar is not None and not param.required
            param.metavar = f"[{metavar}]" if optional else metavar
        elif isinstance(param, click.Option) and isinstance(param.type, click.Choice):
            _localize_choice(param)
        elif isinstance(param, click.Option) and param.metavar is None:
            name = getattr(param.type, "name", "")
            if name in METAVARS:
                param.metavar = METAVARS[name]
    if isinstance(command, click.Group):
        if command.subcommand_metavar in (None, "COMMAND [ARGS]..."):
            command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localize(sub)


def _localize_choice(option: click.Option) -> None:
    """``--level 层级`` in the usage column, and the choices (with their meaning) in the help."""
    if option.metavar is None:
        flag = max(option.opts, key=len).lstrip("-").replace("-", "_")
        option.metavar = CHOICE_METAVARS.get(flag, CHOICE_METAVAR)
    choices = [str(choice) for choice in option.type.choices]  # type: ignore[attr-defined]
    listed = "、".join(
        f"{c}（{CHOICE_MEANINGS[c]}）" if c in CHOICE_MEANINGS else c for c in choices
    )
    help_text = option.help or ""
    if "可选：" not in help_text:
        option.help = (
            f"{help_text.rstrip('。')}。可选：{listed}。" if help_text else f"可选：{listed}。"
        )


def _error_hint(param: click.Parameter, ctx: click.Context | None) -> str:
    """How an error names a parameter: ``--to`` or the argument's Chinese metavar, bare
    (the Chinese message quotes it), without click's ``...`` for several values."""
    if isinstance(param, click.Argument):
        name = param.make_metavar(ctx) if ctx is not None else param.human_readable_name
        return name.removesuffix("...").strip("[]")
    return " / ".join(param.opts or [param.human_readable_name])


def _missing_message(self: click.MissingParameter) -> str:
    """缺少参数“事实文件或文件夹”。 in place of click's ``Missing argument 'PATHS...'.``"""
    hint = self.param_hint
    if hint is None and self.param is not None:
        hint = _error_hint(self.param, self.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(hint)
    kind = self.param_type or (self.param.param_type_name if self.param is not None else None)
    text = f"缺少{'选项' if kind == 'option' else '参数'}" + (f"“{hint}”" if hint else "") + "。"
    extra = self.message or ""
    if self.param is not None:
        more = self.param.type.get_missing_message(param=self.param, ctx=self.ctx)
        extra = " ".join(part for part in (extra, more) if part)
    return f"{text}{extra}" if extra else text


class ChineseGroup(click.Group):
    """A group whose commands, and their commands, speak Chinese in usage and help."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        localize(self)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        localize(cmd)
        super().add_command(cmd, name)


install()
