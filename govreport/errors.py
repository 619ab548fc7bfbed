"""govreport's errors. Each knows its exit status and how to say itself in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagnostics import Problem


class GovReportError(Exception):
    """Base of every error govreport raises on purpose; never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format_message(self) -> str:
        return self.message if not self.hint else f"{self.message}\n提示：{self.hint}"


class InputError(GovReportError):
    """The facts file cannot be read at all (missing, not UTF-8, not YAML, not a mapping)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(message, hint=hint)
        self.file = file
        self.line = line
        self.column = column

    def format_message(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f"（第 {self.line} 行" + (f"第 {self.column} 列）" if self.column else "）")
        text = f"{where}：{self.message}" if where else self.message
        return text if not self.hint else f"{text}\n提示：{self.hint}"


class FactsError(GovReportError):
    """The facts file was read but holds errors; ``problems`` lists every one of them."""

    exit_code = 1

    def __init__(self, problems: list[Problem], file: str | None = None):
        self.problems = problems
        self.file = file
        count = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"事实文件中有 {count} 处错误")

    def format_message(self) -> str:
        lines = [self.message + "："]
        lines += [f"  {p.format()}" for p in self.problems]
        return "\n".join(lines)


class TemplateError(GovReportError):
    """A template set is missing, malformed, or a template fails to render."""

    exit_code = 3


class ConversionError(GovReportError):
    """An output format could not be produced (pandoc or LibreOffice failed or is missing)."""

    exit_code = 4


class OutputError(GovReportError):
    """An output file cannot be written (permissions, a full disk, a bad path)."""

    exit_code = 5
