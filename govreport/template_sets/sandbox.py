"""The bounded Jinja sandbox every template set renders in.

A template set is shared between offices as a folder or a zip file, so its Jinja
is untrusted code. Jinja's ``SandboxedEnvironment`` already keeps it away from
Python internals; this module also keeps it from exhausting the machine:

- no ``include``, ``import`` or ``extends`` (a set's templates stand alone);
- ``**``, ``*``, ``+``, ``%`` and ``~`` refuse results past :data:`MAX_NUMBER_BITS`
  or :data:`MAX_TEXT` characters or items, and so do the string methods and
  filters that pad text to a given width;
- ``range()`` stops at :data:`MAX_RANGE` items, calls nest at most
  :data:`MAX_CALL_DEPTH` deep (a recursive macro);
- every render runs under :data:`RENDER_SECONDS` of wall-clock time (see
  :func:`time_limit`), so one bad set cannot hang a batch.

Each limit raises :class:`LimitError`, a Jinja ``TemplateRuntimeError`` with a
Chinese message, which the renderers turn into a ``TemplateError`` (exit 3).
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import operator
import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from jinja2 import TemplateRuntimeError, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import do_center, do_format, do_indent, do_wordwrap
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

#: Seconds one template render may take (the Word template or one boilerplate text).
RENDER_SECONDS = 5.0
#: Items a ``range()`` may hold.
MAX_RANGE = 10_000
#: Characters of a text (or items of a list) an operator, method or filter may make.
MAX_TEXT = 1_000_000
#: Bits of an integer ``**`` or ``*`` may make (about 300 decimal digits).
MAX_NUMBER_BITS = 1_000
#: How deeply calls (macros, ``caller()``) may nest.
MAX_CALL_DEPTH = 50

_INCLUDES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_FORMAT_WIDTH = re.compile(r"\d+")


class LimitError(TemplateRuntimeError):
    """A template went past one of this module's limits; the message says which."""


class TimeLimitError(LimitError):
    """A template render took longer than :data:`RENDER_SECONDS`."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or f"模板渲染超过 {RENDER_SECONDS:g} 秒，已停止（可能有死循环）")


# --------------------------------------------------------------------------- sizes


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _check_size(size: int) -> None:
    if size > MAX_TEXT:
        raise LimitError(f"模板生成的文字或列表过长（超过 {MAX_TEXT:,} 个字符或项目），已停止")


def _check_bits(bits: float) -> None:
    if bits > MAX_NUMBER_BITS:
        raise LimitError(f"模板中的数值运算结果过大（超过 {MAX_NUMBER_BITS} 位二进制），已停止")


def _bits(n: Any) -> int:
    return abs(n).bit_length() if isinstance(n, int) else 0


def _check_width(*numbers: Any) -> None:
    for n in numbers:
        if isinstance(n, int) and n > MAX_TEXT:
            _check_size(n)


def _check_format(spec: Any) -> None:
    """Refuse ``'%1000000000d'`` and ``'{:>1000000000}'``: widths past the limit, or ``*``."""
    if isinstance(spec, str):
        for digits in _FORMAT_WIDTH.findall(spec):
            _check_size(MAX_TEXT + 1 if len(digits) > 7 else int(digits))


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        _check_bits(right * abs(left).bit_length())
    try:
        return left**right
    except OverflowError:
        _check_bits(MAX_NUMBER_BITS + 1)


def _times(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        _check_bits(_bits(left) + _bits(right))
    elif isinstance(right, int) and _size(left):
        _check_size(_size(left) * right)
    elif isinstance(left, int) and _size(right):
        _check_size(_size(right) * left)
    return left * right


def _plus(left: Any, right: Any) -> Any:
    _check_size(_size(left) + _size(right))
    return left + right


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_format(left)
        if "*" in left:
            for n in right if isinstance(right, tuple) else (right,):
                _check_width(n)
    return left % right


_BINOPS = {
    "**": _power,
    "*": _times,
    "+": _plus,
    "%": _modulo,
    "-": operator.sub,
    "/": operator.truediv,
    "//": operator.floordiv,
}


# --------------------------------------------------------------------------- the environment


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` (string concatenation) checked for size."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox that also bounds time, size, depth and refuses other templates."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._depth = threading.local()
        self.globals["range"] = bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.filters["center"] = _bounded(do_center, 1)
        self.filters["indent"] = _bounded(do_indent, 1)
        self.filters["wordwrap"] = _bounded(do_wordwrap, 2)  # after the environment
        self.filters["format"] = _bounded_format

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(_INCLUDES):
            raise TemplateSyntaxError(
                "模板中不能引用其他模板（include、import、extends）", node.lineno, name, filename
            )
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        try:
            return _BINOPS[operator](left, right)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise TemplateRuntimeError(arithmetic_message(exc)) from None

    @staticmethod
    def bounded_text(text: Any) -> Any:
        _check_size(_size(text))
        return text

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call a template makes: width arguments checked, depth counted."""
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        name, owner = getattr(method, "__name__", ""), getattr(method, "__self__", None)
        if isinstance(owner, str):
            if name in _WIDTH_METHODS:
                _check_width(*args, *kwargs.values())
            elif name in ("format", "format_map"):
                _check_format(owner)
            elif name == "replace" and len(args) >= 2:
                text, old, new = owner, args[0], args[1]
                if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
                    _check_size(len(text) + (text.count(old) + 1) * (len(new) - len(old)))
        depth = getattr(__self._depth, "value", 0)
        if depth >= MAX_CALL_DEPTH:
            raise LimitError(
                f"模板中的调用嵌套超过 {MAX_CALL_DEPTH} 层（宏是否在无限递归？），已停止"
            )
        __self._depth.value = depth + 1
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        except RecursionError:
            raise LimitError("模板中的调用嵌套过深（宏是否在无限递归？），已停止") from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise TemplateRuntimeError(arithmetic_message(exc)) from None
        finally:
            __self._depth.value = depth
        _check_size(_size(result))
        return result


