"""``govreport serve``: the multi-user service for a region (``govreport.service``).
Its stack (SQLAlchemy, Alembic, argon2) is imported only when the command runs."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..console import passed
from ..console import say as line


@click.command("serve")
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("年报数据"),
    show_default=True,
    help="数据文件夹（SQLite 数据库，首次启动时创建）。",
)
@click.option(
    "--db", "url", help="PostgreSQL 数据库地址（postgresql://用户:密码@主机/库名），代替 --data。"
)
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="端口。"
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="服务进程数（建议不超过 CPU 核数）。",
)
@click.option(
    "--behind-https",
    is_flag=True,
    help="在 nginx 等 HTTPS 反向代理之后运行（Cookie 只经 HTTPS 发送）。",
)
@click.option(
    "--backup", type=click.Path(path_type=Path, dir_okay=False), help="把数据库备份到此文件后退出。"
)
@click.option(
    "--restore",
    type=click.Path(path_type=Path, dir_okay=False),
    help="把备份文件恢复到 --data 指定的空文件夹后退出。",
)
def serve_command(
    data: Path,
    url: str | None,
    host: str,
    port: int,
    workers: int,
    behind_https: bool,
    backup: Path | None,
    restore: Path | None,
) -> None:
    """运行多用户年报填报系统：各机关在浏览器中填报，政务公开办审核、退回、通过。

    默认把数据保存在 --data 文件夹的 SQLite 数据库中；省级规模可用 --db 连接 PostgreSQL。
    首次启动时显示一个一次性网址，用于创建第一个管理员。按 Ctrl+C 退出。
    """
    from ..service import backup as saving

    if backup is not None or restore is not None:
        if url is not None:
            raise click.UsageError("PostgreSQL 请用 pg_dump / pg_restore 备份和恢复（见文档）")
        if backup is not None:
            saving.backup(data, backup)
            passed(f"已备份到 {backup}")
        if restore is not None:
            saving.restore(restore, data)
            passed(f"已恢复到 {data}")
        return
    _run(data, url, host, port, behind_https, workers)


def _run(
    data: Path, url: str | None, host: str, port: int, behind_https: bool, workers: int
) -> None:
    from ..service.accounts import new_setup_token
    from ..service.app import create_app
    from ..service.database import open_database
    from ..web.server import bind, run

    database = open_database(None if url else data, url)
    try:
        with database.session() as session:
            token = new_setup_token(session)
        sock = bind(host, port)  # a port already taken is said in Chinese, before anything runs
        _say_started(host, sock.getsockname()[1], data if url is None else None, token)
        with contextlib.suppress(KeyboardInterrupt), sock:
            if workers == 1:
                run(create_app(database, behind_https=behind_https), sock)
            else:
                sock.close()
                _run_workers(data, url, host, port, behind_https, workers)
    finally:
        database.engine.dispose()
    line("年报填报系统已退出。")


def _say_started(host: str, port: int, data: Path | None, token: str | None) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}"
    line(f"年报填报系统已启动：{click.style(address, bold=True)}")
    line(f"数据：{data if data is not None else 'PostgreSQL 数据库'}")
    if token:
        line("还没有账号。请用下面的一次性网址创建第一个管理员（只能使用一次）：")
        line(click.style(f"{address}/setup?token={token}", bold=True))
    line("按 Ctrl+C 退出。")


def _run_workers(
    data: Path, url: str | None, host: str, port: int, behind_https: bool, workers: int
) -> None:
    """Several uvicorn processes on one port, each opening the same database."""
    import uvicorn

    from ..service.app import __name__ as app_module

    _environment(data, url, behind_https)
    uvicorn.run(
        f"{app_module}:from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
    )


def _environment(data: Path, url: str | None, behind_https: bool) -> None:
    """What each worker process reads to open the same database (``app.from_environment``)."""
    import os

    from ..service.app import DATA_ENV, DB_ENV, HTTPS_ENV

    os.environ[DATA_ENV] = "" if url else str(data.resolve())
    os.environ[DB_ENV] = url or ""
    os.environ[HTTPS_ENV] = "1" if behind_https else ""
