"""govreport: 政府信息公开工作年度报告 from one YAML facts file.

The public API is listed here once; everything else lives in private modules
named after the pipeline stage they implement.
"""

from ._checks import CheckResult, check
from ._exceptions import (
    ConversionError,
    FactsError,
    GovReportError,
    InputError,
    TemplateError,
)
from ._facts import load
from ._import import ImportResult, import_report
from ._model import Facts
from ._problems import Problem
from ._render import RenderResult, render
from ._rollforward import roll_forward

__version__ = "0.1.0"

__all__ = [
    "CheckResult",
    "ConversionError",
    "Facts",
    "FactsError",
    "GovReportError",
    "ImportResult",
    "InputError",
    "Problem",
    "RenderResult",
    "TemplateError",
    "__version__",
    "check",
    "import_report",
    "load",
    "render",
    "roll_forward",
]
