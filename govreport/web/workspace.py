"""The folder the editor was started on: the only files it reads or writes.

Every file name that arrives in a request is relative to this folder; it is
resolved (symlinks followed) and refused unless the result is still inside it,
so neither ``../`` nor an absolute path nor a symlink pointing out can reach
another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..batch.discovery import FACTS_SUFFIXES, find_facts
from ..errors import GovReportError

_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


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
        """The file ``name`` (relative to the folder); ``Forbidden`` unless it stays inside."""
        if not name or "\x00" in name or "\\" in name:
            raise Forbidden(f"文件名“{name}”无效，拒绝访问")
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise Forbidden(f"只能打开编辑器所在文件夹中的文件，拒绝访问“{name}”")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise Forbidden(f"“{name}”指向编辑器所在文件夹之外（符号链接），拒绝访问")
        if path.suffix.lower() not in suffixes:
            raise Forbidden(f"“{name}”不是事实文件（.yaml）")
        return path

    def name_of(self, path: Path) -> str:
        """The name the page uses for a file: relative to the folder, with ``/``."""
        return path.resolve().relative_to(self.root).as_posix()

    def facts_files(self) -> list[Path]:
        """Every facts file in the folder (template-set and hidden folders skipped)."""
        return [p for p in find_facts([self.root]) if p.resolve().is_relative_to(self.root)]

    def new_name(self, stem: str, suffix: str = ".yaml") -> Path:
        """A file in the folder named after ``stem`` that does not exist yet."""
        stem = _UNSAFE_IN_NAMES.sub("_", stem).strip(" .") or "facts"
        candidate = self.root / f"{stem}{suffix}"
        number = 2
        while candidate.exists():
            candidate = self.root / f"{stem}-{number}{suffix}"
            number += 1
        return candidate
