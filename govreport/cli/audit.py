"""``govreport audit``: check a region's published reports as they stand.

The summary goes to the terminal (rich); ``--format json|html|xlsx`` writes the full
result as well, to ``-o`` (JSON without ``-o`` goes to standard output).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..auditing import AuditRun, audit
from ..auditing.figures import FIGURE_LABELS
from ..auditing.findings import INFO, Finding
from ..auditing.report_page import write_html
from ..console import err, out, passed
from ..errors import GovReportError, InputError
from ..files.output import write_text

FORMATS = ("text", "json", "html", "xlsx")
_SUFFIX_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}
_COLOURS = {"error": "red", "warning": "yellow", INFO: "dim"}


@click.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--previous-year",
    type=click.Path(path_type=Path),
    help="上一年度已发布报告所在的文件夹（或文件）：按机关名称对应，核对上年结转（R5）、"
    "现行有效件数（R6）和与上年内容雷同。",
)
@click.option(
    "--agencies",
    type=click.Path(path_type=Path),
    help="本地区的机关名单（.xlsx 或 .csv，列：名称、简称、层级、上级，与填报系统导入的名单相同）："
    "列出名单中有、本次未见报告的机关（A2），报告中不在名单里的机关名称（A3），"
    "人民政府的上下级汇总说明中列出未审核的本级部门。",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="输出格式（默认按 -o 的扩展名，否则 text）。",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="写入审核结果的文件（html、xlsx 必须给出；json 不给时输出到屏幕）。",
)
@click.option("--all", "show_all", is_flag=True, help="在屏幕上也列出“提示”类条目。")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="读取报告的并行进程数（默认：CPU 核数）。"
)
def audit_command(
    paths: tuple[Path, ...],
    previous_year: Path | None,
    agencies: Path | None,
    output_format: str | None,
    output: Path | None,
    show_all: bool,
    jobs: int | None,
) -> None:
    """审核已发布的年度报告（.pdf、.docx、.html、.txt、.md，或其所在文件夹）。

    \b
    按原样核对每份报告，不写任何事实文件：
    - 印刷的总计是否符合勾稽关系（R1–R4），空白或符号格（R9）；
    - 标签与官方表述不一致（L1），缺少部分（M1），未能读取的格（U1）；
    - 正文数字与表格（R8），日期（D1–D4），沿用往年年份（Y1）；
    - 与上年报告、与同批其他机关报告的内容雷同（S1、S2）；
    - 给出 --previous-year 时核对上年结转（R5）和现行有效件数（R6）；
    - 人民政府与其部门一起审核时，核对是否等于下级之和（C1）；
    - 给出 --agencies 机关名单时，列出未见报告的机关（A2）和不在名单中的机关（A3）；
      只给出 --previous-year 时，列出上年有报告、本次未见报告的机关（A2）；
    - 计算实质公开率、复议纠错率、诉讼纠错率。

    退出状态：0 未发现错误；1 发现错误级别的问题；2 有文件无法读取（其余文件照常审核），
    或机关名单无法读取（不审核，不写任何文件）。
    """
    output_format = output_format or _SUFFIX_FORMATS.get(
        output.suffix.lower() if output else "", "text"
    )
    if output_format in ("html", "xlsx") and output is None:
        raise GovReportError(
            f"--format {output_format} 需要用 -o 指定输出文件",
            hint=f"例如 -o 审核结果.{output_format}",
        )
    run = audit(list(paths), previous_year=previous_year, jobs=jobs, agencies=agencies)
    if not run.reports:
        raise InputError(
            "没有找到可审核的年度报告",
            file="、".join(map(str, paths)),
            hint="可审核的文件：.pdf、.docx、.html、.htm、.md、.txt（或放这些文件的文件夹）",
        )
    if output_format == "json":
        text = json.dumps(run.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            write_text(output, text)
    elif output_format == "html":
        assert output is not None
        write_html(run, output)
    elif output_format == "xlsx":
        assert output is not None
        from ..auditing.report_workbook import (
            write_xlsx,  # openpyxl only when a workbook is asked for
        )

        write_xlsx(run, output)
    elif output is not None:
        write_text(output, summary_text(run, show_all))
    console = err if output_format == "json" and output is None else out
    show_summary(run, console, show_all)
    if output is not None:
        passed(f"审核结果已写入 {output}", err=console.stderr)
    sys.exit(run.exit_status)


def summary_text(run: AuditRun, show_all: bool = False) -> str:
    """The terminal summary as plain text (for ``-o summary.txt``)."""
    console = Console(record=True, width=120, file=open_null(), highlight=False)
    show_summary(run, console, show_all)
    return console.export_text()


def open_null():
    import io

    return io.StringIO()


def show_summary(run: AuditRun, console: Console, show_all: bool = False) -> None:
    """Each report's findings, the run's own (agencies with no report), then one table of
    every report and the totals."""
    for report in run.reports:
        if report.unreadable:
            console.print(f"[bold red]无法读取[/] {escape(report.unreadable)}")
            continue
        head = f"[bold]{escape(str(report.source))}[/] {escape(report.agency)} {report.year}年度"
        console.print(head)
        _show_findings(report.findings, console, show_all)
    if run.findings:
        console.print("[bold]本次审核（全部报告）[/]")
        _show_findings(run.findings, console, show_all)
    # a log or a pipe has no width of its own: wide enough for one line per report
    for report in run.previous:
        if report.unreadable:
            console.print(f"[bold red]无法读取（上年报告）[/] {escape(report.unreadable)}")
    for path, _ in run.skipped:
        console.print(f"[dim]已跳过（不是年度报告）：{escape(str(path))}[/]")
    console.print(_table(run), width=None if console.is_terminal else 120)
    unreadable = len(run.unreadable)
    console.print(
        f"共审核 {len(run.reports) - sum(1 for r in run.reports if r.unreadable)} 份报告："
        f"[red]{run.count('error')} 处错误[/]，[yellow]{run.count('warning')} 处警告[/]，"
        f"{run.count(INFO)} 处提示"
        + (f"；[bold red]{unreadable} 个文件无法读取[/]" if unreadable else "")
    )


def _show_findings(findings: list[Finding], console: Console, show_all: bool) -> None:
    for f in findings:
        if f.severity == INFO and not show_all:
            continue
        colour = _COLOURS[f.severity]
        where = f"【{escape(f.where())}】" if f.where() else " "
        console.print(
            f"  [{colour}]{f.severity_label} {f.code}[/] {escape(f.category)}"
            f"{where}{escape(f.message)}"
        )
        for quote in f.quotes:
            console.print(f"      “{escape(quote)}”", style="dim")


def _table(run: AuditRun) -> Table:
    table = Table(title="审核汇总", show_lines=False)
    for name, limit, values in (
        ("报告", 24, [r.source.name for r in run.reports]),
        ("机关", 30, [r.agency for r in run.reports]),
    ):
        widest = max((cell_len(v) for v in values), default=4)
        table.add_column(name, overflow="fold", min_width=min(widest, limit))
    for name in ("年度", "错误", "警告", *FIGURE_LABELS):
        table.add_column(name, justify="right", no_wrap=True, min_width=2 * len(name))
    for report in run.reports:
        if report.unreadable:
            table.add_row(escape(report.source.name), "[red]无法读取[/]", "", "", "", "", "", "")
            continue
        table.add_row(
            escape(report.source.name),
            escape(report.agency),
            str(report.year),
            str(report.count("error")),
            str(report.count("warning")),
            *(f.percent() for f in report.figures),
        )
    return table
