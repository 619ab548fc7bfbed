"""One reader per kind of published report, each handing import paragraphs and table cells.

``choose`` picks the reader by the file's suffix and content and bounds what is read;
``docx``, ``html``, ``pdf`` (pdfplumber) and ``text`` (plain text and Markdown, with
``flat`` for text that lost its line breaks) read reports; ``xlsx`` reads a filled
govreport workbook straight back into facts, its cells found by label (``xlsx_cells``)
and its sheets read table by table (``xlsx_tables``).
"""
