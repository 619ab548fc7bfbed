"""The facts file's schema (marshmallow): types, defaults, and the model it builds.

Table fields are generated from ``_format`` so that the keys accepted here are
exactly the official rows. Messages are Chinese; ``errors_to_problems`` turns
marshmallow's nested error dict into located, labelled problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate

from . import _format as fmt
from ._loader import Source
from ._model import (
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
from ._problems import ERROR, Problem

UNKNOWN = "未知的键"
MISSING = "必须填写"
CODE_UNKNOWN_KEY = "F1"
CODE_INVALID = "F2"
CODE_MISSING = "F3"
CODE_BLANK_CELL = "R9"
_PLACEHOLDER_CELLS = {"/", "／", "—", "-", "－", "——", "无", "空"}

#: A count in any table is below this: more than a real agency could report in a year.
MAX_COUNT = 10**9
#: A fee (万元) is below this, with at most ``FEE_PLACES`` decimals (0.0001 万元 = 1 元).
MAX_FEES = 10**9
FEE_PLACES = 4
#: Report years: the 条例 came into force on 2008-05-01, so 2008 is the first report year.
MIN_YEAR = 2008
MAX_YEAR = 2100
#: Longest text of one field, in characters; longer is refused, never cut. Rendering must
#: not cut either: docxtpl's ``fix_tables`` re-parses the document with lxml's
#: ``recover=True``, where libxml2 silently cuts a text node at 10,000,000 bytes (what
#: turned an 11-million-character paragraph into 10,000,000); 100,000 characters of
#: Chinese are 300,000 bytes, far below that.
MAX_TEXT_CHARS = 100_000
_DIGITS = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?\Z")
#: Characters a Word document (XML 1.0) cannot hold: a text with one is refused, not cut.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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


class Count(fields.Integer):
    """A whole number ≥ 0. ``null`` counts as 0; "/" or "—" is a blank cell (R9)."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "应为不小于 0 的整数",
        "blank": "表格单元格不能填“{input}”，没有就填 0",
        "negative": "不能为负数",
        "fraction": "应为整数，不能有小数",
        "digits": "应为普通的十进制整数（如 12），不能写成“{input}”",
        "too_large": f"数值过大：件数应小于 {MAX_COUNT:,}",
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("load_default", 0)
        super().__init__(strict=False, allow_none=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, str):
            value = value.strip()
            if value in _PLACEHOLDER_CELLS or not value:
                raise self.make_error("blank", input=value)
            if value.startswith("-") and _DIGITS.match(value[1:]):
                raise self.make_error("negative")
            if not _DIGITS.match(value):
                raise self.make_error("digits", input=value[:30])
            if len(value) > len(str(MAX_COUNT)):
                raise self.make_error("too_large")
            value = int(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.make_error("invalid")
        if isinstance(value, Decimal) and not value.is_finite():
            raise self.make_error("invalid")
        if isinstance(value, (int, float, Decimal)) and abs(value) >= MAX_COUNT:
            # before any int(): int(Decimal("1E+999999999")) would allocate a billion digits
            raise self.make_error("too_large" if value > 0 else "negative")
        if isinstance(value, (float, Decimal)) and value != int(value):
            raise self.make_error("fraction")
        number = super()._deserialize(value, attr, data, **kwargs)
        if number < 0:
            raise self.make_error("negative")
        return number


class Amount(fields.Decimal):
    """A fee in 万元: an exact, non-negative decimal (floats go through ``str``)."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "应为金额数字（单位：万元），可带小数",
        "special": "应为有限的金额数字",
        "negative": "不能为负数",
        "blank": "表格单元格不能填“{input}”，没有就填 0",
        "too_large": f"金额过大：应小于 {MAX_FEES:,} 万元",
        "notation": "金额应写成普通的小数（如 12.35），不能写成“{input}”"
        f"；金额应小于 {MAX_FEES:,} 万元，最多 {FEE_PLACES} 位小数",
        "places": f"金额最多保留 {FEE_PLACES} 位小数（单位：万元，0.0001 万元即 1 元）",
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("load_default", Decimal(0))
        super().__init__(allow_none=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        if value is None:
            return Decimal(0)
        if isinstance(value, str) and value.strip() in _PLACEHOLDER_CELLS:
            raise self.make_error("blank", input=value.strip())
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, str) and not _PLAIN_AMOUNT.match(value.strip()):
            # "1E+999999999", "0x10", "1_000": refused as written, before any conversion
            shown = value.strip()
            raise self.make_error("notation", input=shown if len(shown) <= 30 else shown[:30] + "…")
        amount = super()._deserialize(value, attr, data, **kwargs)
        if not amount.is_finite():
            raise self.make_error("special")
        if amount < 0:
            raise self.make_error("negative")
        # Compared, never formatted: "1E+999999999" is refused without being expanded.
        if amount >= MAX_FEES:
            raise self.make_error("too_large")
        if amount != 0 and amount.normalize().as_tuple().exponent < -FEE_PLACES:  # type: ignore[operator]
            raise self.make_error("places")
        return amount


class Text(fields.String):
    """A narrative text; blank means "left out" so that boilerplate can stand in."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "应为文字",
        "too_long": f"文字过长（{{length:,}} 字），每项不应超过 {MAX_TEXT_CHARS:,} 字；"
        "请精简，或分到其他栏目",
        "control": "文字中有不可见的控制字符 U+{code:04X}（第 {line} 行），Word 文件无法保存，请删除",
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("load_default", None)
        super().__init__(allow_none=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > MAX_TEXT_CHARS:
            raise self.make_error("too_long", length=len(text))
        bad = _NOT_IN_XML.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise self.make_error("control", code=ord(bad.group()), line=line)
        return text or None


_CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


class ReportDate(fields.Date):
    """The 落款 date: a YAML date, ``2024-01-20``, ``2024年1月20日`` or ``2024/1/20``."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "日期格式应为 2024-01-20 或 2024年1月20日",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _CHINESE_DATE.match(value) if isinstance(value, str) else None
        if not match:
            raise self.make_error("invalid")
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise self.make_error("invalid") from None


class FormatVersion(fields.String):
    default_error_messages = {  # noqa: RUF012
        "invalid": f'目前只支持 "{fmt.FORMAT_VERSION}"（{fmt.FORMAT_SOURCE}）',
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if str(value) != fmt.FORMAT_VERSION:
            raise self.make_error("invalid")
        return fmt.FORMAT_VERSION


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
    name = fields.String(
        required=True,
        validate=[
            validate.Length(
                min=1, max=MAX_TEXT_CHARS, error=f"不能为空，也不应超过 {MAX_TEXT_CHARS:,} 字"
            ),
            validate.Regexp(
                _NOT_IN_XML.pattern.replace("[", "^[^", 1) + "*$",
                error="文字中有不可见的控制字符，请删除",
            ),
        ],
        error_messages={"required": MISSING, "invalid": "应为文字"},
    )
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
    return Problem(code, ERROR, message, path, label, line, column, source.file)


def _unknown_key_message(path: tuple, data: Any) -> str:
    key = _key_as_written(path[-1])
    valid = allowed_keys(path[:-1])
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
    target: Any = FactsSchema()
    for key in path:
        if isinstance(key, int):
            continue
        field = target.fields.get(key) if isinstance(target, Schema) else None
        if isinstance(field, fields.Nested):
            target = field.schema
        elif isinstance(field, RowField):
            target = RowSchema()
        elif isinstance(field, Topics):
            target = ShortcomingsSchema()
        else:
            return []
    return list(target.fields) if isinstance(target, Schema) else []
