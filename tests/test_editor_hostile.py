"""The editor against hostile folders and requests: every write through one gate.

A linked ``报告/`` or ``汇总/``, a linked output file, a FIFO or a folder named like
a facts file, over-long names, a loopback address other than 127.0.0.1, an upload
that fails: each is refused (or handled) with a Chinese message and a 4xx, nothing is
written outside the editor's folder, and the editor keeps answering.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from editor_support import BUSY, ORIGIN, TestClient, client, folder  # noqa: F401 - fixtures

from govreport import load
from govreport.errors import InputError
from govreport.web import create_app
from govreport.web import server as web_server
from govreport.web.workspace import MAX_NAME_BYTES, Forbidden, Workspace

TITLE = "某市自然资源和规划局2023年政府信息公开工作年度报告"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the editor's, which nothing the editor does may change."""
    place = tmp_path / "outside"
    place.mkdir()
    (place / f"{TITLE}.docx").write_bytes(b"precious")
    return place


def snapshot(place: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(place.iterdir())}


# --------------------------------------------------------------------------- the write gate


def test_render_all_refuses_a_symlinked_output_folder(folder, outside, client):
    before = snapshot(outside)
    (folder / "报告").symlink_to(outside, target_is_directory=True)
    response = client.post("/api/render-all", json={})
    assert response.status_code == 403
    assert "“报告”是符号链接" in response.json()["error"]
    assert snapshot(outside) == before


def test_render_all_refuses_a_symlinked_output_file(folder, outside, client):
    before = snapshot(outside)
    (folder / "报告").mkdir()
    (folder / "报告" / f"{TITLE}.docx").symlink_to(outside / f"{TITLE}.docx")
    response = client.post("/api/render-all", json={})
    assert response.status_code == 403
    assert f"“报告/{TITLE}.docx”是符号链接" in response.json()["error"]
    assert snapshot(outside) == before
    assert (folder / "报告" / f"{TITLE}.docx").is_symlink()  # not replaced either


def test_render_all_refuses_a_folder_where_a_report_goes(folder, client):
    (folder / "报告" / f"{TITLE}.docx").mkdir(parents=True)
    response = client.post("/api/render-all", json={})
    assert response.status_code == 422
    assert "文件夹" in response.json()["error"]


def test_a_symlinked_sums_folder_is_refused(folder, outside, client):
    before = snapshot(outside)
    (folder / "汇总").symlink_to(outside, target_is_directory=True)
    response = client.post("/api/aggregate", json={"name": "某某区人民政府"})
    assert response.status_code == 403 and "符号链接" in response.json()["error"]
    assert snapshot(outside) == before


def test_save_and_save_raw_through_a_link_out_are_refused(folder, outside, client):
    (outside / "theirs.yaml").write_text((folder / BUSY).read_text("utf-8"), "utf-8")
    before = snapshot(outside)
    (folder / "link.yaml").symlink_to(outside / "theirs.yaml")
    raw = client.post("/api/save-raw", json={"file": "link.yaml", "version": "x", "text": "a: 1"})
    assert raw.status_code == 403
    saved = client.post("/api/save", json={"file": "link.yaml", "version": "x", "values": {}})
    assert saved.status_code == 403
    assert snapshot(outside) == before


def test_new_files_never_follow_a_dangling_link(folder, outside, client):
    """A link already standing where the new file would go is never written through."""
    (folder / "某某区教育局2024.yaml").symlink_to(outside / "planted.yaml")
    made = client.post("/api/new", json={"name": "某某区教育局", "year": "2024"})
    assert made.status_code == 200
    assert made.json()["url"].endswith(
        "%E6%9F%90%E6%9F%90%E5%8C%BA%E6%95%99%E8%82%B2%E5%B1%802024-2.yaml"
    )
    assert load(folder / "某某区教育局2024-2.yaml").agency.name == "某某区教育局"
    assert not (outside / "planted.yaml").exists()


def test_an_upload_draft_never_follows_a_link_where_it_would_go(folder, outside, client):
    (folder / "2024.yaml").symlink_to(outside / "planted.yaml")
    with (folder / BUSY).open("rb") as handle:
        response = client.post("/api/start", files={"report": ("2023.yaml", handle)})
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "2024-2.yaml"
    assert load(folder / "2024-2.yaml").year == 2024
    assert not (outside / "planted.yaml").exists()


def test_the_gate_itself(folder, outside):
    workspace = Workspace.at(folder)
    (folder / "inner").mkdir()
    (folder / "via").symlink_to(folder / "inner", target_is_directory=True)
    with pytest.raises(Forbidden, match="“via”是符号链接"):
        workspace.writable("via/a.yaml")  # even a link that stays inside: it could change
    with pytest.raises(Forbidden):
        workspace.writable(outside / "a.yaml")
    with pytest.raises(Forbidden):
        workspace.writable("../outside/a.yaml")
    with pytest.raises(InputError, match="文件名过长"):
        workspace.writable("长" * 80 + ".yaml")
    assert workspace.writable("inner/new.yaml") == folder.resolve() / "inner" / "new.yaml"
    long_name = workspace.new_name("某" * 300)
    assert len(long_name.name.encode()) <= MAX_NAME_BYTES and long_name.suffix == ".yaml"


