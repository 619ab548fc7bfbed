"""``govreport aggregate``: a government's report facts summed from its departments'."""

from __future__ import annotations

from pathlib import Path

import click

from .. import official as fmt
from ..batch.aggregate import aggregate, load_children
from ..console import noted, passed
from ..facts.loading import load
from ..facts.writer import dump_facts
from ..files.output import refuse_overwrite, write_text


@click.command("aggregate")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="事实文件或文件夹..."
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="写入的汇总事实文件。"
)
@click.option("--name", required=True, help="汇总报告的机关名称，如 泰山区人民政府。")
@click.option(
    "--level",
    type=click.Choice(list(fmt.LEVELS)),
    default="government",
    show_default=True,
    help="汇总报告的机关层级。",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖。")
def aggregate_command(
    paths: tuple[Path, ...], output: Path, name: str, level: str, force: bool
) -> None:
    """汇总：把各部门事实文件的表二、表三、表四逐格相加，写成一份新的事实文件。

    每个输入都必须先通过 check；同一机关同一年度出现两次、年度不一致都会报错。
    输入中与 -o 同一个文件、或机关名称与 --name 相同的文件是汇总结果本身，提示后不计入。
    正文留给作者填写，未填写的部分渲染时使用通用表述，check 会逐节提醒。
    """
    refuse_overwrite(output, force)
    children = load_children(paths, exclude=[output], parent_name=name, on_skip=_warn)
    facts = load(aggregate(children, name=name, level=level))
    sources = [f"  {c.agency.name}" for c in children]
    header = [
        f"由 govreport aggregate 汇总 {len(children)} 个单位：",
        *sources,
        "正文（总体情况、问题和改进、其他事项）需要本机关填写。",
    ]
    write_text(output, dump_facts(facts, header=header, every_key=True))
    passed(f"已汇总 {len(children)} 个单位，写入 {output}")


def _warn(message: str) -> None:
    noted(message, err=True)
