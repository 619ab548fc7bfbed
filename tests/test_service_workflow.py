"""A report's way through the round over HTTP: start, save, lock, submit, return, approve;
versions, diff and restore; roll forward; agency lists; the region's outputs opened."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import service_support as support
import tests_support
from docx import Document as WordDocument
from openpyxl import Workbook, load_workbook
from service_support import Browser
from sqlalchemy import select

from govreport.service.models import Report, StatusChange, Version

EDU, FIN = "某市教育局", "某市财政局"
CELL = "requests.received.business"


@pytest.fixture
def region(tmp_path: Path) -> Iterator[support.Region]:
    found = support.make_region(tmp_path / "data")
    yield found
    found.database.engine.dispose()


@pytest.fixture
def app(region: support.Region):
    return support.app_for(region)


def _report(region: support.Region, agency: str) -> Report:
    with region.database.session() as session:
        found = session.get(Report, region.reports[agency])
        assert found is not None
        return found


def _cell(text: str) -> int:
    from govreport.service.texts import check_text

    facts = check_text(text, "x.yaml").facts
    assert facts is not None
    return facts.value(tuple(CELL.split(".")))


def _save(browser: Browser, report_id: int, version: int, values: dict[str, str]):
    body = {"file": str(report_id), "version": str(version), "values": values}
    return browser.post("/api/save", json=body)


def test_the_round_from_blank_draft_to_approval(region: support.Region, app) -> None:
    edu, city = Browser(app, "edu"), Browser(app, "city")
    report_id = region.reports[EDU]
    assert edu.post(f"/reports/{report_id}/start", data={"how": "blank"}).status_code == 303
    assert _report(region, EDU).status == "填报中"
    page = edu.get(f"/reports/{report_id}").text
    assert 'data-version="1"' in page and f'data-file="{report_id}"' in page
    # an error (R1: results do not add up to the requests) blocks submission
    saved = _save(edu, report_id, 1, {CELL: "4"})
    assert saved.status_code == 200
    assert saved.json()["version"] == "2"
    assert any(p["code"] == "R1" for p in saved.json()["problems"])
    refused = edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": {}})
    assert refused.status_code == 422
    assert "错误" in refused.json()["error"]
    # the clean text, then every warning must be acknowledged
    support.put_text(region, EDU, "edu", support.clean_text(EDU, received=4).replace(
        "published:", "# published:", 1))  # fmt: skip
    warnings = edu.get(f"/api/reports/{report_id}/warnings").json()
    assert warnings["errors"] == 0 and warnings["warnings"]
    keys = {w["key"]: "" for w in warnings["warnings"]}
    partial = dict(list(keys.items())[1:])
    assert (
        edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": partial}).status_code
        == 422
    )
    keys[next(iter(keys))] = "落款日期待定稿后填写"
    assert (
        edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": keys}).status_code == 200
    )
    assert _report(region, EDU).status == "已提交"
    assert "落款日期待定稿后填写" in _report(region, EDU).acknowledged
    # submitted: the 填报员 can no longer save
    assert _save(edu, report_id, 3, {CELL: "5"}).status_code == 403
    # the 审核员 comments at the cell and returns it
    comment = city.post(
        f"/api/reports/{report_id}/comments", json={"path": CELL, "text": "商业企业申请数请核对"}
    )
    assert comment.status_code == 200
    assert edu.get(f"/api/reports/{report_id}/comments").json()["comments"][0]["path"] == CELL
    assert city.post(f"/reports/{report_id}/return", data={"comment": ""}).status_code == 422
    assert (
        city.post(f"/reports/{report_id}/return", data={"comment": "请核对商业企业"}).status_code
        == 303
    )
    assert _report(region, EDU).status == "退回修改"
    # fixed and resubmitted, then approved and published
    fixed = _save(edu, report_id, 3, {"published": "2026-01-20"})
    assert fixed.status_code == 200 and fixed.json()["errors"] == 0
    assert (
        edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": {}}).status_code == 200
    )
    assert city.post(f"/reports/{report_id}/approve", data={"comment": "同意"}).status_code == 303
    assert city.post(f"/reports/{report_id}/publish", data={"comment": ""}).status_code == 303
    with region.database.session() as session:
        log = session.scalars(select(StatusChange).where(StatusChange.report_id == report_id)
                              .order_by(StatusChange.id)).all()  # fmt: skip
        steps = [(e.old, e.new, e.comment) for e in log]
    assert steps == [
        ("未开始", "填报中", ""),
        ("填报中", "已提交", ""),
        ("已提交", "退回修改", "请核对商业企业"),
        ("退回修改", "已提交", ""),
        ("已提交", "已通过", "同意"),
        ("已通过", "已发布", ""),
    ]
    dashboard = city.get("/dashboard?status=已发布").text
    assert EDU in dashboard and FIN not in dashboard


def test_a_second_save_from_a_stale_version_is_refused_with_what_changed(
    region: support.Region, app
) -> None:
    first, second = Browser(app, "edu"), Browser(app, "edu")
    report_id = region.reports[EDU]
    first.post(f"/reports/{report_id}/start", data={"how": "blank"})
    assert _save(first, report_id, 1, {CELL: "7"}).status_code == 200
    stale = _save(second, report_id, 1, {CELL: "9"})
    assert stale.status_code == 409
    message = stale.json()["error"]
    assert "第 2 版" in message and "商业企业：0 → 7" in message
    with region.database.session() as session:
        numbers = session.scalars(select(Version.number).where(Version.report_id == report_id))
        assert sorted(numbers) == [1, 2]
        latest = session.scalar(
            select(Version).where(Version.report_id == report_id, Version.number == 2)
        )
        assert latest is not None
        assert _cell(latest.text) == 7


def test_versions_diff_and_restore(region: support.Region, app) -> None:
    edu = Browser(app, "edu")
    report_id = region.reports[EDU]
    edu.post(f"/reports/{report_id}/start", data={"how": "blank"})
    _save(edu, report_id, 1, {CELL: "6", "overview.summary": "本年度新增的概述。"})
    diff = edu.get(f"/reports/{report_id}/diff?a=1&b=2").text
    assert "商业企业" in diff and ">6<" in diff and "本年度新增的概述。" in diff
    assert edu.post(f"/reports/{report_id}/restore", data={"number": "1"}).status_code == 303
    with region.database.session() as session:
        newest = session.scalar(
            select(Version).where(Version.report_id == report_id, Version.number == 3)
        )
        first = session.scalar(
            select(Version).where(Version.report_id == report_id, Version.number == 1)
        )
        assert newest is not None and first is not None
        assert newest.text == first.text and newest.note == "恢复第 1 版"
    assert "恢复第 1 版" in edu.get(f"/reports/{report_id}/versions").text
    second = edu.get(f"/reports/{report_id}/facts.yaml?version=2")
    assert second.status_code == 200 and "attachment" in second.headers["content-disposition"]
    assert _cell(second.text) == 6 and second.text.startswith("# 某市教育局2025年")
    assert _cell(edu.get(f"/reports/{report_id}/facts.yaml").text) == 0  # restored: version 3


def test_next_round_starts_from_the_approved_report(region: support.Region, app) -> None:
    text = support.clean_text(EDU, received=4)
    text = text.replace("# 测试用事实文件\n", "# 测试用事实文件\n", 1)
    support.put_text(region, EDU, "edu", text)
    with region.database.session() as session:
        session.get(Report, region.reports[EDU]).status = "已通过"  # type: ignore[union-attr]
    admin, edu = Browser(app, "admin"), Browser(app, "edu")
    assert admin.post("/admin/rounds", data={"year": "2026"}).status_code == 303
    with region.database.session() as session:
        nxt = session.scalar(
            select(Report).where(
                Report.agency_id == region.agencies[EDU], Report.round_id != region.round_id
            )
        )
        assert nxt is not None
        next_id = nxt.id
    assert "沿用本系统中2025年度已通过的报告" in edu.get(f"/reports/{next_id}").text
    assert edu.post(f"/reports/{next_id}/start", data={"how": "previous"}).status_code == 303
    page = edu.get(f"/reports/{next_id}").text
    assert 'value="2026"' in page
    assert "与本系统中2025年度已通过的报告核对" in page  # R5/R6 against last year
    assert re.search(r'id="last-year".*?一致', page, re.S)
    assert _save(edu, next_id, 1, {"requests.carried_over.business": "9"}).status_code == 200
    assert re.search(r'id="last-year".*?R5', edu.get(f"/reports/{next_id}").text, re.S)
    assert "2025年度报告生成的草稿" not in page  # comments stay in the text, not the form
    with region.database.session() as session:
        draft = session.scalar(select(Version).where(Version.report_id == next_id))
        assert (
            draft is not None
            and "year: 2026" in draft.text
            and "已通过的2025年度报告" in draft.text
        )


def test_draft_from_an_uploaded_facts_file_of_last_year(region: support.Region, app) -> None:
    fin = Browser(app, "fin")
    report_id = region.reports[FIN]
    last = support.clean_text("某市财政局", year=2024, received=2).encode()
    wrong = support.clean_text("某市财政局", year=2022).encode()
    refused = fin.post(f"/reports/{report_id}/start", files={"report": ("2022.yaml", wrong)})
    assert refused.status_code == 422 and "应上传2024年度" in refused.text
    ok = fin.post(f"/reports/{report_id}/start", files={"report": ("财政局2024.yaml", last)})
    assert ok.status_code == 303
    with region.database.session() as session:
        draft = session.scalar(select(Version).where(Version.report_id == report_id))
        assert draft is not None and "year: 2025" in draft.text


def test_a_template_folder_on_the_server_is_refused(region: support.Region, app) -> None:
    support.put_text(region, EDU, "edu", support.clean_text(EDU))
    edu = Browser(app, "edu")
    text = support.clean_text(EDU) + "template: /etc\n"
    with pytest.raises(Exception, match="只能使用内置模板"):
        support.put_text(region, EDU, "edu", text)
    assert edu.get(f"/reports/{region.reports[EDU]}").status_code == 200
    wrong_year = _save(edu, region.reports[EDU], 1, {"year": "2024"})
    assert wrong_year.status_code == 422
    assert "本轮次是2025年度" in wrong_year.json()["error"]


def test_agencies_imported_from_csv_and_xlsx(region: support.Region, app) -> None:
    admin = Browser(app, "admin")
    csv_text = "名称,简称,层级,上级\n某市交通运输局,市交通局,部门,某市人民政府\n某市某县人民政府,某县,政府,某市人民政府\n"
    response = admin.post(
        "/admin/agencies/import", files={"list": ("名单.csv", csv_text.encode("gb18030"))}
    )
    assert (
        response.status_code == 303 and "新增 2 个" in admin.get(response.headers["location"]).text
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "简称", "层级", "上级"])
    sheet.append(["某县教育局", "县教育局", "部门", "某市某县人民政府"])
    sheet.append(["某县水利局", "", "", "某市某县人民政府"])
    data = io.BytesIO()
    book.save(data)
    assert (
        admin.post(
            "/admin/agencies/import", files={"list": ("名单.xlsx", data.getvalue())}
        ).status_code
        == 303
    )
    page = admin.get("/admin").text
    assert "某县水利局" in page and "县教育局" in page
    bad = admin.post(
        "/admin/agencies/import",
        files={"list": ("名单.csv", "名称,上级\n甲局,不存在的政府\n".encode())},
    )
    assert bad.status_code == 422 and "第 2 行" in bad.text and "不存在的政府" in bad.text


def test_region_outputs_open_and_hold_the_reports(region: support.Region, app) -> None:
    support.put_text(region, EDU, "edu", support.clean_text(EDU, received=4))
    support.put_text(region, FIN, "fin", support.clean_text(FIN, received=2))
    city_text = support.clean_text("某市人民政府", level="government", received=5)
    support.put_text(region, "某市人民政府", "admin", city_text)
    city = Browser(app, "city")
    archive = city.get(f"/rounds/{region.round_id}/reports.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = zipped.namelist()
        word = next(n for n in names if n.startswith(EDU + "/") and n.endswith(".docx"))
        text = "\n".join(p.text for p in WordDocument(io.BytesIO(zipped.read(word))).paragraphs)
        assert "某市教育局" in text
        assert any(n.startswith(FIN + "/") and n.endswith(".html") for n in names)
    workbook = city.get(f"/rounds/{region.round_id}/workbook.xlsx")
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert {EDU, FIN, "某市人民政府", "汇总"} <= set(sheets)
    compared = city.get(
        f"/rounds/{region.round_id}/aggregate?agency={region.agencies['某市人民政府']}"
    )
    assert compared.status_code == 200
    assert "商业企业" in compared.text and "5" in compared.text  # 5 against 4 + 2
    audit = city.get(f"/rounds/{region.round_id}/audit")
    assert audit.status_code == 200 and "某市教育局" in audit.text
    assert tests_support.ROOT.is_dir()


def test_bad_requests_are_chinese_4xx_never_500(region: support.Region, app) -> None:
    edu = Browser(app, "edu")
    report_id = region.reports[EDU]
    edu.post(f"/reports/{report_id}/start", data={"how": "blank"})
    answers = [
        edu.post("/api/check", content=b"{not json", headers={"Content-Type": "application/json"}),
        edu.post("/api/check", json={"file": str(report_id), "values": {"no.such.field": "1"}}),
        edu.post("/api/check", json={"file": "../../etc/passwd", "values": {}}),
        edu.post("/api/save", json={"file": str(report_id), "values": {}}),
        edu.post("/api/download?to=exe", json={"file": str(report_id), "values": {}}),
        edu.post(f"/api/reports/{report_id}/comments", json={"path": "x.y", "text": "批注"}),
        edu.post(f"/api/reports/{report_id}/submit", json={"acknowledged": ["not", "a", "dict"]}),
        edu.get(f"/reports/{report_id}/diff?a=1&b=99"),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        text = answer.text
        assert "Traceback" not in text and re.search(r"[\u4e00-\u9fff]", text), text
    huge = edu.post(
        f"/reports/{report_id}/start",
        files={"report": ("big.pdf", b"0" * 100)},
        headers={"Content-Length": str(30 * 1024 * 1024)},
    )
    assert huge.status_code == 422 and "文件过大" in huge.text  # refused before a byte is read


def test_similar_content_against_the_round_and_last_year(region: support.Region, app) -> None:
    copied = (
        "本机关坚持以公开为常态、不公开为例外，围绕优化营商环境、保障和改善民生等重点领域，"
        "持续加大政府信息主动公开力度，全年通过门户网站专栏集中发布政策文件解读材料并逐条回应社会关切。"
    )
    mine = support.clean_text(EDU, received=2).replace(
        "summary: 认真做好相关工作。", f"summary: {copied}", 1
    )
    theirs = support.clean_text(FIN, received=1).replace(
        "summary: 认真做好相关工作。", f"summary: {copied}", 1
    )
    assert mine != support.clean_text(EDU, received=2)
    support.put_text(region, EDU, "edu", mine)
    support.put_text(region, FIN, "fin", theirs)
    city, edu = Browser(app, "city"), Browser(app, "edu")
    page = city.get(f"/reports/{region.reports[EDU]}/similar")
    assert page.status_code == 200
    assert "一、总体情况" in page.text and FIN in page.text and "坚持以公开为常态" in page.text
    assert edu.get(f"/reports/{region.reports[EDU]}/similar").status_code == 403
    alone = city.get(f"/reports/{region.reports['某市人民政府']}/similar")
    assert alone.status_code == 400 and "还没有填写" in alone.text