# --------------------------------------------------------------------------- not regular files


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """The app under uvicorn in a thread, as ``govreport edit`` runs it (one event loop)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_named_like_a_facts_file_never_blocks_the_editor(folder):
    os.mkfifo(folder / "pipe.yaml")
    results: dict[str, httpx.Response] = {}
    # A generous timeout only so that a regression fails instead of hanging the run.
    with (
        serving(create_app(folder, folder / BUSY)) as url,
        httpx.Client(base_url=url, headers={"Origin": url}, timeout=30) as http,
    ):

        def hostile() -> None:
            body = {"file": "pipe.yaml", "version": "", "text": "year: 2023\n"}
            results["save-raw"] = http.post("/api/save-raw", json=body)

        worker = threading.Thread(target=hostile)
        worker.start()
        results["check"] = http.post("/api/check", json={"file": BUSY, "values": {}})
        worker.join(timeout=30)
        assert not worker.is_alive()
        results["check-pipe"] = http.post("/api/check", json={"file": "pipe.yaml"})
        results["save-pipe"] = http.post(
            "/api/save", json={"file": "pipe.yaml", "version": "", "values": {}}
        )
        results["edit-pipe"] = http.get("/edit", params={"file": "pipe.yaml"})
        results["folder"] = http.get("/folder")
    assert results["check"].status_code == 200
    for name in ("save-raw", "check-pipe", "save-pipe"):
        assert results[name].status_code == 422, name
        assert "管道、设备或其他特殊文件" in results[name].json()["error"]
    assert results["edit-pipe"].status_code == 422
    assert results["folder"].status_code == 200 and "pipe.yaml" in results["folder"].text
    assert (folder / "pipe.yaml").is_fifo()


def test_a_folder_named_like_a_facts_file_is_a_chinese_4xx(folder, client):
    (folder / "dir.yaml").mkdir()
    for response in (
        client.post("/api/save-raw", json={"file": "dir.yaml", "version": "", "text": "a: 1"}),
        client.post("/api/save", json={"file": "dir.yaml", "version": "", "values": {}}),
        client.post("/api/check", json={"file": "dir.yaml", "values": {}}),
    ):
        assert response.status_code == 422
        assert "这是一个文件夹，不是普通的文件" in response.json()["error"]
    assert (folder / "dir.yaml").is_dir() and not list((folder / "dir.yaml").iterdir())


# --------------------------------------------------------------------------- long names


def test_a_long_upload_file_name_gives_a_shortened_draft_name(folder, client):
    name = "某" * 120 + "2023.yaml"
    with (folder / BUSY).open("rb") as handle:
        response = client.post("/api/start", files={"report": (name, handle, "text/yaml")})
    assert response.status_code == 200, response.text
    draft = folder / response.json()["file"]
    assert draft.is_file() and len(draft.name.encode()) <= MAX_NAME_BYTES
    assert load(draft).year == 2024


def test_a_long_agency_name_is_refused_or_shortened_never_a_500(folder, client):
    refused = client.post("/api/new", json={"name": "某" * 200, "year": "2024"})
    assert refused.status_code == 400 and "过长" in refused.json()["error"]
    long_name = "某" * 95 + "局"
    made = client.post("/api/new", json={"name": long_name, "year": "2024"})
    assert made.status_code == 200, made.text
    [created] = [p for p in folder.glob("*.yaml") if p.name != BUSY]
    assert len(created.name.encode()) <= MAX_NAME_BYTES
    assert load(created).agency.name == long_name  # the name itself is kept whole
    summed = client.post("/api/aggregate", json={"name": "某" * 200})
    assert summed.status_code == 400 and "过长" in summed.json()["error"]


# --------------------------------------------------------------------------- host, upload errors


def test_another_loopback_address_answers_at_the_url_it_printed(folder, monkeypatch):
    started = {}
    monkeypatch.setattr(web_server, "run", lambda app, sock: started.update(app=app))
    shown = []
    web_server.serve(
        web_server.prepare(folder),
        host="127.0.0.2",
        port=0,
        open_browser=False,
        say=lambda url, token: shown.append((url, token)),
    )
    url, token = shown[0]
    assert token is None and re.fullmatch(r"http://127\.0\.0\.2:\d+/folder", url)
    printed = TestClient(started["app"], base_url=url.removesuffix("/folder"))
    assert printed.get("/folder").status_code == 200
    rebinding = TestClient(started["app"], base_url="http://attacker.example:8765")
    assert rebinding.get("/folder").status_code == 403


@pytest.mark.parametrize("name", ["我的2023年报告.pdf", "我的2023年报告.docx", "上年.yaml"])
def test_upload_errors_name_the_users_file_not_a_temporary_path(client, name):
    content = b"not a report at all\x00\x01" if not name.endswith(".yaml") else b"year: [\n"
    response = client.post("/api/start", files={"report": (name, content, "application/pdf")})
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert name in error, error
    assert "govreport-upload" not in error and "upload." not in error
    assert os.path.realpath(os.environ.get("TMPDIR", "/tmp")) not in error
