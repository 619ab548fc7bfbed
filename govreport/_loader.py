"""Reading a facts file: YAML with line numbers, safely.

PyYAML's composer gives every node its position; we keep a map from YAML path to
line and column so that schema errors and checks can point into the file. The
loader refuses what a facts file never needs and an attacker would use: aliases
(the "billion laughs" bomb), huge files, duplicate keys (PyYAML keeps the last
silently, which would drop a number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import _format as fmt
from ._exceptions import InputError

MAX_BYTES = 1_000_000
#: A facts file nests 5 levels deep; libyaml's composer recurses in C and crashes the
#: process (not a Python RecursionError) on ~30,000 levels, so depth is checked first.
MAX_DEPTH = 100
YamlPath = tuple[Any, ...]


@dataclass(frozen=True)
class Mark:
    """1-based line and column of a value (and of its key, for mapping entries)."""

    line: int
    column: int
    key_line: int | None = None
    key_column: int | None = None


@dataclass
class Source:
    """Where the facts came from, and where each YAML path stands in it."""

    file: str | None = None
    marks: dict[YamlPath, Mark] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest ancestor present in the file."""
        path = tuple(path)
        while path:
            mark = self.marks.get(path) or self.marks.get(_as_list_path(path))
            if mark:
                if key and mark.key_line is not None:
                    return mark.key_line, mark.key_column
                return mark.line, mark.column
            path, key = path[:-1], True
        return None, None

    def has(self, path: YamlPath) -> bool:
        return tuple(path) in self.marks or _as_list_path(tuple(path)) in self.marks


def _as_list_path(path: YamlPath) -> YamlPath:
    """A ROW may be written as a list: ``received.business`` is ``received[1]`` then."""
    keys = [c.key for c in fmt.APPLICANT_COLUMNS]
    if path and path[-1] in keys:
        return (*path[:-1], keys.index(path[-1]))
    return path


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~10x faster


class _FactsLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader with exact decimals; aliases and duplicate keys are refused by the walk
    in ``_collect_marks``, which sees every node once."""

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
    """The file's text, or an ``InputError`` that says in Chinese what is wrong with it."""
    file = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在", file=file)
    if p.is_dir():
        raise InputError("这是一个文件夹，不是事实文件", file=file)
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"文件过大（{size:,} 字节），事实文件不应超过 {MAX_BYTES:,} 字节", file=file
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", file=file) from None
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


def parse(text: str, file: str | None = None) -> tuple[dict, Source]:
    """Parse YAML text into plain data and the source map of its positions."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"内容过大，事实文件不应超过 {MAX_BYTES:,} 字节", file=file)
    if not text.strip():
        raise InputError("文件为空", file=file, hint="可用 govreport init 生成一份完整的模板")
    loader = _FactsLoader(text)
    try:
        _check_depth(text, file)
        node = loader.get_single_node()
        if node is None:
            raise InputError("文件中只有注释，没有内容", file=file)
        source = Source(file)
        _collect_marks(node, (), source.marks, file, set())
        data = loader.construct_document(node)
    except InputError as exc:
        exc.file = exc.file or file
        raise
    except yaml.MarkedYAMLError as exc:
        mark = _where(exc)
        raise InputError(
            f"YAML 格式错误：{_describe_yaml_problem(exc, text)}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="检查该行附近的缩进、冒号后的空格和引号是否成对",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误：{exc}", file=file) from None
    except RecursionError:
        raise InputError("YAML 嵌套层数过深，事实文件不需要这么多层", file=file) from None
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


def _could_be_deep(text: str) -> bool:
    """Whether nesting deeper than ``MAX_DEPTH`` is possible at all (cheap, never misses).

    Each level opens with ``[``, ``{`` or ``- ``, or indents a block mapping further,
    so a document whose openers and deepest indent add up to no more than the limit
    cannot exceed it. Ordinary facts files stay far below it and skip the full scan.
    """
    openers = text.count("[") + text.count("{") + text.count("- ")
    if openers > MAX_DEPTH:
        return True
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return openers + indent > MAX_DEPTH


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
                    f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层），事实文件不需要这么多层",
                    file=file,
                    line=event.start_mark.line + 1,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(path: str | Path) -> tuple[dict, Source]:
    """Read and parse a facts file from disk."""
    return parse(read_text(path), file=str(path))


def _collect_marks(
    node: Node, path: YamlPath, marks: dict, file: str | None, seen_nodes: set[int]
) -> None:
    """Record where each path stands; refuse aliases (a node met twice) and duplicate keys.

    Refusing aliases here also defuses the "billion laughs" bomb: the walk visits
    each node once, so it stops at the first repeat instead of expanding it.
    """
    if id(node) in seen_nodes:
        raise InputError(
            "不支持 YAML 别名（*引用）：请把数值直接写出来", file=file, line=_key_line(path, marks)
        )
    seen_nodes.add(id(node))
    if isinstance(node, MappingNode):
        seen: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
            if key in seen:
                raise InputError(
                    f"键“{key}”重复出现（第一次在第 {seen[key].start_mark.line + 1} 行），"
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
            )
            _collect_marks(value_node, child, marks, file, seen_nodes)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            marks[child] = Mark(item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, child, marks, file, seen_nodes)


def _key_line(path: YamlPath, marks: dict) -> int | None:
    """The line of the nearest mapping key on ``path`` (aliases keep no position of their own)."""
    while path:
        mark = marks.get(path)
        if mark is not None and mark.key_line is not None:
            return mark.key_line
        path = path[:-1]
    return None


_TAB = "不能用 Tab 缩进，请改用空格"
# PyYAML's own wording and libyaml's (CSafeLoader) differ; keys match both.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "此处不能出现“键: 值”（常见原因：冒号后缺空格或缩进不对）",
    "could not find expected ':'": "缺少冒号“: ”（冒号后面要有一个空格，如 year: 2023）",
    "expected <block end>": "缩进不一致（同一层的键要上下对齐，用空格缩进）",
    "found character '\\t' that cannot start any token": _TAB,
    "expected a single document in the stream": "文件中只能有一个文档（不要使用 ---）",
    "found undefined alias": "不支持 YAML 别名（*引用）",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    # PyYAML 6.0.3+ has a nesting limit of its own, met before ours on flow collections.
    "exceeded maximum nesting depth": f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层），事实文件不需要这么多层",
}


def _where(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The mark to show: for a key without its colon, where the key starts, not end of file."""
    if "could not find expected ':'" in (exc.problem or "") and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _describe_yaml_problem(exc: yaml.MarkedYAMLError, source: str = "") -> str:
    problem = exc.problem or ""
    mark = exc.problem_mark
    if mark is not None and "cannot start any token" in problem:
        lines = source.split("\n")
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            return _TAB  # libyaml does not name the character
    for text in (problem, exc.context or ""):
        for english, chinese in _YAML_PROBLEMS.items():
            if english in text:
                return chinese
    return f"无法解析（{problem}）" if problem else "无法解析"
