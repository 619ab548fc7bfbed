"""Placeholders in the author's own texts: data, never code.

A narrative text in a facts file (and one that ``import`` brings in from a published
report) may name a value of the facts, ``{{ requests.received.total }}``, so that the
numbers in the text cannot drift from the tables. That is all it may do: texts are
not Jinja templates, so nothing in them can loop, include a file or compute. The
syntax is a strict subset of Jinja's, so a text means the same thing to a person
who knows Jinja:

- ``{{ dotted.path }}``: the value at that path (``year``, ``agency.name``,
  ``requests.received.total``, ``fees`` …);
- ``{{ "…" }}`` or ``{{ '…' }}``: the quoted text as it stands, which is how a
  literal ``{{``, ``{%`` or ``{#`` is written (``escape`` writes them so).

Any other ``{{``, ``{%`` or ``{#`` is an error that names its line in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..errors import TemplateError

#: What opens a Jinja construct; each must be a placeholder of ours.
_OPENER = re.compile(r"\{[{%#]")
_PATH = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_PLACEHOLDER = re.compile(
    r"\{\{[ \t]*(?:(?P<path>" + _PATH + r")|\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)')[ \t]*\}\}"
)
#: How deep a dotted path may go; the facts nest four levels at most.
MAX_PATH_PARTS = 6
HINT = (
    "正文中只能用 {{ 路径 }} 引用事实文件中的数值，如 {{ requests.received.total }}；"
    '要写出字面的“{{”，请写成 {{ "{{" }}'
)


class PlaceholderSyntaxError(TemplateError):
    """A ``{{``, ``{%`` or ``{#`` that is not one of ours; ``line`` counts from 1 in the text."""

    def __init__(self, message: str, line: int, *, hint: str | None = HINT):
        super().__init__(message, hint=hint)
        self.line = line


def has_placeholders(text: str) -> bool:
    """Whether ``text`` needs ``substitute`` at all (most texts are plain)."""
    return "{" in text and _OPENER.search(text) is not None


def substitute(text: str, context: Mapping[str, Any]) -> str:
    """``text`` with each placeholder replaced by its value; raises ``PlaceholderSyntaxError``."""
    result, errors = _expand(text, context, first_only=True)
    if errors:
        raise errors[0]
    return result


def find_errors(text: str, context: Mapping[str, Any]) -> list[PlaceholderSyntaxError]:
    """Every placeholder of ``text`` that would fail, in order (``check`` lists them all)."""
    return _expand(text, context, first_only=False)[1]


def _expand(
    text: str, context: Mapping[str, Any], *, first_only: bool
) -> tuple[str, list[PlaceholderSyntaxError]]:
    """One pass over the openers: the substituted text and the failures met on the way.

    Lines are counted incrementally, so a long text with many braces stays linear.
    """
    if not has_placeholders(text):
        return text, []
    out: list[str] = []
    errors: list[PlaceholderSyntaxError] = []
    pos = counted = 0
    line = 1
    for opener in _OPENER.finditer(text):
        start = opener.start()
        if start < pos:
            continue  # inside a placeholder already consumed
        line += text.count("\n", counted, start)
        counted = start
        out.append(text[pos:start])
        match = _PLACEHOLDER.match(text, start)
        try:
            if match is None:
                raise PlaceholderSyntaxError(_describe(text, start), line)
            if match["path"] is not None:
                out.append(_value(match["path"], context, line))
            else:
                out.append(match["dq"] if match["dq"] is not None else match["sq"])
            pos = match.end()
        except PlaceholderSyntaxError as exc:
            errors.append(exc)
            if first_only:
                break
            out.append(text[start : opener.end()])
            pos = opener.end()
    out.append(text[pos:])
    return "".join(out), errors


def validate(text: str, context: Mapping[str, Any]) -> None:
    """Raise ``PlaceholderSyntaxError`` for the first placeholder that would fail."""
    substitute(text, context)


def escape(text: str) -> str:
    """``text`` written so that ``substitute`` gives it back unchanged, braces included."""
    if not has_placeholders(text):
        return text
    return _OPENER.sub(lambda m: '{{ "' + m.group(0) + '" }}', text)


def _describe(text: str, start: int) -> str:
    closer = {"{": "}}", "%": "%}", "#": "#}"}[text[start + 1]]
    end = text.find(closer, start + 2, start + 60)
    snippet = text[start : end + 2 if end >= 0 else start + 40].split("\n", 1)[0]
    if text.startswith("{%", start):
        return f"正文中不能使用模板语句“{snippet}”"
    if text.startswith("{#", start):
        return f"正文中不能使用模板注释“{snippet}”"
    return f"占位符“{snippet}”不是 {{{{ 路径 }}}} 的形式：正文中不允许使用表达式、函数或运算"


def _value(path: str, context: Mapping[str, Any], line: int) -> str:
    parts = path.split(".")
    if len(parts) > MAX_PATH_PARTS:
        raise PlaceholderSyntaxError(f"占位符“{path}”层次过多", line)
    value: Any = context
    for depth, part in enumerate(parts):
        if part.startswith("_"):
            raise PlaceholderSyntaxError(
                f"占位符“{{{{ {path} }}}}”不允许访问内部名称“{part}”", line
            )
        value = _child(value, part)
        if value is _MISSING:
            known = ".".join(parts[:depth]) or "顶层"
            raise PlaceholderSyntaxError(
                f"占位符“{{{{ {path} }}}}”无法识别（{known}下没有“{part}”）",
                line,
                hint="检查占位符拼写，可用的有 agency.name、year、requests.received.total、"
                "proactive.licensing.new、reviews.total.total、fees 等",
            )
    return _show(value, path, line)


_MISSING = object()


def _child(value: Any, part: str) -> Any:
    """Attribute first, then item, as Jinja looks a dotted name up; never a method."""
    if isinstance(value, (str, int, Decimal, dt.date)):
        return _MISSING  # no methods or attributes of plain values
    child = getattr(value, part, _MISSING)
    if (child is _MISSING or callable(child)) and isinstance(value, Mapping):
        child = value.get(part, _MISSING)
    return _MISSING if callable(child) else child


def _show(value: Any, path: str, line: int) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (str, int, dt.date)):
        return str(value)
    raise PlaceholderSyntaxError(
        f"占位符“{{{{ {path} }}}}”指的是一组数值而不是一个数，请写到具体的格，如 "
        f"{{{{ {path}.total }}}}",
        line,
    )
