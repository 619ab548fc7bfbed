"""A template set's files as untrusted input: paths, ``set.yaml`` and the Word package.

Sets travel between offices as folders and zip files, so nothing in one is
trusted. A file of a set is read only when it is a regular file inside the
set's folder (no symbolic link, nothing that resolves elsewhere, no FIFO) and
under a size limit. ``set.yaml`` is parsed without aliases or tags and its
values are checked before anything uses them (``templates check`` and rendering
refuse the same entries). The Word template's package is looked at in
``template_sets.word_package``. Every refusal is a ``TemplateError`` (exit 3)
that names the file, and for ``set.yaml`` the line.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import official as fmt
from ..errors import TemplateError
from ..facts.reading import MAX_DEPTH
from ..facts.yaml_messages import describe_problem, problem_mark, slip_at_error

#: Bytes a ``set.yaml`` may have.
MAX_METADATA_BYTES = 256 * 1024
#: Bytes a boilerplate text (``text/<section>/<key>.j2``) may have.
MAX_TEXT_BYTES = 1024 * 1024

#: The file that makes a folder a template set.
METADATA = "set.yaml"
#: The keys a ``set.yaml`` may hold, and those of its ``wording``.
METADATA_KEYS = ("name", "description", "province", "extends", "wording", "page_numbers")
#: Page-number styles a set may choose (``page_numbers:`` in set.yaml): GB/T 9704 §7.5's
#: outer side (odd pages right, even pages left), or centred as some provinces use.
PAGE_NUMBER_STYLES = {"outside": "单页居右、双页居左（GB/T 9704）", "centred": "居中"}
WORDING_KEYS = ("title", "headings", "topics", "numbering")
#: The sections whose sub-items a set may retitle (``topics.<section>.<key>``) and number.
TOPICS: dict[str, tuple[fmt.Topic, ...]] = {
    "overview": fmt.OVERVIEW_TOPICS,
    "problems": fmt.PROBLEM_TOPICS,
    "other_matters": fmt.OTHER_MATTER_TOPICS,
}


# --------------------------------------------------------------------------- paths


def unsafe_reason(path: Path, folder: Path) -> str | None:
    """Why ``path`` (inside the resolved set ``folder``) must not be read, or ``None``.

    Each step below the folder is looked at without following links, so a link
    anywhere on the way (``text/`` itself, say) is found, and with no link on the
    way nothing can lead outside the folder.
    """
    try:
        steps = path.relative_to(folder).parts
    except ValueError:
        return _OUTSIDE
    current, info = folder, None
    for step in steps:
        current = current / step
        try:
            info = current.lstat()
        except OSError:
            return None  # missing: nothing to read
        if stat.S_ISLNK(info.st_mode):
            return _LINK
    if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return _SPECIAL
    return None


_LINK = "是符号链接（快捷方式），模板中的文件必须是真实文件"
_OUTSIDE = "位于模板文件夹之外，模板只能使用自己文件夹中的文件"
_SPECIAL = "不是普通文件"


def require_safe(path: Path, folder: Path, label: str) -> None:
    """Refuse to read ``path`` unless it is a plain file of set ``folder``."""
    reason = unsafe_reason(path, folder)
    if reason:
        raise TemplateError(
            f"模板文件 {label} {reason}，已拒绝使用",
            hint="把它换成普通文件后用 govreport templates check 检查",
        )


def unsafe_files(folder: Path) -> Iterator[tuple[str, str]]:
    """(relative path, reason) of every link or special file anywhere in the set folder.

    Links are not followed, so with none found nothing in the set leads outside it."""
    root = str(folder.resolve())
    pending = [root]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            relative = entry.path[len(root) + 1 :].replace(os.sep, "/")
            if entry.is_symlink():
                yield relative, _LINK
            elif entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif not entry.is_file(follow_symlinks=False):
                yield relative, _SPECIAL


def read_limited(path: Path, limit: int, label: str) -> bytes:
    """The bytes of a regular file, refused past ``limit`` (a FIFO would never end)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise TemplateError(f"模板文件 {label} 不是普通文件，已拒绝使用")
    if info.st_size > limit:
        raise TemplateError(f"模板文件 {label} 过大（超过 {limit:,} 字节），已拒绝使用")
    with open(path, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise TemplateError(f"模板文件 {label} 过大（超过 {limit:,} 字节），已拒绝使用")
    return data


# --------------------------------------------------------------------------- set.yaml


class _NoAlias(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


_SetLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


def _refuse_aliases(text: str) -> None:
    """A billion-laughs ``set.yaml`` is refused at its first alias, before anything is built."""
    for event in yaml.parse(text, Loader=_SetLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _NoAlias(event.start_mark)


@dataclass
class Metadata:
    """A parsed ``set.yaml``: its data and the line of each key path (``wording.title``)."""

    data: dict[str, Any]
    lines: dict[str, int]

    def line(self, where: str) -> int | None:
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where.rpartition(".")[0]
        return None


def parse_metadata(text: str, label: str) -> Metadata:
    """``set.yaml`` text as data; a Chinese ``TemplateError`` with the line when it is broken."""
    if len(text.encode("utf-8")) > MAX_METADATA_BYTES:
        raise TemplateError(f"模板描述文件 {label} 过大（超过 {MAX_METADATA_BYTES:,} 字节）")
    loader = _SetLoader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except _NoAlias as exc:
        raise _error(
            label, exc.mark.line + 1, "不支持 YAML 别名（*引用），请直接写出内容"
        ) from None
    except yaml.constructor.ConstructorError as exc:
        tag = re.search(r"tag '([^']+)'", exc.problem or "")
        shown = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else ""
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise _error(label, line, f"不支持的 YAML 标签“{shown}”，只能写文字、数字和映射") from None
    except yaml.MarkedYAMLError as exc:
        slip = slip_at_error(exc, text)
        if slip is not None:  # ：for :, ，in a list: name the character, not the symptom
            place = f"第 {slip[0].offset + 1} 列的"
            raise _error(label, slip[1] + 1, f"YAML 格式错误：{place}{slip[0].advice()}") from None
        mark = problem_mark(exc)
        line = mark.line + 1 if mark else None
        described = describe_problem(exc, text, depth_limit=MAX_DEPTH)
        raise _error(label, line, f"YAML 格式错误：{described}") from None
    except yaml.YAMLError:
        raise _error(label, None, "YAML 格式错误，无法解析") from None
    except RecursionError:
        raise _error(label, None, "YAML 嵌套层数过深") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _error(label, 1, "应是“键: 值”形式的映射")
    lines: dict[str, int] = {}
    _collect_lines(node, "", lines)
    return Metadata(data, lines)


def _error(label: str, line: int | None, message: str) -> TemplateError:
    where = f"（第 {line} 行）" if line else ""
    return TemplateError(
        f"模板描述文件 {label}{where}：{message}",
        hint="用 govreport templates check 检查该模板",
    )


def _collect_lines(node: Any, prefix: str, lines: dict[str, int]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        path = f"{prefix}{key.value}" if isinstance(key, yaml.ScalarNode) else prefix
        lines.setdefault(path, key.start_mark.line + 1)
        _collect_lines(value, path + ".", lines)


def metadata_problems(data: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(where, message, fatal) for each entry of ``set.yaml`` that is unknown or wrong.

    The one validation of a set's options: ``templates check`` lists every problem and
    rendering refuses a set with any (a misspelt key would silently be ignored, a
    numbering style without a number printed as it is). A fatal one (a wrong type) also
    stops the check from loading the set any further."""
    for key, value in data.items():
        if key not in METADATA_KEYS:
            yield str(key), f"未知的键“{key}”" + guess(str(key), METADATA_KEYS), False
        elif key == "wording":
            if value is None:
                continue
            if not isinstance(value, dict):
                yield "wording", "应是“键: 值”形式的映射", True
            else:
                yield from _wording(value)
        elif key == "page_numbers" and value is not None and value not in PAGE_NUMBER_STYLES:
            yield key, "应为 " + "、".join(PAGE_NUMBER_STYLES) + " 之一", True
        elif value is not None and not isinstance(value, str):
            yield str(key), "应是一行文字", True


def _wording(wording: dict) -> Iterator[tuple[str, str, bool]]:
    allowed: dict[str, tuple[str, ...]] = {
        "headings": tuple(fmt.SECTION_HEADINGS),
        "topics": tuple(TOPICS),
        "numbering": tuple(TOPICS),
    }
    for key, value in wording.items():
        where = f"wording.{key}"
        if key not in WORDING_KEYS:
            yield where, "未知的表述项" + guess(str(key), WORDING_KEYS), False
        elif key == "title":
            if value is not None and not isinstance(value, str):
                yield where, "标题应是一行文字", True
        elif value is None:
            continue
        elif not isinstance(value, dict):
            yield where, "应是“键: 值”形式的映射", True
        else:
            yield from _wording_section(key, value, allowed[key])


def _wording_section(
    key: str, value: dict, allowed: tuple[str, ...]
) -> Iterator[tuple[str, str, bool]]:
    for name, entry in value.items():
        where = f"wording.{key}.{name}"
        if name not in allowed:
            yield where, "未知的项目" + guess(str(name), allowed), False
        elif key == "topics":
            yield from _topics(name, entry)
        elif entry is not None and not isinstance(entry, str):
            yield where, "应是一行文字", True
        elif entry and _TEMPLATE_SYNTAX.search(entry):
            yield where, _printed_as_is(entry), False
        elif key == "numbering" and entry and "一" not in entry and "1" not in entry:
            yield where, f"编号样式“{entry}”中应有“一”或“1”，如（一）、1.", False


#: Jinja syntax, which only ``wording.title`` renders: headings, sub-item titles and
#: numbering styles are printed as written.
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")


def _printed_as_is(entry: str) -> str:
    return (
        f"“{entry}”会原样印在报告中：标题、小标题和编号样式是普通文字，"
        "不能写 {{ }} 占位符或 {% %} 语法（只有 wording.title 可以）"
    )


def _topics(section: str, entry: Any) -> Iterator[tuple[str, str, bool]]:
    keys = tuple(t.key for t in TOPICS[section])
    if entry is None:
        return
    if not isinstance(entry, dict):
        yield f"wording.topics.{section}", "应是“键: 值”形式的映射", True
        return
    for key, title in entry.items():
        where = f"wording.topics.{section}.{key}"
        if key not in keys:
            yield where, "未知的小标题" + guess(str(key), keys), False
        elif title is not None and not isinstance(title, str):
            yield where, "小标题应是一行文字", True
        elif title and _TEMPLATE_SYNTAX.search(title):
            yield where, _printed_as_is(title), False


def checked_metadata(text: str, label: str, *, checking: bool = False) -> dict[str, Any]:
    """``set.yaml`` as data, refused at its first problem (the same problems
    ``templates check`` lists). ``checking``: only a fatal one refuses, because
    ``templates check`` lists the others itself and goes on to the set's files."""
    meta = parse_metadata(text, label)
    for where, message, fatal in metadata_problems(meta.data):
        if fatal or not checking:
            raise _error(label, meta.line(where), f"{where} {message}")
    return meta.data


def guess(name: str, known: Any) -> str:
    """（是不是“…”？） for a close match among ``known``, else nothing."""
    import difflib  # only for a mistake: a check of a good set does without it

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"（是不是“{close[0]}”？）" if close else ""
