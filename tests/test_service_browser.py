"""The whole round of ``govreport serve`` in headless Chromium, as its users do it.

管理员 creates itself with the one-time link, imports the agencies and opens the round;
淮安市's 填报员 starts from last year's published PDF, fixes the R1 error, submits with the
warnings acknowledged; the 审核员 comments on a cell and returns it; the 填报员 sees the
comment, fixes and resubmits; the 审核员 approves and downloads the zip. Another agency's
填报员 cannot open the report. The screenshots are the documentation's
(``GOVREPORT_SCREENSHOTS=docs`` writes them into ``docs/img/``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tests_support as support
import uvicorn
from docx import Document as WordDocument
from playwright.sync_api import expect

from govreport.service.accounts import new_setup_token
from govreport.service.app import create_app
from govreport.service.database import open_database

pytestmark = pytest.mark.browser

PDF = support.ROOT / "tests" / "data" / "real" / "002.pdf"  # 淮安市人民政府 2024
PASSWORD = "浏览器测试密码2025"
AGENCIES = """名称,简称,层级,上级
江苏省人民政府,江苏省,政府,
淮安市人民政府,淮安市,政府,江苏省人民政府
淮安市财政局,市财政局,部门,淮安市人民政府
"""


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    docs = os.environ.get("GOVREPORT_SCREENSHOTS") == "docs"
    folder = support.ROOT / "docs" / "img" if docs else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The service on a fresh data folder, on a free loopback port; (url, setup token)."""
    database = open_database(tmp_path / "年报数据")
    with database.session() as session:
        token = new_setup_token(session)
    assert token
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    served = uvicorn.Server(uvicorn.Config(create_app(database), log_level="warning"))
    thread = threading.Thread(target=served.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if served.started:
            break
        time.sleep(0.05)
    assert served.started
    try:
        yield f"http://127.0.0.1:{port}", token
    finally:
        served.should_exit = True
        thread.join(timeout=10)
        sock.close()
        database.engine.dispose()


@contextlib.contextmanager
def signed_in(browser: Any, url: str, username: str) -> Iterator[Any]:
    """A page of a browser context of its own, signed in as ``username``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(url + "/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("#login")
        page.wait_for_load_state()
        expect(page.locator(".who")).to_contain_text(username)
        yield page
    finally:
        context.close()


def _counts(page: Any, text: str) -> None:
    expect(page.locator("#counts")).to_have_text(re.compile("^" + re.escape(text)), timeout=20000)


def _account(page: Any, username: str, role: str, agency: str) -> None:
    page.fill("#new-username", username)
    page.fill("#new-display", username)
    page.fill("#new-password", PASSWORD)
    page.select_option("#new-role", role)
    page.select_option("#new-agency", label=agency)
    page.click("#add-user")
    expect(page.locator("#message")).to_contain_text(username)


def _admin_sets_up_the_region(
    browser: Any, url: str, token: str, tmp_path: Path, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/setup?token={token}")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.screenshot(path=str(shots / "service-setup.png"))
    page.click("#create")
    page.wait_for_url("**/login")
    context.close()
    with signed_in(browser, url, "admin") as page:
        listing = tmp_path / "机关名单.csv"
        listing.write_text(AGENCIES, encoding="utf-8")
        page.set_input_files("#agency-list", str(listing))
        page.click("#import-agencies")
        expect(page.locator("#message")).to_contain_text("新增 3 个")
        _account(page, "shenhe", "审核员", "江苏省人民政府")
        _account(page, "huaian", "填报员", "淮安市人民政府")
        _account(page, "caizheng", "填报员", "淮安市财政局")
        page.fill("#round-year", "2025")
        page.click("#open-round")
        expect(page.locator("#message")).to_contain_text("新建 3 份报告")
        page.screenshot(path=str(shots / "service-admin.png"), full_page=True)


def test_the_whole_round_in_the_browser(browser, server, tmp_path: Path, shots: Path) -> None:
    url, token = server
    _admin_sets_up_the_region(browser, url, token, tmp_path, shots)
    with signed_in(browser, url, "huaian") as page:
        page.screenshot(path=str(shots / "service-start.png"))
        page.set_input_files("#start-file", str(PDF))
        page.click("#start-upload")
        page.wait_for_selector("#editor", timeout=60000)
        report_url = page.url
        _counts(page, "1 处错误")  # R1: last year's 103 carried over, no result yet
        expect(page.locator("#problem-list")).to_contain_text("R1")
        page.fill("[id='f-requests.results.disclosed.natural_person']", "103")
        _counts(page, "0 处错误")
        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("已保存")
        page.evaluate("document.getElementById('sec-requests').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -70)")
        page.screenshot(path=str(shots / "service-edit.png"))
        _submit(page)
    with signed_in(browser, url, "caizheng") as page:
        response = page.goto(report_url)
        assert response is not None and response.status == 404
        expect(page.locator("body")).to_contain_text("无权查看")
    with signed_in(browser, url, "shenhe") as page:
        page.goto(url + "/dashboard")
        expect(page.locator("#dashboard")).to_contain_text("已提交")
        page.screenshot(path=str(shots / "service-dashboard.png"))
        page.goto(report_url)
        cell = page.locator("[id='f-requests.results.disclosed.natural_person']")
        expect(cell).to_have_attribute("readonly", "")
        cell.focus()
        page.fill("#comment-text", "予以公开 103 件请与办理台账核对")
        page.click("#comment-add")
        expect(page.locator("#comment-list")).to_contain_text("予以公开 103 件请与办理台账核对")
        expect(cell).to_have_class(re.compile("has-comment"))
        page.screenshot(path=str(shots / "service-review.png"))
        page.fill("#return-comment", "请核对予以公开的件数并填写落款日期")
        page.click("#return")
        expect(page.locator("#report-status")).to_have_text("退回修改")
    with signed_in(browser, url, "huaian") as page:
        page.goto(report_url)
        expect(page.locator("#comment-list")).to_contain_text("予以公开 103 件")
        expect(page.locator(".log")).to_contain_text("请核对予以公开的件数并填写落款日期")
        page.fill("[id='f-published']", "2026-03-20")
        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("已保存")
        _submit(page)
    with signed_in(browser, url, "shenhe") as page:
        page.goto(report_url)
        page.click("#approve")
        expect(page.locator("#report-status")).to_have_text("已通过")
        page.goto(url + "/dashboard")
        with page.expect_download(timeout=120000) as started:
            page.click("#download-zip")
        archive = zipfile.ZipFile(started.value.path())
        word = next(n for n in archive.namelist() if n.endswith(".docx"))
        paragraphs = WordDocument(io.BytesIO(archive.read(word))).paragraphs
        assert any("淮安市人民政府" in p.text for p in paragraphs)
        assert any(n.endswith(".html") for n in archive.namelist())


def _submit(page: Any) -> None:
    """Submit with every warning acknowledged (the first one explained)."""
    page.click("#submit-open")
    expect(page.locator("#submit-dialog")).to_be_visible()
    boxes = page.locator("#submit-warnings .ack")
    expect(boxes.first).to_be_visible()
    page.click("#submit-confirm")
    expect(page.locator("#submit-status")).to_contain_text("未确认")
    page.locator("#submit-warnings [data-note]").first.fill("沿用的文字已按本年情况核对")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.click("#submit-confirm")
    expect(page.locator("#report-status")).to_have_text("已提交")


def _row(page: Any, table: str, name: str) -> Any:
    """The row of the agency ``name`` (its first cell; others may name it as 上级)."""
    first = page.locator("td:first-child", has_text=re.compile(f"^{re.escape(name)}$"))
    return page.locator(f"#{table} tr").filter(has=first)


def test_agencies_removed_and_the_audit_on_the_review_page(
    browser, server, tmp_path: Path, shots: Path
) -> None:
    """The 管理员 deletes a mistyped agency (after its confirmation), cannot 撤销 a
    government while its department is active, 撤销 the department (its 填报员 can no longer
    sign in) and restores it; on the government's review page the department's larger
    numbers are marked at the cell (C1) and the figures stand above table 三."""
    url, token = server
    _admin_sets_up_the_region(browser, url, token, tmp_path, shots)
    with signed_in(browser, url, "caizheng") as page:
        page.click("#start-blank")
        page.wait_for_selector("#editor")
        page.fill("[id='f-requests.received.business']", "2")
        page.fill("[id='f-requests.results.disclosed.business']", "2")
        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("已保存")
    with signed_in(browser, url, "huaian") as page:
        page.click("#start-blank")
        page.wait_for_selector("#editor")
        government = page.url
    with signed_in(browser, url, "admin") as page:
        page.goto(url + "/admin")
        page.fill("#sec-agencies input[name=name]", "淮安市财正局")  # a typo
        page.click("#add-agency")
        typo = _row(page, "agency-table", "淮安市财正局")
        page.once("dialog", lambda dialog: dialog.dismiss())
        typo.locator("button", has_text="删除").click()
        expect(typo).to_have_count(1)  # not confirmed: nothing sent
        page.once("dialog", lambda dialog: dialog.accept())
        typo.locator("button", has_text="删除").click()
        expect(page.locator("#message")).to_contain_text("已删除机关“淮安市财正局”")
        expect(_row(page, "agency-table", "淮安市财正局")).to_have_count(0)
        # the department has a version: 撤销 only; the government is refused while it is active
        department = _row(page, "agency-table", "淮安市财政局")
        expect(department.locator("button", has_text="删除")).to_have_count(0)
        page.once("dialog", lambda dialog: dialog.accept())
        _row(page, "agency-table", "淮安市人民政府").locator("button", has_text="撤销").click()
        expect(page.locator("body")).to_contain_text("下面还有未撤销的机关：淮安市财政局")
        page.goto(url + "/admin")
        page.once("dialog", lambda dialog: dialog.accept())
        _row(page, "agency-table", "淮安市财政局").locator("button", has_text="撤销").click()
        expect(page.locator("#message")).to_contain_text("已撤销机关“淮安市财政局”")
        expect(_row(page, "abolished-table", "淮安市财政局")).to_have_count(1)
        page.screenshot(path=str(shots / "service-agencies.png"), full_page=True)
        # the review page: C1 at the cell where the department received more, the figures
        page.goto(government)
        cell = page.locator("[id='f-requests.received.business']")
        expect(cell).to_have_class(re.compile("has-warning"), timeout=20000)
        expect(cell).to_have_attribute("title", re.compile("C1"))
        expect(page.locator("#problem-list")).to_contain_text("审核警告 C1")
        expect(page.locator("#sec-requests ul.audit-figures")).to_contain_text("实质公开率")
        page.screenshot(path=str(shots / "service-review-audit.png"))
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("#username", "caizheng")
    page.fill("#password", PASSWORD)
    page.click("#login")
    expect(page.locator("#login-error")).to_be_visible()
    context.close()
    with signed_in(browser, url, "admin") as page:
        page.goto(url + "/admin")
        page.once("dialog", lambda dialog: dialog.accept())
        _row(page, "abolished-table", "淮安市财政局").locator("button", has_text="恢复").click()
        expect(page.locator("#message")).to_contain_text("已恢复机关“淮安市财政局”")
    with signed_in(browser, url, "caizheng") as page:
        expect(page.locator("#editor")).to_be_visible()
