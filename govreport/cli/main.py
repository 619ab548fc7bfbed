"""The ``govreport`` command: click for the commands and the lines the user reads.

Every ``GovReportError`` becomes its Chinese message and its own exit status;
nothing the user can cause ends in a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import FactsError, GovReportError, InputError
from ..official import MIN_YEAR
from ..pdf.engines import PDF_ENGINES, PDF_STANDARDS
from ._lazy import LazyGroup
from .chinese import ChineseGroup
from .options import font_path_option

if TYPE_CHECKING:
    from ..checks import CheckResult

# Each command imports what it needs when it runs (see ``_lazy``): ``--help`` and
# ``check`` never load docxtpl, lxml, pandoc glue, the importers or progress bars.

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, EXIT_INTERRUPTED, EXIT_INTERNAL = 0, 1, 2, 130, 70


class _Group(LazyGroup, ChineseGroup):
    """Turns govreport's errors into messages and exit statuses; loads commands when they are
    used (``_lazy``) and speaks Chinese (``chinese``)."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..console import error, say

        try:
            return super().invoke(ctx)
        except GovReportError as exc:
            error("错误：", exc.format_message())
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            say(click.style("已中断，未完成的输出文件已删除。", fg="yellow"), err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug of ours: say so plainly, still no traceback
            error(
                "内部错误：",
                f"{type(exc).__name__}: {exc}\n"
                "这是 govreport 的缺陷，请把这条信息和事实文件一起反馈给维护人员。",
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    lazy_commands={
        "templates": ".templates:templates",
        "aggregate": ".aggregate:aggregate_command",
        "import": ".imports:import_command",
        "next": ".imports:next_command",
        "excel": ".excel:excel_command",
        "edit": ".edit:edit_command",
        "serve": ".serve:serve_command",
        "doctor": ".doctor:doctor_command",
        "audit": ".audit:audit_command",
    },
)
@click.version_option(__version__, "-V", "--version", message="govreport %(version)s")
def main() -> None:
    """govreport：生成、校验政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）。"""


# --------------------------------------------------------------------------- check


@main.command("check")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="事实文件或文件夹..."
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="上一年度的事实文件，用于核对上年结转（R5）和现行有效件数（R6）。",
)
@click.option(
    "--children",
    type=click.Path(path_type=Path),
    help="下级单位事实文件所在文件夹：逐格核对本文件是否等于下级之和。",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式。",
)
@click.option("--strict", is_flag=True, help="有警告也视为不通过（退出状态 1）。")
@click.option("--template", help="按哪个模板检查通用表述（B1），默认与 render 的选择相同。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="并行进程数（默认：CPU 核数）。")
def check_command(
    paths: tuple[Path, ...],
    previous: Path | None,
    children: Path | None,
    output_format: str,
    strict: bool,
    template: str | None,
    jobs: int | None,
) -> None:
    """校验事实文件：类型、勾稽关系、日期、正文数字。

    可以给一个文件，也可以给多个文件或文件夹（递归查找 .yaml）。
    退出状态：0 通过；1 发现错误（或 --strict 时有警告）；2 文件无法读取。
    """
    from ..checks import check

    single = len(paths) == 1 and not paths[0].is_dir()
    if not single:  # the batch machinery (worker processes, progress) only when needed
        from ..batch.discovery import find_facts
        from .batch import check_files

        if previous or children:
            raise GovReportError("--previous 和 --children 只能用于单个事实文件")
        files = find_facts(paths)
        if not files:
            raise InputError("没有找到事实文件（.yaml）", file=", ".join(map(str, paths)))
        sys.exit(
            check_files(
                files, jobs=jobs, output_format=output_format, strict=strict, template=template
            )
        )
    facts = paths[0]
    try:
        result = check(facts, previous=previous, template=template)
        if children is not None:
            from ..batch.aggregate import compare_children
            from ..diagnostics import sort_key

            result.problems = sorted(
                result.problems + compare_children(facts, children), key=sort_key
            )
    except InputError as exc:
        if output_format != "json":
            raise
        _print_json(facts, failure=exc.format_message())
        sys.exit(exc.exit_code)
    if output_format == "json":
        _print_json(facts, problems=result.problems)
    else:
        _print_problems(facts, result, strict)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _print_json(facts: Path, **found: Any) -> None:
    """One file's result in the same JSON shape as a batch's."""
    from ..batch.runner import FileResult
    from ..console import print_json
    from .batch import check_json

    print_json(check_json(FileResult(facts, **found)))


def _print_problems(facts: Path, result: CheckResult, strict: bool) -> None:
    from ..console import failed, noted, passed, show_problems

    show_problems(result.problems)
    errors, warnings = len(result.errors), len(result.warnings)
    if not result.problems:
        passed(f"{facts}：通过全部检查")
    elif errors:
        failed(f"{facts}：{errors} 处错误，{warnings} 处警告")
    elif strict:
        failed(f"{facts}：无错误，{warnings} 处警告（--strict：有警告即不通过）")
    else:
        noted(f"{facts}：无错误，{warnings} 处警告")


# --------------------------------------------------------------------------- init and schema


@main.command("init")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("facts.yaml"),
    show_default=True,
    help="写入的事实文件。",
)
@click.option("--name", default="某某局", show_default=True, help="机关全称。")
@click.option(
    "--year",
    type=int,
    default=None,
    callback=lambda ctx, param, year: _report_year(year),
    help=f"报告年度，{MIN_YEAR} 到明年（默认：上一年）。",
)
@click.option(
    "--level",
    type=click.Choice(["department", "government"]),
    help="机关层级（默认按名称判断：以“人民政府”结尾为 government）。",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def init_command(output: Path, name: str, year: int | None, level: str | None, force: bool) -> None:
    """生成一份完整的事实文件模板：所有键、全部为 0 的表格、中文注释。"""
    from ..console import noted, passed
    from ..facts.skeleton import skeleton
    from ..files.output import refuse_overwrite, write_text

    refuse_overwrite(output, force)
    year = dt.date.today().year - 1 if year is None else year
    write_text(output, skeleton(name, year, level))
    passed(f"已生成 {output}，填写后运行：govreport check {output}")
    noted("落款日期（published）已注释掉，定稿后填写实际日期", err=True)


def _report_year(year: int | None) -> int | None:
    """A year a report can be written for: from the 条例's first year to next year."""
    last = dt.date.today().year + 1
    if year is not None and not MIN_YEAR <= year <= last:
        raise click.BadParameter(
            f"{year} 不在允许的范围内：报告年度应为 {MIN_YEAR} 到 {last} 之间的年份"
        )
    return year


@main.command("schema")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="写入文件（默认输出到屏幕）。"
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖。")
def schema_command(output: Path | None, force: bool) -> None:
    """输出事实文件的 JSON Schema，供 VS Code 等编辑器自动补全和校验。"""
    from ..console import passed
    from ..facts.jsonschema import json_schema
    from ..files.output import refuse_overwrite, write_text

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        refuse_overwrite(output, force)
        write_text(output, text)
        passed(f"已写入 {output}", err=True)


# --------------------------------------------------------------------------- render


@main.command("render")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="事实文件或文件夹..."
)
@click.option(
    "-o",
    "--output",
    "--out",
    "output",
    type=click.Path(),
    help="输出文件名（扩展名按格式替换）或文件夹（以 / 结尾）；批量时为输出文件夹。"
    "默认放在事实文件旁边。",
)
@click.option(
    "--to",
    "formats",
    default="docx",
    show_default=True,
    help="输出格式，逗号分隔：docx,html,md,odt,rtf,pdf。",
)
@click.option("--template", help="模板名称（如 national）或模板文件夹路径。")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="批量时的并行进程数（默认：CPU 核数）。"
)
@click.option(
    "--fragment",
    is_flag=True,
    help="HTML 只生成正文片段（不含 <html>、<head>），用于粘贴到网站的编辑器。",
)
@click.option(
    "--pdf-engine",
    type=click.Choice(PDF_ENGINES),
    default="auto",
    show_default=True,
    help="PDF 的生成方式：auto 在模板有 report.typ 时用 Typst 直接排版，否则用 LibreOffice 转换 Word 文件。",
)
@click.option(
    "--pdf-standard",
    type=click.Choice(PDF_STANDARDS),
    help="生成符合 PDF/A 的 PDF（存档用，如 a-2b；只用于 Typst）。",
)
@font_path_option
def render_command(
    paths: tuple[Path, ...],
    output: str | None,
    formats: str,
    template: str | None,
    jobs: int | None,
    fragment: bool,
    pdf_engine: str,
    pdf_standard: str | None,
    font_paths: tuple[Path, ...],
) -> None:
    """生成年度报告：Word（docx）、网页（HTML）、Markdown，以及 ODT、RTF、PDF。

    给一个事实文件时生成一份报告；给多个文件或文件夹时批量生成到 --out 指定的文件夹，
    输出文件按事实文件命名，最后列出每个文件的结果。
    事实文件有错误时拒绝生成（与 check 的报告相同），有警告时照常生成并列出警告。
    """
    from ..batch.discovery import find_facts
    from ..console import failed, passed, show_problems

    if len(paths) > 1 or paths[0].is_dir():  # LibreOffice starts before the Word side loads
        from .batch import render_files

        files = find_facts(paths)
        if not files:
            raise InputError("没有找到事实文件（.yaml）", file=", ".join(map(str, paths)))
        if not output:
            raise GovReportError("批量生成需要用 --out 指定输出文件夹")
        if fragment:
            raise GovReportError("--fragment 只能用于单个事实文件", hint="请逐个文件生成网页片段")
        pdf = {"pdf_engine": pdf_engine, "pdf_standard": pdf_standard, "font_paths": font_paths}
        sys.exit(render_files(files, output, to=formats, template=template, jobs=jobs, pdf=pdf))
    from ..rendering.report import render

    facts = paths[0]
    try:
        result = render(
            facts,
            output,
            to=formats,
            template=template,
            fragment=fragment,
            pdf_engine=pdf_engine,
            pdf_standard=pdf_standard,
            font_paths=font_paths,
        )
    except FactsError as exc:
        show_problems(exc.problems, err=True)
        failed(f"{facts}：有错误，未生成报告", err=True)
        sys.exit(exc.exit_code)
    show_problems(result.warnings, err=True)
    for path in result.outputs.values():
        passed(f"已生成 {path}")
