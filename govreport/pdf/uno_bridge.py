"""Run by LibreOffice's own Python (the one that can ``import uno``), never imported by govreport.

``govreport.pdf.office_converter`` starts LibreOffice listening on a named pipe and this
script beside it. The script connects through UNO, then converts one document
per request: a JSON line on stdin (``{"in": path, "out": path}``) answered by a
JSON line on stdout (``{"ok": true}`` or ``{"ok": false, "stage": …, "error": …,
"fatal": …}``). ``stage`` says what failed (``open`` the document, ``store`` the PDF);
``error`` is LibreOffice's own words, for a developer: govreport tells the user in
Chinese. ``fatal`` means LibreOffice itself is gone; govreport then starts a fresh one.
At end of input (govreport closed the pipe or died) LibreOffice is shut down; a
govreport that died is also noticed by its parent changing, and the script then ends
at once, even in the middle of a call (LibreOffice itself is killed by its guard).
"""

import contextlib
import json
import os
import sys
import threading
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


class _Failed(Exception):
    """A step of one conversion failed: ``stage`` says which."""

    def __init__(self, stage, cause):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.stage = stage
        self.cause = cause


def _convert(desktop, source, target):
    """What ``soffice --convert-to pdf`` does: load hidden, export with writer_pdf_Export."""
    try:
        document = desktop.loadComponentFromURL(
            Path(source).as_uri(), "_blank", 0, _props(Hidden=True, ReadOnly=True)
        )
        if document is None:
            raise ValueError("loadComponentFromURL returned nothing")
    except Exception as exc:
        raise _Failed("open", exc) from exc
    try:
        document.storeToURL(Path(target).as_uri(), _props(FilterName="writer_pdf_Export"))
    except Exception as exc:
        raise _Failed("store", exc) from exc
    finally:
        with contextlib.suppress(Exception):
            document.close(True)


def _answers(desktop):
    """Whether LibreOffice still answers (a failed step may mean it was killed)."""
    try:
        desktop.getComponents()
    except Exception:
        return False
    return True


def _watch_parent(parent):
    """End when govreport does: its pipe may stay open while a call hangs."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _reply(**fields):
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    pipe, wait = sys.argv[1], float(sys.argv[2])
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
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
        except _Failed as failed:
            fatal = isinstance(failed.cause, (DisposedException, RuntimeException))
            fatal = fatal or not _answers(desktop)
            _reply(ok=False, fatal=fatal, stage=failed.stage, error=str(failed))
            if fatal:
                return 1
        else:
            _reply(ok=True)
    with contextlib.suppress(Exception):
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
