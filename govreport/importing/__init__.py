"""Reading published reports back into facts: one module per reader, shared recognisers beside them.

Names are imported on first use (PEP 562): the PDF worker process imports one reader
without paying for import's whole pipeline (``readers.pdf_process``).
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from .base import NotAReport
    from .report import ImportResult, import_report
    from .tables import PrintedCell

_SOURCES = {
    "NotAReport": "base",
    "ImportResult": "report",
    "import_report": "report",
    "PrintedCell": "tables",
}

__all__ = ["ImportResult", "NotAReport", "PrintedCell", "import_report"]


def __getattr__(name: str) -> object:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{source}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value
