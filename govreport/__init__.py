"""govreport: 政府信息公开工作年度报告 from one YAML facts file.

The public API is listed here once; everything else lives in the stage packages
below (``official``, ``facts``, ``checks``, ``rendering``, ``batch``, ``importing``,
``auditing``, …; ``docs/structure.md`` walks through them). Names are imported
on first use (PEP 562), so ``govreport --help`` or a check of one file does not
pay for docxtpl, lxml or the importers; the ``TYPE_CHECKING`` block shows every
name to editors and type checkers all the same.
"""

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

if _typing.TYPE_CHECKING:
    from .auditing import AuditRun, audit
    from .batch.aggregate import AggregateError, aggregate
    from .batch.discovery import find_facts
    from .batch.runner import FileResult, check_many, render_many
    from .checks import CheckResult, check
    from .diagnostics import Problem
    from .errors import (
        ConversionError,
        FactsError,
        GovReportError,
        InputError,
        OutputError,
        TemplateError,
    )
    from .facts.loading import load
    from .facts.model import Facts
    from .facts.next_year import roll_forward
    from .importing import ImportResult, import_report
    from .rendering.report import RenderResult, render

#: Where each public name is defined.
_SOURCES = {
    "AggregateError": "batch.aggregate",
    "aggregate": "batch.aggregate",
    "FileResult": "batch.runner",
    "check_many": "batch.runner",
    "find_facts": "batch.discovery",
    "render_many": "batch.runner",
    "CheckResult": "checks",
    "check": "checks",
    "ConversionError": "errors",
    "FactsError": "errors",
    "GovReportError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "TemplateError": "errors",
    "load": "facts.loading",
    "Facts": "facts.model",
    "Problem": "diagnostics",
    "RenderResult": "rendering.report",
    "render": "rendering.report",
    "roll_forward": "facts.next_year",
    "AuditRun": "auditing",
    "audit": "auditing",
    "ImportResult": "importing",
    "import_report": "importing",
}

__all__ = [
    "AggregateError",
    "AuditRun",
    "CheckResult",
    "ConversionError",
    "Facts",
    "FactsError",
    "FileResult",
    "GovReportError",
    "ImportResult",
    "InputError",
    "OutputError",
    "Problem",
    "RenderResult",
    "TemplateError",
    "__version__",
    "aggregate",
    "audit",
    "check",
    "check_many",
    "find_facts",
    "import_report",
    "load",
    "render",
    "render_many",
    "roll_forward",
]


def __getattr__(name: str) -> object:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{source}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
