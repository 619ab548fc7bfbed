"""``govreport excel``: the tables as an Excel workbook, and a filled workbook back to facts.

The direction follows the input: a facts file or a folder of them becomes a
workbook; a workbook becomes a facts file, read exactly as ``import`` reads one
(the same problems, the same check afterwards, the same exit statuses).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch.discovery import find_facts
from ..console import failed, passed
from ..errors import GovReportError, InputError
from ..facts.loading import load
from ..facts.model import Facts
from ..files.output import refuse_overwrite
from ..importing.readers.choose import WORKBOOKS
from ..workbook import write_folder_workbook, write_workbook
from .imports import import_command

EXIT_OK, EXIT_PROBLEMS = 0, 1


@click.command("excel")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="写入的文件：.xlsx 工作簿，或（输入是工作簿时）.yaml 事实文件。默认与输入同名。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
@click.pass_context
def excel_command(ctx: click.Context, source: Path, output: Path | None, force: bool) -> None:
    """事实文件与 Excel 工作簿互转。

    \b
    govreport excel 2024.yaml -o 表格.xlsx     三张表按官方样式写入工作簿，总计为公式
    govreport excel 表格.xlsx -o 2024.yaml     按标签逐格读回事实文件（同 import）
    govreport excel 各部门/ -o 汇总.xlsx        每个单位一张工作表，另有汇总表

    读回时空白格按 0 读入并提示，数字格中的文字、改动过的标签逐一报告。
    退出状态：0 成功；1 有未能读取的内容或校验错误（文件照常写出）；2 输入无法读取。
    """
    if source.suffix.lower() in WORKBOOKS:
        if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
            raise InputError("从工作簿读回时，输出应为 .yaml 事实文件", file=str(output))
        ctx.invoke(import_command, report=source, output=output, force=force)
        return
    if source.is_dir():
        _folder_workbook(source, output or source.with_suffix(".xlsx"), force)
        return
    target = output or source.with_suffix(".xlsx")
    _refuse_non_workbook(target)
    refuse_overwrite(target, force)
    write_workbook(load(source), target)
    passed(f"已写入 {target}")


def _folder_workbook(folder: Path, target: Path, force: bool) -> None:
    """Every facts file of a folder in one workbook; a file that fails is named, not lost."""
    _refuse_non_workbook(target)
    refuse_overwrite(target, force)
    agencies: list[tuple[str, Facts]] = []
    refused = 0  # files named on stderr and left out of the workbook
    for path in find_facts([folder]):
        try:
            agencies.append((path.stem, load(path)))
        except GovReportError as exc:
            refused += 1
            failed(f"{path}：{exc.format_message()}", err=True)
    if not agencies:
        raise InputError("文件夹中没有可读入的事实文件（.yaml）", file=str(folder))
    write_folder_workbook(agencies, target)
    passed(
        f"已写入 {target}（{len(agencies)} 个单位"
        + (f"，{refused} 个文件有错误未写入" if refused else "")
        + "）"
    )
    sys.exit(EXIT_PROBLEMS if refused else EXIT_OK)


def _refuse_non_workbook(target: Path) -> None:
    if target.suffix.lower() not in WORKBOOKS:
        raise InputError(
            f"输出文件应为 .xlsx 工作簿，而不是“{target.suffix or '（无扩展名）'}”",
            file=str(target),
        )