def arithmetic_message(exc: BaseException) -> str:
    """A failed operation of a template in Chinese (``1 / 0``, ``'a' - 1``)."""
    if isinstance(exc, ZeroDivisionError):
        return "模板中的运算出错：除数为 0"
    if isinstance(exc, ArithmeticError):
        return f"模板中的运算结果超出范围（{type(exc).__name__}）"
    return f"模板中的运算或调用无法进行：数据类型不符（{type(exc).__name__}）"


def bounded_range(*args: int) -> range:
    """``range()`` for templates: at most :data:`MAX_RANGE` items."""
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise LimitError(f"range() 最多 {MAX_RANGE:,} 项，模板要求 {len(items):,} 项")
    return items


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's placeholder text, at most :data:`MAX_RANGE` words in all."""
    if not all(isinstance(v, int) and 0 <= v <= MAX_RANGE for v in (n, min, max)) or n * max > (
        MAX_RANGE
    ):
        raise LimitError(f"lipsum() 最多生成 {MAX_RANGE:,} 个词")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def _bounded(filter_: Any, width_at: int) -> Any:
    """``filter_`` refusing a width or result past the limits; ``width_at`` is where its
    widths start among the arguments Jinja passes (after the environment, for a filter
    marked ``pass_environment``, whose mark ``wraps`` keeps)."""

    @functools.wraps(filter_)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_width(*args[width_at:], *kwargs.values())
        result = filter_(*args, **kwargs)
        _check_size(_size(result))
        return result

    return bounded


def _bounded_format(value: Any, *args: Any, **kwargs: Any) -> Any:
    _check_format(value)
    _check_width(*args, *kwargs.values())
    return do_format(value, *args, **kwargs)


# --------------------------------------------------------------------------- time limit


class _Watchdog:
    """One thread per process that interrupts renders past their deadline.

    A render registers its thread and deadline; when the deadline passes, the
    watchdog raises :class:`TimeLimitError` inside that thread
    (``PyThreadState_SetAsyncExc``), which works in the main thread, in a batch's
    worker processes and in a web server's threads alike, and costs nothing
    while the render runs. It acts between bytecodes, and every operation that
    could run long in C (huge powers, repetitions, ranges) is bounded above.
    """

    def __init__(self) -> None:
        self._reset()
        self._tokens = itertools.count()

    def _reset(self) -> None:
        """Fresh state; also in a forked child, where the lock may have been held."""
        self._cond = threading.Condition()
        self._deadlines: list[tuple[float, int, int]] = []  # (deadline, token, thread id)
        self._fired: set[int] = set()
        self._pid = -1

    def start(self, seconds: float) -> int:
        with self._cond:
            if self._pid != os.getpid():  # first use, or a fork: the thread is not ours
                self._deadlines.clear()
                self._pid = os.getpid()
                threading.Thread(target=self._loop, name="govreport-watchdog", daemon=True).start()
            token = next(self._tokens)
            entry = (time.monotonic() + seconds, token, threading.get_ident())
            heapq.heappush(self._deadlines, entry)
            return token

    def stop(self, token: int) -> bool:
        """Unregister; true when the deadline had already passed (an interrupt is on its way)."""
        with self._cond:
            self._deadlines = [d for d in self._deadlines if d[1] != token]
            heapq.heapify(self._deadlines)
            if token in self._fired:
                self._fired.discard(token)
                _interrupt(threading.get_ident(), None)  # cancel one not delivered yet
                return True
            return False

    def _loop(self) -> None:
        """Look every :data:`_POLL` seconds: a render is never woken for, so it pays
        nothing for the watchdog but a lock; a deadline is met at most that late."""
        with self._cond:
            while True:
                if not self._deadlines:
                    self._cond.wait(_POLL)
                    continue
                deadline, token, thread = self._deadlines[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(min(wait, _POLL))
                    continue
                heapq.heappop(self._deadlines)
                self._fired.add(token)
                _interrupt(thread, TimeLimitError)


def _interrupt(thread: int, exc: type[BaseException] | None) -> None:
    import ctypes  # only when a template overruns: a cold start need not load it

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else None
    )


_POLL = 0.25
_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog._reset)
_guarded = threading.local()


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Run the block under a wall-clock limit; past it, :class:`TimeLimitError`.

    Nested uses share the outermost limit.
    """
    if getattr(_guarded, "active", False):
        yield
        return
    _guarded.active = True
    token = _watchdog.start(RENDER_SECONDS if seconds is None else seconds)
    try:
        yield
    except TimeLimitError:
        _watchdog.stop(token)
        raise TimeLimitError() from None
    finally:
        _guarded.active = False
        if _watchdog.stop(token):
            raise TimeLimitError()
