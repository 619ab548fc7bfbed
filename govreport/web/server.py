"""Starting the editor: uvicorn on 127.0.0.1 (or a token when bound elsewhere), a browser.

Started on a folder the editor lists its facts files; started on a file it opens
that file, and its folder is the only one it touches. A file that does not exist
yet is created from the ``init`` skeleton, so a new user starts with one command.
"""

from __future__ import annotations

import datetime as dt
import errno
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import uvicorn
from starlette.applications import Starlette

from ..batch.discovery import FACTS_SUFFIXES
from ..errors import GovReportError, InputError
from ..facts.skeleton import skeleton
from .app import create_app
from .security import allowed_hosts_for, is_loopback, new_token
from .workspace import Workspace


@dataclass(frozen=True)
class Target:
    """What the editor was started on: its folder, and the file to open first (if any)."""

    root: Path
    file: Path | None
    created: bool = False


def prepare(path: Path) -> Target:
    """The folder and file for ``govreport edit PATH``; a new ``.yaml`` is created first."""
    if path.is_dir():
        return Target(path.resolve(), None)
    if path.suffix.lower() not in FACTS_SUFFIXES:
        raise InputError("请给出事实文件（.yaml）或文件夹", file=str(path))
    if path.exists():
        return Target(path.resolve().parent, path.resolve())
    if not path.parent.is_dir():
        raise InputError("文件夹不存在", file=str(path.parent))
    Workspace.at(path.parent).write_text(
        path.resolve(), skeleton("某某局", dt.date.today().year - 1)
    )
    return Target(path.resolve().parent, path.resolve(), created=True)


def address(host: str, port: int, target: Target, token: str | None) -> str:
    """The URL to open: the file's page (or the folder), with the token when there is one."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    path = "/folder"
    if target.file is not None:
        path = "/edit?file=" + quote(target.file.relative_to(target.root).as_posix())
    if token:
        path += ("&" if "?" in path else "?") + "token=" + token
    return f"http://{shown}:{port}{path}"


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts, so a taken port is said in Chinese."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise GovReportError(
                f"端口 {port} 已被占用（可能编辑器已经在运行）",
                hint="用 --port 换一个端口，如 --port 8766",
            ) from None
        raise GovReportError(f"无法监听 {host}:{port}：{exc.strerror or exc}") from None
    return sock


def serve(
    target: Target,
    *,
    host: str,
    port: int,
    open_browser: bool,
    say: Callable[[str, str | None], None],
) -> None:
    """Run until Ctrl+C. Off loopback a token is required and printed (like Jupyter)."""
    loopback = is_loopback(host)
    token = None if loopback else new_token()
    allowed = allowed_hosts_for(host)
    app = create_app(target.root, target.file, token=token, allowed_hosts=allowed)
    sock = bind(host, port)
    url = address(host, sock.getsockname()[1], target, token)
    say(url, token)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    with sock:
        run(app, sock)


def run(app: Starlette, sock: socket.socket) -> None:
    """uvicorn on the bound socket, quiet (the URL was printed), no Server header."""
    config = uvicorn.Config(app, log_level="warning", server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
