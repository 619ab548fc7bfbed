"""``govreport edit``: the local web editor. The web stack is imported only when it runs,
so ``govreport --help`` and every other command stay as fast as before."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..console import passed
from ..console import say as line


@click.command("edit")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址；非本机地址需要访问令牌。"
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="端口。"
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
def edit_command(path: Path, host: str, port: int, no_browser: bool) -> None:
    """在浏览器中编辑事实文件：表格、正文、检查结果、预览和下载报告。

    给出事实文件（不存在时新建）或文件夹（列出其中所有事实文件），默认为当前文件夹。
    只监听本机（127.0.0.1）；用 --host 监听其他地址时，需用终端上显示的带令牌网址打开。
    按 Ctrl+C 退出。
    """
    from ..web.server import prepare, serve

    target = prepare(path)
    if target.created:
        passed(f"已新建事实文件 {path}")

    def say(url: str, token: str | None) -> None:
        line(f"编辑器已启动：{click.style(url, bold=True)}")
        if token:
            line(f"访问令牌：{token}（监听 {host}，请只把上面的网址发给需要的人）")
        line("按 Ctrl+C 退出。")

    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl+C after a clean stop
        serve(target, host=host, port=port, open_browser=not no_browser, say=say)
    line("编辑器已退出。")
