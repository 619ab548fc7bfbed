"""Which elements of a web page a browser does not show.

Import reads what a person sees. A page may carry a copy of a table that is never
shown (an old version left in with ``display:none``, a print-only copy, a trap): its
numbers must not be read as the report's. Hidden here are elements with the
``hidden`` attribute, an inline style ``display:none``, ``visibility:hidden`` (or
``collapse``) or ``opacity:0``, and elements a simple rule of the page's own
``<style>`` hides by class or id (``.old{display:none}``, ``div#copy {…}``).
Rules inside ``@media`` (a print style sheet) are not what the screen shows and are
left out; selectors more complex than a tag with a class or an id are not followed.
``<script>``, ``<style>`` and ``<template>`` never reach the tree at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: ``display:none`` takes the element out of the page; the others leave an empty space
_GONE = re.compile(r"(?<![\w-])display\s*:\s*none", re.IGNORECASE)
_INVISIBLE = re.compile(
    r"(?<![\w-])(?:visibility\s*:\s*(?:hidden|collapse)"
    r"|opacity\s*:\s*0*(?:\.0*)?\s*(?:!\s*important\s*)?(?:;|$))",
    re.IGNORECASE,
)
GONE = "gone"
INVISIBLE = "invisible"
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_NAMED = re.compile(r"([A-Za-z][A-Za-z0-9]*|\*)?([.#])(-?[_A-Za-z][\w-]*)")


@dataclass
class HiddenRules:
    """The classes and ids the page's style sheets hide, and how (``GONE``/``INVISIBLE``)."""

    classes: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def read(self, css: str) -> None:
        """Add the hiding rules of one ``<style>`` element's text."""
        for selectors, body in _RULE.findall(_without_at_rules(_COMMENT.sub("", css))):
            how = _how(body)
            if how is None:
                continue
            for selector in selectors.split(","):
                named = _NAMED.fullmatch(selector.strip())
                if named:
                    names = self.classes if named.group(2) == "." else self.ids
                    names[named.group(3)] = (
                        GONE if GONE in (how, names.get(named.group(3))) else how
                    )

    def hiding(self, attrs: dict[str, str]) -> str | None:
        """How an element with ``attrs`` is hidden (its content with it), or ``None``
        when it is shown: ``GONE`` takes no space, ``INVISIBLE`` leaves an empty one."""
        found = {_how(attrs.get("style", "")), self.ids.get(attrs.get("id", "").strip())}
        found |= {self.classes.get(name) for name in attrs.get("class", "").split()}
        if "hidden" in attrs or GONE in found:
            return GONE
        return INVISIBLE if INVISIBLE in found else None


def _how(declarations: str) -> str | None:
    if _GONE.search(declarations):
        return GONE
    return INVISIBLE if _INVISIBLE.search(declarations) else None


def _without_at_rules(css: str) -> str:
    """``css`` without ``@media``/``@supports``… blocks (their braces nest)."""
    out = []
    index = 0
    while (start := css.find("@", index)) != -1:
        out.append(css[index:start])
        brace = css.find("{", start)
        semicolon = css.find(";", start)
        if brace == -1 or (semicolon != -1 and semicolon < brace):  # @import …;
            index = len(css) if semicolon == -1 else semicolon + 1
            continue
        depth = 0
        index = brace
        while index < len(css):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
            if depth == 0:
                break
    out.append(css[index:])
    return "".join(out)
