"""``govreport serve``: one server for a whole region, built around the editor in ``web/``.

The service adds what a single-user editor does not need: accounts and roles,
a database (SQLite in a data folder, or PostgreSQL), yearly rounds, the
workflow of a report (filled in, submitted, returned, approved, published),
versions, comments and the region's own outputs. The page and the checks are
the editor's own (``web.document``, ``web.checking``, ``web.view``).
"""
