"""Template sets: where a report's Word file, boilerplate texts and wording come from.

A set is a folder with ``set.yaml`` (name, description, ``extends``, ``wording``),
``report.docx`` and ``text/<section>/<key>.j2`` boilerplate. A set that extends
another inherits every file and wording entry it does not provide itself.

The templates a set holds render in ``template_sets.environment``; ``template_sets.new_set`` starts a new set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import official as fmt
from ..errors import TemplateError
from .set_files import (
    MAX_METADATA_BYTES,
    MAX_TEXT_BYTES,
    METADATA,
    PAGE_NUMBER_STYLES,
    TOPICS,
    checked_metadata,
    read_limited,
    require_safe,
    unsafe_files,
)
from .word_package import require_safe_docx

DEFAULT_SET = "national"
#: The official title, as a wording ``title`` would write it.
TITLE_DEFAULT = "{{ agency.name }}{{ year }}年政府信息公开工作年度报告"
NUMBERING_DEFAULT = "（一）"
#: The boilerplate slots a set may fill: ``text/<section>/<key>.j2``.
TEXT_SLOTS: dict[str, tuple[str, ...]] = {
    "overview": fmt.OVERVIEW_KEYS,
    "problems": tuple(t.key for t in fmt.PROBLEM_TOPICS),
    "other_matters": tuple(t.key for t in fmt.OTHER_MATTER_TOPICS),
}
WORD_TEMPLATE = "report.docx"
#: The Typst template the PDF is typeset from (``rendering.typst_pdf``); inherited like the rest.
TYPST_TEMPLATE = "report.typ"
#: The web page and Markdown templates by format; a set without them inherits its parent's.
MARKUP_TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2"}
TEXT_DIR = "text"
MAX_DEPTH = 8


def builtin_root() -> Path:
    """Where the built-in sets live: beside this module, in the package itself."""
    return Path(__file__).parent / "builtin"  # not importlib.resources: 6 ms a cold start


def _set_file(folder: Path, name: str, relative: str) -> Path | None:
    """``relative`` in one set's folder if it is a plain file there; a link is refused."""
    candidate = folder / relative
    if os.path.lexists(candidate):
        require_safe(candidate, folder, f"{relative}（模板“{name}”）")
    return candidate if candidate.is_file() else None


@cache
def _builtin_file(folder: Path, name: str, relative: str) -> Path | None:
    """``_set_file`` for the package's own sets, looked up once a process."""
    return _set_file(folder, name, relative)


