"""``audit --agencies``: who is missing, said once, from the list a 政务公开办 keeps.

Real reports are rendered into a folder (a city's government, two of its departments,
an agency the list does not have); the list is written as a workbook with openpyxl and
as .csv in UTF-8 and GBK. Hostile lists (not a workbook, a workbook bomb, a .csv of 50
MB, an unknown 层级) are refused through the command line with a Chinese message naming
the file, exit status 2, and nothing written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from audit_support import DEPARTMENT, GOVERNMENT, example, last_year, publish
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from test_import_xlsx_bombs import bomb, one_cell, shared_strings, worksheet

from govreport.auditing import audit
from govreport.auditing.report_page import audit_html
from govreport.auditing.report_workbook import FINDINGS_SHEET, RUN_ROW, write_xlsx
from govreport.cli.main import main
from govreport.importing.agency_list import MAX_AGENCIES

CITY = "某市人民政府"
#: (名称, 简称, 层级, 上级): two departments audited, two of the city's not (one listed
#: with its 上级, one without, found by its name), a district and its department not.
LIST = [
    (CITY, "市政府", "政府", ""),
    ("某市自然资源和规划局", "市自然资源局", "部门", CITY),
    ("某市财政局", "市财政局", "部门", CITY),
    ("某市教育局", "市教育局", "部门", CITY),
    ("某市卫生健康委员会", "市卫健委", "", ""),
    ("某市某区人民政府", "某区政府", "政府", CITY),
    ("某区水利局", "区水利局", "部门", "某市某区人民政府"),
]
CITY_MISSING = ("某市教育局", "某市卫生健康委员会")
ELSEWHERE_MISSING = ("某市某区人民政府", "某区水利局")
NOT_LISTED = "某市外事办公室"


def _department(name: str) -> dict:
    data = example(DEPARTMENT)
    data["agency"]["name"] = name
    return data


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("agencies") / "各单位2023年报"
    publish(example(GOVERNMENT), root / "shi")
    publish(example(DEPARTMENT), root / "zrzy")
    publish(_department("某市财政局"), root / "czj")
    publish(_department(NOT_LISTED), root / "wb")
    return root


def write_list_xlsx(target: Path, rows=LIST) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "简称", "层级", "上级"])
    for row in rows:
        sheet.append(list(row))
    book.save(target)
    return target


def write_list_csv(target: Path, encoding: str, rows=LIST) -> Path:
    lines = ["名称,简称,层级,上级", *(",".join(row) for row in rows)]
    target.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return target


def _audit_json(region: Path, listing: Path) -> dict:
    result = CliRunner().invoke(
        main, ["audit", str(region), "--agencies", str(listing), "--format", "json", "-j", "1"]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _every_finding(data: dict) -> list[dict]:
    return data["findings"] + [f for r in data["reports"] for f in r["findings"]]


@pytest.fixture(scope="module")
def listed_json(region, tmp_path_factory) -> dict:
    return _audit_json(region, write_list_xlsx(tmp_path_factory.mktemp("list") / "名单.xlsx"))


def _named(text: str) -> str:
    """The text without the groups' headings (a missing parent heads its group too)."""
    return re.sub(r"上级：[^，]+，", "", text)


def test_each_missing_agency_is_named_exactly_once_in_the_json(listed_json):
    text = _named(json.dumps(listed_json, ensure_ascii=False))
    for name in CITY_MISSING + ELSEWHERE_MISSING:
        assert text.count(name) == 1, name
    assert {"A2", "A3"} <= {c["code"] for c in listed_json["checks"]}


def test_the_missing_are_grouped_by_their_parent(listed_json):
    said = [f["message"] for f in listed_json["findings"] if f["code"] == "A2"]
    (district,) = [m for m in said if "某区水利局" in m]
    assert district.startswith("名单中有、本次未见报告（上级：某市某区人民政府，部门 1 个）")
    (town,) = [m for m in said if "某市某区人民政府" in m and "某区水利局" not in m]
    assert "上级：某市人民政府，人民政府 1 个" in town
    (referred,) = [m for m in said if "另有 2 个部门" in m]
    assert "各单位2023年报/shi.md" in referred and "上下级汇总" in referred


def test_the_governments_note_names_its_departments_not_audited(listed_json):
    (city,) = [r for r in listed_json["reports"] if r["agency"] == CITY]
    notes = [f for f in city["findings"] if f["place"] == "上下级汇总" and f["code"] != "C1"]
    assert [(f["code"], f["severity"]) for f in notes] == [("A2", "warning")]  # shown, not a 提示
    said = notes[0]["message"]
    assert "机关名单中的本级部门还有 2 个本次未见报告：某市教育局、某市卫生健康委员会" in said
    assert "某市某区人民政府" not in said  # a government below is not a department


