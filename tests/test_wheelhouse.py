"""The offline-install recipe (``tools/wheelhouse.py``): what it asks pip for, and its
check that a folder is complete. The real gathering needs a package index; ``.ci/run``
gathers from the clone, installs with ``--no-index`` into a new venv and renders."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "wheelhouse.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def declared_dependencies() -> list[str]:
    """The names in pyproject's ``dependencies`` (read as text: tomllib is 3.11+)."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
    assert block is not None
    return re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block[1], re.M)


def test_windows_plan_asks_for_windows_wheels_of_the_projects_own_dependencies(
    tmp_path: Path,
) -> None:
    done = run(str(tmp_path / "wh"), "--platform", "windows", "--python", "3.11", "--dry-run")
    assert done.returncode == 0, done.stderr
    build, gather, check = done.stdout.strip().splitlines()
    assert "pip wheel --no-deps" in build and str(ROOT) in build
    assert "pip download" in gather
    for flag in ("--only-binary=:all:", "--platform win_amd64", "--python-version 3.11", "cp311"):
        assert flag in gather and flag in check, flag
    # what is downloaded is govreport's wheel with its dependencies, read from its metadata
    assert gather.endswith("govreport-<版本>-py3-none-any.whl")
    assert "--no-index" in check and check.endswith(" govreport")


def test_linux_plan_takes_every_manylinux_baseline(tmp_path: Path) -> None:
    done = run(str(tmp_path / "wh"), "--platform", "linux", "--extras", "pandoc", "--dry-run")
    assert done.returncode == 0, done.stderr
    gather = done.stdout.splitlines()[1]
    assert "--platform manylinux_2_28_x86_64" in gather
    assert "--platform manylinux2014_x86_64" in gather
    assert gather.endswith("py3-none-any.whl[pandoc]")


def test_the_recipe_keeps_no_list_of_dependencies() -> None:
    """A dependency another change adds is gathered without touching the script."""
    source = SCRIPT.read_text("utf-8").lower()
    names = declared_dependencies()
    assert "docxtpl" in [n.lower() for n in names]
    for name in names:
        assert name.lower() not in source, name


def test_host_refuses_another_python_version(tmp_path: Path) -> None:
    other = "3.10" if sys.version_info[:2] != (3, 10) else "3.12"
    done = run(str(tmp_path / "wh"), "--python", other)
    assert done.returncode == 2
    assert "只能收集本机 Python" in done.stderr


def _fake_govreport_wheel(folder: Path) -> Path:
    """A govreport wheel whose metadata needs docxtpl, which the folder does not hold."""
    folder.mkdir()
    wheel = folder / "govreport-0.1.0-py3-none-any.whl"
    info = "govreport-0.1.0.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("govreport/__init__.py", "")
        archive.writestr(
            f"{info}/METADATA",
            "Metadata-Version: 2.1\nName: govreport\nVersion: 0.1.0\nRequires-Dist: docxtpl>=0.19\n",
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return wheel


@pytest.mark.parametrize("platform", ["windows", "linux"])
def test_the_check_finds_a_missing_dependency_offline(tmp_path: Path, platform: str) -> None:
    folder = tmp_path / "wh"
    _fake_govreport_wheel(folder)
    done = run(str(folder), "--platform", platform, "--check")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "离线安装自检失败：没有找到适用于目标平台的 docxtpl" in done.stderr
    assert list(folder.iterdir()) == [folder / "govreport-0.1.0-py3-none-any.whl"]
