"""Reading published reports back into facts: one module per reader, shared recognisers beside them."""

from .base import NotAReport
from .report import ImportResult, import_report
from .tables import PrintedCell

__all__ = ["ImportResult", "NotAReport", "PrintedCell", "import_report"]
