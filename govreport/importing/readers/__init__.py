"""One reader per kind of published report, each handing import paragraphs and table cells.

``choose`` picks the reader by the file's suffix and bounds what is read (a regular
file, no larger than any real report); ``docx``, ``html``, ``pdf`` (pdfplumber) and
``text`` (plain text and Markdown, with ``flat`` for text that lost its line breaks)
read reports. A PDF is read in a worker process bounded in memory and time
(``pdf_process`` starts ``pdf_worker``, which measures the file first, ``pdf_budget``,
and judges its text layer, ``pdf_text``); a text file's encoding is found, UTF-16
without a BOM included, or the file refused (``decoding``); a web page is read as a
person sees it (``html_visibility``), and ``seen`` says where hidden content held
numbers or a table was printed twice. ``xlsx`` reads a filled govreport workbook
straight back into facts: ``xlsx_scan`` measures the workbook before openpyxl loads
it, its cells are found by label (``xlsx_cells``) and its sheets read table by table
(``xlsx_tables``).
"""
