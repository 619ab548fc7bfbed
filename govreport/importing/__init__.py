"""Reading published reports back into facts: one module per reader, shared recognisers beside them."""

from .report import ImportResult, import_report

__all__ = ["ImportResult", "import_report"]
