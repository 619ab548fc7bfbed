"""The facts file's schema (marshmallow): types, defaults, and the model it builds.

Table fields are generated from ``official`` so that the keys accepted here are
exactly the official rows. Messages are Chinese; ``errors_to_problems`` turns
marshmallow's nested error dict into located, labelled problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from .. import official as fmt
from ..diagnostics import ERROR, Problem, Source
from .fields import (
    MAX_YEAR,
    MIN_YEAR,
    Amount,
    Count,
    FormatVersion,
    Name,
    ReportDate,
    Text,
    is_plain_count,
)
from .model import (
    ZERO_ROW,
    Agency,
    Contact,
    Documents,
    Facts,
    OtherMatters,
    Overview,
    Proactive,
    ReviewCounts,
    Reviews,
    Row,
    RowGroup,
    Shortcomings,
)
from .slip_values import slip_in_value

UNKNOWN = "未知的键"
MISSING = "必须填写"
CODE_UNKNOWN_KEY = "F1"
CODE_INVALID = "F2"
CODE_MISSING = "F3"
CODE_BLANK_CELL = "R9"


class _Base(Schema):
    """Unknown keys are errors: a typo must never silently drop a number."""

    class Meta:
        unknown = RAISE

    error_messages = {  # noqa: RUF012 - marshmallow reads this class attribute
        "unknown": UNKNOWN,
        "type": "应为“键: 值”形式的映射",
    }

    @pre_load
    def _empty_is_default(self, data: Any, **kwargs: Any) -> Any:
        """A key left empty (``proactive:`` with every line commented out) takes its default,
        as an empty cell counts as 0; unknown keys stay in so that they are still reported."""
        if not isinstance(data, Mapping):
            return data
        return {k: v for k, v in data.items() if v is not None or k not in self.fields}


# --------------------------------------------------------------------------- fields


class RowField(fields.Field):
    """A table 三 ROW: a mapping of the six applicant columns, or a list of six numbers."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "应为六类申请人的数字：映射，或按“"
        + "、".join(c.label for c in fmt.APPLICANT_COLUMNS)
        + "”顺序的 6 个数的列表",
        "length": "列表应有 6 个数（"
        + "、".join(c.label for c in fmt.APPLICANT_COLUMNS)
        + "），实际有 {length} 个",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Row:
        if value is None:
            return ZERO_ROW
        if _plain_counts(value):  # the usual ``[3, 0, 1, 0, 0, 2]``: what the schema would build
            return Row(*value)
        if isinstance(value, (list, tuple)):
            if len(value) != len(fmt.APPLICANT_COLUMNS):
                raise self.make_error("length", length=len(value))
            value = {c.key: v for c, v in zip(fmt.APPLICANT_COLUMNS, value, strict=True)}
        if not isinstance(value, Mapping):
            raise self.make_error("invalid")
        try:
            return _ROW_SCHEMA.load(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


def _plain_counts(value: Any) -> bool:
    """Six plain whole numbers in range: nothing for the row schema to refuse or convert."""
    return (
        type(value) is list
        and len(value) == len(fmt.APPLICANT_COLUMNS)
        and all(map(is_plain_count, value))
    )


class Topics(fields.Field):
    """五: a single text, or ``{issues, improvements}``."""

    default_error_messages = {"invalid": "应为一段文字，或含 issues、improvements 的映射"}  # noqa: RUF012

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Shortcomings:
        if value is None:
            return Shortcomings()
        if isinstance(value, str):
            return Shortcomings(text=value.strip() or None)
        if not isinstance(value, Mapping):
            raise self.make_error("invalid")
        try:
            return _SHORTCOMINGS_SCHEMA.load(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


# --------------------------------------------------------------------------- schemas


def _counts_schema(name: str, keys: list[str], build: Any) -> type[Schema]:
    attrs: dict[str, Any] = {key: Count() for key in keys}
    attrs["total"] = Count(load_default=None)

    def make(self: Schema, data: dict, **kwargs: Any) -> Any:
        stated = data.pop("total", None)
        return build(**data, stated_total=stated)

    attrs["make"] = post_load(make)
    return type(name, (_Base,), attrs)


RowSchema = _counts_schema("RowSchema", [c.key for c in fmt.APPLICANT_COLUMNS], Row)
ReviewSchema = _counts_schema("ReviewSchema", [c.key for c in fmt.REVIEW_OUTCOMES], ReviewCounts)


def _group_schema(rows: tuple[fmt.RequestRow, ...], name: str) -> type[Schema]:
    """A schema for one level of table 三, from the official tree."""
    attrs: dict[str, Any] = {}
    for row in rows:
        if row.is_group:
            sub = _group_schema(row.children, f"{name}_{row.key}")
            attrs[row.key] = fields.Nested(sub, load_default=dict)
        else:
            attrs[row.key] = RowField(load_default=None)
    return type(name, (_Base,), attrs)


_ROW_SCHEMA = RowSchema()

RequestsSchema = _group_schema(fmt.REQUEST_TREE, "RequestsSchema")


def _dataclass_schema(name: str, build: Any, declared: dict[str, Any]) -> type[Schema]:
    def make(self: Schema, data: dict, **kwargs: Any) -> Any:
        return build(**data)

    return type(name, (_Base,), {**declared, "make": post_load(make)})


DocumentsSchema = _dataclass_schema(
    "DocumentsSchema", Documents, {c.key: Count() for c in fmt.DOCUMENT_COLUMNS}
)
ProactiveSchema = _dataclass_schema(
    "ProactiveSchema",
    Proactive,
    {
        "regulations": fields.Nested(DocumentsSchema, load_default=Documents),
        "normative_documents": fields.Nested(DocumentsSchema, load_default=Documents),
        "licensing": Count(),
        "punishment": Count(),
        "coercion": Count(),
        "fees": Amount(),
    },
)
ReviewsSchema = _dataclass_schema(
    "ReviewsSchema",
    Reviews,
    {b.key: fields.Nested(ReviewSchema, load_default=ReviewCounts) for b in fmt.REVIEW_BLOCKS},
)
ContactSchema = _dataclass_schema(
    "ContactSchema", Contact, {t.key: Text() for t in fmt.CONTACT_FIELDS}
)
OverviewSchema = _dataclass_schema(
    "OverviewSchema", Overview, {k: Text() for k in fmt.OVERVIEW_KEYS}
)
ShortcomingsSchema = _dataclass_schema(
    "ShortcomingsSchema", Shortcomings, {t.key: Text() for t in fmt.PROBLEM_TOPICS}
)
_SHORTCOMINGS_SCHEMA = ShortcomingsSchema()
OtherMattersSchema = _dataclass_schema(
    "OtherMattersSchema", OtherMatters, {t.key: Text() for t in fmt.OTHER_MATTER_TOPICS}
)


class AgencySchema(_Base):
    name = Name(required=True, error_messages={"required": MISSING})
    short_name = Text()
    self_reference = Text()
    level = fields.String(
        load_default="department",
        validate=validate.OneOf(
            list(fmt.LEVELS), error="应为 department（部门）或 government（人民政府）"
        ),
        error_messages={"invalid": "应为 department 或 government"},
    )
    province = Text()
    region = Text()
    contact = fields.Nested(ContactSchema, load_default=Contact)

    @post_load
    def make(self, data: dict, **kwargs: Any) -> Agency:
        name = data["name"].strip()
        data["name"] = name
        data["short_name"] = data.get("short_name") or name
        data["self_reference"] = data.get("self_reference") or fmt.self_reference_for(name)
        return Agency(**data)


class FactsSchema(_Base):
    format = FormatVersion(load_default=fmt.FORMAT_VERSION)
    template = Text()
    agency = fields.Nested(AgencySchema, required=True, error_messages={"required": MISSING})
    year = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(
            MIN_YEAR, MAX_YEAR, error=f"应为 {MIN_YEAR} 到 {MAX_YEAR} 之间的年份"
        ),
        error_messages={"required": MISSING, "invalid": "应为四位数年份，如 2023"},
    )
    published = ReportDate(load_default=None, allow_none=True)
    overview = fields.Nested(OverviewSchema, load_default=Overview)
    proactive = fields.Nested(ProactiveSchema, load_default=Proactive)
    requests = fields.Nested(RequestsSchema, load_default=dict)
    reviews = fields.Nested(ReviewsSchema, load_default=Reviews)
    problems = Topics(load_default=Shortcomings)
    other_matters = fields.Nested(OtherMattersSchema, load_default=OtherMatters)

    @post_load
    def make(self, data: dict, **kwargs: Any) -> Facts:
        data["requests"] = RowGroup(fmt.REQUEST_TREE, data.get("requests") or {})
        return Facts(**data)


# --------------------------------------------------------------------------- errors


def errors_to_problems(messages: Any, source: Source, data: Any) -> list[Problem]:
    """Flatten marshmallow's nested error messages into located, labelled problems."""
    problems: list[Problem] = []
    _flatten(messages, (), source, data, problems)
    return problems


def _flatten(messages: Any, path: tuple, source: Source, data: Any, out: list[Problem]) -> None:
    if isinstance(messages, dict):
        for key, value in messages.items():
            child = path if key == "_schema" else (*path, key)
            _flatten(value, child, source, data, out)
        return
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, (dict, list)):
            _flatten(message, path, source, data, out)
        else:
            out.append(_problem(str(message), path, source, data))


