"""``load``: from a path, YAML text, a dict or ready facts to validated ``Facts``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from ..diagnostics import Source, sort_key
from ..errors import FactsError, InputError
from .model import Facts
from .reading import load_yaml
from .schema import FactsSchema, errors_to_problems

_SCHEMA = FactsSchema()  # schemas are reusable; building one per file costs more than loading

FactsInput = str | Path | Mapping[str, Any] | Facts


def load(source: FactsInput) -> Facts:
    """Validated facts with defaults filled and totals computed.

    ``source`` is a path to a facts file, a dict shaped like one, or ``Facts``
    (returned as is). Raises ``InputError`` when the file cannot be read and
    ``FactsError`` listing every schema problem when it can but is wrong.
    """
    if isinstance(source, Facts):
        return source
    if isinstance(source, Mapping):
        return validate(dict(source), Source())
    if isinstance(source, (str, Path)):
        data, where = load_yaml(source)
        return validate(data, where)
    raise InputError(f"无法识别的事实来源类型：{type(source).__name__}")


def validate(data: dict, source: Source) -> Facts:
    """Run the schema over parsed data; every problem is collected, none dropped."""
    try:
        facts: Facts = _SCHEMA.load(data)
    except ValidationError as exc:
        problems = sorted(errors_to_problems(exc.messages, source, data), key=sort_key)
        raise FactsError(problems, source.file) from None
    object.__setattr__(facts, "source", source)
    return facts
