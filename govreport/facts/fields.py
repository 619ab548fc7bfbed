"""The value fields of a facts file and their bounds: counts, fees, texts, dates.

Each field says in Chinese what is wrong and how to write it, and refuses a value
past its bound instead of cutting or rounding it: a number in a report must never
change silently (see ``facts.scalars`` for what is refused while loading).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from marshmallow import fields
from marshmallow.utils import ensure_text_type

from .. import official as fmt

_PLACEHOLDER_CELLS = {"/", "／", "—", "-", "－", "——", "无", "空"}

#: A count in any table is below this: more than a real agency could report in a year.
MAX_COUNT = 10**9
#: A fee (万元) is below this, with at most ``FEE_PLACES`` decimals: published reports give
#: fees to the 分 (24252.311082 万元), and 0.000001 万元 is 1 分.
MAX_FEES = 10**9
FEE_PLACES = 6
MIN_YEAR, MAX_YEAR = fmt.MIN_YEAR, fmt.MAX_YEAR
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


def is_plain_count(value: Any) -> bool:
    """A whole number the count field would take as it is: nothing to refuse or convert."""
    return type(value) is int and 0 <= value < MAX_COUNT


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
        if is_plain_count(value):  # the usual case
            return value
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
        if isinstance(value, (int, float, Decimal)) and not -MAX_COUNT < value < MAX_COUNT:
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
        "places": f"金额最多保留 {FEE_PLACES} 位小数（单位：万元，0.000001 万元即 1 分）",
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


class Text(fields.Field[str | None]):
    """A narrative text; blank means "left out" so that boilerplate can stand in.

    Not a ``fields.String``: a blank text loads as ``None``, which a string field's
    value cannot be. It accepts what ``fields.String`` accepts, and turns it into text
    the same way.
    """

    default_error_messages = {  # noqa: RUF012
        "invalid": "应为文字",
        "invalid_utf8": fields.String.default_error_messages["invalid_utf8"],
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
        if not isinstance(value, (str, bytes)):
            raise self.make_error("invalid")
        try:
            text = ensure_text_type(value).strip()
        except UnicodeDecodeError as error:
            raise self.make_error("invalid_utf8") from error
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


class Name(Text):
    """A required name (the agency's): the same rules as a text, and never blank."""

    default_error_messages = {"blank_name": "不能为空"}  # noqa: RUF012

    def __init__(self, **kwargs: Any):
        fields.Field.__init__(self, **kwargs)  # required: no default, no None

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            raise self.make_error("blank_name")
        return text
