"""The editor's HTTP API, through Starlette's test client: what the page sends and gets."""

from __future__ import annotations

import io
import re
import shutil
import socket
from pathlib import Path
from urllib.parse import quote

import pytest
import tests_support as support
from docx import Document as WordDocument
from editor_support import BUSY, ORIGIN, TestClient, client, folder, version  # noqa: F401 - fixtures

from govreport import GovReportError, load, render
from govreport import official as fmt
from govreport.web import create_app
from govreport.web import server as web_server
from govreport.web.security import LOOPBACK_NAMES

CELL = "requests.received.natural_person"


def post_check(client: TestClient, values: dict[str, str], name: str = BUSY) -> dict:
    response = client.post("/api/check", json={"file": name, "values": values})
    assert response.status_code == 200, response.text
    return response.json()


# --------------------------------------------------------------------------- the page


def test_the_page_shows_the_official_tables_in_official_order(client):
    page = client.get("/")
    assert page.status_code == 200
    assert str(page.url).endswith(f"/edit?file={BUSY}")
    html = page.text
    assert "某市自然资源和规划局2023年政府信息公开工作年度报告" in html
    # Table 三: every row label, in the official order, inside the requests grid.
    table = html[html.index('id="table-requests"') : html.index('id="m-table-requests"')]
    positions = [table.index(f">{row.label}<") for row in fmt.walk()]
    assert positions == sorted(positions)
    for label in (fmt.APPLICANT_HEADER, fmt.LEGAL_PERSON_HEADER, fmt.TOTAL.label):
        assert f">{label}<" in table
    assert 'colspan="5">法人或其他组织' in table
    # The file's numbers are in their cells; the totals are computed cells, not inputs.
    assert re.search(rf'id="f-{re.escape(CELL)}"[^>]*value="378"', table)
    assert 'id="f-requests.results.total' not in table
    seventh = table[table.index(">（七）总计<") : table.index(">四、结转下年度继续办理<")]
    assert seventh.count('class="sum"') == 7 and "<input" not in seventh
    # Table 二 and 四 labels and merged headers come from _format too.
    for block in fmt.PROACTIVE_BLOCKS:
        assert block.article in html
    reviews = html[html.index('id="table-reviews"') : html.index('id="m-table-reviews"')]
    assert f'colspan="10">{fmt.LITIGATION_HEADER}' in reviews
    assert f'colspan="5" rowspan="2">{fmt.RECONSIDERATION_HEADER}' in reviews


def test_empty_texts_show_the_boilerplate_as_placeholder(folder, client):
    text = (folder / BUSY).read_text(encoding="utf-8")
    (folder / BUSY).write_text(
        support.replace_once(text, "  other: 我局无其他需要报告的事项。", '  other: ""'),
        encoding="utf-8",
    )
    html = client.get("/edit", params={"file": BUSY}).text
    area = re.search(r'<textarea id="f-other_matters.other"[^>]*placeholder="([^"]+)"', html)
    assert area and "无其他需要报告的事项" in area.group(1)


def test_a_level_the_page_does_not_know_is_kept_not_replaced(folder, client):
    text = (folder / BUSY).read_text(encoding="utf-8")
    (folder / BUSY).write_text(text.replace("level: department", "level: 部门", 1), "utf-8")
    html = client.get("/edit", params={"file": BUSY}).text
    assert '<option value="部门" selected>部门</option>' in html
    result = post_check(client, {"agency.level": "部门"})
    assert any(p["field"] == "agency.level" for p in result["problems"])


