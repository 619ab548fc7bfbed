"""govreport: 政府信息公开工作年度报告 from one YAML facts file.

The public API is listed here once; everything else lives in private modules
named after the pipeline stage they implement. Names are imported on first use
(PEP 562), so ``govreport --help`` or a check of one file does not pay for
docxtpl, lxml, pandoc or the importers.
"""

import importlib as _importlib

__version__ = "0.1.0"

#: Where each public name is defined.
_SOURCES = {
    "AggregateError": "_aggregate",
    "aggregate": "_aggregate",
    "FileResult": "_batch",
    "check_many": "_batch",
    "find_facts": "_discovery",
    "render_many": "_batch",
    "CheckResult": "_checks",
    "check": "_checks",
    "ConversionError": "_exceptions",
    "FactsError": "_exceptions",
    "GovReportError": "_exceptions",
    "InputError": "_exceptions",
    "OutputError": "_exceptions",
    "TemplateError": "_exceptions",
    "load": "_facts",
    "Facts": "_model",
    "Problem": "_problems",
    "RenderResult": "_render",
    "render": "_render",
    "roll_forward": "_rollforward",
    "AuditRun": "auditing",
    "audit": "auditing",
    "ImportResult": "importing",
    "import_report": "importing",
}

__all__ = sorted([*_SOURCES, "__version__"])


def __getattr__(name: str) -> object:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{source}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
