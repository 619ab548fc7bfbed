"""The editor in headless Chromium: the real page, the real server (uvicorn in a thread).

These tests also take the screenshots that the documentation shows. They land in
``docs/img/`` only when asked (``GOVREPORT_SCREENSHOTS=docs pytest tests/test_editor_browser.py``),
so that an ordinary test run leaves the working tree as it was.
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
from typing import Any

import pytest
import tests_support as support
import uvicorn
from docx import Document as WordDocument
from playwright.sync_api import expect

from govreport import load, render
from govreport.web import create_app
from govreport.web import server as web_server
from govreport.web.security import LOOPBACK_NAMES

pytestmark = pytest.mark.browser

BUSY = "busy-2023.yaml"
TITLE = "某市自然资源和规划局2023年政府信息公开工作年度报告"
DOCS_IMAGES = support.ROOT / "docs" / "img"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screenshots go: the documentation's pictures when refreshing them."""
    folder = (
        DOCS_IMAGES if os.environ.get("GOVREPORT_SCREENSHOTS") == "docs" else tmp_path / "shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return support.office_folder(tmp_path, BUSY)


@pytest.fixture
def served(folder: Path) -> Iterator[str]:
    """The editor started on a file, on a free loopback port, as ``govreport edit`` runs it."""
    with _serve(create_app(folder, folder / BUSY, allowed_hosts=frozenset(LOOPBACK_NAMES))) as url:
        yield url


@contextlib.contextmanager
def _serve(app: Any) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):  # at most 10 s for uvicorn to start
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


def cell(page, field: str):
    return page.locator(f'[id="f-{field}"]')


def row_total(page, row: str):
    return page.locator(f'[id="row-requests.{row}"] td.sum').last


def wait_counts(page, text: str) -> None:
    """Wait for the server's check to answer (the page's CSP forbids evaluated predicates)."""
    expect(page.locator("#counts")).to_have_text(re.compile("^" + re.escape(text)))


def test_edit_a_table_cell_see_the_check_fix_it_and_save(page, served, folder, shots):
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(shots / "editor-top.png"))

    disclosed = cell(page, "requests.results.disclosed.business")
    assert disclosed.input_value() == "31"
    assert row_total(page, "results.total").text_content() == "556"
    disclosed.fill("35")
    # The totals follow at once (computed in the page, read-only)…
    expect(row_total(page, "results.disclosed")).to_have_text("239")
    expect(row_total(page, "results.total")).to_have_text("560")
    # …and the server's check (debounced) puts R1 at the 商业企业 column.
    wait_counts(page, "1 处错误")
    message = page.locator("#m-table-requests li.error")
    assert "R1" in message.first.text_content() and "商业企业" in message.first.text_content()
    assert "has-error" in cell(page, "requests.received.business").get_attribute("class")
    assert page.locator("#problem-list a", has_text="R1").count() == 1
    page.locator("#sec-requests").screenshot(path=str(shots / "editor-check.png"))
    page.locator('[id="row-requests.results.withheld.state_secret"]').scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "editor.png"))

    received = cell(page, "requests.received.business")
    received.fill("78")  # 78 + 3 = 77 (（七）) + 4 (四): balanced again
    expect(row_total(page, "received")).to_have_text("564")
    wait_counts(page, "0 处错误")
    assert "has-error" not in (received.get_attribute("class") or "")

    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("已保存")
    text = (folder / BUSY).read_text(encoding="utf-8")
    facts = load(folder / BUSY)
    assert facts.requests.results.disclosed.business == 35
    assert facts.requests.received.business == 78
    assert "disclosed: [186, 35, 3, 2, 9, 4]                # 合计 235" in text
    assert text.startswith("# 示例（虚构）：一个业务繁忙的市级部门")
    assert "  fees: 12.35                  # 万元" in text


def test_a_file_changed_on_disk_shows_the_conflict(page, served, folder):
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    by_hand = (folder / BUSY).read_text(encoding="utf-8") + "# 手工添加的注释\n"
    (folder / BUSY).write_text(by_hand, encoding="utf-8")
    cell(page, "proactive.licensing").fill("1300")
    page.click("#save")
    banner = page.locator("#conflict")
    banner.wait_for(state="visible")
    assert "已被其他程序修改" in banner.text_content()
    assert (folder / BUSY).read_text(encoding="utf-8") == by_hand
    page.click("#reload")
    page.wait_for_load_state()
    wait_counts(page, "0 处错误")
    assert cell(page, "proactive.licensing").input_value() == "1268"


