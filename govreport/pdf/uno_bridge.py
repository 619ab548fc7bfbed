"""Run by LibreOffice's own Python (the one that can ``import uno``), never imported by govreport.

``govreport.pdf.office_converter`` starts LibreOffice listening on a named pipe and this
script beside it. The script connects through UNO, then converts one document
per request: a JSON line on stdin (``{"in": path, "out": path}``) answered by a
JSON line on stdout (``{"ok": true}`` or ``{"ok": false, "error": …, "fatal": …}``).
``fatal`` means LibreOffice itself is gone; govreport then starts a fresh one.
At end of input (govreport closed the pipe or died) LibreOffice is shut down.
"""

import contextlib
import json
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException


def _props(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _convert(desktop, source, target):
    """What ``soffice --convert-to pdf`` does: load hidden, export with writer_pdf_Export."""
    document = desktop.loadComponentFromURL(
        Path(source).as_uri(), "_blank", 0, _props(Hidden=True, ReadOnly=True)
    )
    if document is None:
        raise ValueError("LibreOffice 无法打开该文件")
    try:
        document.storeToURL(Path(target).as_uri(), _props(FilterName="writer_pdf_Export"))
    finally:
        document.close(True)


def _reply(**fields):
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    pipe, wait = sys.argv[1], float(sys.argv[2])
    try:
        desktop = _connect(pipe, time.monotonic() + wait)
    except Exception as exc:
        _reply(ready=False, error=f"{type(exc).__name__}: {exc}")
        return 1
    _reply(ready=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            _convert(desktop, request["in"], request["out"])
        except (DisposedException, RuntimeException) as exc:
            _reply(ok=False, fatal=True, error=f"{type(exc).__name__}: {exc}")
            return 1
        except Exception as exc:
            _reply(ok=False, fatal=False, error=f"{type(exc).__name__}: {exc}")
        else:
            _reply(ok=True)
    with contextlib.suppress(Exception):
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
