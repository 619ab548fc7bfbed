"""Generate ``govreport/template_sets/builtin/national/report.docx``, the national docxtpl template.

The template is generated rather than edited by hand so that every label in its
tables comes from ``govreport.official`` (the single definition of the official
format): retyping labels in Word is exactly the "label drift" reviewers find in
published reports. Run ``python tools/build_national.py`` after changing
``govreport/official`` or ``tools/national_template``; the output is byte-for-byte reproducible,
so a diff in ``report.docx`` always means a real change (``tests/test_build_national.py``
builds it into a temporary file, ``-o PATH``, and compares the bytes with the shipped one).

The layout itself lives in the ``national_template`` package beside this script
(``tools/national_template/``); this file is only its entry point.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
for _path in (ROOT, TOOLS):  # run from a checkout without installing govreport
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from national_template import build, save_reproducibly  # noqa: E402

OUTPUT = ROOT / "govreport" / "template_sets" / "builtin" / "national" / "report.docx"


def main(argv: list[str] | None = None) -> Path:
    """Build the template and write it into the package (or to ``-o PATH``); its path."""
    parser = argparse.ArgumentParser(description="Generate the national report.docx template.")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=OUTPUT,
        help=f"where to write it (default: {OUTPUT.relative_to(ROOT)})",
    )
    output: Path = parser.parse_args(argv).output
    save_reproducibly(build(), output)
    shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
    print(f"wrote {shown}")
    return output


if __name__ == "__main__":
    main()
