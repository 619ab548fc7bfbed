"""The PDF engines: Typst, which typesets the report straight from its data (the
default), and LibreOffice, found, started and driven, which prints a Word file.

``typst_engine`` compiles a set's ``report.typ`` (a kept compiler for the built-in
templates; a limited worker process, ``typst_worker``, for a set's own) and
``typst_fonts`` finds the 公文 fonts and their stand-ins for it. For LibreOffice:

``soffice`` finds LibreOffice and runs ``soffice --convert-to pdf`` afresh;
``profile`` lays out the LibreOffice profile once and copies it for every start;
``fonts`` says which 公文 fonts this machine has and maps the rest for LibreOffice;
``uno_finder`` finds the Python that can ``import uno``; ``office_converter`` keeps a
LibreOffice running and talks to ``uno_bridge`` (a script run by LibreOffice's own
Python, never imported here); ``office`` is the process-wide converter ``render``
uses; ``office_process`` starts every LibreOffice under ``office_guard`` (a script that
kills it when govreport dies) in a work folder the next run removes if this one is killed.
To change how a PDF is made, start here.
"""
