"""``govreport import`` and ``govreport next``: start from a published report or last year.

Both write a facts file and then run ``check`` on it, so the user sees at once
what the file still needs: what import could not read, the report's own
勾稽关系 problems, the texts that name last year.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_PROBLEMS = 0, 1


@click.command("import")
@click.argument("report", type=click.Path(path_type=Path), metavar="报告或工作簿")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="写入的事实文件（默认：与报告同名的 .yaml）。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def import_command(report: Path, output: Path | None, force: bool) -> None:
    """从已发布的年度报告（.pdf、.docx、.html、.txt、.md）或填好的 .xlsx 工作簿导入事实文件。

    表格按标签读入（容忍全角半角、编号写法、常见错字、标签折行），空白格和“/”“—”“无”“不适用”按 0 读入并提示；连在一起的数字只在本行总计（及表内勾稽关系）能唯一确定时拆分，否则报告无法读取；2019 年试行格式按 2021 年格式导入，对应不上的栏目逐一说明。扫描版 PDF（没有文字层）无法读取。

    退出状态：0 导入完整且校验通过；1 有未能读取的内容，或原报告本身的勾稽关系有错误（文件照常写出）；2 报告无法读取（不是普通文件、过大、损坏、扫描版），不写出任何文件。
    """
    from ..checks import check
    from ..console import failed, passed, show_problems
    from ..files.output import refuse_overwrite, write_text
    from ..importing import import_report

    output = output or report.with_suffix(".yaml")
    refuse_overwrite(output, force)
    result = import_report(report)
    write_text(output, result.to_yaml())
    show_problems(result.problems, err=True)
    checked = check(output)
    show_problems(checked.problems, err=True)
    errors = len(result.errors) + len(checked.errors)
    if result.errors:
        failed(f"已写入 {output}，但有 {len(result.errors)} 处未能读取，请对照原报告补全")
    elif checked.errors:
        failed(f"已写入 {output}：原报告本身有 {len(checked.errors)} 处错误（按原样导入）")
    else:
        passed(
            f"已导入 {output}（{len(result.warnings)} 处导入提示，"
            f"{len(checked.warnings)} 处检查警告）"
        )
    sys.exit(EXIT_PROBLEMS if errors else EXIT_OK)


@click.command("next")
@click.argument("facts", type=click.Path(path_type=Path), metavar="事实文件")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="下一年度的事实文件（默认：文件名中的年份加一，或加上“-年份”）。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def next_command(facts: Path, output: Path | None, force: bool) -> None:
    """由本年度事实文件生成下一年度的草稿。

    年度加一；上年结转 = 本年结转下年度继续办理；现行有效件数沿用；其余数字为 0；
    落款日期清空；正文保留为草稿，提到年份的段落加注释提醒修改。
    """
    from ..checks import check
    from ..console import failed, passed, say, show_problems
    from ..facts.next_year import next_path, roll_forward, year_notes
    from ..facts.writer import dump_facts
    from ..files.output import refuse_overwrite, write_text

    checked = check(facts)
    if checked.errors:  # a wrong 结转下年度 would be carried into next year's report
        show_problems(checked.errors, err=True)
        failed(f"{facts}：有错误，未生成下一年度文件（先改正再运行）", err=True)
        sys.exit(EXIT_PROBLEMS)
    this_year = checked.facts
    assert this_year is not None  # a file that loads has facts; one that does not has errors
    output = output or next_path(facts, this_year.year)
    refuse_overwrite(output, force)
    following = roll_forward(this_year)
    notes = year_notes(following)
    header = [
        f"由 govreport next 从 {facts.name}（{this_year.year}年度）生成的草稿。",
        "上年结转、现行有效件数已沿用；其余数字为 0，请填写本年数据。",
        "正文沿用上一年度，标有“请修改”的段落提到了年份，请逐段修改。",
    ]
    write_text(output, dump_facts(following, header=header, notes=notes))
    passed(f"已生成 {output}（{following.year}年度草稿，{len(notes)} 段正文提到年份，需修改）")
    say(f"填写后运行：govreport check {output} --previous {facts}")
