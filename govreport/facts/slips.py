"""Full-width typing slips: the commonest mistakes on a Chinese keyboard, named as such.

With a Chinese input method on, ``,`` comes out as ``，``, ``:`` as ``：``, ``[`` as
``【`` and digits may come out full-width (``２０２３``). YAML and the schema then
report a symptom (a list one number short, a missing colon, a number that is not a
number) that does not show the cause. Wherever a value or a line that failed holds
such a character where YAML syntax or a number belongs, the message names the
character, its line and column, and what to type instead.

Full-width punctuation inside Chinese text is correct and never reported: a slip
is a character standing next to digits, after a key at the start of a line, at the
start of a value, or in the indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The slips that can cause a YAML error about a key (a missing colon, a value where a
#: key belongs) and one inside ``[ ]`` or ``{ }``; any other error may have any slip.
KEY_SLIPS = "：\u3000＃"
FLOW_SLIPS = "，、：【】［］｛｝“”‘’"
#: Each slip character: what it is called and what to type instead.
_NAMES: dict[str, tuple[str, str]] = {
    "，": ("全角逗号", "半角逗号“,”"),
    "、": ("顿号", "半角逗号“,”"),
    "：": ("全角冒号", "半角冒号“:”，冒号后再加一个空格（如 year: 2023）"),
    "【": ("方头括号", "半角方括号“[”"),
    "】": ("方头括号", "半角方括号“]”"),
    "［": ("全角方括号", "半角方括号“[”"),
    "］": ("全角方括号", "半角方括号“]”"),
    "｛": ("全角花括号", "半角花括号“{”"),
    "｝": ("全角花括号", "半角花括号“}”"),
    "“": ("中文引号", '半角引号“"”（数字不需要引号）'),
    "”": ("中文引号", '半角引号“"”（数字不需要引号）'),
    "‘": ("中文引号", "半角引号“'”（数字不需要引号）"),
    "’": ("中文引号", "半角引号“'”（数字不需要引号）"),
    "－": ("全角减号", "半角“-”"),
    "．": ("全角句点", "半角小数点“.”"),
    "。": ("句号", "半角小数点“.”"),
    "＃": ("全角井号", "半角“#”（注释的 # 前后各留一个空格）"),
    "\u3000": ("全角空格", "半角空格（缩进只能用半角空格）"),
}
_FULL_DIGITS = "０１２３４５６７８９"
_NUMBER_SEPARATORS = "，、：－．。"
_OPENERS = "【［｛“‘"
_CLOSERS = "】］｝”’"
#: Where a slip stands: between digits, after a key at the start of a line, opening or
#: closing a value, full-width digits and letters, or a full-width space in indentation.
_SLIP = re.compile(
    rf"(?<=[0-9０-９])[ ]*([{_NUMBER_SEPARATORS}])(?=[ ]*[0-9０-９])"  # 5，1  2024－01  12。35
    r"|(?<=[0-9０-９])[ ]*([，、])(?=[ ]*(?:[A-Za-z_\]】］}｝]|$))"  # {a: 5，b: 1}  [5，]
    r"|(?:^|(?<=\n))[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*[ ]*(：)"  # name： 某局
    rf"|(?:^|(?<=:)|(?<=: )|(?<=\n))[ ]*([{_OPENERS}])(?=[ ]*[0-9０-９A-Za-z{_CLOSERS}-])"  # 【5
    rf"|(?<=[0-9０-９A-Za-z])([{_CLOSERS}])"  # 0】
    r"|([０-９Ａ-Ｚａ-ｚ])"  # ２０２３  ｎａｍｅ
    r"|(?:^|(?<=\n))[ ]*(\u3000)"  # a full-width space in the indentation
    r"|(?<=[\]}0-9] )[ ]*(＃)"  # a comment after a value
)


@dataclass(frozen=True)
class Slip:
    """A full-width character where a half-width one belongs, at ``offset`` in its text."""

    char: str
    offset: int

    def advice(self) -> str:
        """“，”是全角逗号，请在英文输入法下改为半角逗号“,”"""
        name, fix = _name(self.char)
        shown = f"「{self.char}」" if self.char in "“”‘’" else f"“{self.char}”"
        return f"{shown}是{name}，请在英文输入法下改为{fix}"

    def message(self, line: int | None, column: int | None) -> str:
        """The advice with its place: 第 6 行第 15 列的“，”是全角逗号……"""
        if line is None:
            return self.advice()
        place = f"第 {line} 行" + (f"第 {column} 列" if column else "")
        return f"{place}的{self.advice()}"


def _name(char: str) -> tuple[str, str]:
    if char in _NAMES:
        return _NAMES[char]
    if char in _FULL_DIGITS:
        return "全角数字", f"半角数字“{_FULL_DIGITS.index(char)}”"
    return "全角字母", f"半角字母“{chr(ord(char) - 0xFEE0)}”"


def find_slip(text: str, chars: str | None = None) -> Slip | None:
    """The first full-width slip in ``text`` (a value or a line of the file), or ``None``;
    with ``chars``, only a slip of one of those characters."""
    for match in _SLIP.finditer(text):
        group = next(g for g in range(1, _SLIP.groups + 1) if match.group(g))
        if chars is None or match.group(group) in chars:
            return Slip(match.group(group), match.start(group))
    return None
