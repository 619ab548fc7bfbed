"""One facts file as the editor holds it: ruamel.yaml's round trip, edits, a safe save.

Hand edits and editor edits alternate on the same file, so a save must leave the
user's comments, key order and quoting as they were and change only the values
the user changed in the page. ruamel.yaml's round-trip loader keeps all of that
in its ``CommentedMap``; we set the edited values into it and dump it again.

The page sends every field each time; a value equal to what the file holds is
left alone (not even re-typed), so a save without edits writes the same bytes.
A file changed on disk since the page read it is never overwritten silently:
the page holds the file's hash (``version``) and a save with another one is a
``Conflict``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from .. import official as fmt
from ..errors import GovReportError, InputError
from ..facts.loading import validate
from ..facts.model import Facts
from ..facts.reading import parse, read_text
from .form_fields import Field, field_by_id
from .text_edits import NumberEdit, Spliced, number_edit, spliced
from .workspace import Workspace

_APPLICANT_KEYS = [c.key for c in fmt.APPLICANT_COLUMNS]
_INTEGER = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Conflict(GovReportError):
    """The file changed on disk after the page read it; saving would lose those edits."""


class EditError(GovReportError):
    """A value cannot be placed into the file (its place holds something else)."""


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order, flow style and quotes survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long Chinese line the user wrote on one line
    return yaml


def version_of(data: bytes) -> str:
    """What the page holds to prove it saw the current file: the hash of its bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Document:
    """A facts file's text and its round-trip tree.

    ``tree_text`` is the text the tree's positions index (the text it was read from,
    then each text ``dump`` spliced); ``None`` once they index nothing any more."""

    path: Path
    text: str
    version: str
    tree: CommentedMap
    tree_text: str | None = field(default=None, repr=False, compare=False)
    #: the integers ``apply`` replaced, to splice into the text; ``None``: dump the tree
    _edits: list[NumberEdit] | None = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    #: the text ``dump`` spliced and what the loader read from it, for ``facts``
    _read: Spliced | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tree_text is None:
            self.tree_text = self.text

    @classmethod
    def open(cls, path: Path) -> Document:
        """Read ``path``; ``InputError`` (with the line) when it is not a facts file's YAML.

        govreport's own loader reads it first, so a broken file gets the same Chinese
        message at the same line as on the command line.
        """
        for _ in range(3):  # the bytes hashed are the bytes parsed, even mid-write by another
            data = path.read_bytes() if path.is_file() else b""
            text = read_text(path)
            if text == data.decode("utf-8-sig", errors="replace"):
                break
        parse(text, file=str(path))
        try:
            tree = _yaml().load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(
                "YAML 格式错误：编辑器无法按原样保留该文件的格式",
                file=str(path),
                line=mark.line + 1 if mark else None,
            ) from None
        if not isinstance(tree, CommentedMap):
            raise InputError("文件内容应是“键: 值”形式的映射", file=str(path))
        return cls(path, text, version_of(data), tree)

    @classmethod
    def from_text(cls, text: str, name: str, version: str) -> Document:
        """A document held elsewhere (the service's database) under the file ``name``:
        the same parsing and the same Chinese messages as ``open``, no file on disk."""
        parse(text, file=name)
        try:
            tree = _yaml().load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            raise InputError(
                "YAML 格式错误：无法按原样保留该文件的格式", file=name, line=line
            ) from None
        if not isinstance(tree, CommentedMap):
            raise InputError("文件内容应是“键: 值”形式的映射", file=name)
        return cls(Path(name), text, version, tree)

    def value(self, item: Field) -> Any:
        """The value the file holds for ``item`` (``None`` when it is not there)."""
        node: Any = self.tree
        for key in item.path:
            node = _child(node, key)
            if node is None:
                return None
        return node

    def apply(self, values: Mapping[str, Any]) -> list[str]:
        """Set the page's values; only those that differ from the file. Returns the ids set."""
        changed = []
        for field_id, raw in values.items():
            item = field_by_id(field_id)
            if item is None:
                raise EditError(f"未知的栏目“{field_id}”")
            if not isinstance(raw, str):
                raise EditError(f"栏目“{item.label}”的值应是文字")
            if _same(self.value(item), raw, item):
                continue
            if len(item.path) == 1 and item.path[0] not in self.tree:
                self._uncomment(item.path[0])
            self._set(item, _typed(raw, item))
            changed.append(field_id)
        return changed

    def changes(self, values: Mapping[str, Any]) -> list[str]:
        """The ids ``apply`` would set (or refuse), without setting anything."""
        found = []
        for field_id, raw in values.items():
            item = field_by_id(field_id)
            if item is None or not isinstance(raw, str) or not _same(self.value(item), raw, item):
                found.append(field_id)
        return found

    def dump(self) -> str:
        """The tree as text: the replaced integers spliced into the text where they stand
        when that is all that changed (``text_edits``), else ruamel's dump of the tree."""
        if self._edits is not None and self.tree_text is not None:
            done = spliced(self.tree_text, self.tree, self._edits, str(self.path))
            if done is not None:
                self.tree_text, self._edits = done.text, []  # the text holds them now
                self._read = done
                return done.text
        self.tree_text = None  # a failed splice may have moved positions: trust none
        stream = io.StringIO()
        _yaml().dump(self.tree, stream)
        return stream.getvalue()

    def facts(self, text: str | None = None) -> Facts:
        """The validated facts of ``text`` (default: the file as it stands), placed in the
        file's folder so a ``template:`` relative to it resolves as on the command line."""
        text = self.text if text is None else text
        if self._read is not None and self._read.text == text:
            data, source = self._read.read  # read back when it was spliced: not twice
            self._read = None  # once: validation may fill the data in
        else:
            data, source = parse(text, file=str(self.path))
        return validate(data, source)

    def save(self, text: str, version: str, *, workspace: Workspace) -> str:
        """Write ``text`` over this file (see ``save_text``); the new version."""
        return save_text(self.path, text, version, workspace=workspace)

    def _uncomment(self, key: str) -> None:
        """A top-level key left commented out (``# published: …``, as ``init`` and ``next``
        write the 落款 date) is filled in on its own line, not appended at the end; the
        header line saying it is commented out goes with it."""
        text = self.dump()
        found = re.search(rf"^# ?{re.escape(key)}:(.*)$", text, re.M)
        if found is None:
            return
        rest = found.group(1).replace("：定稿后填写", "")
        width = found.start(1) - found.start() - len(key) - 1  # the "# " taken away
        comment = rest.find(" #")
        if comment >= 0:  # the comment stays in its column
            rest = rest[:comment] + " " * width + rest[comment:]
        line = f"{key}:{rest}"
        text = text[: found.start()] + line + text[found.end() :]
        text = re.sub(
            rf"^#[^\n]*（{re.escape(key)}）已注释掉[^\n]*\n", "", text, count=1, flags=re.M
        )
        try:
            tree = _yaml().load(text)
        except YAMLError:
            return  # the commented line was not a value after all: append as before
        if isinstance(tree, CommentedMap):
            self.tree, self.tree_text = tree, text
        self._edits = None  # a line changed: dump the tree

    def _set(self, item: Field, value: Any) -> None:
        node: Any = self.tree
        for key in item.path[:-1]:
            child = _child(node, key)
            if not isinstance(child, (CommentedMap, CommentedSeq)):
                child = CommentedMap()
                _put(node, key, child)
            node = child
        key = item.path[-1]
        self._note_edit(number_edit(node, _place(node, key), _child(node, key), value))
        _put(node, key, value)

    def _note_edit(self, edit: NumberEdit | None) -> None:
        if edit is None:
            self._edits = None
        elif self._edits is not None:
            self._edits.append(edit)


