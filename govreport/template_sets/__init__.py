"""Template sets: where a report's Word file, web and Markdown templates and boilerplate come from.

``sets`` finds and loads a set and its parents (``builtin/national`` and
``builtin/shandong`` ship inside the package); ``set_files`` treats a set's files as
untrusted input (paths, ``set.yaml``, the Word package); ``sandbox`` is the bounded
Jinja sandbox and ``environment`` the one Jinja environment every template renders
in, with what its failures mean in Chinese; ``new_set`` starts a set
(``govreport templates new``).
"""