def test_no_external_resources(client):
    page = client.get("/edit", params={"file": BUSY})
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("editor.js", "common.js", "editor.css"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200
        assert "http://" not in asset.text and "https://" not in asset.text


# --------------------------------------------------------------------------- checks


def test_an_edited_cell_is_checked_and_the_problem_is_at_its_cell(client):
    result = post_check(client, {CELL: "379"})
    r1 = [p for p in result["problems"] if p["code"] == "R1"]
    assert len(r1) == 1 and result["errors"] == 1
    assert r1[0]["field"] == CELL
    assert "一、本年新收 379" in r1[0]["message"] and "相差 1" in r1[0]["message"]
    assert r1[0]["box"] == "m-table-requests"
    assert post_check(client, {CELL: "378"})["errors"] == 0


def test_text_in_a_number_cell_is_a_chinese_problem_at_that_cell(client):
    result = post_check(client, {"proactive.fees": "十二万"})
    fees = [p for p in result["problems"] if p["field"] == "proactive.fees"]
    assert fees and fees[0]["severity"] == "error"
    assert "金额" in fees[0]["message"]


def test_a_list_row_schema_problem_maps_to_its_applicant_column(folder, client):
    text = (folder / BUSY).read_text(encoding="utf-8")
    broken = support.replace_once(text, "carried_over: [11, 3,", "carried_over: [11, x,")
    (folder / BUSY).write_text(broken, encoding="utf-8")
    result = post_check(client, {})
    assert any(p["field"] == "requests.carried_over.business" for p in result["problems"])


def test_a_fee_too_large_for_a_float_is_kept_as_typed_not_as_infinity(folder, client):
    values = {"proactive.fees": "1e999"}
    body = {"file": BUSY, "version": version(client), "values": values}
    assert client.post("/api/save", json=body).status_code == 200
    text = (folder / BUSY).read_text(encoding="utf-8")
    assert "  fees: '1e999'" in text and ".inf" not in text


def test_hostile_request_bodies_get_chinese_messages(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/check", content=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "请求格式错误" in response.json()["error"]
    big = client.post("/api/check", content=b"x" * 5_000_000)
    assert big.status_code == 400 and "请求过大" in big.json()["error"]
    wrong = client.post("/api/check", json={"file": BUSY, "values": {CELL: 5}})
    assert wrong.status_code == 400 and "应是文字" in wrong.json()["error"]


def test_unknown_fields_are_refused_in_chinese(client):
    response = client.post("/api/check", json={"file": BUSY, "values": {"x.y": "1"}})
    assert response.status_code == 400
    assert "未知的栏目" in response.json()["error"]


# --------------------------------------------------------------------------- saving


def test_save_changes_only_the_edited_value_and_keeps_comments(folder, client):
    before = (folder / BUSY).read_text(encoding="utf-8")
    response = client.post(
        "/api/save",
        json={"file": BUSY, "version": version(client), "values": {CELL: "379", "year": "2023"}},
    )
    assert response.status_code == 200, response.text
    after = (folder / BUSY).read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        (
            "  received: {natural_person: 378, business: 74, research: 24, nonprofit: 22, legal_service: 36, other: 26}   # 合计 560",
            "  received: {natural_person: 379, business: 74, research: 24, nonprofit: 22, legal_service: 36, other: 26}   # 合计 560",
        )
    ]
    assert load(folder / BUSY).requests.received.natural_person == 379
    assert response.json()["errors"] == 1  # R1, reported with the save


def test_save_without_edits_writes_the_same_bytes(folder, client):
    before = (folder / BUSY).read_bytes()
    current = version(client)
    response = client.post("/api/save", json={"file": BUSY, "version": current, "values": {}})
    assert response.status_code == 200
    assert (folder / BUSY).read_bytes() == before
    assert response.json()["version"] == current


def test_a_list_row_cell_and_a_text_are_saved_in_place(folder, client):
    paragraphs = "第一段文字。\n\n**一是加强培训。**全年培训4次。"
    values = {"requests.carried_over.business": "4", "problems.issues": paragraphs}
    response = client.post(
        "/api/save", json={"file": BUSY, "version": version(client), "values": values}
    )
    assert response.status_code == 200
    text = (folder / BUSY).read_text(encoding="utf-8")
    assert "  carried_over: [11, 4, 1, 1, 2, 1]                 # 合计 19" in text
    assert "  issues: |\n    第一段文字。\n\n    **一是加强培训。**全年培训4次。\n" in text
    facts = load(folder / BUSY)
    assert facts.problems.issues.strip() == paragraphs
    assert text.startswith("# 示例（虚构）")


def test_a_file_changed_on_disk_is_not_overwritten(folder, client):
    seen = version(client)
    text = (folder / BUSY).read_text(encoding="utf-8")
    by_hand = text.replace("# 虚构\n", "# 虚构（手工改过）\n", 1)
    (folder / BUSY).write_text(by_hand, encoding="utf-8")
    response = client.post("/api/save", json={"file": BUSY, "version": seen, "values": {CELL: "1"}})
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True
    assert "已被其他程序修改" in body["error"] and "重新载入" in body["error"]
    assert (folder / BUSY).read_text(encoding="utf-8") == by_hand


# --------------------------------------------------------------------------- a broken file


def test_a_yaml_error_opens_as_text_with_the_error_at_its_line(folder, client):
    text = (folder / BUSY).read_text(encoding="utf-8")
    broken = support.replace_once(text, "  licensing: 1268\n", "  licensing 1268\n")
    (folder / BUSY).write_text(broken, encoding="utf-8")
    line = support.line_of(broken, "licensing 1268")
    page = client.get("/edit", params={"file": BUSY})
    assert page.status_code == 200
    assert "YAML 格式错误" in page.text
    assert f'<li id="line-{line}" class="bad"><code>  licensing 1268</code></li>' in page.text
    assert f'href="#line-{line}">第 {line} 行' in page.text
    assert "Traceback" not in page.text
    fixed = client.post(
        "/api/save-raw",
        json={"file": BUSY, "version": version_from_raw(page.text), "text": text},
    )
    assert fixed.status_code == 200 and "error" not in fixed.json()
    assert 'id="table-requests"' in client.get("/edit", params={"file": BUSY}).text


def version_from_raw(html: str) -> str:
    return re.search(r'data-version="([0-9a-f]{64})"', html).group(1)


def test_a_file_that_is_not_utf8_gets_a_chinese_message_not_a_blank_page(folder, client):
    (folder / "gbk.yaml").write_bytes("agency:\n  name: 某某局\n".encode("gbk"))
    page = client.get("/edit", params={"file": "gbk.yaml"})
    assert page.status_code == 200
    assert "不是 UTF-8 编码" in page.text


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "name",
    ["../secret.yaml", "/etc/passwd.yaml", "sub/../../secret.yaml", "..\\secret.yaml", "busy.txt"],
)
def test_names_outside_the_folder_are_refused(folder, client, name):
    (folder.parent / "secret.yaml").write_text("year: 2023\n", encoding="utf-8")
    assert client.get("/edit", params={"file": name}).status_code == 403
    response = client.post("/api/check", json={"file": name, "values": {}})
    assert response.status_code == 403
    assert "拒绝" in response.json()["error"] or "不是事实文件" in response.json()["error"]