@dataclass
class TemplateSet:
    """A resolved set with its chain of parents (nearest first)."""

    name: str
    folder: Path
    description: str = ""
    province: str | None = None
    wording: dict[str, Any] = field(default_factory=dict)
    parent: TemplateSet | None = None
    page_numbers: str | None = None
    #: One of the package's own sets: its files were checked once and do not change.
    builtin: bool = field(default=False, compare=False, repr=False)

    @property
    def chain(self) -> list[TemplateSet]:
        sets: list[TemplateSet] = []
        node: TemplateSet | None = self
        while node is not None:
            sets.append(node)
            node = node.parent
        return sets

    def find(self, relative: str) -> Path | None:
        """The first file at ``relative`` along the chain, or ``None``.

        A link, or anything that is not a plain file of the set's own folder, is
        refused (``TemplateError``): a shared set must not read the machine's files.
        """
        for tset in self.chain:
            found = (_builtin_file if tset.builtin else _set_file)(tset.folder, tset.name, relative)
            if found is not None:
                return found
        return None

    def word_template(self) -> Path:
        path = self.find(WORD_TEMPLATE)
        if path is None:
            raise TemplateError(f"模板“{self.name}”中没有 Word 模板 {WORD_TEMPLATE}")
        require_safe_docx(path, str(path))
        return path

    def markup_template(self, fmt: str) -> Path:
        """``report.html.j2`` or ``report.md.j2``: the nearest set's along the chain."""
        path = self.find(MARKUP_TEMPLATES[fmt])
        if path is None:
            raise TemplateError(f"模板“{self.name}”中没有 {MARKUP_TEMPLATES[fmt]}")
        return path

    def page_number_style(self) -> str:
        """``outside`` (GB/T 9704) or ``centred``: the nearest set's choice."""
        for tset in self.chain:
            if tset.page_numbers is not None:
                if tset.page_numbers not in PAGE_NUMBER_STYLES:
                    raise TemplateError(
                        f"模板“{tset.name}”的 page_numbers 写的是“{tset.page_numbers}”，无法识别",
                        hint="可选："
                        + "、".join(f"{k}（{v}）" for k, v in PAGE_NUMBER_STYLES.items()),
                    )
                return tset.page_numbers
        return "outside"

    def text(self, section: str, key: str) -> str | None:
        """The boilerplate source for a narrative slot, or ``None`` when the set has none."""
        path = self.find(f"{TEXT_DIR}/{section}/{key}.j2")
        return read_cached(path) if path else None

    def word(self, *keys: str, default: Any = None) -> Any:
        """A wording entry (``word("headings", "reviews")``), nearest set first."""
        for tset in self.chain:
            node: Any = tset.wording
            for key in keys:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None:
                return node
        return default

    def text_files(self, *, strict: bool = True) -> dict[str, Path]:
        """Every boilerplate file the set uses, by ``section/key.j2``, nearest set first.

        A link or special file is refused, or with ``strict=False`` left out
        (``templates check`` reports those on their own)."""
        found: dict[str, Path] = {}
        for tset in self.chain:
            root = tset.folder / TEXT_DIR
            for path in sorted(root.glob("*/*.j2")) if root.is_dir() else ():
                relative = path.relative_to(root).as_posix()
                try:
                    require_safe(path, tset.folder, f"{TEXT_DIR}/{relative}（模板“{tset.name}”）")
                    require_safe(path.parent, tset.folder, f"{TEXT_DIR}/{path.parent.name}")
                except TemplateError:
                    if strict:
                        raise
                    continue
                found.setdefault(relative, path)
        return dict(sorted(found.items()))

    def wording_defaults(self) -> dict[str, Any]:
        """The wording in effect, every key filled (the set's, its parents', or the official)."""
        return {
            "title": self.word("title", default=TITLE_DEFAULT),
            "headings": {
                key: self.word("headings", key, default=text)
                for key, text in fmt.SECTION_HEADINGS.items()
            },
            "topics": {
                section: {
                    t.key: self.word("topics", section, t.key, default=t.title) for t in topics
                }
                for section, topics in TOPICS.items()
            },
            "numbering": {
                section: self.word("numbering", section, default=NUMBERING_DEFAULT)
                for section in TOPICS
            },
        }


def builtin_sets() -> dict[str, Path]:
    """The built-in sets by folder name (national, shandong …)."""
    return dict(_builtin_sets())


@cache
def _builtin_sets() -> tuple[tuple[str, Path], ...]:
    """Looked up once a process: the package's own files change only with a new install."""
    root = builtin_root()
    if not root.is_dir():
        return ()
    return tuple((p.parent.name, p.parent) for p in sorted(root.glob(f"*/{METADATA}")))


def resolve(
    template: str | Path | None = None, *, province: str | None = None, base: Path | None = None
) -> TemplateSet:
    """The set to use: ``template`` (a name or a folder), else the province's, else national.

    ``base`` is the folder relative paths are taken from (the facts file's folder).
    """
    if template:
        return load_set(template, base=base)
    name = province_set(province)
    return load_set(name or DEFAULT_SET)


def province_set(province: str | None) -> str | None:
    """The built-in set made for ``province`` (its set.yaml says ``province: 山东省``)."""
    if not province:
        return None
    for name, folder in builtin_sets().items():
        if _load_builtin(folder.resolve()).province == province:
            return name
    return None


def template_set_for(facts: Any, template: TemplateSet | str | Path | None = None) -> TemplateSet:
    """The set a report uses: the caller's choice, the facts file's ``template:``, the
    province's set, or national. Relative paths are taken from the facts file's folder.
    A set already resolved is used as it is."""
    if isinstance(template, TemplateSet):
        return template
    source_file = facts.source.file if facts.source is not None else None
    base = Path(source_file).parent if source_file else None
    if template is not None:
        return resolve(template, base=Path.cwd())
    return resolve(facts.template, province=facts.agency.province, base=base)


def load_set(
    template: str | Path, *, base: Path | None = None, checking: bool = False
) -> TemplateSet:
    """Load a set by name or folder, with its parents.

    A parent named in ``extends`` is a built-in set's name, a folder beside the
    set's own folder, or a path relative to the set's folder (``../city``).
    A set (or parent) holding a link or special file anywhere, or with any problem in
    its ``set.yaml``, is refused; when ``checking`` (``templates check``, which lists
    those itself) only what keeps the set from loading is.
    """
    return _load(locate(template, base), (), checking)


