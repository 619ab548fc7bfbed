"""The national Word template's generator: ``build()`` the document, ``save_reproducibly()`` it.

``tools/build_national.py`` is only the entry point; the layout lives here, one module
per concept so each stays small: ``layout`` (the GB/T 9704 fonts, sizes and style
names), ``ooxml`` (raw XML helpers), ``styles``, ``page`` (margins and page numbers),
``body`` (narrative paragraphs as docxtpl tags), ``tables`` (tables 二 to 四 from
``govreport.official.grids``) and ``document`` (the whole report, saved byte-reproducibly).
The package imports ``govreport``, so the repository root must be on ``sys.path``
(the entry point puts it there).

Pagination is the template's job too, in properties Word, WPS and LibreOffice all
honour: no table row splits (cantSplit), headings keep with what follows
(keepNext), tables 二 and 四 keep their rows together, table 三 keeps its rows
together (a keep-with-next chain, so it starts on a new page rather than split)
and repeats its header rows if it ever must break, and the last paragraph of the
body keeps with the 落款 so the agency name and date never stand alone.
"""

from __future__ import annotations

from .document import build, save_reproducibly

__all__ = ["build", "save_reproducibly"]
