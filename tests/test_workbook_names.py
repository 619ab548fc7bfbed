"""A folder workbook's sheet names say which agency each sheet is, within Excel's rules."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner
from tests_support import EXAMPLE_FILES

from govreport import load
from govreport.cli.main import main
from govreport.facts.model import Facts
from govreport.workbook import write_folder_workbook
from govreport.workbook.naming import clean, sheet_names
from govreport.workbook.sheets import SHEET_NAME_FORBIDDEN, SHEET_NAME_LIMIT, SUMMARY_SHEET

BUSY = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
DINGCHENG = next(p for p in EXAMPLE_FILES if p.stem == "dingcheng-gongxin-2023")
TAISHAN = next(p for p in EXAMPLE_FILES if p.stem == "taishan-gongxin-2023")


def facts_with(source: Path, **agency: str) -> Facts:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    year = agency.pop("year", None)
    data["agency"].update(agency)
    if year is not None:
        data["year"] = int(year)
    return load(data)


def test_two_agencies_with_one_short_name_are_told_apart_by_their_full_names(tmp_path):
    """Both are 区工信局: the sheets are named 常德市鼎城区… and 泰山区…, not 区工信局(2)."""
    folder = tmp_path / "各部门"
    folder.mkdir()
    for example in (DINGCHENG, TAISHAN, BUSY):
        (folder / example.name).write_bytes(example.read_bytes())
    target = tmp_path / "汇总.xlsx"
    done = CliRunner().invoke(main, ["excel", str(folder), "-o", str(target)])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        SUMMARY_SHEET,
        "市自然资源和规划局",
        load(DINGCHENG).agency.name,
        load(TAISHAN).agency.name,
    ]
    summary = book[SUMMARY_SHEET]
    links = {summary.cell(r, 1).value: summary.cell(r, 1).hyperlink.location for r in (2, 3, 4)}
    assert links[load(TAISHAN).agency.name] == f"'{load(TAISHAN).agency.name}'!A1"


def test_one_agency_in_two_years_is_told_apart_by_the_year():
    names = sheet_names([("a", load(BUSY)), ("b", facts_with(BUSY, year="2024"))])
    assert names == ["某市自然资源和规划局 2023", "某市自然资源和规划局 2024"]


def test_the_same_agency_and_year_twice_is_told_apart_by_the_file_name():
    names = sheet_names([("初稿", load(BUSY)), ("定稿", load(BUSY))])
    assert names == ["市自然资源和规划局（初稿）", "市自然资源和规划局（定稿）"]


def test_names_keep_to_excels_rules():
    long_name = "某省某市某区" * 6 + "人民政府办公室"
    agencies = [
        ("a", facts_with(BUSY, short_name="区/工:信*局?[一]")),
        ("b", facts_with(BUSY, short_name="", name=long_name)),
        ("c", facts_with(BUSY, short_name="'汇总'")),
        ("d", facts_with(BUSY, short_name="汇总")),
    ]
    names = sheet_names(agencies)
    for name in names:
        assert 0 < len(name) <= SHEET_NAME_LIMIT
        assert not set(name) & set(SHEET_NAME_FORBIDDEN) and not name.startswith("'")
    assert names[0] == "区_工_信_局__一_"
    assert names[1] == long_name[:SHEET_NAME_LIMIT]
    assert SUMMARY_SHEET not in names and len({n.casefold() for n in names}) == 4
    assert clean("  \n ") == "单位"


def test_a_name_with_an_apostrophe_links_to_its_sheet(tmp_path):
    target = tmp_path / "汇总.xlsx"
    write_folder_workbook([("a", facts_with(BUSY, short_name="市局'一处"))], target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [SUMMARY_SHEET, "市局'一处"]
    assert book[SUMMARY_SHEET]["A2"].hyperlink.location == "'市局''一处'!A1"
