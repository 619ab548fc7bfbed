"""What a value in a facts file may look like, so that no number changes silently.

YAML 1.1 (PyYAML's dialect) reads ``012`` as 10 (octal), ``0x1F`` as 31, ``1:20`` as
80 (base 60), ``1_000`` as 1000 and ``+5`` as 5; a telephone number typed without
quotes becomes a different number. A facts file needs none of that: a number is
written as a plain decimal, and anything else is an error at its line that says
how to write it. Tags other than the plain ones, and the merge key ``<<`` (which
drops a number the duplicate-key guard would have refused), are refused too.
"""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode

from ..errors import InputError

_T = "tag:yaml.org,2002:"
INT, FLOAT, BOOL, NULL, STR, TIMESTAMP = (
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "str",
    _T + "timestamp",
)
MERGE = _T + "merge"
#: The tags a facts file may hold; anything else (``!!python/…``, ``!!binary``, ``!foo``) is refused.
PLAIN_TAGS = frozenset({INT, FLOAT, BOOL, NULL, STR, TIMESTAMP, _T + "map", _T + "seq"})

#: Longest number accepted at all; the schema sets the real bounds per field.
MAX_DIGITS = 18
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
#: ``.inf`` and ``.nan`` pass: the schema says of each field that it needs a finite number.
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\Z")
_BOOLS = frozenset(
    [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?\Z"
)
NUMBER_HINT = "数字请写成普通的十进制数，如 12、0、3.5；如果本来就是文字（如电话号码），请加引号"


def check_scalar(node: ScalarNode, file: str | None) -> None:
    """Refuse a scalar whose tag or spelling would change its meaning; say how to write it."""
    tag, value = node.tag, node.value
    if tag == STR:  # most scalars: text has no spelling to refuse
        return
    if tag not in PLAIN_TAGS:
        _refuse(node, file, f"不支持 YAML 标签“{tag}”：直接写出值即可，含“!”的文字请加引号")
    if tag == INT and not _PLAIN_INT.match(value):
        _refuse(node, file, f"数字“{_short(value)}”{_int_meaning(value)}")
    if tag == FLOAT and not _PLAIN_DECIMAL.match(value):
        _refuse(node, file, f"数字“{_short(value)}”{_float_meaning(value)}")
    if tag in (INT, FLOAT) and len(value.lstrip("-").replace(".", "")) > MAX_DIGITS:
        _refuse(node, file, f"数字“{_short(value)}”位数过多（超过 {MAX_DIGITS} 位）")
    if tag == BOOL and value not in _BOOLS:
        _refuse(node, file, f"“{_short(value)}”不是是/否值")
    if tag == TIMESTAMP and not _TIMESTAMP.match(value):
        _refuse(node, file, f"“{_short(value)}”不是日期，日期应写成 2024-01-20")


def check_key(key_node: Node, file: str | None) -> None:
    """The merge key ``<<`` would let one mapping overwrite or drop another's numbers."""
    if key_node.tag == MERGE:
        _refuse(
            key_node,
            file,
            "不支持 YAML 合并键“<<”：合并会悄悄覆盖或丢弃数字，与重复的键一样不允许，"
            "请把各个键直接写出来",
        )


def _int_meaning(value: str) -> str:
    digits = value.lstrip("+-")
    if ":" in digits:
        return "会被 YAML 当作六十进制数（如 1:20 是 80）：请写成普通的十进制整数"
    if digits[:2].lower() == "0x":
        return "是十六进制写法：请写成普通的十进制整数"
    if digits[:2].lower() in ("0o", "0b"):
        return "是八进制或二进制写法：请写成普通的十进制整数"
    if "_" in digits:
        return f"中不能有下划线：请写成 {digits.replace('_', '')}"
    if digits.startswith("0"):
        return f"以 0 开头，会被 YAML 当作八进制数：请去掉开头的 0，写成 {digits.lstrip('0') or 0}"
    if value.startswith("+"):
        return f"前面不要写“+”：请写成 {digits}"
    return "不是普通的十进制整数"


def _float_meaning(value: str) -> str:
    if any(c in value for c in "eE"):
        return "是科学计数法：请把数字完整写出（如 1500，而不是 1.5e+3）"
    if "_" in value or ":" in value:
        return "中不能有下划线或冒号：请写成普通的十进制数，如 3.5"
    if value.startswith("+"):
        return "前面不要写“+”"
    return "写法不完整：小数点前后都要有数字，如 0.5、3.0"


def _short(value: str) -> str:
    return value if len(value) <= 30 else value[:30] + "…"


def _refuse(node: Node, file: str | None, message: str) -> None:
    raise InputError(
        message,
        file=file,
        line=node.start_mark.line + 1,
        column=node.start_mark.column + 1,
        hint=NUMBER_HINT if node.tag in (INT, FLOAT) else None,
    )