def test_a_symlink_out_of_the_folder_is_refused(folder, client):
    outside = folder.parent / "outside.yaml"
    shutil.copy(folder / BUSY, outside)
    (folder / "link.yaml").symlink_to(outside)
    assert client.get("/edit", params={"file": "link.yaml"}).status_code == 403
    saved = client.post("/api/save", json={"file": "link.yaml", "version": "x", "values": {}})
    assert saved.status_code == 403


def test_posts_from_another_site_are_refused(folder):
    client = TestClient(create_app(folder, folder / BUSY))
    values = {"file": BUSY, "values": {}}
    assert client.post("/api/check", json=values).status_code == 403
    evil = client.post("/api/check", json=values, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    assert "拒绝来自其他网页" in evil.text
    assert client.post("/api/check", json=values, headers=ORIGIN).status_code == 200


def test_loopback_checks_the_host_name(folder):
    app = create_app(folder, folder / BUSY, allowed_hosts=frozenset(LOOPBACK_NAMES))
    rebinding = TestClient(app, base_url="http://attacker.example")
    assert rebinding.get("/folder").status_code == 403
    local = TestClient(app, base_url="http://127.0.0.1:8765")
    assert local.get("/folder").status_code == 200


def test_a_token_is_required_off_loopback(folder, monkeypatch):
    started = {}

    def run(app, sock):
        started.update(app=app, address=sock.getsockname())

    monkeypatch.setattr(web_server, "run", run)
    shown = []
    target = web_server.prepare(folder / BUSY)
    web_server.serve(
        target,
        host="0.0.0.0",
        port=0,
        open_browser=False,
        say=lambda url, token: shown.append((url, token)),
    )
    url, token = shown[0]
    assert token and url.endswith(f"?file={BUSY}&token={token}")
    assert started["address"][0] == "0.0.0.0"
    client = TestClient(started["app"], headers=ORIGIN)
    refused = client.get("/edit", params={"file": BUSY})
    assert refused.status_code == 401 and "访问令牌" in refused.text
    assert client.get("/edit", params={"file": BUSY, "token": "wrong"}).status_code == 401
    assert client.post("/api/check", json={"file": BUSY}).status_code == 401
    entry = client.get("/edit", params={"file": BUSY, "token": token}, follow_redirects=False)
    assert entry.status_code == 303 and "token" not in entry.headers["location"]
    assert client.get(entry.headers["location"]).status_code == 200  # the cookie now
    assert client.post("/api/check", json={"file": BUSY, "values": {}}).status_code == 200


def test_loopback_needs_no_token(folder, monkeypatch):
    started = {}
    monkeypatch.setattr(web_server, "run", lambda app, sock: started.update(app=app))
    shown = []
    web_server.serve(
        web_server.prepare(folder),
        host="127.0.0.1",
        port=0,
        open_browser=False,
        say=lambda url, token: shown.append((url, token)),
    )
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/folder", shown[0][0]) and shown[0][1] is None
    local = TestClient(started["app"], base_url="http://127.0.0.1:8765")
    assert local.get("/folder").status_code == 200


def test_a_taken_port_is_a_chinese_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(GovReportError, match=f"端口 {port} 已被占用"):
            web_server.bind("127.0.0.1", port)


def test_edit_on_a_new_file_creates_it_from_the_skeleton(tmp_path):
    target = web_server.prepare(tmp_path / "新单位.yaml")
    assert target.created and target.file == (tmp_path / "新单位.yaml").resolve()
    assert load(target.file).agency.name == "某某局"


# --------------------------------------------------------------------------- start from last year


def upload(client: TestClient, path: Path, name: str | None = None):
    with path.open("rb") as handle:
        files = {"report": (name or path.name, handle, "application/octet-stream")}
        return client.post("/api/start", files=files)


def test_a_published_report_becomes_this_years_draft(folder, client, tmp_path):
    report = render(folder / BUSY, tmp_path / "去年的报告.docx").outputs["docx"]
    response = upload(client, report)
    assert response.status_code == 200, response.text
    draft = folder / response.json()["file"]
    last, facts = load(folder / BUSY), load(draft)
    assert facts.year == 2024 and facts.agency.name == last.agency.name
    assert facts.requests.carried_over == last.requests.carried_forward
    assert facts.proactive.normative_documents.in_force == 42
    assert facts.requests.received.total == 0
    page = client.get(response.json()["url"])
    assert page.status_code == 200 and "2024年政府信息公开工作年度报告" in page.text


def test_what_import_could_not_read_is_marked_at_the_drafts_cell(folder, client, tmp_path):
    report = render(folder / BUSY, tmp_path / "last.md", to="md").outputs["md"]
    text = report.read_text(encoding="utf-8")
    row = text.index("四、结转下年度继续办理 |")
    blank = text[:row] + text[row:].replace("| 14 |", "|  |", 1)
    report.write_text(blank, encoding="utf-8")
    response = upload(client, report)
    assert response.status_code == 200, response.text
    assert response.json()["notes"] >= 1
    result = post_check(client, {}, response.json()["file"])
    notes = [p for p in result["problems"] if p["source"] == "import"]
    # Last year's 结转下年度 row is this year's 上年结转 row: the note moved with it.
    at_row = [p for p in notes if p["anchor"] == "row-requests.carried_over"]
    assert at_row and "上一年度报告的“四、结转下年度继续办理”" in at_row[0]["message"]
    assert (
        "自然人" in at_row[0]["message"]
        and at_row[0]["label"] == "二、上年结转政府信息公开申请数量"
    )
    assert result["notes"] == len(notes)


def test_last_years_facts_file_becomes_a_draft(folder, client):
    response = upload(client, folder / BUSY)
    assert response.status_code == 200
    assert response.json()["file"] == "busy-2024.yaml"
    assert load(folder / "busy-2024.yaml").year == 2024


def test_uploads_are_limited_and_typed(folder, client, tmp_path, monkeypatch):
    odd = tmp_path / "report.exe"
    odd.write_bytes(b"MZ")
    response = upload(client, odd)
    assert response.status_code == 400 and "不支持的文件类型" in response.json()["error"]
    from govreport.web import start

    monkeypatch.setattr(start, "MAX_UPLOAD_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 200_000)
    response = upload(client, big)
    assert response.status_code == 400 and "文件过大" in response.json()["error"]
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip at all")
    response = upload(client, junk)
    assert response.status_code == 422 and "Traceback" not in response.text
    assert sorted(p.name for p in folder.iterdir()) == [BUSY]


# --------------------------------------------------------------------------- outputs


def test_the_word_download_is_the_report_of_what_the_page_shows(client):
    response = client.post(
        "/api/download", params={"to": "docx"}, json={"file": BUSY, "values": {"year": "2023"}}
    )
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    document = WordDocument(io.BytesIO(response.content))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"560", "556", "23", "行政复议"} <= cells
    assert any("某市自然资源和规划局" in p.text for p in document.paragraphs)


@pytest.mark.pdf
def test_the_pdf_download_where_libreoffice_is_installed(client, pdf_tools, tmp_path):
    page = client.get("/edit", params={"file": BUSY})
    assert 'id="download-pdf"' in page.text
    response = client.post("/api/download", params={"to": "pdf"}, json={"file": BUSY})
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = pdf_tools.text(pdf)
    assert "某市自然资源和规划局2023年政府信息公开工作年度报告" in text
    assert "行政复议" in text


def test_the_pdf_is_offered_and_made_without_libreoffice(client, pdf_tools, tmp_path, monkeypatch):
    """The built-in sets print their PDF with Typst: no LibreOffice needed to offer it."""
    import pdfplumber

    from govreport.pdf.soffice import SOFFICE_ENV

    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-such-soffice"))  # none on this machine
    page = client.get("/edit", params={"file": BUSY})
    assert 'id="download-pdf"' in page.text
    response = client.post("/api/download", params={"to": "pdf"}, json={"file": BUSY})
    assert response.status_code == 200, response.text
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    with pdfplumber.open(pdf) as opened:
        assert opened.metadata["Creator"].startswith("Typst")
    assert "某市自然资源和规划局2023年政府信息公开工作年度报告" in pdf_tools.text(pdf)


def test_no_report_is_made_while_there_are_errors(client):
    response = client.post(
        "/api/download", params={"to": "docx"}, json={"file": BUSY, "values": {CELL: "1"}}
    )
    assert response.status_code == 422
    assert "改正后才能生成报告" in response.json()["error"]
    assert any(p["code"] == "R1" for p in response.json()["problems"])


def test_the_preview_is_the_html_rendering(client):
    response = client.post("/api/preview", json={"file": BUSY, "values": {}})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "某市自然资源和规划局2023年政府信息公开工作年度报告" in html and "<table" in html


# --------------------------------------------------------------------------- folder mode


def test_the_folder_lists_files_with_their_status(folder, client):
    broken = support.replace_once(
        (folder / BUSY).read_text(encoding="utf-8"), "natural_person: 378", "natural_person: 377"
    )
    (folder / "bad.yaml").write_text(broken, encoding="utf-8")
    page = client.get("/folder")
    assert page.status_code == 200
    rows = re.findall(
        r'<tr class="(\w+)" data-file="[^"]*">\s*<td><a href="/edit\?file=([^"]+)"', page.text
    )
    assert rows == [("bad", "bad.yaml"), ("ok", BUSY)]
    assert page.text.count("未生成") == 2


def test_new_agency_render_all_and_aggregate_from_the_folder_page(folder, client):
    made = client.post("/api/new", json={"name": "某某区教育局", "year": "2023"})
    assert made.status_code == 200
    new = folder / "某某区教育局2023.yaml"
    assert load(new).agency.name == "某某区教育局"
    rendered = client.post("/api/render-all", json={})
    assert rendered.status_code == 200
    body = rendered.json()
    assert body["rendered"] == 2 and body["failed"] == []
    # Named after the report's title, as "下载 Word" and ``govreport render FILE`` name it.
    title = "某市自然资源和规划局2023年政府信息公开工作年度报告"
    report = folder / "报告" / f"{title}.docx"
    assert report.is_file()
    made = {r["agency"]: r for r in body["reports"]}
    assert made["某市自然资源和规划局"]["report"] == f"报告/{title}.docx"
    assert made["某某区教育局"]["report"] == "报告/某某区教育局2023年政府信息公开工作年度报告.docx"
    link = client.get(made["某市自然资源和规划局"]["url"])
    assert link.status_code == 200 and link.content == report.read_bytes()
    assert quote(f"{title}.docx") in link.headers["content-disposition"]
    cells = [
        c.text
        for t in WordDocument(io.BytesIO(link.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    assert "560" in cells
    listing = client.get("/folder").text
    assert listing.count("已生成") == 2
    assert f'href="/report?file={quote(f"报告/{title}.docx")}"' in listing
    summed = client.post("/api/aggregate", json={"name": "某某区人民政府", "level": "government"})
    assert summed.status_code == 200, summed.text
    total = load(folder / "汇总" / "某某区人民政府2023.yaml")
    assert total.requests.received.total == 560 and total.agency.level == "government"
    again = client.post("/api/aggregate", json={"name": "某某区人民政府", "level": "government"})
    assert again.status_code == 400 and "已存在" in again.json()["error"]
