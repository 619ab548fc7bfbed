"""govreport: 政府信息公开工作年度报告 from one YAML facts file.

The public API is listed here once; everything else lives in private modules
named after the pipeline stage they implement.
"""

from ._aggregate import AggregateError, aggregate
from ._batch import FileResult, check_many, find_facts, render_many
from ._checks import CheckResult, check
from ._exceptions import (
    ConversionError,
    FactsError,
    GovReportError,
    InputError,
    OutputError,
    TemplateError,
)
from ._facts import load
from ._model import Facts
from ._problems import Problem
from ._render import RenderResult, render
from ._rollforward import roll_forward
from .auditing import AuditRun, audit
from .importing import ImportResult, import_report

__version__ = "0.1.0"

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
