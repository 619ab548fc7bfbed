"""Reading a facts file: YAML with line numbers, safely.

PyYAML's composer gives every node its position; we keep a map from YAML path to
line and column so that schema errors and checks can point into the file. The
loader refuses what a facts file never needs and an attacker would use: aliases
(the "billion laughs" bomb), huge files, duplicate keys (PyYAML keeps the last
silently, which would drop a number).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.reader import Reader

from ..diagnostics import Mark, Source, YamlPath
from ..errors import InputError
from .scalars import INT, STR, check_key, check_scalar
from .yaml_messages import (
    DEPTH,
    READER_HINT,
    SLIP_HINT,
    describe_problem,
    describe_reader_error,
    problem_mark,
    slip_at_error,
)

MAX_BYTES = 1_000_000
#: A facts file nests 5 levels deep; libyaml's composer recurses in C and crashes the
#: process (not a Python RecursionError) on ~30,000 levels, so depth is checked first.
MAX_DEPTH = 100
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~10x faster


class _FactsLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader with exact decimals; aliases and duplicate keys are refused by the walk
    in ``_build_marked``, which sees every node once and builds the data."""

    #: Tags of short plain scalars already resolved: keys and small numbers repeat in every
    #: file, and the tag depends only on the text and how it was quoted. Bounded.
    _resolved: dict[tuple[str, tuple[bool, bool]], str] = {}  # noqa: RUF012

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not ScalarNode or len(value) > 32:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._resolved) < 4096:
                self._resolved[key] = tag
        return tag

    def construct_yaml_float(self, node: ScalarNode) -> Any:
        value = super().construct_yaml_float(node)
        if value != value or value in (float("inf"), float("-inf")):
            return value
        return Decimal(self.construct_scalar(node).replace("_", ""))

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """An impossible date such as ``2024-02-30`` stays text for the schema to report."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_FactsLoader.add_constructor("tag:yaml.org,2002:float", _FactsLoader.construct_yaml_float)
_FactsLoader.add_constructor("tag:yaml.org,2002:timestamp", _FactsLoader.construct_yaml_timestamp)


def read_text(path: str | Path) -> str:
    """The file's text, or an ``InputError`` that says in Chinese what is wrong with it.

    Only a regular file is read: a FIFO would block ``open`` forever and a device such
    as ``/dev/zero`` never ends, so the type is checked first (``stat`` never blocks) and
    the file is opened non-blocking; at most ``MAX_BYTES + 1`` bytes are read, so a
    file that grows after the check is still bounded.
    """
    file = str(path)
    data = _read_bounded(file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            "文件不是 UTF-8 编码",
            file=file,
            line=line,
            hint="请用记事本或 VS Code 以“UTF-8”编码另存后再试（GBK/GB2312 编码无法读取）",
        ) from None


def _read_bounded(file: str) -> bytes:
    try:
        _require_regular(os.stat(file).st_mode, file)
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError("文件不存在", file=file) from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{_os_reason(exc)}", file=file) from None
    try:
        _require_regular(os.fstat(fd).st_mode, file)  # replaced between stat and open
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"无法读取文件：{_os_reason(exc)}", file=file) from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise InputError(f"文件过大，事实文件不应超过 {MAX_BYTES:,} 字节", file=file)
    return b"".join(chunks)


def _require_regular(mode: int, file: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError("这是一个文件夹，不是事实文件", file=file)
    if not stat.S_ISREG(mode):
        raise InputError(
            "这不是普通文件（而是管道、设备或套接字），不能作为事实文件读取", file=file
        )


def _os_reason(exc: OSError) -> str:
    """The system's reason in Chinese for the common cases; never Python's English text."""
    reasons = {
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.ENOTDIR: "路径中有一部分不是文件夹",
        errno.ENAMETOOLONG: "文件名过长",
        errno.ELOOP: "符号链接循环",
        errno.EISDIR: "这是一个文件夹",
        errno.EIO: "磁盘读取错误",
    }
    return reasons.get(exc.errno or 0, f"系统错误（errno {exc.errno}）")


def parse(text: str, file: str | None = None) -> tuple[dict, Source]:
    """Parse YAML text into plain data and the source map of its positions."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(f"内容过大，事实文件不应超过 {MAX_BYTES:,} 字节", file=file)
    if not text.strip():
        raise InputError("文件为空", file=file, hint="可用 govreport init 生成一份完整的模板")
    if Reader.NON_PRINTABLE.search(text):
        message, line, column = describe_reader_error(text)
        raise InputError(message, file=file, line=line, column=column, hint=READER_HINT)
    loader = _FactsLoader(text)
    try:
        _check_depth(text, file)
        node = loader.get_single_node()
        if node is None:
            raise InputError("文件中只有注释，没有内容", file=file)
        source = Source(file)
        data = _build_marked(node, (), source.marks, file, set(), loader)
    except InputError as exc:
        exc.file = exc.file or file
        raise
    except yaml.MarkedYAMLError as exc:
        slip = slip_at_error(exc, text)
        if slip is not None:
            raise InputError(
                f"YAML 格式错误：{slip[0].advice()}",
                file=file,
                line=slip[1] + 1,
                column=slip[0].offset + 1,
                hint=SLIP_HINT,
            ) from None
        mark = problem_mark(exc)
        raise InputError(
            f"YAML 格式错误：{describe_problem(exc, text, depth_limit=MAX_DEPTH)}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="检查该行附近的缩进、冒号后的空格和引号是否成对",
        ) from None
    except yaml.reader.ReaderError:
        message, line, column = describe_reader_error(text)
        raise InputError(message, file=file, line=line, column=column, hint=READER_HINT) from None
    except yaml.YAMLError:
        raise InputError("YAML 格式错误：此处的写法不符合 YAML 格式", file=file) from None
    except RecursionError:
        raise InputError(DEPTH.format(limit=MAX_DEPTH), file=file) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else "单个值"
        raise InputError(
            f"文件内容应是“键: 值”形式的映射，实际是{kind}",
            file=file,
            line=node.start_mark.line + 1,
            hint="参照 examples/ 中的示例，或用 govreport init 生成模板",
        )
    return data, source


