"""Starting a new template set (``govreport templates new``).

A new set extends its parent and renders exactly like it: its commented
``set.yaml`` lists every wording entry in effect, ready to uncomment, and unless
the set is bare, copies of the parent's Word file and boilerplate texts wait to
be edited. Loading and using sets is ``template_sets.sets``'s.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import TemplateError
from .set_files import METADATA
from .sets import TEXT_DIR, TYPST_TEMPLATE, WORD_TEMPLATE, TemplateSet, builtin_sets, load_set


def create_set(name: str, parent: str | Path, target: Path, *, bare: bool = False) -> TemplateSet:
    """Start a set in ``target`` that extends ``parent`` and renders exactly like it.

    Unless ``bare``, the parent's Word file and boilerplate texts are copied in, so
    the author can edit any of them; a file deleted again is inherited again.
    """
    import shutil

    from ..files.output import write_text

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TemplateError(f"{target} 已存在且不是空文件夹，未写入", hint="用 -o 指定新的文件夹")
    base = load_set(parent, base=Path.cwd())
    target.mkdir(parents=True, exist_ok=True)
    write_text(target / METADATA, set_yaml(name, base, _extends_value(base, target.resolve())))
    if not bare:
        shutil.copyfile(base.word_template(), target / WORD_TEMPLATE)
        typst = base.find(TYPST_TEMPLATE)  # the PDF's layout: without it, LibreOffice prints
        if typst is not None:
            shutil.copyfile(typst, target / TYPST_TEMPLATE)
        for relative, path in base.text_files().items():
            copy = target / TEXT_DIR / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    return load_set(target)


def _extends_value(parent: TemplateSet, target: Path) -> str:
    """A built-in parent by name; a folder by its path from the new set."""
    if builtin_sets().get(parent.name) == parent.folder:
        return parent.name
    return Path(os.path.relpath(parent.folder, target)).as_posix()


def set_yaml(name: str, parent: TemplateSet, extends: str) -> str:
    """The commented set.yaml of a new set: every wording entry in effect, ready to uncomment."""
    lines = [
        f"# 模板“{name}”：在模板“{parent.name}”的基础上修改。",
        "# 本文件夹中的文件覆盖上级模板中的同名文件：report.docx 是 Word 模板（版式、样式、表格），",
        "# text/<章节>/<条目>.j2 是事实文件没有填写该条目时使用的通用表述。",
        "# report.typ 是 PDF 的版式（Typst）；改了 report.docx 的版式、想让 PDF 与它一样时，删除 report.typ，",
        "# PDF 就改由 LibreOffice 按 Word 文件生成。",
        "# 不打算修改的文件可以删除，删除后沿用上级模板的版本。",
        "# 修改后运行 govreport templates check 检查；说明见文档“定制省级模板”。",
        f"name: {_scalar(name)}",
        f"description: {_scalar(f'基于“{parent.name}”的自定义模板')}",
        f"extends: {_scalar(extends)}",
        "",
        "# 以下是目前生效的表述（来自上级模板或官方格式）。要修改某一项，去掉该行和它上级各行",
        "# 行首的“# ”再改写；没有写出的项目沿用上级模板。标题中可以用占位符。",
        "wording:",
    ]
    lines += [f"  # {line}" for line in _wording_lines(parent.wording_defaults())]
    return "\n".join(lines) + "\n"


def _wording_lines(wording: dict[str, Any], indent: str = "") -> list[str]:
    lines = []
    for key, value in wording.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines += _wording_lines(value, indent + "  ")
        else:
            lines.append(f"{indent}{key}: {_scalar(str(value))}")
    return lines


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain where YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)