def _load(folder: Path, seen: tuple[Path, ...], checking: bool = False) -> TemplateSet:
    if not checking and folder in _builtin_folders():
        return _load_builtin(folder)
    return _load_folder(folder, seen, checking)


@cache
def _builtin_folders() -> frozenset[Path]:
    """The built-in sets' folders as ``locate`` gives them (resolved)."""
    return frozenset(folder.resolve() for _, folder in _builtin_sets())


@cache
def _load_builtin(folder: Path) -> TemplateSet:
    """A built-in set, checked and read once a process (it ships with the code)."""
    tset = _load_folder(folder, ())
    tset.builtin = True
    return tset


def _load_folder(folder: Path, seen: tuple[Path, ...], checking: bool = False) -> TemplateSet:
    if folder in seen:
        loop = " → ".join(_display_name(f) for f in (*seen, folder))
        raise TemplateError(
            f"模板继承形成了循环：{loop}",
            hint="检查各模板 set.yaml 中的 extends，继承链最终应指向 national",
        )
    if len(seen) >= MAX_DEPTH:
        raise TemplateError(f"模板继承层级超过 {MAX_DEPTH} 层：{_display_name(folder)}")
    meta = _read_metadata(folder, checking)
    if not checking:
        for relative, reason in unsafe_files(folder):
            raise TemplateError(
                f"模板文件 {relative}（{folder}）{reason}，已拒绝使用",
                hint="把它换成普通文件后用 govreport templates check 检查",
            )
    parent_name = meta.get("extends")
    parent = None
    if parent_name:
        parent = _load(
            locate(parent_name, folder, siblings=folder.parent), (*seen, folder), checking
        )
    return TemplateSet(
        name=meta.get("name") or folder.name,
        folder=folder,
        description=meta.get("description") or "",
        province=meta.get("province"),
        wording=meta.get("wording") or {},
        parent=parent,
        page_numbers=None if meta.get("page_numbers") is None else str(meta["page_numbers"]),
    )


def _display_name(folder: Path) -> str:
    meta = _read_metadata(folder, checking=True)
    return str(meta.get("name") or folder.name)


def _is_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.startswith(".") or Path(text).is_absolute()


def locate(template: str | Path, base: Path | None, *, siblings: Path | None = None) -> Path:
    """The folder of a set named or pointed at by ``template``.

    A path is taken from ``base``; a bare name is a built-in set first, then a
    folder in ``siblings`` (for ``extends``) or ``base``, then the working folder.
    """
    text = str(template)
    candidates = []
    if _is_path(text):
        candidates.append(Path(text) if base is None else base / text)
        candidates.append(Path(text))
    builtin = builtin_sets()
    if text in builtin:
        candidates.append(builtin[text])
    for folder in (siblings, base):
        if folder is not None:
            candidates.append(folder / text)
    candidates.append(Path(text))
    for folder in candidates:
        if (folder / METADATA).is_file():
            return folder.resolve()
    names = "、".join(builtin) or "（无）"
    raise TemplateError(
        f"找不到模板“{text}”", hint=f"内置模板有：{names}；也可以写模板文件夹的路径"
    )


def _read_metadata(folder: Path, checking: bool = False) -> dict:
    path = folder / METADATA
    require_safe(path, folder, str(path))
    return _parse_metadata(str(path), read_cached(path, limit=MAX_METADATA_BYTES), checking)


@cache
def _parse_metadata(path: str, text: str, checking: bool) -> dict:
    """A set's ``set.yaml``, parsed and checked once per text (``read_cached``
    notices edits); see ``template_sets.set_files``."""
    return checked_metadata(text, path, checking=checking)


def read_cached(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """A template file's text, read once per process unless it changes on disk;
    refused past ``limit`` bytes or when it is not a regular file."""
    stat = path.stat()
    try:
        return _read(str(path), stat.st_mtime_ns, stat.st_size, limit)
    except UnicodeDecodeError:
        raise TemplateError(f"模板文件 {path} 不是 UTF-8 编码", hint="请用 UTF-8 另存") from None


@cache
def _read(path: str, mtime_ns: int, size: int, limit: int) -> str:
    return read_limited(Path(path), limit, path).decode("utf-8")
