"""How the workbook's cells look, and how a text goes into a cell so it stays text.

A text the user wrote (an agency name, a narrative, a contact line) is data, never
an instruction: ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` typed into a facts file
must reach Excel, WPS or LibreOffice as the characters typed. openpyxl would store
any string starting with ``=`` as a formula, so ``put_text`` stores it as a string
cell explicitly, and marks a text that a spreadsheet would otherwise reinterpret
when it is edited or saved again (``= + - @``) with the "quote prefix" style, the
leading apostrophe Excel shows for text that looks like a formula. Only the
workbook's own 总计 are formulas (``put_formula``).
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
COMPUTED_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

#: What makes a spreadsheet read a typed text as a formula (OWASP's list for CSV, the same
#: characters Excel and LibreOffice act on when a cell is edited).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Cell | MergedCell, text: str) -> None:
    """``text`` as a string cell, whatever it starts with (never a formula)."""
    cell.value = text
    cell.data_type = "s"  # openpyxl made it a formula if it starts with "="
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def put_value(cell: Cell | MergedCell, value: Any) -> None:
    """A value of the facts: a text as ``put_text`` writes it, anything else as it is."""
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def put_formula(cell: Cell | MergedCell, formula: str) -> None:
    """One of the workbook's own formulas (a 总计 or 合计): the only formulas it holds."""
    assert formula.startswith("="), formula
    cell.value = formula
