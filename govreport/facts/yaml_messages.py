"""PyYAML's and libyaml's errors, said in Chinese.

Users of govreport are not programmers: no English library message reaches them.
Both parsers' wordings are matched by fragments; a problem neither table knows
still gets a Chinese sentence (and its line), never the English text.
"""

from __future__ import annotations

import unicodedata

import yaml
from yaml.reader import Reader

from .slips import FLOW_SLIPS, KEY_SLIPS, Slip, find_slip

TAB = "不能用 Tab 缩进，请改用空格"
DEPTH = "YAML 嵌套层数过深（超过 {limit} 层），事实文件不需要这么多层"

#: Fragments of the problem (what went wrong), PyYAML's wording and libyaml's.
PROBLEMS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "此处不能出现“键: 值”（常见原因：冒号后缺空格或缩进不对）"),
    ("could not find expected ':'", "缺少冒号“: ”（冒号后面要有一个空格，如 year: 2023）"),
    ("expected <block end>", "缩进不一致（同一层的键要上下对齐，用空格缩进）"),
    ("did not find expected key", "缩进不一致，找不到应有的键"),
    ("did not find expected '-' indicator", "缩进不一致（列表项“- ”要上下对齐）"),
    ("'\\t' that cannot start any token", TAB),
    ("tab character", TAB),
    ("cannot start any token", "此处有不能作为开头的字符（如 @、`、%），含这些字符的文字请加引号"),
    ("expected a single document", "文件中只能有一个文档（不要使用 ---）"),
    ("document separator", "文件中只能有一个文档（不要使用 --- 或 ...）"),
    ("document indicator", "文件中只能有一个文档（不要使用 --- 或 ...）"),
    ("undefined alias", "不支持 YAML 别名（*引用）：请把数值直接写出来"),
    ("duplicate anchor", "不支持 YAML 锚点（&名称）：请把数值直接写出来"),
    ("unexpected end of stream", "文件意外结束（引号或括号未闭合）"),
    ("',' or ']'", "方括号 [ ] 未闭合，或其中的各项之间缺少逗号"),
    ("',' or '}'", "花括号 { } 未闭合，或其中的各项之间缺少逗号"),
    (
        "unknown escape character",
        "双引号内的反斜杠“\\”写法不对：要写反斜杠本身请写成 \\\\，或改用单引号",
    ),
    ("escape", "双引号内的转义写法不对：要写反斜杠本身请写成 \\\\，或改用单引号"),
    ("hexdecimal", "双引号内的转义写法不对：要写反斜杠本身请写成 \\\\，或改用单引号"),
    ("Unicode character escape", "双引号内的转义写法不对：要写反斜杠本身请写成 \\\\，或改用单引号"),
    ("mapping keys are not allowed", "此处不能出现“? ”开头的键"),
    ("block sequence entries are not allowed", "此处不能出现列表项“- ”（缩进不对）"),
    ("comment or a line break", "值后面多了内容（注释“#”前要有空格，含冒号等符号的文字请加引号）"),
    ("comment or line break", "值后面多了内容（注释“#”前要有空格，含冒号等符号的文字请加引号）"),
    ("node content", "此处缺少值"),
    ("directive", "不支持以“%”开头的 YAML 指令"),
    ("indentation indicator", "“|”或“>”后面的写法不对（直接换行书写正文即可）"),
    ("chomping", "“|”或“>”后面的写法不对（直接换行书写正文即可）"),
    ("tag", "不支持 YAML 标签（以“!”开头的写法），含“!”的文字请加引号"),
    ("URI", "不支持 YAML 标签（以“!”开头的写法），含“!”的文字请加引号"),
    ("unhashable key", "键只能是文字，不能是列表或映射"),
    ("constructor", "不支持 YAML 标签（以“!”开头的写法），含“!”的文字请加引号"),
    ("nesting depth", DEPTH),
    ("flow level", DEPTH),
    ("UTF-8", "文件不是 UTF-8 编码"),
    ("control characters", "文件中有不允许的控制字符"),
    ("expected", "此处的写法不符合 YAML 格式"),
)