#: What may come before a block collection's start on its line: indentation, the
#: indicators ``- `` and ``? `` of compact nested entries, and node properties (``&a``, ``!t``).
_BLOCK_PREFIX = re.compile(r"(?:[ ]+|[-?](?=[ ]|$)|[&!][^ ]*(?=[ ]|$))*")


def _could_be_deep(text: str) -> bool:
    """Whether nesting deeper than ``MAX_DEPTH`` is possible at all (cheap, never misses).

    Each flow level opens with ``[`` or ``{``. Block levels nest by column: a block
    collection inside another starts further right, except a sequence that is a mapping's
    value, which may share its column (and the level inside it cannot); so a collection
    at column ``c`` is at most ``2 * (c + 1)`` block levels deep. On its line it starts
    no later than the first character after the indentation, ``- ``/``? `` indicators and
    properties: a key, a scalar, a flow collection or a comment comes after any block
    collection that starts on that line. Ordinary facts files stay far below the limit
    and skip the full scan.
    """
    openers = text.count("[") + text.count("{")
    if openers > MAX_DEPTH:
        return True
    column = 0
    for line in text.splitlines():
        prefix = _BLOCK_PREFIX.match(line)
        assert prefix is not None  # every part of the pattern is optional: it matches any line
        column = max(column, prefix.end())
    return openers + 2 * (column + 1) > MAX_DEPTH