def test_the_service_and_the_audit_read_the_list_with_one_reader():
    from govreport.importing import agency_list
    from govreport.service import organisation

    assert organisation.read_rows is agency_list.read_rows
    assert organisation.level_of is agency_list.level_of
    assert organisation.MAX_LIST_BYTES == agency_list.MAX_LIST_BYTES


def test_a_csv_list_in_utf16_is_read_and_bytes_that_are_no_text_are_refused(tmp_path):
    from govreport.errors import InputError
    from govreport.importing.agency_list import read_agency_list

    listing = write_list_csv(tmp_path / "名单.csv", "utf-16")
    assert [a.name for a in read_agency_list(listing)] == [row[0] for row in LIST]
    levels = {a.name: a.level for a in read_agency_list(listing)}
    assert levels["某市卫生健康委员会"] == "department" and levels[CITY] == "government"
    (tmp_path / "乱码.csv").write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(InputError, match="无法识别文件的文字编码") as refused:
        read_agency_list(tmp_path / "乱码.csv")
    assert refused.value.file == str(tmp_path / "乱码.csv")


def test_a_report_whose_agency_is_not_on_the_list_is_noted(listed_json):
    by_agency = {r["agency"]: r for r in listed_json["reports"]}
    (noted,) = [f for f in by_agency[NOT_LISTED]["findings"] if f["code"] == "A3"]
    assert noted["severity"] == "warning" and "不在机关名单（名单.xlsx）中" in noted["message"]
    for agency in (CITY, "某市财政局", "某市自然资源和规划局"):
        assert not [f for f in by_agency[agency]["findings"] if f["code"] == "A3"]


def test_the_same_agency_with_its_province_before_it_is_on_the_list(region, tmp_path):
    rows = [("某省" + name if name == "某市财政局" else name, *rest) for name, *rest in LIST]
    data = _audit_json(region, write_list_xlsx(tmp_path / "名单.xlsx", rows))
    by_agency = {r["agency"]: r for r in data["reports"]}
    assert not [f for f in by_agency["某市财政局"]["findings"] if f["code"] == "A3"]
    assert "某省某市财政局" not in json.dumps(data["findings"], ensure_ascii=False)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_list_in_utf8_or_gbk_says_the_same(region, tmp_path, listed_json, encoding):
    data = _audit_json(region, write_list_csv(tmp_path / "名单.csv", encoding))
    messages = [f["message"].replace("名单.csv", "名单.xlsx") for f in _every_finding(data)]
    assert sorted(messages) == sorted(f["message"] for f in _every_finding(listed_json))


def test_the_workbook_and_the_page_name_each_missing_agency_once(region, tmp_path):
    run = audit([region], jobs=1, agencies=write_list_xlsx(tmp_path / "名单.xlsx"))
    target = tmp_path / "审核结果.xlsx"
    write_xlsx(run, target)
    sheet = load_workbook(target)[FINDINGS_SHEET]
    cells = [str(c.value) for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    text = _named("\n".join(cells))
    for name in CITY_MISSING + ELSEWHERE_MISSING:
        assert text.count(name) == 1, name
    run_rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == RUN_ROW]
    assert {row[4] for row in run_rows} == {"A2"} and len(run_rows) == 3
    assert all(row[3] == "警告" and row[8] for row in run_rows)
    page = _named(audit_html(run))
    assert 'id="run-findings"' in page
    for name in CITY_MISSING + ELSEWHERE_MISSING:
        assert page.count(name) == 1, name


def _zeroed(value):
    """The tables of a department that had nothing to report: every count 0."""
    if isinstance(value, dict):
        return {key: _zeroed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_zeroed(item) for item in value]
    return 0 if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.fixture(scope="module")
def within(tmp_path_factory) -> Path:
    """A government and one department whose cells all stay within the government's."""
    root = tmp_path_factory.mktemp("within") / "市本级"
    publish(example(GOVERNMENT), root / "shi")
    quiet = _department("某市财政局")
    for table in ("proactive", "requests", "reviews"):
        quiet[table] = _zeroed(quiet[table])
    publish(quiet, root / "czj")
    return root


def test_without_a_list_the_note_says_the_missing_cannot_be_named(within):
    run = audit([within], jobs=1)
    (city,) = [r for r in run.reports if r.agency == CITY]
    (note,) = [f.message for f in city.findings if f.place == "上下级汇总"]
    assert note.startswith("与本次审核的 1 个本级部门（某市财政局）逐格比较")
    assert "未给出 --agencies 机关名单，无法列出哪些部门未审核" in note
    assert not [f for f in city.findings if f.code == "C1"]
    assert not run.findings and "A2" not in run.checks


