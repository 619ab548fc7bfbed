"""The audit's findings on a report's review page: S1, S2, C1, A1, G2 and the figures,
computed by the audit's own functions for this one report, marked at their cells and
sections through the page's check answer (``/api/check``), for 审核员 and 管理员 only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import service_support as support
import tests_support
from service_support import Browser
from sqlalchemy import select, update

from govreport.service.models import APPROVED, Report
from govreport.service.organisation import open_round

EDU, FIN, CITY, HEALTH = "某市教育局", "某市财政局", "某市人民政府", "某区卫生健康局"
#: a paragraph long and particular enough that two agencies do not write it by chance
OWN_WORDS = (
    "本局围绕校园食品安全、课后服务收费和中小学招生划片三项群众关切，"
    "逐月在门户网站专栏发布执行情况通报，并在十二个街道设立线下查阅点，"
    "由专人解答家长提出的划片依据、收费标准和投诉处理进度等具体问题。"
)


def _text(name: str, level: str = "department", year: int = support.YEAR, **kw: Any) -> str:
    data = tests_support.clean_facts_dict(year, level)
    data["agency"]["name"] = name
    if "summary" in kw:
        data["overview"]["summary"] = kw["summary"]
    if "problems" in kw:
        data["problems"] = kw["problems"]
    if "received" in kw:
        count = kw["received"]
        data["requests"] = {
            "received": {"business": count},
            "results": {"disclosed": {"business": count}},
        }
    return "# 测试用事实文件\n" + tests_support.dump_yaml(data)


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[support.Region]:
    found = support.make_region(tmp_path_factory.mktemp("data"))
    # last year: the 教育局's approved report, whose paragraph it copies this year (S1)
    with found.database.session() as session:
        last, _ = open_round(session, support.YEAR - 1)
        found.reports["上年"] = session.scalar(
            select(Report.id).where(
                Report.round_id == last.id, Report.agency_id == found.agencies[EDU]
            )
        )  # type: ignore[assignment]
    support.put_text(found, "上年", "edu", _text(EDU, year=support.YEAR - 1, summary=OWN_WORDS))
    with found.database.session() as session:
        session.execute(
            update(Report).where(Report.id == found.reports["上年"]).values(status=APPROVED)
        )
    # this year: the paragraph again (S1) and copied by the 财政局 (S2); 第五部分 only "无"
    # (G2); the 教育局 received 5 requests, its government 1 in all (C1); the 区卫健局's
    # report names the 财政局 (A1, seen by the 管理员, whose scope holds both)
    support.put_text(found, EDU, "edu", _text(EDU, summary=OWN_WORDS, problems="无", received=5))
    support.put_text(found, FIN, "fin", _text(FIN, summary=OWN_WORDS))
    support.put_text(found, CITY, "city", _text(CITY, "government", received=1))
    support.put_text(found, HEALTH, "health", _text(FIN))
    yield found
    found.database.engine.dispose()


@pytest.fixture(scope="module")
def browsers(region: support.Region) -> Iterator[dict[str, Browser]]:
    app = support.app_for(region)
    found = {name: Browser(app, name) for name in ("admin", "city", "edu", "fin")}
    yield found
    for browser in found.values():
        browser.close()


def _audit(browser: Browser, region: support.Region, agency: str) -> list[dict[str, Any]]:
    body = {"file": str(region.reports[agency]), "values": {}}
    response = browser.post("/api/check", json=body)
    assert response.status_code == 200, response.text
    return [p for p in response.json()["problems"] if p["source"] == "audit"]


def test_copied_text_is_marked_at_its_section_from_last_year_and_from_another_agency(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    found = _audit(browsers["city"], region, EDU)
    codes = {p["code"]: p for p in found}
    assert codes["S1"]["anchor"] == "sec-overview" and codes["S1"]["box"] == "m-sec-overview"
    assert f"与上年{EDU}{support.YEAR - 1}年度报告" in codes["S1"]["message"]
    assert codes["S1"]["severity_label"] == "审核警告"
    s2 = [p for p in found if p["code"] == "S2"]
    assert len(s2) == 1 and FIN in s2[0]["message"]
    assert codes["G2"]["anchor"] == "f-problems" and "无" in codes["G2"]["message"]


def test_a_government_is_compared_with_its_departments_at_the_cell(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    found = _audit(browsers["city"], region, CITY)
    c1 = [p for p in found if p["code"] == "C1"]
    assert c1, found
    assert any(p["field"] == "requests.received.business" for p in c1)
    assert all(p["box"] == "m-table-requests" for p in c1 if p["field"])


def test_two_agencies_whose_reports_name_the_same_agency(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    found = _audit(browsers["admin"], region, FIN)
    a1 = [p for p in found if p["code"] == "A1"]
    assert len(a1) == 1 and a1[0]["field"] == "agency.name" and HEALTH in a1[0]["message"]
    # the 审核员 of the city does not see the district's report: no A1 from outside its scope
    assert not [p for p in _audit(browsers["city"], region, FIN) if p["code"] == "A1"]


def test_the_findings_are_for_reviewers_only_and_the_figures_sit_on_the_page(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    assert _audit(browsers["edu"], region, EDU) == []  # the 填报员 gets the check's own
    page = browsers["city"].get(f"/reports/{region.reports[EDU]}").text
    assert 'id="audit-figures"' in page
    assert "实质公开率</a> 100.0%（5/5）" in page and 'data-table="requests"' in page
    assert 'id="audit-figures"' not in browsers["edu"].get(f"/reports/{region.reports[EDU]}").text


def test_the_findings_follow_a_new_version(
    region: support.Region, browsers: dict[str, Browser]
) -> None:
    assert [p for p in _audit(browsers["city"], region, EDU) if p["code"] == "S2"]
    support.put_text(region, FIN, "fin", _text(FIN, summary="本局按要求做好政府信息公开工作。"))
    assert not [p for p in _audit(browsers["city"], region, EDU) if p["code"] == "S2"]
