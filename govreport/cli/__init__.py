"""The ``govreport`` command line: one module per family of commands, tied together in ``main``."""

from .main import main

__all__ = ["main"]