def test_with_a_list_the_same_note_names_the_departments_not_audited(within, tmp_path):
    run = audit([within], jobs=1, agencies=write_list_xlsx(tmp_path / "名单.xlsx"))
    (city,) = [r for r in run.reports if r.agency == CITY]
    (note,) = [f.message for f in city.findings if f.place == "上下级汇总"]
    assert note.startswith("与本次审核的 1 个本级部门（某市财政局）逐格比较")
    missing = "某市自然资源和规划局、某市教育局、某市卫生健康委员会"
    assert note.endswith(f"机关名单中的本级部门还有 3 个本次未见报告：{missing}，差额属意料之中")
    assert "C1" in run.checks


def test_without_a_list_last_years_agencies_with_no_report_are_named(region, tmp_path):
    last = tmp_path / "2022年报"
    gone = _department("某市统计局")
    publish(last_year(gone), last / "tjj-2022")
    publish(last_year(example(DEPARTMENT)), last / "zrzy-2022")
    run = audit([region], jobs=1, previous_year=last)
    (said,) = [f for f in run.findings if f.code == "A2"]
    assert said.message.startswith("上年有报告、本次未见报告（1 个）：某市统计局（")
    assert "某市自然资源和规划局" not in said.message
    assert "A2" in run.checks and "A3" not in run.checks


# --------------------------------------------------------------------------- hostile lists


def _refused(region: Path, listing: Path, tmp_path: Path, *words: str) -> None:
    """Through the command line: exit status 2, a Chinese message naming the list, and no
    output written."""
    target = tmp_path / "审核结果.xlsx"
    result = CliRunner().invoke(
        main, ["audit", str(region), "--agencies", str(listing), "-o", str(target)]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"机关名单 {listing.name}" in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert not target.exists()


def test_a_list_that_is_no_workbook_is_refused(region, tmp_path):
    listing = tmp_path / "名单.xlsx"
    listing.write_bytes(b"PK\x03\x04 this is not a zip")
    _refused(region, listing, tmp_path, "不是有效的 .xlsx 文件")


def test_a_list_with_an_unknown_level_is_refused_at_its_line(region, tmp_path):
    rows = [*LIST[:3], ("某市教育局", "", "区级", CITY)]
    listing = write_list_csv(tmp_path / "名单.csv", "utf-8", rows)
    _refused(region, listing, tmp_path, "第 5 行", "层级“区级”无法识别")


def test_a_csv_of_fifty_megabytes_is_refused_unread(region, tmp_path):
    listing = tmp_path / "名单.csv"
    with listing.open("wb") as out:
        out.write("名称\n".encode())
        out.truncate(50 * 1024 * 1024)
    _refused(region, listing, tmp_path, "文件过大", "5 MB")


def test_a_csv_of_too_many_rows_is_refused(region, tmp_path):
    rows = [(f"某市第{n}局", "", "部门", CITY) for n in range(MAX_AGENCIES + 5)]
    listing = write_list_csv(tmp_path / "名单.csv", "utf-8", rows)
    _refused(region, listing, tmp_path, f"超过 {MAX_AGENCIES:,} 行")


def test_a_list_with_more_rows_than_any_region_is_refused_before_loading(region, tmp_path):
    def rows() -> Iterable[str]:
        for i in range(1, 30_001):
            yield f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>'

    listing = bomb(tmp_path / "名单.xlsx", worksheet(rows), shared_strings(1))
    _refused(region, listing, tmp_path, "超过 20,000 行")


MEMORY_CAP = 400 * 2**20


def _cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _audit_capped(region: Path, listing: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """``govreport audit --agencies`` in a child process limited to 400 MB."""
    command = [sys.executable, "-m", "govreport", "audit", str(region)]
    return subprocess.run(
        [*command, "--agencies", str(listing), "-o", str(tmp_path / "out.json"), "-j", "1"],
        preexec_fn=_cap,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.skipif(os.name != "posix", reason="内存上限（RLIMIT_AS）需要 POSIX")
@pytest.mark.parametrize("kind", ["rows", "strings"])
def test_a_workbook_bomb_is_refused_in_bounded_memory(region, tmp_path, kind):
    """Two million rows, or four million shared strings, packed under the list's 5 MB."""

    def rows() -> Iterable[str]:
        for _ in range(2_000_000):
            yield '<row><c t="s"><v>0</v></c></row>'

    def strings() -> Iterable[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(400):
            yield b"<si><t>x</t></si>" * 10_000
        yield b"</sst>"

    listing = tmp_path / "名单.xlsx"
    if kind == "rows":
        bomb(listing, worksheet(rows, "A1:A2000000"), shared_strings(1))
    else:
        bomb(listing, worksheet(one_cell), strings())
    assert listing.stat().st_size < 5 * 1024 * 1024
    done = _audit_capped(region, listing, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output and "MemoryError" not in output
    assert "机关名单 名单.xlsx" in output and "解压后过大" in output, output
    assert not (tmp_path / "out.json").exists()
