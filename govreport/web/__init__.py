"""The local web editor (``govreport edit``): forms for the facts file, checks as you type.

Starlette (ASGI) with uvicorn, Jinja2 pages rendered on the server, a little
hand-written JavaScript shipped in ``static/``; nothing is loaded from the network.
The modules: ``form_fields`` (every editable value, by facts-file path),
``table_layout`` (the official tables as grids), ``document`` (round-trip load and
safe save), ``checking``, ``view`` (the page's model), ``context`` (what every route
shares: the editor's state, its pages, its JSON bodies), ``pages``/``api``/``start``/
``folder`` (routes), ``outputs`` (folder mode's reports: names, "全部生成", links),
``partial_checks`` (the checks that still run while a value is refused), ``workspace``
(the folder, and the one gate every write passes), ``security`` (token, origin, host),
``app`` and ``server``.
"""

from .app import create_app

__all__ = ["create_app"]