def _check_depth(text: str, file: str | None) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` before anything recurses over it."""
    if not _could_be_deep(text):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    DEPTH.format(limit=MAX_DEPTH),
                    file=file,
                    line=event.start_mark.line + 1 if event.start_mark is not None else None,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(path: str | Path) -> tuple[dict, Source]:
    """Read and parse a facts file from disk."""
    return parse(read_text(path), file=str(path))


_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _build_marked(
    node: Node,
    path: YamlPath,
    marks: dict,
    file: str | None,
    seen_nodes: set[int],
    loader: Any,
) -> Any:
    """Build the data while recording where each path stands; refuse aliases (a node met
    twice), duplicate and merge keys, and scalars whose spelling would change a number
    (``facts.scalars``).

    One walk does what PyYAML's ``construct_document`` would do after it: plain mappings
    and lists are built here, each scalar by the loader's own constructor. Refusing
    aliases also defuses the "billion laughs" bomb: the walk visits each node once, so
    it stops at the first repeat instead of expanding it. Paths use the keys as the data
    will hold them (``2023:`` is the number 2023, ``~:`` is None), so that a problem about
    any key can name its line.
    """
    if id(node) in seen_nodes:
        raise InputError(
            "不支持 YAML 别名（*引用）：请把数值直接写出来", file=file, line=_key_line(path, marks)
        )
    seen_nodes.add(id(node))
    if isinstance(node, ScalarNode):
        check_scalar(node, file)
        return _scalar(node, loader)
    if isinstance(node, MappingNode):
        built: dict = {}
        seen: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            check_key(key_node, file)
            key = _key_of(key_node, file, seen_nodes, loader)
            if not isinstance(key_node, ScalarNode):  # what construct_mapping would refuse
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            if key in seen:
                raise InputError(
                    f"键“{key_node.value}”重复出现（第一次在第 {seen[key].start_mark.line + 1} 行），"
                    "后面的值会覆盖前面的值",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            seen[key] = key_node
            child = (*path, key)
            marks[child] = Mark(
                value_node.start_mark.line + 1,
                value_node.start_mark.column + 1,
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
                _text_line(value_node),
            )
            built[key] = _build_marked(value_node, child, marks, file, seen_nodes, loader)
        return built if node.tag == _MAP_TAG else _construct_tagged(node, loader)
    items = []
    for index, item in enumerate(node.value):
        child = (*path, index)
        marks[child] = Mark(item.start_mark.line + 1, item.start_mark.column + 1)
        items.append(_build_marked(item, child, marks, file, seen_nodes, loader))
    return items if node.tag == _SEQ_TAG else _construct_tagged(node, loader)


def _scalar(node: ScalarNode, loader: Any) -> Any:
    """A checked scalar's value: text and plain decimal integers (``check_scalar`` let no
    other spelling through) directly, the rest by the loader's constructor."""
    if node.tag == STR:
        return node.value
    if node.tag == INT:
        return int(node.value)
    return loader.construct_object(node)


def _construct_tagged(node: Node, loader: Any) -> Any:
    """``!!set``, ``!!omap`` or an unknown tag on a collection: the loader decides, as it
    would have (a set for the schema to refuse, an error for an unknown tag)."""
    loader.constructed_objects.clear()
    return loader.construct_object(node, deep=True)


def _text_line(node: Node) -> int | None:
    """Where a literal block's text starts once stripped (see ``Mark.text_line``)."""
    if not isinstance(node, ScalarNode) or node.style != "|":
        return None
    value = node.value
    blank = value[: len(value) - len(value.lstrip())].count("\n")
    return node.start_mark.line + 2 + blank  # the text starts on the line after "|"


def _key_of(key_node: Node, file: str | None, seen_nodes: set[int], loader: Any) -> Any:
    """The key as the constructed mapping will hold it; a non-scalar key only by its text."""
    if not isinstance(key_node, ScalarNode):
        return str(key_node)
    if id(key_node) in seen_nodes:
        raise InputError(
            "不支持 YAML 别名（*引用）",
            file=file,
            line=key_node.start_mark.line + 1,
        )
    seen_nodes.add(id(key_node))
    check_scalar(key_node, file)
    return _scalar(key_node, loader)


def _key_line(path: YamlPath, marks: dict) -> int | None:
    """The line of the nearest mapping key on ``path`` (aliases keep no position of their own)."""
    while path:
        mark = marks.get(path)
        if mark is not None and mark.key_line is not None:
            return mark.key_line
        path = path[:-1]
    return None
