"""Shared set-up for the editor's tests: Starlette's test client, and the editor started
on a 政务公开办's folder holding the busy example.

The test modules take the fixtures by importing them (``from editor_support import
client, folder``), so each one starts from the same folder and the same client.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import tests_support as support

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from govreport.web import create_app

__all__ = ["BUSY", "ORIGIN", "TestClient", "client", "editor_client", "folder", "version"]

#: What a browser on the editor's own page sends (the editor checks it on every POST).
ORIGIN = {"Origin": "http://testserver"}
BUSY = "busy-2023.yaml"


def editor_client(folder: Path, name: str = BUSY) -> TestClient:
    """A client of the editor started on ``folder``, opening ``name``."""
    return TestClient(create_app(folder, folder / name), headers=ORIGIN)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return support.office_folder(tmp_path, BUSY)


@pytest.fixture
def client(folder: Path) -> TestClient:
    return editor_client(folder)


def version(client: TestClient, name: str = BUSY) -> str:
    """The version the editor's page for ``name`` was drawn from (what a save sends back)."""
    page = client.get("/edit", params={"file": name})
    assert page.status_code == 200, page.text
    return re.search(r'data-version="([0-9a-f]{64})"', page.text).group(1)
