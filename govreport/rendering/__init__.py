"""Rendering: the report written from the facts in every format.

``report`` is ``render()``: check the facts, write the narrative, then each format
asked for. ``word`` and ``compiled`` fill the Word template (docxtpl, compiled once
per process); ``markup`` writes HTML and Markdown straight from the facts through the
set's Jinja templates; ``formats`` lists the formats and runs pandoc for ODT and
RTF. PDF comes from the Word file through ``govreport.pdf``.
"""
