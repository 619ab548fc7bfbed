"""Reading published reports back into facts: one module per reader, shared recognisers beside them."""

from .report import ImportResult, import_report
from .tables import PrintedCell

__all__ = ["ImportResult", "PrintedCell", "import_report"]