def test_upload_last_years_report_and_get_this_years_draft(page, served, folder, tmp_path):
    report = render(folder / BUSY, tmp_path / "2023年报告.docx").outputs["docx"]
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    page.click("#open-start")
    page.set_input_files("#start-file", str(report))
    page.click("#start-submit")
    page.wait_for_url("**/edit?file=*2024*")
    assert "2024年政府信息公开工作年度报告" in page.locator("#report-title").text_content()
    assert cell(page, "year").input_value() == "2024"
    assert cell(page, "requests.carried_over.natural_person").input_value() == "14"
    assert cell(page, "requests.received.natural_person").input_value() == "0"
    assert row_total(page, "carried_over").text_content() == "23"
    drafts = [p for p in folder.glob("*.yaml") if p.name != BUSY]
    assert len(drafts) == 1 and load(drafts[0]).year == 2024


def test_download_the_word_report(page, served, folder):
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    cell(page, "proactive.licensing").fill("1300")
    with page.expect_download() as started:
        page.click("#download-docx")
    download = started.value
    assert download.suggested_filename == "某市自然资源和规划局2023年政府信息公开工作年度报告.docx"
    document = WordDocument(download.path())
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "1300" in cells and "1268" not in cells  # what the page shows, saved or not
    assert "560" in cells


def test_preview_shows_the_html_report_in_a_sandboxed_frame(page, served):
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    page.click("#preview")
    frame = page.frame_locator("#preview-frame")
    title = "某市自然资源和规划局2023年政府信息公开工作年度报告"
    expect(frame.locator("body")).to_contain_text(title)
    expect(frame.locator("table").first).to_be_visible()
    assert page.locator("#preview-frame").get_attribute("sandbox") == ""


@pytest.fixture
def served_folder(folder: Path) -> Iterator[str]:
    """The editor started on the folder (folder mode)."""
    with _serve(create_app(folder, allowed_hosts=frozenset(LOOPBACK_NAMES))) as url:
        yield url


