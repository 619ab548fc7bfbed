"""Template sets: where a report's Word file, boilerplate texts and wording come from.

A set is a folder with ``set.yaml`` (name, description, ``extends``, ``wording``),
``report.docx`` and ``text/<section>/<key>.j2`` boilerplate. A set that extends
another inherits every file and wording entry it does not provide itself.

All templates render in one kind of Jinja2 environment: sandboxed (a template
shared by another office cannot reach Python internals) and strict about
undefined names. Escaping happens exactly once, where text meets markup: the
Word template's environment autoescapes; boilerplate texts render to plain text
that the Word template then escapes, so ``A&B<研究院>`` comes out as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from ._exceptions import TemplateError

DEFAULT_SET = "national"
METADATA = "set.yaml"
WORD_TEMPLATE = "report.docx"
TEXT_DIR = "text"
MAX_DEPTH = 8


def make_environment(*, markup: bool = True) -> SandboxedEnvironment:
    """The one kind of Jinja2 environment every template renders in.

    ``markup`` is true for templates whose output is XML (the Word template):
    they autoescape. Plain-text boilerplate is escaped later, by that template.
    """
    env = SandboxedEnvironment(
        autoescape=markup,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["cn"] = chinese_number
    return env


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for section numbering)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def builtin_root() -> Path:
    """Where the built-in sets live: inside the installed package, or the source tree."""
    packaged = resources.files("govreport") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


@dataclass
class TemplateSet:
    """A resolved set with its chain of parents (nearest first)."""

    name: str
    folder: Path
    description: str = ""
    province: str | None = None
    wording: dict[str, Any] = field(default_factory=dict)
    parent: TemplateSet | None = None

    @property
    def chain(self) -> list[TemplateSet]:
        sets, node = [], self
        while node is not None:
            sets.append(node)
            node = node.parent
        return sets

    def find(self, relative: str) -> Path | None:
        """The first file at ``relative`` along the chain, or ``None``."""
        for tset in self.chain:
            candidate = tset.folder / relative
            if candidate.is_file():
                return candidate
        return None

    def word_template(self) -> Path:
        path = self.find(WORD_TEMPLATE)
        if path is None:
            raise TemplateError(f"模板“{self.name}”中没有 Word 模板 {WORD_TEMPLATE}")
        return path

    def text(self, section: str, key: str) -> str | None:
        """The boilerplate source for a narrative slot, or ``None`` when the set has none."""
        path = self.find(f"{TEXT_DIR}/{section}/{key}.j2")
        return path.read_text(encoding="utf-8") if path else None

    def word(self, *keys: str, default: Any = None) -> Any:
        """A wording entry (``word("headings", "reviews")``), nearest set first."""
        for tset in self.chain:
            node: Any = tset.wording
            for key in keys:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None:
                return node
        return default


def builtin_sets() -> dict[str, Path]:
    root = builtin_root()
    if not root.is_dir():
        return {}
    return {p.parent.name: p.parent for p in sorted(root.glob(f"*/{METADATA}"))}


def resolve(
    template: str | Path | None = None, *, province: str | None = None, base: Path | None = None
) -> TemplateSet:
    """The set to use: ``template`` (a name or a folder), else the province's, else national.

    ``base`` is the folder relative paths are taken from (the facts file's folder).
    """
    if template:
        return load_set(template, base=base)
    if province:
        for name, folder in builtin_sets().items():
            if _read_metadata(folder).get("province") == province:
                return load_set(name)
    return load_set(DEFAULT_SET)


def template_set_for(facts: Any, template: str | Path | None = None) -> TemplateSet:
    """The set a report uses: the caller's choice, the facts file's ``template:``, the
    province's set, or national. Relative paths are taken from the facts file's folder."""
    source_file = facts.source.file if facts.source is not None else None
    base = Path(source_file).parent if source_file else None
    if template is not None:
        return resolve(template, base=Path.cwd())
    return resolve(facts.template, province=facts.agency.province, base=base)


def load_set(template: str | Path, *, base: Path | None = None, _depth: int = 0) -> TemplateSet:
    """Load a set by name or folder, with its parents."""
    if _depth > MAX_DEPTH:
        raise TemplateError("模板继承层级过深（extends 是否形成了循环？）")
    folder = _locate(template, base)
    meta = _read_metadata(folder)
    parent_name = meta.get("extends")
    parent = load_set(parent_name, base=folder.parent, _depth=_depth + 1) if parent_name else None
    return TemplateSet(
        name=str(meta.get("name") or folder.name),
        folder=folder,
        description=str(meta.get("description") or ""),
        province=meta.get("province"),
        wording=meta.get("wording") or {},
        parent=parent,
    )


def _locate(template: str | Path, base: Path | None) -> Path:
    text = str(template)
    candidates = []
    if "/" in text or "\\" in text or text.startswith(".") or Path(text).is_absolute():
        candidates.append(Path(text) if base is None else base / text)
        candidates.append(Path(text))
    builtin = builtin_sets()
    if text in builtin:
        candidates.append(builtin[text])
    if base is not None:
        candidates.append(base / text)
    candidates.append(Path(text))
    for folder in candidates:
        if (folder / METADATA).is_file():
            return folder.resolve()
    names = "、".join(builtin) or "（无）"
    raise TemplateError(
        f"找不到模板“{text}”", hint=f"内置模板有：{names}；也可以写模板文件夹的路径"
    )


@cache
def _read_metadata_cached(path: str, mtime: float) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TemplateError(f"模板描述文件 {path} 无法读取：{exc}") from None
    if not isinstance(data, dict):
        raise TemplateError(f"模板描述文件 {path} 应是“键: 值”形式的映射")
    return data


def _read_metadata(folder: Path) -> dict:
    path = folder / METADATA
    return _read_metadata_cached(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------- compiled texts

_text_env = make_environment(markup=False)


@cache
def compile_text(source: str) -> Any:
    """Compile a text template once; raises ``TemplateSyntaxError`` with its line."""
    return _text_env.from_string(source)


def render_text(source: str, context: dict, *, where: str) -> str:
    """Render boilerplate or the author's own text; errors name ``where`` it stands."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import UndefinedError
    from jinja2.sandbox import SecurityError

    try:
        return compile_text(source).render(context)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{where}：模板语法错误（第 {exc.lineno} 行）：{exc.message}") from None
    except UndefinedError as exc:
        name = undefined_name(exc)
        raise TemplateError(
            f"{where}：占位符 {{{{ {name} }}}} 无法识别（{exc.message}）",
            hint="检查占位符拼写，可用的有 agency、year、requests、reviews、proactive 等",
        ) from None
    except SecurityError as exc:
        raise TemplateError(f"{where}：模板试图访问不允许的内容（{exc}）") from None
    except JinjaError as exc:
        raise TemplateError(f"{where}：模板出错：{exc}") from None


_UNDEFINED = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def undefined_name(exc: Exception) -> str:
    """The misspelt name in a StrictUndefined error message."""
    match = _UNDEFINED.search(str(exc))
    return next(g for g in match.groups() if g) if match else str(exc)
