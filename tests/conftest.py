"""Shared fixtures for the facts-file tests (loader, schema, checks, CLI)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tests_support as support

from govreport.pdf.soffice import have_libreoffice


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """govreport's cache (the LibreOffice profile seed) in a folder of this test run, so a
    run starts without one and never touches the user's own."""
    from govreport.pdf.profile import CACHE_ENV

    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def line_of() -> Callable[[str, str], int]:
    return support.line_of


@pytest.fixture(scope="session")
def replace_once() -> Callable[[str, str, str], str]:
    return support.replace_once


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in ``tmp_path`` and return its path."""

    def _write(content: str | bytes, name: str = "facts.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def example_text() -> Callable[[str], str]:
    """The text of ``examples/<name>.yaml``."""

    def _text(name: str) -> str:
        return (support.EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8")

    return _text


@pytest.fixture(scope="session")
def minimal_yaml() -> str:
    """The smallest facts file that loads (a department, all tables 0, no texts)."""
    return support.MINIMAL_YAML


@pytest.fixture(scope="session")
def clean_facts() -> Callable[..., dict]:
    """Builds a facts dict that passes every check (see ``support.clean_facts_dict``)."""
    return support.clean_facts_dict


@pytest.fixture(scope="session")
def to_yaml() -> Callable[[dict], str]:
    return support.dump_yaml


# --------------------------------------------------------------------------- PDF tools


@dataclass(frozen=True)
class PdfTools:
    """LibreOffice (which govreport uses to print PDF) and pdftotext (to read it back)."""

    soffice: str
    pdftotext: str

    def text(self, pdf: Path) -> str:
        """The PDF's text with all whitespace removed (pdftotext spaces out table cells)."""
        result = subprocess.run(
            [self.pdftotext, "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return "".join(result.stdout.decode("utf-8").split())


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pdf_tools() -> PdfTools:
    """The one gate for every ``@pytest.mark.pdf`` test.

    Without LibreOffice or pdftotext the test is skipped with the reason, except
    in CI (``CI`` set, e.g. ``CI=true``), where it fails: CI must never skip PDF
    tests silently.
    """
    soffice = have_libreoffice()
    pdftotext = shutil.which("pdftotext")
    missing = []
    if soffice is None:
        missing.append("LibreOffice（soffice；可用环境变量 GOVREPORT_SOFFICE 指定）")
    if pdftotext is None:
        missing.append("pdftotext（poppler-utils）")
    if missing:
        reason = "未安装 " + "、".join(missing) + "，无法测试 PDF 输出"
        if _in_ci():
            pytest.fail(
                f"{reason}；CI 环境（CI={os.environ['CI']}）必须运行 PDF 测试", pytrace=False
            )
        pytest.skip(reason)
    assert soffice is not None and pdftotext is not None
    return PdfTools(soffice, pdftotext)


@pytest.fixture(scope="session")
def office(pdf_tools: PdfTools) -> PdfTools:
    """The gate for the LibreOffice kept running: a Python with ``uno`` (Debian:
    python3-uno) as well as what ``pdf_tools`` needs; in CI its absence is a failure."""
    from govreport.pdf.uno_finder import uno_python

    if uno_python() is None:
        reason = "未找到带 uno 模块的 Python（apt-get install python3-uno）"
        if _in_ci():
            pytest.fail(f"{reason}；CI 必须测试常驻 LibreOffice", pytrace=False)
        pytest.skip(reason)
    return pdf_tools


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (``CI`` set) a skipped test is a failure: every test must run there.

    Skips are for a developer's machine without LibreOffice; CI installs it, so a
    skip in CI means something the tests promise was not checked.
    """
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) were skipped; every test must run in CI", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


#: Debian's chromium, as root and offline: the flags keep it from reaching for the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium (``GOVREPORT_CHROMIUM`` overrides): Playwright never downloads one."""
    found = os.environ.get("GOVREPORT_CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Any:
    """One headless Chromium for the session, driven by Playwright; the gate for browser tests.

    Skipped without Chromium off CI; in CI a missing browser fails, like the PDF tests.
    """
    executable = chromium_path()
    if executable is None:
        reason = "未安装 chromium（Debian 软件包 chromium），无法在浏览器中测试"
        if _in_ci():
            pytest.fail(f"{reason}；CI 环境必须运行浏览器测试", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Any:
    """A fresh page (its own context) in the session's browser."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
