"""The PDF engine: LibreOffice, found, started and driven, and the fonts it prints with.

``soffice`` finds LibreOffice and runs ``soffice --convert-to pdf`` afresh;
``profile`` lays out the LibreOffice profile once and copies it for every start;
``fonts`` says which 公文 fonts this machine has and maps the rest for LibreOffice;
``uno_finder`` finds the Python that can ``import uno``; ``office_converter`` keeps a
LibreOffice running and talks to ``uno_bridge`` (a script run by LibreOffice's own
Python, never imported here); ``office`` is the process-wide converter ``render``
uses. To change how a PDF is made, start here.
"""
