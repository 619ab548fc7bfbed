"""The narrative: the author's texts, and boilerplate where the facts leave them out.

``writer`` writes each section's text from the facts and the template set's
boilerplate; ``placeholders`` lets an author quote table numbers
(``{{ requests.received.total }}``) as data, never code; ``title`` breaks the
report's title into balanced lines between words.
"""
