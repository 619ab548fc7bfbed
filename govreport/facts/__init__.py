"""The facts file: one agency's facts for one year, read, validated, written back.

From the ground up: ``yaml_messages`` (PyYAML's errors in Chinese), ``scalars`` (what a
value may look like, so no number changes silently), ``reading`` (YAML with the line
and column of every value, safely), ``fields`` (the value fields and their bounds),
``model`` (the validated, typed facts), ``schema`` (marshmallow: types, defaults, the
model it builds), ``loading`` (``load``: a path, text or dict to ``Facts``), ``writer``
(facts back to a commented YAML file), ``jsonschema`` (for editors), ``skeleton``
(``govreport init``) and ``next_year`` (``roll_forward``).
"""
