"""The folder the editor was started on: the only files it reads or writes.

Every file name that arrives in a request is relative to this folder. A file
read is resolved (symlinks followed) and refused unless the result is still
inside it, so neither ``../`` nor an absolute path nor a symlink pointing out can
reach another file. Every file the editor writes — a save, a new agency, an
uploaded year's draft, a sum in ``汇总/``, each report of "全部生成" — goes
through one gate, ``Workspace.writable``: no symlink anywhere between the folder
and the file (a linked ``报告/`` would carry the write out of the folder), nothing
that is not a regular file (a FIFO would hang the write, a folder fail late), and
names short enough for the file system and the atomic writer's temporary name.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..batch.discovery import FACTS_SUFFIXES, find_facts
from ..errors import GovReportError, InputError
from ..files.output import write_text

_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
#: The longest name (in UTF-8 bytes) the editor writes: file systems allow 255, and the
#: atomic writer's hidden temporary file beside the target adds about 30 to the name.
MAX_NAME_BYTES = 200
#: A new file's stem is shortened to this, leaving room for ``-2`` and the suffix.
MAX_STEM_BYTES = 150
#: No file the editor reads back is larger (facts files are limited to 1 MB).
MAX_READ_BYTES = 64 * 2**20


class Forbidden(GovReportError):
    """A request names a file outside the editor's folder, or not a facts file."""

    exit_code = 2


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def at(cls, root: Path) -> Workspace:
        return cls(root.resolve())

    def resolve(self, name: str, *, suffixes: tuple[str, ...] = FACTS_SUFFIXES) -> Path:
        """The file ``name`` (relative to the folder) to read; ``Forbidden`` unless it stays
        inside, ``InputError`` when it exists but is not a regular file."""
        relative = _relative(name)
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise Forbidden(f"“{name}”指向编辑器所在文件夹之外（符号链接），拒绝访问")
        _check_suffix(name, path, suffixes)
        try:
            info = path.stat()
        except OSError:
            return path  # not there (yet): the caller says so, or creates it
        _require_regular(info.st_mode, name)
        return path

    def writable(self, target: str | Path, *, suffixes: tuple[str, ...] = FACTS_SUFFIXES) -> Path:
        """The one gate of every write: ``target`` (a name relative to the folder, or a path
        inside it) if writing it stays in the folder; refused otherwise, before anything opens.

        Refused: a symlink as the file or as any folder on the way (even one pointing
        inside: the check would otherwise hold only until the link changes), a target
        that exists but is not a regular file, a name too long to write.
        """
        if isinstance(target, Path):
            if not target.is_absolute() or not target.is_relative_to(self.root):
                raise Forbidden(f"“{target.name}”不在编辑器所在文件夹中，拒绝写入")
            relative = PurePosixPath(target.relative_to(self.root).as_posix())
            if ".." in relative.parts or not relative.parts:
                raise Forbidden(f"“{target.name}”不在编辑器所在文件夹中，拒绝写入")
        else:
            relative = _relative(target)
        shown = relative.as_posix()
        path = self.root.joinpath(*relative.parts)
        _check_suffix(shown, path, suffixes)
        for part in relative.parts:
            if len(part.encode("utf-8")) > MAX_NAME_BYTES:
                raise InputError(
                    f"文件名过长（超过 {MAX_NAME_BYTES} 字节，约 {MAX_NAME_BYTES // 3} 个汉字），未写入",
                    file=part[:40] + "…",
                    hint="请改用较短的名称",
                )
        current = self.root
        for part in relative.parts[:-1]:
            current = current / part
            mode = _lstat_mode(current)
            if mode is None:
                break  # this folder and those below it are created by the write
            if stat.S_ISLNK(mode):
                raise Forbidden(
                    f"“{self.name_of_unresolved(current)}”是符号链接，编辑器不通过链接写入文件"
                    "（以免写到文件夹之外），未写入",
                    hint="把链接换成真正的文件夹",
                )
            if not stat.S_ISDIR(mode):
                raise InputError("路径中有一段不是文件夹，未写入", file=shown)
        mode = _lstat_mode(path)
        if mode is not None and stat.S_ISLNK(mode):
            raise Forbidden(
                f"“{shown}”是符号链接，编辑器不通过链接写入文件（以免写到文件夹之外），未写入"
            )
        if mode is not None:
            _require_regular(mode, shown)
        return path

    def write_text(self, target: str | Path, text: str) -> Path:
        """Write ``text`` to ``target`` through the gate, atomically; the path written."""
        path = self.writable(target)
        write_text(path, text)
        return path

    def read_bytes(self, path: Path) -> bytes:
        """The bytes of a file the editor is about to replace; empty when it is not there.
        Opened without blocking and checked again once open: a FIFO never hangs the editor."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise InputError(f"无法读取：{exc.strerror or exc}", file=path.name) from None
        try:
            _require_regular(os.fstat(fd).st_mode, path.name)
            chunks, size = [], 0
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_READ_BYTES:
                    raise InputError("文件过大，未读取", file=path.name)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def name_of(self, path: Path) -> str:
        """The name the page uses for a file: relative to the folder, with ``/``."""
        return path.resolve().relative_to(self.root).as_posix()

    def name_of_unresolved(self, path: Path) -> str:
        """``name_of`` for a path that may be a link (named as written, not where it leads)."""
        return path.relative_to(self.root).as_posix()

    def facts_files(self) -> list[Path]:
        """Every facts file in the folder (template-set and hidden folders skipped)."""
        return [p for p in find_facts([self.root]) if p.resolve().is_relative_to(self.root)]

    def new_name(self, stem: str, suffix: str = ".yaml", folder: str = "") -> Path:
        """A file in the folder (or its ``folder``) named after ``stem`` that does not exist
        yet; an over-long stem is shortened, so any agency name gives a name that can be written."""
        stem = _UNSAFE_IN_NAMES.sub("_", " ".join(stem.split())).strip(" .") or "facts"
        stem = _shortened(stem, MAX_STEM_BYTES)
        base = self.root / folder if folder else self.root
        candidate = base / f"{stem}{suffix}"
        number = 2
        while _lstat_mode(candidate) is not None:
            candidate = base / f"{stem}-{number}{suffix}"
            number += 1
        return candidate


def _relative(name: str) -> PurePosixPath:
    """A request's file name as a path inside the folder; ``Forbidden`` otherwise."""
    if not name or "\x00" in name or "\\" in name:
        raise Forbidden(f"文件名“{name[:80]}”无效，拒绝访问")
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise Forbidden(f"只能打开编辑器所在文件夹中的文件，拒绝访问“{name[:80]}”")
    return relative


def _check_suffix(name: str, path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        kind = "事实文件" if suffixes == FACTS_SUFFIXES else "编辑器生成的报告"
        raise Forbidden(f"“{name[:80]}”不是{kind}（{'、'.join(suffixes)}），拒绝访问")


def _lstat_mode(path: Path) -> int | None:
    """The mode of ``path`` itself (a link is not followed); ``None`` when it is not there."""
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"无法访问：{exc.strerror or exc}", file=path.name[:80]) from None


def _require_regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    what = "一个文件夹" if stat.S_ISDIR(mode) else "管道、设备或其他特殊文件"
    raise InputError(f"这是{what}，不是普通的文件，编辑器不读写它", file=name[:80])


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore").rstrip(" .") or "facts"
