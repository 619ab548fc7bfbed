"""A whole set: its folder, set.yaml and inheritance chain, then each file in the order found.

Only a set that cannot be found at all is an error; anything else (a broken
set.yaml or ``extends``, a missing Word template) becomes a problem in the list,
so the author sees everything in one run.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import TemplateError
from ..template_sets.set_files import (
    MAX_METADATA_BYTES,
    metadata_problems,
    parse_metadata,
    read_limited,
    require_safe,
    unsafe_files,
)
from ..template_sets.sets import (
    MARKUP_TEMPLATES,
    METADATA,
    WORD_TEMPLATE,
    TemplateSet,
    load_set,
    locate,
)
from .problem import TemplateProblem, file_label
from .shapes import sample_contexts, text_shapes
from .text_files import stray_files, text_file_problems, text_problems
from .word_file import word_file_problems


def check_set(template: str | Path) -> list[TemplateProblem]:
    """Every problem of the set in folder ``template`` (or a built-in set's name).

    A set that cannot be found at all raises ``TemplateError``; everything else,
    a broken ``extends`` included, is a problem in the list.
    """
    folder = locate(template, base=Path.cwd())
    problems = _unsafe_problems(folder, "")
    meta, found = read_metadata(folder)
    problems += found
    if meta is None:
        return problems
    try:
        tset = load_set(folder, checking=True)
    except TemplateError as exc:
        return [*problems, TemplateProblem(METADATA, "", exc.message)]
    return problems + _loaded_set_problems(tset)


def _loaded_set_problems(tset: TemplateSet) -> list[TemplateProblem]:
    """The inherited folders, then the Word template, title, text/ and markup files."""
    problems: list[TemplateProblem] = []
    for parent in tset.chain[1:]:
        inherited = f"（继承自模板“{parent.name}”）"
        problems += _unsafe_problems(parent.folder, inherited)
        problems += [
            TemplateProblem(problem.file + inherited, problem.where, problem.message)
            for problem in read_metadata(parent.folder)[1]
        ]
    try:
        word = tset.find(WORD_TEMPLATE)
    except TemplateError as exc:
        return [*problems, TemplateProblem(WORD_TEMPLATE, "", exc.message)]
    if word is None:
        problems.append(TemplateProblem(WORD_TEMPLATE, "", "整个继承链中都没有 Word 模板"))
    else:
        problems += word_file_problems(word, file_label(tset, word, WORD_TEMPLATE))
    title = tset.word("title")
    if isinstance(title, str):
        problems += text_problems(title, f"{METADATA} wording.title", text_shapes())
    problems += stray_files(tset.folder)
    problems += markup_problems(tset)
    for relative, path in tset.text_files(strict=False).items():
        problems += text_file_problems(tset, relative, path)
    return problems


def markup_problems(tset: TemplateSet) -> list[TemplateProblem]:
    """The set's web and Markdown templates, tried on the sample report: a broken tag or
    an unknown name shows here rather than at the first ``render --to html``."""
    from ..rendering.markup import render_markup

    problems = []
    for fmt_name, relative in MARKUP_TEMPLATES.items():
        path = tset.find(relative)
        if path is None:
            problems.append(TemplateProblem(relative, "", "整个继承链中都没有这个模板"))
            continue
        try:
            render_markup(tset, fmt_name, sample_contexts()[1])
        except TemplateError as exc:
            problems.append(TemplateProblem(file_label(tset, path, relative), "", exc.message))
    return problems


def _unsafe_problems(folder: Path, inherited: str) -> list[TemplateProblem]:
    """Links and special files anywhere in a set's folder: rendering refuses the set."""
    return [
        TemplateProblem(relative + inherited, "", f"{reason}，渲染时会拒绝整个模板")
        for relative, reason in unsafe_files(folder)
    ]


def read_metadata(folder: Path) -> tuple[dict | None, list[TemplateProblem]]:
    """set.yaml as data (``None`` when unreadable or an entry has a type that rendering
    refuses), and its unknown keys and wording."""
    path = folder / METADATA
    try:
        require_safe(path, folder, METADATA)
        text = read_limited(path, MAX_METADATA_BYTES, METADATA).decode("utf-8")
        meta = parse_metadata(text, METADATA)
    except UnicodeDecodeError:
        return None, [TemplateProblem(METADATA, "", "不是 UTF-8 编码，请用 UTF-8 另存")]
    except TemplateError as exc:
        return None, [TemplateProblem(METADATA, "", exc.message)]
    problems, usable = [], True
    for where, message, fatal in metadata_problems(meta.data):
        line = meta.line(where)
        place = f"第 {line} 行 {where}" if line else where
        problems.append(TemplateProblem(METADATA, place, message))
        usable = usable and not fatal
    return meta.data if usable else None, problems
