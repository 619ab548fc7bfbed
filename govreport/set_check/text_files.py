"""Text files of a set: boilerplate under text/, and any text Jinja renders, checked by line.

A text file can also be misplaced: one whose folder or name matches no narrative
slot, or that is not ``<section>/<key>.j2``, is never read, so the author's edit
would silently not show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import TemplateError
from ..template_sets.set_files import MAX_TEXT_BYTES, guess, read_limited, unsafe_reason
from ..template_sets.sets import TEXT_DIR, TEXT_SLOTS, TemplateSet
from .problem import Found, TemplateProblem, excerpt, file_label, problems_in
from .shapes import Shape, text_shapes
from .tags import ANY_TAG, Tag, jinja_problems


def text_problems(source: str, label: str, shapes: Mapping[str, Shape]) -> list[TemplateProblem]:
    """Syntax errors and unknown placeholders of a text template, by line."""
    where = _line_namer(source.splitlines())
    spans, tags = [], []
    for match in ANY_TAG.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        tags.append(Tag(match.group(), match.group(), where(line), line))
        spans.append(match.span())
    found = jinja_problems(tags, lambda: _whole(source, spans, tags), where, shapes)
    return problems_in(label, found + _unclosed(source, where))


def _line_namer(lines: list[str]) -> Callable[[int], str]:
    """Names a line by its number and the start of its text, which the author can search for."""

    def where(lineno: int) -> str:
        text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
        return f"第 {lineno} 行：“{excerpt(text)}”" if text else f"第 {lineno} 行"

    return where


def _whole(source: str, spans: list[tuple[int, int]], tags: list[Tag]) -> str:
    """The source with each tag as the whole-template parse should see it, lines kept."""
    parts, last = [], 0
    for (start, end), tag in zip(spans, tags, strict=True):
        parts += [source[last:start], tag.stand_in + "\n" * tag.raw.count("\n")]
        last = end
    return "".join([*parts, source[last:]])


def _unclosed(source: str, where: Callable[[int], str]) -> list[Found]:
    """An opening ``{{``, ``{%`` or ``{#`` left outside every tag has no closing after it."""
    blanked = ANY_TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    found = []
    for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
        if opening in blanked:
            line = blanked.count("\n", 0, blanked.index(opening)) + 1
            found.append((where(line), f"“{opening}”没有对应的“{closing}”"))
    return found


def text_file_problems(tset: TemplateSet, relative: str, path: Path) -> list[TemplateProblem]:
    """A boilerplate file's slot, size, encoding and Jinja, as rendering would meet them."""
    label = file_label(tset, path, f"{TEXT_DIR}/{relative}")
    problems = slot_problems(relative, label)
    try:
        source = read_limited(path, MAX_TEXT_BYTES, label).decode("utf-8")
    except UnicodeDecodeError:
        return [*problems, TemplateProblem(label, "", "不是 UTF-8 编码，请用 UTF-8 另存")]
    except TemplateError as exc:
        return [*problems, TemplateProblem(label, "", exc.message)]
    return problems + text_problems(source, label, text_shapes())


def slot_problems(relative: str, label: str) -> list[TemplateProblem]:
    """A text file whose name matches no narrative slot is never used."""
    section, _, name = relative.partition("/")
    key = name.removesuffix(".j2")
    if section not in TEXT_SLOTS:
        known = "、".join(TEXT_SLOTS)
        return [
            TemplateProblem(
                label, "", f"文件夹“{section}”不对应任何章节（可用：{known}），不会被使用"
            )
        ]
    if key not in TEXT_SLOTS[section]:
        known = "、".join(TEXT_SLOTS[section])
        return [
            TemplateProblem(
                label,
                "",
                f"“{key}”不对应 {section} 中的任何条目，不会被使用"
                + guess(key, TEXT_SLOTS[section])
                + f"（可用：{known}）",
            )
        ]
    return []


def stray_files(folder: Path) -> list[TemplateProblem]:
    """Files under text/ that are not ``<section>/<key>.j2`` are never read."""
    root = folder / TEXT_DIR
    if not root.is_dir() or unsafe_reason(root, folder):
        return []
    wanted = set(root.glob("*/*.j2"))
    return [
        TemplateProblem(
            path.relative_to(folder).as_posix(),
            "",
            "不会被使用：通用表述文件应放在 text/<部分>/<键>.j2",
        )
        for path in sorted(root.rglob("*"))
        if path.is_file() and path not in wanted and not unsafe_reason(path, folder)
    ]
