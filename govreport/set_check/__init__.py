"""``templates check``: what would go wrong with a template set, found before anyone renders.

A template author edits a Word file and a few text files; the mistakes they make
(a typo in a placeholder, a tag Word split into differently formatted pieces, a
``{%p`` tag sharing its paragraph with text, a retyped table label) only show
at render time, one at a time, as Jinja messages pointing into XML. This package
finds them all at once and names each by where the author can find it: the part
of the Word file, the paragraph or table cell and its text, or the file and line.

Placeholders are checked against the facts model itself: the names rendering
puts in the context (``rendering.report.word_context``, ``narrative.writer.text_context``) and,
below them, the model's dataclasses and table 三's rows from ``official``.

One concept per module: ``sets`` (the whole set: folder, set.yaml, inheritance,
the order files are checked in), ``word`` (the Word file's paragraphs, cells and
other parts), ``requests_table`` (table 三's labels), ``text`` (text files and any
text Jinja renders, by line), ``tags`` (each tag's syntax and how tags pair into
blocks), ``names`` and ``shapes`` (placeholders against the facts model), and
``problem`` (the record every check returns).
"""

from .problem import TemplateProblem
from .whole_set import check_set

__all__ = ["TemplateProblem", "check_set"]
