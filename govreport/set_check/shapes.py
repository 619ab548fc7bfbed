"""What a placeholder may name: the shapes of the facts model, as rendering fills the context.

The shapes come from rendering's own context of a sample report, so a name the
renderer adds or drops is known here without a list to keep in step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import official as fmt
from ..facts.model import Row, RowGroup
from ..template_sets.sets import DEFAULT_SET, load_set


@dataclass(frozen=True, eq=False)
class Shape:
    """What a placeholder may reach below a value: attributes, items, or anything."""

    attrs: Mapping[str, Shape] | None = None
    item: Shape | None = None
    pytype: type | None = None
    anything: bool = False

    def lookup(self, name: str) -> Shape | None:
        """The shape of ``value.name``, or ``None`` when rendering would find nothing."""
        if self.anything:
            return ANY
        if self.attrs is not None and name in self.attrs:
            return self.attrs[name]
        if self.pytype is not None and hasattr(self.pytype, name):
            return ANY
        return None

    def names(self) -> list[str]:
        """The names to suggest when a placeholder names none of them."""
        return list(self.attrs or ())


ANY = Shape(anything=True)


@cache
def shape_of_type(tp: Any) -> Shape:
    """The shape of a model type: dataclass fields and properties, element types, builtins."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return shape_of_type(args[0]) if len(args) == 1 else ANY
    if origin in (list, tuple):
        params = typing.get_args(tp)
        return Shape(item=shape_of_type(params[0]) if params else ANY, pytype=origin)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_shape(tp)
    if isinstance(tp, type) and tp is not object:
        return Shape(pytype=tp)
    return ANY


def _dataclass_shape(cls: type) -> Shape:
    """Fields and public properties, typed from their hints, so chains check link by link."""
    hints = typing.get_type_hints(cls)
    attrs = {f.name: shape_of_type(hints[f.name]) for f in dataclasses.fields(cls)}
    for name, member in vars(cls).items():
        if isinstance(member, property) and not name.startswith("_"):
            returns = typing.get_type_hints(member.fget).get("return", Any)
            attrs[name] = shape_of_type(returns)
    return Shape(attrs=attrs, pytype=cls)


def _group_shape(spec: tuple[fmt.RequestRow, ...]) -> Shape:
    """A level of table 三 as ``RowGroup`` builds it from ``official``."""
    row = shape_of_type(Row)
    attrs = {r.key: _group_shape(r.children) if r.is_group else row for r in spec}
    attrs["total"] = row
    return Shape(attrs=attrs, pytype=RowGroup)


def shape_of_value(value: Any) -> Shape:
    """The shape of a context value, from its model type where it has one."""
    if isinstance(value, RowGroup):
        return _group_shape(value._spec)
    if dataclasses.is_dataclass(value):
        model: type = type(value)
        return shape_of_type(model)
    if isinstance(value, Mapping):
        return Shape(attrs={k: shape_of_value(v) for k, v in value.items()}, pytype=dict)
    if isinstance(value, (list, tuple)):
        return Shape(item=shape_of_value(value[0]) if value else ANY, pytype=type(value))
    return ANY if value is None else Shape(pytype=type(value))


_SAMPLE = {
    "agency": {"name": "某某局", "contact": {"department": "办公室", "phone": "0000-0000000"}},
    "year": 2023,
    "published": dt.date(2024, 1, 20),
}


@cache
def sample_contexts() -> tuple[dict[str, Any], dict[str, Any]]:
    """The text and Word contexts of a sample report: rendering's own names, no list empty."""
    from ..facts.loading import load
    from ..narrative.writer import text_context, write_narrative
    from ..rendering.report import word_context

    facts = load(_SAMPLE)
    narrative = write_narrative(facts, load_set(DEFAULT_SET))
    return text_context(facts), word_context(facts, narrative)


def text_shapes() -> dict[str, Shape]:
    """What boilerplate texts, the title and the author's texts may name."""
    return {k: shape_of_value(v) for k, v in sample_contexts()[0].items()}


def word_shapes() -> dict[str, Shape]:
    """What the Word template may name."""
    return {k: shape_of_value(v) for k, v in sample_contexts()[1].items()}