#: Fragments of the context (what the parser was reading), for the problems above.
CONTEXTS: tuple[tuple[str, str], ...] = (
    ("quoted scalar", "引号内的文字"),
    ("block scalar", "“|”或“>”开头的多行文字"),
    ("flow sequence", "方括号 [ ] 内的列表"),
    ("flow mapping", "花括号 { } 内的映射"),
    ("block mapping", "“键: 值”映射"),
    ("block collection", "列表或映射"),
    ("simple key", "键"),
    ("tag", "标签"),
)


def describe_problem(exc: yaml.MarkedYAMLError, source: str = "", *, depth_limit: int) -> str:
    """A Chinese sentence for a PyYAML or libyaml error, whatever its wording."""
    problem = exc.problem or ""
    mark = exc.problem_mark
    if mark is not None and "cannot start any token" in problem:
        lines = source.split("\n")
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            return TAB  # libyaml does not name the character
    for text in (problem, exc.context or ""):
        for english, chinese in PROBLEMS:
            if english in text:
                return chinese.replace("{limit}", str(depth_limit))
    reading = next((zh for en, zh in CONTEXTS if en in (exc.context or "")), None)
    if reading:
        return f"读取{reading}时遇到无法识别的写法"
    return "此处的写法不符合 YAML 格式"


def describe_reader_error(text: str) -> tuple[str, int | None, int | None]:
    """The message, line and column for a character YAML refuses to read (NUL, U+FFFE …)."""
    found = Reader.NON_PRINTABLE.search(text)
    if found is None:
        return "文件中有 YAML 不允许的字符", None, None
    char = found.group()
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    name = unicodedata.name(char, "") or ("NUL" if char == "\0" else "控制字符")
    message = f"文件中有不允许的不可见字符 U+{ord(char):04X}（{name}）"
    return message, line, column


READER_HINT = "删除该字符后再试（多见于从网页、PDF 或其他软件复制粘贴的文字）"
SLIP_HINT = "中文输入法下输入的标点、数字是全角的；YAML 的冒号、逗号、括号和数字都要用半角"


#: Lines before a YAML error searched for a full-width slip: from where the parser began
#: reading (``context_mark``), or a few lines up (a plain value runs on over lines
#: until something looks like a key); a longer span is searched at its two ends only.
_SLIP_SPAN = 20
_LINES_UP = 2


def slip_at_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Slip, int] | None:
    """A full-width slip (``：`` for ``:``, ``，`` in a list …) that can cause this YAML
    error, on the lines it spans, nearest the error first, with its 0-based line: the
    cause to name instead of the parser's symptom. Full-width punctuation in Chinese text
    on those lines is not taken for the cause (see ``facts.slips``)."""
    end = exc.problem_mark or exc.context_mark
    if end is None:
        return None
    lines = text.split("\n")
    if exc.context_mark is not None:
        start = min(exc.context_mark.line, end.line)
    else:
        start = max(end.line - _LINES_UP, 0)
    indexes = list(range(end.line, start - 1, -1))
    if len(indexes) > _SLIP_SPAN:
        indexes = [end.line, start]
    chars = _slips_for(exc)
    for index in indexes:
        slip = find_slip(lines[index], chars) if index < len(lines) else None
        if slip is not None:
            return slip, index
    return None


def _slips_for(exc: yaml.MarkedYAMLError) -> str | None:
    """The slip characters that can cause ``exc``; ``None`` for any."""
    problem, context = exc.problem or "", exc.context or ""
    if "flow" in context or "',' or" in problem:
        return FLOW_SLIPS
    if any(fragment in problem for fragment in _KEY_ERRORS):
        return KEY_SLIPS
    return None


_KEY_ERRORS = ("expected ':'", "mapping values", "block end", "expected key", "simple key")


def problem_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The mark to show: for a key without its colon, where the key starts, not end of file."""
    if "could not find expected ':'" in (exc.problem or "") and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark
