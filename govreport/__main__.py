"""``python -m govreport``: the same as the ``govreport`` command."""

from ._cli import main

main()
