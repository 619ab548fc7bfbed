"""The process that typesets a shared set's ``report.typ`` (run by ``pdf.typst_engine``).

It reads one request (JSON: template, root, data, fonts, output), compiles, writes
the PDF and exits 0; on a Typst error it prints ``WORKER_ERROR`` and the message
and diagnostic as JSON, and exits 1. It caps its own memory at the request's
``memory`` before loading Typst; time and network are limited by the parent, and it
dies with the parent.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..files.lifetime import die_with_parent, limit_own
from .typst_engine import WORKER_ERROR


def main(request_file: str) -> int:
    request = json.loads(Path(request_file).read_text(encoding="utf-8"))
    if request.get("memory"):  # before Typst is loaded: all its work is within the limit
        limit_own("RLIMIT_AS", int(request["memory"]))
    import typst

    standard = request["standard"]
    try:
        typst.compile(
            request["input"],
            output=request["output"],
            root=request["root"],
            font_paths=request["fonts"],
            format="pdf",
            sys_inputs={"report": request["data"]},
            pdf_standards=[standard] if standard else [],
            package_path=request["packages"],
            package_cache_path=request["packages"],
        )
    except typst.TypstError as exc:
        sys.stdout.write(WORKER_ERROR + json.dumps([exc.message, exc.diagnostic]))
        return 1
    return 0


if __name__ == "__main__":
    die_with_parent(os.getppid())
    sys.exit(main(sys.argv[1]))