def _problem(message: str, path: tuple, source: Source, data: Any) -> Problem:
    code = CODE_INVALID
    label = fmt.describe(path)
    if message == UNKNOWN:
        code = CODE_UNKNOWN_KEY
        message = _unknown_key_message(path, data)
        label = fmt.describe(path[:-1])
    elif message == MISSING:
        code = CODE_MISSING
        message = f"缺少必填项“{path[-1]}”"
    elif message.startswith("表格单元格不能填"):
        code = CODE_BLANK_CELL
    line, column = source.locate(path, key=code == CODE_UNKNOWN_KEY)
    if code != CODE_MISSING and not isinstance(field_at(path), Text):
        slip = slip_in_value(path, data, source, key=code == CODE_UNKNOWN_KEY)
        if slip is not None:  # the cause, before the symptom the schema saw
            message = f"{slip.message()}；{message}"
            line, column = slip.line or line, slip.column or column
    return Problem(code, ERROR, message, path, label, line, column, source.file)


def _unknown_key_message(path: tuple, data: Any) -> str:
    key = _key_as_written(path[-1])
    valid = allowed_keys(path[:-1])
    import difflib  # only for a mistake: a check of a good file does without it

    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
    if close:
        return f"未知的键“{key}”，是否应为“{close[0]}”？"
    choices = "、".join(valid)
    return f"未知的键“{key}”（此处可用的键：{choices}）" if choices else f"未知的键“{key}”"


def _key_as_written(key: Any) -> str:
    """A key as YAML spells it: ``~:`` loads as None, ``yes:`` as True."""
    if key is None:
        return "~"
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def allowed_keys(path: tuple) -> list[str]:
    """The keys the schema accepts at ``path`` (for suggestions and editors)."""
    target = _schema_at(path)
    return list(target.fields) if isinstance(target, Schema) else []


def field_at(path: tuple) -> fields.Field | None:
    """The field that reads the value at ``path``, or ``None`` for a key it does not know."""
    if not path:
        return None
    parent = _schema_at(path[:-1])
    return parent.fields.get(path[-1]) if isinstance(parent, Schema) else None


def _schema_at(path: tuple) -> Schema | None:
    target: Schema = FactsSchema()
    for key in path:
        if isinstance(key, int):
            continue
        field = target.fields.get(key)
        if isinstance(field, fields.Nested):
            target = field.schema
        elif isinstance(field, RowField):
            target = RowSchema()
        elif isinstance(field, Topics):
            target = ShortcomingsSchema()
        else:
            return None
    return target
