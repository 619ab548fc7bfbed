"""A report's facts text as the editor's components read it, and what changed between two.

The text lives in the database, not in a file; ``web.document.Document`` reads
it the same way (ruamel's round trip, the same Chinese messages) under a file
name of the agency and year, which is what messages and downloads show.
A facts file may name its template set; on a shared server only the built-in
sets may be named, never a folder on the server.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import GovReportError, InputError
from ..template_sets.sets import builtin_sets
from ..web.checking import Checked, check_document
from ..web.document import Document, display
from ..web.form_fields import all_fields
from .lru import LruCache


@dataclass(frozen=True)
class Change:
    """One value that differs between two versions."""

    field: str
    label: str
    old: str
    new: str

    def line(self) -> str:
        old, new = _short(self.old), _short(self.new)
        return f"{self.label}：{old or '（空）'} → {new or '（空）'}"


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def file_name(agency: str, year: int) -> str:
    return f"{agency}{year}.yaml"


def document(text: str, name: str, version: int = 0) -> Document:
    """The editor's document for ``text``; a template other than a built-in one is refused."""
    doc = Document.from_text(text, name, str(version))
    template = doc.tree.get("template") if hasattr(doc.tree, "get") else None
    if template is not None and str(template) not in builtin_sets():
        names = "、".join(builtin_sets())
        raise InputError(f"服务器上只能使用内置模板（{names}），不能使用“{template}”", file=name)
    return doc


@dataclass(frozen=True)
class Parsed:
    """A version's text read once: its round-trip tree and its check, never mutated."""

    doc: Document
    checked: Checked
    #: the tree pickled: a fresh copy to apply the page's values to in 2 ms (``deepcopy`` of a
    #: ruamel tree takes ten times that). Made here from our own parse, never from input.
    tree: bytes


#: versions kept read (a few MB): the reports being edited and reviewed right now
CACHED_VERSIONS = 256
_PARSED: LruCache[tuple[str, str], Parsed] = LruCache(CACHED_VERSIONS)


def parsed(text: str, name: str) -> Parsed:
    """``text`` read and checked, from the cache when the same text was read before.

    Reading a facts text with ruamel's round trip is most of a check's time; the page
    checks the same version again and again while the user types, so it is read once."""

    def read() -> Parsed:
        doc = document(text, name)
        return Parsed(doc, check_document(doc), pickle.dumps(doc.tree, protocol=5))

    return _PARSED.get_or_make(_key(name, text), read)


def _key(name: str, text: str) -> tuple[str, str]:
    """What a version is cached under: its name and its text's digest."""
    return name, hashlib.sha256(text.encode()).hexdigest()


def check_text(
    text: str, name: str, values: Mapping[str, Any] | None = None, *, keep: bool = False
) -> Checked:
    """``text`` with the page's ``values`` applied, checked as ``govreport check`` would
    (the editor's ``check_document`` on a copy of the cached tree). ``keep``: the result
    is a new version being saved; cache it, as the next request reads that version."""
    cached = parsed(text, name)
    if not values or not cached.doc.changes(values):
        return cached.checked  # the page shows what is saved: nothing to apply or dump
    fresh = dataclasses.replace(cached.doc, tree=pickle.loads(cached.tree))
    checked = check_document(fresh, values)
    if keep:  # the tree now holds exactly what ``checked.text`` says
        saved = dataclasses.replace(fresh, text=checked.text)
        if saved.tree_text != checked.text:  # dumped, not spliced: read it again, so that
            with contextlib.suppress(GovReportError):  # the next save can splice its numbers
                saved = document(checked.text, name)
        _PARSED.put(
            _key(name, checked.text), Parsed(saved, checked, pickle.dumps(saved.tree, protocol=5))
        )
    return checked


def changes(old_text: str, new_text: str) -> list[Change]:
    """Every editor field whose value differs (numbers and texts), in page order; when a
    text does not load as facts, the lines that differ."""
    try:
        old, new = document(old_text, "旧版本.yaml"), document(new_text, "新版本.yaml")
    except GovReportError:
        return _line_changes(old_text, new_text)
    found: list[Change] = []
    for field_id, item in all_fields().items():
        before, after = display(old.value(item)), display(new.value(item))
        if before != after:
            found.append(Change(field_id, item.label, before, after))
    return found


def _line_changes(old_text: str, new_text: str) -> list[Change]:
    found: list[Change] = []
    diff = difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), n=0, lineterm="")
    for line in diff:
        if line.startswith(("---", "+++", "@@")):
            continue
        kind = "删除" if line.startswith("-") else "新增"
        before, after = (line[1:], "") if kind == "删除" else ("", line[1:])
        found.append(Change("", f"第 {len(found) + 1} 处{kind}的行", before, after))
    return found