def save_text(path: Path, text: str, version: str, *, workspace: Workspace) -> str:
    """Write ``text`` atomically unless the file changed since ``version``; the new version.

    The file passes ``workspace``'s gate (inside the folder, no link, a regular file)
    before its current bytes are read: nothing is opened that could hang or lead out."""
    path = workspace.writable(path)
    current = workspace.read_bytes(path)
    if version_of(current) != version:
        raise Conflict(
            f"{path.name} 在打开之后已被其他程序修改，未保存，以免覆盖那些修改",
            hint="点“重新载入”读取磁盘上的新内容（页面上未保存的修改会丢失），或先复制要保留的文字",
        )
    workspace.write_text(path, text)
    return version_of(text.encode("utf-8"))


def _child(node: Any, key: str) -> Any:
    """``node[key]``; a table 三 row written as a list is indexed by applicant column."""
    if isinstance(node, CommentedMap):
        return node.get(key)
    index = _index(node, key)
    return node[index] if index is not None and index < len(node) else None


def _place(node: Any, key: str) -> Any:
    """Where ``node[key]`` is held: the key of a map, the index in a table 三 row's list."""
    index = _index(node, key)
    return key if index is None else index


def _index(node: Any, key: str) -> int | None:
    """The index of applicant column ``key`` when ``node`` is a table 三 row's list."""
    if isinstance(node, CommentedSeq) and key in _APPLICANT_KEYS:
        return _APPLICANT_KEYS.index(key)
    return None


def _put(node: Any, key: str, value: Any) -> None:
    if isinstance(node, CommentedMap):
        if value is None and key in node and isinstance(node[key], str):
            value = ""  # a cleared text stays an empty string (boilerplate), keeping its comment
        node[key] = value
        return
    index = _index(node, key)
    if index is not None:
        while len(node) <= index:
            node.append(0)
        node[index] = value
        return
    raise EditError(f"无法写入“{fmt.describe((key,)) or key}”：文件中此处不是表格")


def _typed(raw: str, item: Field) -> Any:
    """The page's text as the YAML value a hand-written file would hold."""
    text = raw.replace("\r\n", "\n").strip() if item.kind != "text" else raw.replace("\r\n", "\n")
    if item.kind == "text":
        body = text.strip("\n")
        if not body.strip():
            return ""
        return LiteralScalarString(body + "\n") if "\n" in body else body
    if text == "":
        return None
    if item.kind == "number":
        return int(text) if _INTEGER.match(text) else _decimal(text, item)
    if item.kind == "date" and _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # an impossible date stays text for the schema to name
    return text


def _decimal(text: str, item: Field) -> Any:
    """Fees are 万元 with decimals; anything else that is not a number stays text."""
    if not item.decimal:
        return text
    try:
        value = float(Decimal(text))
    except (InvalidOperation, OverflowError):
        return text
    return value if math.isfinite(value) else text


def _same(current: Any, raw: str, item: Field) -> bool:
    """Whether the page's text is what the file already holds (so nothing is re-typed)."""
    if current is None or current == "":
        return raw.strip() == ""
    if item.kind == "text":
        return str(current).strip("\n") == raw.replace("\r\n", "\n").strip("\n")
    if isinstance(current, (dt.date, dt.datetime)):
        return current.isoformat()[:10] == raw.strip()
    return display(current) == raw.strip()


def display(value: Any) -> str:
    """A file value as the page shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)
