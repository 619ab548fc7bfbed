"""``python -m govreport``: the same as the ``govreport`` command."""

from .cli import main

main()
