"""The one Jinja environment every template renders in, and what its failures mean in Chinese.

Every template a set holds (the Word file, the web page and Markdown templates,
the boilerplate texts, a wording title) renders in one kind of Jinja2
environment: sandboxed (a template shared by another office cannot reach Python
internals) and strict about undefined names. Escaping happens exactly once,
where text meets markup: the Word template's environment autoescapes;
boilerplate texts render to plain text that the Word template then escapes, so
``A&B<研究院>`` comes out as typed.

A set's author is seldom a programmer, so Jinja's failures are told in Chinese,
worded for the kind of template they occur in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaError
from jinja2.exceptions import FilterArgumentError
from jinja2.sandbox import SecurityError

from ..errors import TemplateError
from .sandbox import BoundedEnvironment, arithmetic_message, time_limit


def make_environment(*, markup: bool = True) -> BoundedEnvironment:
    """The one kind of Jinja2 environment every template renders in (see ``template_sets.sandbox``).

    ``markup`` is true for templates whose output is XML (the Word template):
    they autoescape. Plain-text boilerplate is escaped later, by that template.
    """
    env = BoundedEnvironment(
        autoescape=markup,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["cn"] = chinese_number
    return env


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for section numbering)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


# --------------------------------------------------------------------------- Jinja messages

_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"No filter named '([^']+)'"), lambda m: f"没有名为“{m[1]}”的过滤器"),
    (re.compile(r"No test named '([^']+)'"), lambda m: f"没有名为“{m[1]}”的检测"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), lambda m: f"无法识别的标签“{m[1]}”"),
    (
        re.compile(r"unexpected char '(.)'"),
        lambda m: f"出现了无法识别的字符“{m[1]}”（是否误用了全角标点？）",
    ),
    (
        re.compile(r"expected token '([^']+)', got '([^']+)'"),
        lambda m: f"写法有误：此处应为“{_token(m[1])}”，实际是“{_token(m[2])}”",
    ),
    (re.compile(r"unexpected '([^']+)'"), lambda m: f"此处不应出现“{_token(m[1])}”"),
    (re.compile(r"expected name or number"), lambda m: "“.”之后应为名称"),
    (re.compile(r"Expected an expression"), lambda m: "缺少表达式"),
    (
        re.compile(r"Unexpected end of template"),
        lambda m: "模板结束时还有没有关闭的块（缺少 endif、endfor 等）",
    ),
)
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "模板结尾",
    "name": "名称",
}


def _token(text: str) -> str:
    return _TOKENS.get(text, text)


def explain_syntax(exc: TemplateSyntaxError) -> str:
    """A Jinja syntax error in Chinese (Jinja's own words for the rare rest)."""
    for pattern, say in _MESSAGES:
        match = pattern.search(exc.message or "")
        if match:
            return say(match)
    return exc.message or str(exc)


# --------------------------------------------------------------------------- compiled texts

_text_env = make_environment(markup=False)


@cache
def compile_text(source: str) -> Any:
    """Compile a text template once; raises ``TemplateSyntaxError`` with its line."""
    return _text_env.from_string(source)


class FailureWording(NamedTuple):
    """How one kind of template words each Jinja failure: ``str.format`` patterns given
    ``where`` (the caller's prefix) and the failure's ``line``, ``name`` or ``detail``."""

    syntax: str
    undefined: str
    undefined_hint: str
    security: str
    other: str
    recursion: str
    arithmetic: str


def _nowhere(exc: BaseException) -> str:
    return ""


@contextmanager
def template_failures(
    wording: FailureWording, where: str, locate: Callable[[BaseException], str] = _nowhere
) -> Iterator[None]:
    """Jinja's failures inside the block as a ``TemplateError`` in ``wording``; ``locate``
    adds where a syntax error or an unknown name stands, when a line number would not do."""
    try:
        yield
    except TemplateSyntaxError as exc:
        detail = explain_syntax(exc)
        raise TemplateError(
            wording.syntax.format(where=where, line=exc.lineno, detail=detail) + locate(exc)
        ) from None
    except UndefinedError as exc:
        raise TemplateError(
            wording.undefined.format(where=where, name=undefined_name(exc)) + locate(exc),
            hint=wording.undefined_hint,
        ) from None
    except SecurityError as exc:
        detail = security_message(exc) + _line_unless_located(exc, locate)
        raise TemplateError(
            wording.security.format(where=where, detail=detail) + locate(exc)
        ) from None
    except JinjaError as exc:
        detail = runtime_message(exc) + _line_unless_located(exc, locate)
        raise TemplateError(wording.other.format(where=where, detail=detail)) from None
    except RecursionError:
        raise TemplateError(wording.recursion.format(where=where)) from None
    except (ArithmeticError, TypeError, ValueError) as exc:  # in a filter, say
        detail = arithmetic_message(exc) + _line_unless_located(exc, locate)
        raise TemplateError(wording.arithmetic.format(where=where, detail=detail)) from None


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")


def security_message(exc: SecurityError) -> str:
    """What the sandbox refused, in Chinese (the sandbox says it in English)."""
    match = _UNSAFE_ATTRIBUTE.search(str(exc))
    if match:
        kind = "Python 的内部属性" if match[1].startswith("_") else "不允许访问的属性"
        return f"{kind}“{match[1]}”"
    if "not safely callable" in str(exc):
        return "不允许在模板中调用的函数"
    return "不允许的操作"


def unsafe_attribute(exc: BaseException) -> str:
    """The attribute a ``SecurityError`` names (for finding it in a Word file), or nothing."""
    match = _UNSAFE_ATTRIBUTE.search(str(exc))
    return match[1] if match else ""


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def runtime_message(exc: JinjaError) -> str:
    """A Jinja runtime failure in Chinese: the sandbox's limits already are; Jinja's own
    (a filter's bad argument, say) are English and are named by kind instead."""
    text = str(exc)
    if _CHINESE.search(text):
        return text
    if isinstance(exc, FilterArgumentError):
        return "过滤器的参数不对"
    return "模板运行时出错"


def _line_unless_located(exc: BaseException, locate: Callable[[BaseException], str]) -> str:
    """The template line, for templates whose lines the author sees (not the Word file,
    whose ``locate`` names the paragraph instead)."""
    return "" if locate is not _nowhere else _line_of(exc)


def _line_of(exc: BaseException) -> str:
    """，第 N 行: the template line a runtime error happened on (Jinja maps its frames to
    the template's lines), or nothing when it is not known."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"，第 {line} 行" if line else ""


#: Boilerplate and the author's own texts.
TEXT_FAILURES = FailureWording(
    syntax="{where}模板语法错误（第 {line} 行）：{detail}",
    undefined="{where}占位符“{name}”无法识别",
    undefined_hint="检查占位符拼写，可用的有 agency、year、requests、reviews、proactive 等",
    security="{where}模板试图访问不允许的内容（{detail}）",
    other="{where}模板出错：{detail}",
    recursion="{where}模板嵌套过深，已停止",
    arithmetic="{where}{detail}",
)


def render_text(source: str, context: dict, *, where: str = "") -> str:
    """Render boilerplate or the author's own text; errors name ``where`` it stands
    (left out when the caller locates the error itself, as ``check`` does)."""
    with template_failures(TEXT_FAILURES, f"{where}：" if where else ""):
        if "{" not in source:  # plain text: nothing to render, nothing to compile
            return source
        template = compile_text(source)
        with time_limit():
            return template.render(context)


_UNDEFINED = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def undefined_name(exc: Exception) -> str:
    """The misspelt name in a StrictUndefined error message."""
    match = _UNDEFINED.search(str(exc))
    return next(g for g in match.groups() if g) if match else str(exc)
