"""The shipped national template is exactly what ``tools/build_national.py`` generates.

The template is generated so that its labels come from ``govreport.official``; a
``report.docx`` edited by hand, or a script changed without regenerating it, would
drift from the official wording unnoticed. The build is byte-reproducible, so the
check is a byte comparison. ``tools/`` is not part of the package: the script is
loaded by its path, and writes into a temporary file rather than the package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "build_national.py"
SHIPPED = ROOT / "govreport" / "template_sets" / "builtin" / "national" / "report.docx"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_national", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_gives_the_shipped_template_byte_for_byte(tmp_path: Path) -> None:
    build_national = _script()
    assert build_national.OUTPUT == SHIPPED  # what a plain run regenerates
    target = tmp_path / "built" / "report.docx"
    assert build_national.main(["-o", str(target)]) == target
    assert target.read_bytes() == SHIPPED.read_bytes(), (
        "report.docx differs from what tools/build_national.py generates: "
        "run `python tools/build_national.py` and commit the result"
    )
