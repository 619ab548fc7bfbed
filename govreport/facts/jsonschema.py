"""A JSON Schema of the facts file, derived from the marshmallow schema.

Editors (VS Code's YAML extension and others) use it to autocomplete keys and
show the official Chinese label of each while the user types. It is generated
by walking ``FactsSchema``, so it cannot drift from what ``load`` accepts.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from .. import official as fmt
from .fields import (
    FEE_PLACES,
    MAX_COUNT,
    MAX_FEES,
    MAX_TEXT_CHARS,
    Amount,
    Count,
    FormatVersion,
    Name,
    ReportDate,
    Text,
)
from .schema import FactsSchema, RowField, RowSchema, ShortcomingsSchema, Topics

SCHEMA_ID = "https://govreport.invalid/facts.schema.json"
_COUNT = {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": MAX_COUNT}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a facts file."""
    schema = _object(FactsSchema(), ())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "govreport 事实文件（政府信息公开工作年度报告）",
        "description": f"按{fmt.FORMAT_SOURCE}格式，一个机关一个年度的事实",
        **schema,
    }


def _object(schema: Schema, path: tuple[str, ...]) -> dict[str, Any]:
    properties = {name: _field(field, (*path, name)) for name, field in schema.fields.items()}
    result: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    required = [name for name, field in schema.fields.items() if field.required]
    if required:
        result["required"] = required
    return result


def _field(field: fields.Field, path: tuple[str, ...]) -> dict[str, Any]:
    result = _type_of(field, path)
    if not field.required:  # a key left empty takes its default (see ``_Base``)
        if result.get("type") == "object":
            result["type"] = ["object", "null"]
        elif "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    label = fmt.describe(path)
    if label:
        result = {"description": label, **result}
    return result


def _type_of(field: fields.Field, path: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(field, Count):
        return dict(_COUNT)
    if isinstance(field, Amount):
        return {
            "anyOf": [
                {"type": "number", "minimum": 0, "exclusiveMaximum": MAX_FEES},
                {"type": "string", "pattern": rf"^\s*\d{{1,9}}(\.\d{{1,{FEE_PLACES}}})?\s*$"},
                {"type": "null"},
            ]
        }
    if isinstance(field, ReportDate):
        return {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                {
                    "type": "string",
                    "pattern": r"^\s*\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?\s*$",
                },
                {"type": "null"},
            ]
        }
    if isinstance(field, FormatVersion):
        return {"enum": [fmt.FORMAT_VERSION, int(fmt.FORMAT_VERSION)]}
    if isinstance(field, RowField):
        return {
            "oneOf": [
                _object(RowSchema(), path),
                {
                    "type": "array",
                    "items": dict(_COUNT),
                    "minItems": len(fmt.APPLICANT_COLUMNS),
                    "maxItems": len(fmt.APPLICANT_COLUMNS),
                    "description": "按顺序：" + "、".join(c.label for c in fmt.APPLICANT_COLUMNS),
                },
                {"type": "null"},
            ]
        }
    if isinstance(field, Topics):
        return {"anyOf": [{"type": ["string", "null"]}, _object(ShortcomingsSchema(), path)]}
    if isinstance(field, fields.Nested):
        return _object(field.schema, path)
    if isinstance(field, Name):
        return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}
    if isinstance(field, Text):
        return {"type": ["string", "null"], "maxLength": MAX_TEXT_CHARS}
    if isinstance(field, fields.Integer):
        result: dict[str, Any] = {"type": "integer"}
        for rule in field.validators:
            if isinstance(rule, validate.Range):
                result.update(minimum=rule.min, maximum=rule.max)
        return result
    if isinstance(field, fields.String):
        for rule in field.validators:
            if isinstance(rule, validate.OneOf):
                return {"enum": list(rule.choices)}
        return {"type": "string"}
    return {}
