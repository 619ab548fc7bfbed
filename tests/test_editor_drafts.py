"""What a first-time user meets in the editor: last year's report in any format import
reads, a new year's draft that explains its R1, the 落款 date saved on its own line,
and every check that can still run while one value is refused."""

from __future__ import annotations

import re

import pytest
from editor_support import BUSY, ORIGIN, TestClient, client, folder, version  # noqa: F401 - fixtures

from govreport import load, render
from govreport.importing.readers.choose import READERS, WORKBOOKS
from govreport.web.checking import DRAFT_NOTE
from govreport.web.start import upload_suffixes
from govreport.workbook.write import write_workbook

# --------------------------------------------------------------------------- upload formats


def test_the_upload_accepts_every_format_import_reads(client):
    assert set(upload_suffixes()) == {*READERS, *WORKBOOKS, ".yaml", ".yml"}
    page = client.get("/edit", params={"file": BUSY}).text
    accept = re.search(r'id="start-file" accept="([^"]+)"', page).group(1).split(",")
    assert set(accept) == set(upload_suffixes())
    kinds = page[page.index('id="start-kinds"') : page.index('id="start-file"')]
    for said in ("PDF（.pdf）", "Excel 工作簿（.xlsx）", "Markdown（.md", "Word（.docx）"):
        assert said in kinds


@pytest.mark.parametrize("suffix", [".xlsx", ".md", ".html"])
def test_last_years_report_in_other_formats_becomes_a_draft(folder, client, tmp_path, suffix):
    facts = load(folder / BUSY)
    made = tmp_path / f"2023年报告{suffix}"
    if suffix == ".xlsx":
        write_workbook(facts, made)
    else:
        render(folder / BUSY, made, to=suffix.lstrip("."))
    with made.open("rb") as handle:
        response = client.post("/api/start", files={"report": (made.name, handle)})
    assert response.status_code == 200, response.text
    draft = load(folder / response.json()["file"])
    assert draft.year == 2024
    assert draft.requests.carried_over.natural_person == 14  # last year's 结转下年度


# --------------------------------------------------------------------------- a new year's draft


def test_a_new_years_draft_says_why_r1_is_there_and_what_to_fill(folder, client):
    with (folder / BUSY).open("rb") as handle:
        response = client.post("/api/start", files={"report": ("2023.yaml", handle)})
    name = response.json()["file"]
    checked = client.post("/api/check", json={"file": name, "values": {}}).json()
    assert any(p["code"] == "R1" for p in checked["problems"])
    assert checked["draft_note"] == DRAFT_NOTE
    assert "本年新收政府信息公开申请数量" in DRAFT_NOTE and "R1" in DRAFT_NOTE
    # Once this year's numbers go in, the note goes.
    values = {
        "requests.received.natural_person": "5",
        "requests.results.disclosed.natural_person": "19",
    }
    filled = client.post("/api/check", json={"file": name, "values": values}).json()
    assert filled["draft_note"] is None
    ordinary = client.post("/api/check", json={"file": BUSY, "values": {}}).json()
    assert ordinary["draft_note"] is None


# --------------------------------------------------------------------------- the 落款 date


def test_the_publication_date_is_saved_on_its_commented_line(folder, client):
    made = client.post("/api/new", json={"name": "某某区教育局", "year": "2024"})
    assert made.status_code == 200
    name = "某某区教育局2024.yaml"
    before = (folder / name).read_text(encoding="utf-8")
    assert "\n# published: 2025-" in before and "已注释掉" in before
    saved = client.post(
        "/api/save",
        json={
            "file": name,
            "version": version(client, name),
            "values": {"published": "2025-01-18"},
        },
    )
    assert saved.status_code == 200, saved.text
    text = (folder / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "# published" not in text and "已注释掉" not in text
    [line] = [ln for ln in lines if ln.startswith("published:")]
    assert line.startswith("published: 2025-01-18") and line.endswith("# 落款日期")
    assert lines.index(line) == next(i for i, ln in enumerate(lines) if ln.startswith("year:")) + 1
    assert not lines[-1].startswith("published")
    # The comment stays in its column, and nothing else changed.
    assert line.index("#") == before.splitlines()[lines.index(line) + 1].index("# ", 1)
    unchanged = [ln for ln in before.splitlines() if "published" not in ln and "已注释掉" not in ln]
    assert unchanged == [ln for ln in lines if not ln.startswith("published:")]
    assert str(load(folder / name).published) == "2025-01-18"


# --------------------------------------------------------------------------- checks beside F2


def test_a_refused_value_does_not_hide_the_other_checks(client):
    values = {
        "requests.received.business": "七十四",  # F2 at this cell
        "requests.received.natural_person": "300",  # R1 in another column
        "reviews.reconsideration.upheld": "9",  # the text's 行政复议14件 is now 15 (R8)
        "published": "",  # D3
    }
    checked = client.post("/api/check", json={"file": BUSY, "values": values}).json()
    found = {(p["code"], p["field"]) for p in checked["problems"]}
    assert ("F2", "requests.received.business") in found
    assert ("R1", "requests.received.natural_person") in found
    assert any(code == "R8" for code, _ in found)
    assert ("D3", "published") in found
    # Nothing that depends on the refused cell: its column's R1 is not guessed.
    assert not any(
        p["code"] == "R1" and (p["field"] or "").endswith("business") for p in checked["problems"]
    )
    assert checked["errors"] == 2 and checked["warnings"] >= 2  # F2, R1; R8, D3
    # And no report is made from it.
    refused = client.post("/api/preview", json={"file": BUSY, "values": values})
    assert refused.status_code == 422
