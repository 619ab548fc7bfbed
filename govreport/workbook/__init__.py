"""The tables as an Excel workbook: written in the official layout, read back by label.

Staff keep their numbers in Excel 台账. ``write_workbook`` puts one agency's facts
into a workbook laid out like the official tables (merged headers, official labels,
totals as formulas); a filled workbook is read back cell by cell by
its labels (``importing.readers.xlsx``), with the same problem reporting as ``import``. ``write_folder_workbook``
gives a 政务公开办 one workbook with a sheet per agency and a summary sheet.
"""

from .write import write_folder_workbook, write_workbook

__all__ = ["write_folder_workbook", "write_workbook"]
