"""Write output files all at once or not at all.

A report that stops half way (pandoc crashes, LibreOffice times out, the user
presses Ctrl+C) must not leave a truncated 报告.docx or 报告.pdf that looks
finished, nor overwrite a good copy from an earlier run. So every writer works
on a hidden temporary file next to the target and renames it into place only
when it is complete: a rename within one folder is atomic, so the target is
always either the old file or the whole new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from ..errors import GovReportError, OutputError
from .lifetime import is_stale

__all__ = ["atomic_output", "write_bytes", "write_text"]


def _create_temp(target: Path) -> Path:
    """Create an empty, uniquely named file beside ``target`` and return its path.

    The temporary file lives in the target's own folder because ``os.replace`` is
    only atomic within one file system. It keeps the target's suffix so tools that
    choose their format from the file extension (pandoc, LibreOffice) still work.
    It is created with mode 0o666 filtered by the umask, like an ordinary file,
    so the finished report is not left readable by its owner only. Its name
    carries the writer's process id, so a later run can tell a temporary file
    left by a killed run (:func:`remove_stale_temps`) from one being written.
    """
    while True:
        name = f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp{target.suffix}"
        candidate = target.with_name(name)
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits, practically never
            continue
        os.close(fd)
        return candidate


def _flush_to_disk(path: Path) -> None:
    """Make sure the bytes reach the disk before the rename makes them the target.

    Without this a power cut soon after the rename can leave an empty target on
    some file systems, which is exactly the half-written file we promise to avoid.
    """
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write to; it becomes ``target`` only on success.

    The temporary file already exists (empty) when yielded, which reserves its
    name; writers may overwrite it freely. On normal exit it replaces ``target``
    (an existing target is overwritten). On any exception, including
    ``KeyboardInterrupt``, the temporary file is deleted and the exception is
    re-raised, so neither a partial target nor a stray temporary file is left.
    The target's folder is created if it does not exist yet.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target.parent)
        tmp = _create_temp(target)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        yield tmp
        _flush_to_disk(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise cannot_write(target, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def cannot_write(target: Path, exc: OSError) -> OutputError:
    """A write failure said in the user's terms (permissions, a full disk, a bad path)."""
    reasons = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘空间不足",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EEXIST: "路径中有一段不是文件夹",
        errno.ENOENT: "文件夹不存在且无法创建",
        errno.EISDIR: "目标是一个文件夹",
        errno.EROFS: "磁盘是只读的",
        errno.ENAMETOOLONG: "文件名过长",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(
        f"无法写入 {target}：{reason}", hint="请换一个输出位置（-o），或检查文件夹权限"
    )


_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp(\.\w+)?$")
_cleaned: set[tuple[int, str]] = set()


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove hidden temporary files a killed run left in ``folder`` (once per process).

    Only files named as :func:`_create_temp` names them, owned by this user, whose
    writing process is gone and which are old (``files.lifetime.is_stale``).
    """
    key = (os.getpid(), str(Path(folder).absolute()))
    if key in _cleaned:
        return []
    _cleaned.add(key)
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP_NAME.match(entry.name)
            if match and entry.is_file(follow_symlinks=False):
                path = Path(entry.path)
                if is_stale(path, int(match.group(1))):
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed.append(path)
    return removed


def refuse_overwrite(target: Path, force: bool) -> None:
    """Commands that create a file the user then edits never replace one silently."""
    if target.exists() and not force:
        raise GovReportError(
            f"{target} 已存在，未覆盖", hint="加 --force 覆盖，或用 -o 指定其他文件名"
        )


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_output`)."""
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically, as UTF-8 by default.

    Line endings are written exactly as given (no ``\\r\\n`` translation on
    Windows), so the same input gives byte-identical files on every system.
    """
    with atomic_output(target) as tmp, open(tmp, "w", encoding=encoding, newline="") as f:
        f.write(text)
