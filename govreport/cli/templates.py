"""``govreport templates``: list, start and check template sets.

An office customising the report works in three steps — copy a set
(``templates new``), edit it in Word and a text editor, then ``templates check``
it before anyone renders — so each step is one command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import TemplateError
from ..template_sets.new_set import create_set
from ..template_sets.sets import DEFAULT_SET, METADATA, TemplateSet, builtin_sets, load_set

if TYPE_CHECKING:
    from ..set_check import TemplateProblem


@click.group("templates")
def templates() -> None:
    """模板：列出内置模板、新建自定义模板、检查模板。"""


@templates.command("list")
@click.option(
    "-d",
    "--dir",
    "folders",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="同时列出此文件夹下的自定义模板（可重复）。",
)
def list_command(folders: tuple[Path, ...]) -> None:
    """列出可用的模板：名称、说明、继承自哪个模板、适用省份、所在位置。"""
    from rich.markup import escape
    from rich.table import Table

    from ..console import out

    table = Table(title="可用的模板")
    for header in ("名称", "说明", "继承自", "适用省份", "位置"):
        table.add_column(header, overflow="fold")
    for tset in _sets(folders):
        table.add_row(
            escape(tset.name),
            escape(tset.description),
            escape(tset.parent.name if tset.parent else "—"),
            escape(tset.province or "—"),
            escape(_place(tset)),
        )
    out.print(table)
    out.print(
        "不指定模板时，按事实文件中 agency.province 选用对应省份的内置模板，没有则用 "
        f"{DEFAULT_SET}；也可用 render --template 或事实文件中的 template: 指定。"
    )


def _sets(folders: tuple[Path, ...]) -> list[TemplateSet]:
    """The built-in sets, then every set folder directly inside ``folders``."""
    from ..console import noted

    found = [load_set(name) for name in builtin_sets()]
    for folder in folders:
        for meta in sorted(folder.glob(f"*/{METADATA}")):
            try:
                found.append(load_set(meta.parent.resolve()))
            except TemplateError as exc:
                noted(f"跳过 {meta.parent}：{exc.message}", err=True)
    return found


def _place(tset: TemplateSet) -> str:
    builtin = builtin_sets().get(tset.folder.name) == tset.folder
    return f"内置：{tset.folder}" if builtin else str(tset.folder)


@templates.command("new")
@click.argument("name", metavar="模板名称")
@click.option(
    "--from",
    "parent",
    default=DEFAULT_SET,
    show_default=True,
    help="在哪个模板的基础上修改：内置模板名称或模板文件夹。",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="新模板的文件夹（默认：当前目录下与名称同名的文件夹）。",
)
@click.option("--bare", is_flag=True, help="只生成 set.yaml，Word 模板和通用表述全部继承。")
def new_command(name: str, parent: str, output: Path | None, bare: bool) -> None:
    """新建模板：继承 --from 指定的模板，生成的报告与它完全相同，可在此基础上修改。"""
    from ..console import passed, say

    target = output or Path(name)
    tset = create_set(name, parent, target, bare=bare)
    copied = "只有 set.yaml，其余全部继承" if bare else "含 Word 模板 report.docx 和 text/ 通用表述"
    passed(
        f"已在 {target} 生成模板“{tset.name}”"
        f"（继承自 {tset.parent.name if tset.parent else parent}，{copied}）"
    )
    say(f"修改后检查：govreport templates check {target}")
    say(f"使用：govreport render 事实文件.yaml --template {target}")


@templates.command("check")
@click.argument("folder", metavar="模板文件夹")
def check_command(folder: str) -> None:
    """检查模板文件夹：占位符、Jinja 语法、被 Word 拆开的标签、表三标签、set.yaml，
    以及生成时会拒绝的内容（符号链接、YAML 别名、DOCTYPE 等）。

    退出状态：0 没有问题；1 发现问题（全部列出）；3 找不到模板。
    """
    from ..console import failed, passed
    from ..set_check import check_set

    problems = check_set(folder)
    _print_problems(problems)
    if problems:
        failed(f"模板 {folder}：发现 {len(problems)} 处问题")
        sys.exit(1)
    passed(f"模板 {folder}：未发现问题")


def _print_problems(problems: list[TemplateProblem]) -> None:
    """Problems grouped by file, in the order found."""
    from ..console import failed, say

    by_file: dict[str, list[TemplateProblem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    for file, items in by_file.items():
        say(click.style(file, bold=True))
        for problem in items:
            where = f"{problem.where}：" if problem.where else ""
            failed(f"{where}{problem.message}", indent=2)