def test_folder_mode_new_agency_and_render_all(page, served_folder, folder, shots):
    broken = (folder / BUSY).read_text(encoding="utf-8").replace("[186, 31,", "[186, 30,", 1)
    (folder / "某某局2023.yaml").write_text(broken, encoding="utf-8")
    page.goto(f"{served_folder}/")
    rows = page.locator("table.files tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_class("ok")  # busy-2023.yaml
    expect(rows.nth(1)).to_have_class("bad")  # 某某局2023.yaml: R1 broken
    # Listed by agency (both files are the same agency's), the file name beside it.
    expect(rows.nth(0).locator("a.agency")).to_have_text("某市自然资源和规划局")
    expect(rows.nth(0).locator("small.source")).to_have_text("busy-2023.yaml")
    page.click("#render-all")
    expect(page.locator("#folder-status")).to_contain_text("已生成 1 份报告；未生成 1 份")
    # Two files, one title: each report carries its facts file's name after the title.
    name = f"{TITLE}（busy-2023）.docx"
    assert (folder / "报告" / name).is_file()
    assert [p.name for p in (folder / "报告").iterdir()] == [name]
    made = page.locator("#render-results li.ok a")
    expect(made).to_have_text(f"报告/{name}")
    expect(page.locator("#render-results li.ok")).to_contain_text(
        "某市自然资源和规划局（busy-2023.yaml）"
    )
    expect(page.locator("#render-results li.error")).to_contain_text("某某局2023.yaml")
    expect(rows.nth(0).locator("td.report a")).to_have_text("已生成")  # without a reload
    with page.expect_download() as started:
        made.click()
    assert started.value.suggested_filename == name
    cells = [
        c.text for t in WordDocument(started.value.path()).tables for r in t.rows for c in r.cells
    ]
    assert "556" in cells
    page.reload()
    expect(rows.nth(0).locator("td").last).to_have_text("已生成")
    expect(rows.nth(0).locator("td.report a")).to_have_attribute(
        "href", re.compile("^/report\\?file=")
    )
    expect(rows.nth(1).locator("td").last).to_have_text("未生成")
    page.set_viewport_size({"width": 1200, "height": 800})
    page.screenshot(path=str(shots / "editor-folder.png"))
    page.fill("#new-form input[name=name]", "某某区教育局")
    page.fill("#new-form input[name=year]", "2024")
    page.click("#new-form button")
    page.wait_for_url("**/edit?file=*")
    expect(page.locator("#report-title")).to_have_text("某某区教育局2024年政府信息公开工作年度报告")
    assert load(folder / "某某区教育局2024.yaml").agency.name == "某某区教育局"


def test_a_yaml_error_opens_as_text_and_is_fixed_in_the_page(page, served, folder, shots):
    good = (folder / BUSY).read_text(encoding="utf-8")
    (folder / BUSY).write_text(good.replace("  licensing: 1268", "  licensing 1268", 1), "utf-8")
    page.goto(f"{served}/")
    bad = page.locator("ol.listing li.bad")
    expect(bad).to_have_text("  licensing 1268")
    expect(page.locator("#raw-error")).to_contain_text("YAML 格式错误")
    page.set_viewport_size({"width": 1200, "height": 700})
    page.screenshot(path=str(shots / "editor-yaml-error.png"))
    area = page.locator("#raw-text")
    area.fill(area.input_value().replace("  licensing 1268", "  licensing: 1269", 1))
    page.click("#save-raw")
    wait_counts(page, "0 处错误")
    assert cell(page, "proactive.licensing").input_value() == "1269"
    assert load(folder / BUSY).proactive.licensing == 1269


def test_a_new_user_fills_a_new_file_fixes_an_error_and_downloads_the_report(page, tmp_path):
    """The issue's 'done means': from ``govreport edit 新文件.yaml`` to a Word report."""
    target = web_server.prepare(tmp_path / "2024.yaml")
    assert target.created
    app = create_app(target.root, target.file, allowed_hosts=frozenset(LOOPBACK_NAMES))
    with _serve(app) as url:
        page.goto(url + "/")
        wait_counts(page, "0 处错误")
        cell(page, "agency.name").fill("某某县教育局")
        cell(page, "requests.received.natural_person").fill("3")
        wait_counts(page, "1 处错误")
        expect(page.locator("#report-title")).to_contain_text("某某县教育局")
        expect(page.locator("#m-table-requests li.error")).to_contain_text("R1")
        cell(page, "requests.results.disclosed.natural_person").fill("2")
        cell(page, "requests.carried_forward.natural_person").fill("1")
        wait_counts(page, "0 处错误")
        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("已保存")
        with page.expect_download() as started:
            page.click("#download-docx")
        document = WordDocument(started.value.path())
        assert started.value.suggested_filename.startswith("某某县教育局")
        tables = document.tables
        assert len(tables) == 3
        rows = {r.cells[0].text: [c.text for c in r.cells] for r in tables[1].rows}
        assert rows["一、本年新收政府信息公开申请数量"][-1] == "3"
        assert rows["四、结转下年度继续办理"][-1] == "1"
    facts = load(target.file)
    assert facts.agency.name == "某某县教育局"
    assert facts.requests.results.disclosed.natural_person == 2


def test_the_tables_fit_a_1366_by_768_screen(page, served):
    """The commonest office laptop: every column of tables 二–四 visible, no sideways scroll."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    for key in ("proactive", "requests", "reviews"):
        box = page.locator(f"#sec-{key} .scroll")
        width, visible = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width <= visible, (key, width, visible)
        table = page.locator(f"#table-{key}").bounding_box()
        assert table["x"] + table["width"] <= 1366
    width, visible = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= visible
    # The last columns of table 四 (复议后起诉 · 尚未审结, 总计) are on screen.
    last = page.locator('[id="f-reviews.litigation_after_reconsideration.pending"]')
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    total = page.locator("#table-reviews td.sum").last
    total_box = total.bounding_box()
    assert total_box["x"] + total_box["width"] <= 1366 and total.text_content() == "5"


def test_start_from_a_markdown_report_and_see_why_r1_is_there(page, served, folder, tmp_path):
    """The dialog lists and accepts every format import reads; the draft explains its R1."""
    report = render(folder / BUSY, tmp_path / "2023年报告.md", to="md").outputs["md"]
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    page.click("#open-start")
    accept = page.locator("#start-file").get_attribute("accept").split(",")
    assert {".pdf", ".xlsx", ".md", ".docx", ".html", ".yaml"} <= set(accept)
    expect(page.locator("#start-kinds")).to_contain_text("PDF（.pdf）")
    expect(page.locator("#start-kinds")).to_contain_text("Excel 工作簿（.xlsx）")
    page.set_input_files("#start-file", str(report))
    page.click("#start-submit")
    page.wait_for_url("**/edit?file=*2024*")
    expect(page.locator("#counts")).to_contain_text("处错误")
    note = page.locator("#draft-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("新年度的草稿")
    expect(note).to_contain_text("本年新收政府信息公开申请数量")
    assert page.locator("#problem-list a", has_text="R1").count() >= 1
    assert cell(page, "requests.carried_over.natural_person").input_value() == "14"


def test_a_text_in_a_cell_does_not_hide_the_other_problems(page, served):
    page.goto(f"{served}/")
    wait_counts(page, "0 处错误")
    cell(page, "requests.received.natural_person").fill("300")  # R1 in 自然人
    wait_counts(page, "1 处错误")
    cell(page, "requests.received.business").fill("七十四")  # F2 in 商业企业
    wait_counts(page, "2 处错误")
    listed = page.locator("#problem-list")
    expect(listed.locator("a", has_text="F2")).to_have_count(1)
    expect(listed.locator("a", has_text="R1")).to_have_count(1)
    expect(listed.locator("a", has_text="R1")).to_contain_text("自然人")
    assert "has-error" in cell(page, "requests.received.business").get_attribute("class")
