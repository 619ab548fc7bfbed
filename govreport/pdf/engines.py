"""The choices a PDF offers, as data: the engines and the PDF standards.

Kept apart from the engines themselves so that the command line's ``--help`` can list
them without loading either engine (``cli`` starts fast; see ``cli/_lazy``).
"""

from __future__ import annotations

#: What ``--pdf-engine`` accepts: ``auto`` picks per set (``rendering.typst_pdf.pdf_engine``).
PDF_ENGINES = ("auto", "typst", "libreoffice")
#: PDF standards ``--pdf-standard`` offers (PDF/A for archiving; Typst writes them).
PDF_STANDARDS = ("a-2b", "a-2u", "a-3b", "a-4")
