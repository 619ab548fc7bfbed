"""The Excel workbook: official layout, formulas that compute the totals, exact round trip,
reading by label, and the problems a filled workbook can have."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import consistent_facts
from tests_support import EXAMPLE_FILES

from govreport import InputError, check, import_report, load
from govreport import official as fmt
from govreport.cli.main import main
from govreport.official.grids import official_grids
from govreport.workbook import write_folder_workbook, write_workbook
from govreport.workbook.sheets import INFO_SHEET, SUMMARY_SHEET, TABLE_SHEETS, TEXT_SHEET
from govreport.workbook.write import facts_path, is_computed

BUSY = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
REQUESTS_SHEET, REVIEWS_SHEET = TABLE_SHEETS[1], TABLE_SHEETS[2]


def workbook_of(facts_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"{facts_path.stem}.xlsx"
    write_workbook(load(facts_path), target)
    return target


def evaluate(sheet, formula: str) -> Decimal:
    """``=SUM(A1:B2,C3)`` over the sheet's cells, formulas among them (what Excel computes)."""
    match = re.fullmatch(r"=SUM\((.*)\)", formula)
    assert match, formula
    total = Decimal(0)
    for part in match.group(1).split(","):
        cells = sheet[part]
        flat = [c for row in cells for c in row] if isinstance(cells, tuple) else [cells]
        if isinstance(cells, tuple) and not isinstance(cells[0], tuple):
            flat = list(cells)
        for cell in flat:
            value = cell.value
            total += evaluate(sheet, value) if str(value).startswith("=") else Decimal(str(value))
    return total


def label_rows(sheet, first_number_column: int) -> list[str]:
    """The rightmost label of each row left of the numbers, top to bottom."""
    found = []
    for row in sheet.iter_rows(min_row=5):
        labels = [c.value for c in row[: first_number_column - 1] if isinstance(c.value, str)]
        if labels:
            found.append(labels[-1])
    return found


# --------------------------------------------------------------------------- layout


def test_sheets_and_the_official_table_three_layout(tmp_path):
    book = openpyxl.load_workbook(workbook_of(BUSY, tmp_path))
    assert book.sheetnames == [INFO_SHEET, *TABLE_SHEETS, TEXT_SHEET]
    sheet = book[REQUESTS_SHEET]
    assert sheet["A1"].value == fmt.SECTION_HEADINGS["requests"]
    assert sheet["A2"].value == fmt.REQUESTS_CORNER
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
    assert [sheet.cell(4, c).value for c in range(5, 10)] == [
        c.label for c in fmt.APPLICANT_COLUMNS[1:]
    ]
    leaves = [row.label for row in fmt.REQUEST_ROWS]
    # group headers stand in the row of their first child, the leaf label to their right
    assert label_rows(sheet, 4) == leaves


def test_every_total_is_a_formula_that_computes_the_reports_total(tmp_path):
    facts = load(BUSY)
    book = openpyxl.load_workbook(workbook_of(BUSY, tmp_path))
    requests, reviews = book[REQUESTS_SHEET], book[REVIEWS_SHEET]
    for row_number, row in enumerate(fmt.REQUEST_ROWS, start=5):
        for offset, column in enumerate(fmt.REQUEST_COLUMNS):
            cell = requests.cell(row_number, 4 + offset)
            expected = facts.requests.row(row.path)[column.key]
            if row.computed or column is fmt.TOTAL:
                assert evaluate(requests, cell.value) == expected, (row.label, column.label)
            else:
                assert cell.value == expected
    for index, block in enumerate(fmt.REVIEW_BLOCKS):
        total = reviews.cell(5, 5 * index + 5)
        assert evaluate(reviews, total.value) == getattr(facts.reviews, block.key).total


def test_table_two_and_four_hold_the_numbers_under_their_labels(tmp_path):
    facts = load(BUSY)
    book = openpyxl.load_workbook(workbook_of(BUSY, tmp_path))
    proactive = book[TABLE_SHEETS[0]]
    rows = {r[0].value: r for r in proactive.iter_rows(min_row=2)}
    assert rows["规章"][1].value == facts.proactive.regulations.issued
    assert rows["行政规范性文件"][3].value == facts.proactive.normative_documents.in_force
    assert rows["行政许可"][1].value == facts.proactive.licensing
    assert Decimal(str(rows["行政事业性收费"][1].value)) == facts.proactive.fees
    reviews = book[REVIEWS_SHEET]
    assert [reviews.cell(2, c).value for c in (1, 6)] == ["行政复议", "行政诉讼"]
    assert [reviews.cell(3, c).value for c in (6, 11)] == ["未经复议直接起诉", "复议后起诉"]
    assert reviews.cell(5, 2).value == facts.reviews.reconsideration.corrected
    info = {r[0].value: r[1].value for r in book[INFO_SHEET].iter_rows()}
    assert info["机关名称"] == facts.agency.name and info["报告年度"] == facts.year


def test_number_cells_only_accept_whole_numbers_in_excel(tmp_path):
    sheet = openpyxl.load_workbook(workbook_of(BUSY, tmp_path))[REQUESTS_SHEET]
    rules = sheet.data_validations.dataValidation
    whole = next(r for r in rules if r.type == "whole")
    assert "D5" in whole.sqref and "J5" not in whole.sqref
    assert whole.formula1 == "0" and whole.showErrorMessage


def test_the_grids_give_each_number_of_the_facts_one_place():
    paths = [
        path
        for grid in official_grids()
        for cell in grid.cells
        if (path := facts_path(cell)) is not None and not is_computed(path)
    ]
    assert sorted(paths) == sorted(cell.path for cell in fmt.table_cells())


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_comes_back_exactly(example, tmp_path):
    result = import_report(workbook_of(example, tmp_path))
    assert result.problems == []
    assert result.facts == load(example)


def test_the_command_round_trip_writes_a_facts_file_that_checks(tmp_path):
    runner = CliRunner()
    xlsx, back = tmp_path / "表格.xlsx", tmp_path / "back.yaml"
    done = runner.invoke(main, ["excel", str(BUSY), "-o", str(xlsx)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(main, ["excel", str(xlsx), "-o", str(back)])
    assert done.exit_code == 0, done.output
    assert load(back) == load(BUSY)
    assert not check(back).errors


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=consistent_facts(),
    text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(
        lambda t: t.strip() == t and "{" not in t
    ),
)
def test_generated_facts_come_back_exactly(tmp_path_factory, data, text):
    data = {**data, "overview": {"summary": text}}
    facts = load(data)
    target = tmp_path_factory.mktemp("wb") / "t.xlsx"
    write_workbook(facts, target)
    assert import_report(target).facts == facts


# --------------------------------------------------------------------------- by label


def test_a_table_moved_on_its_sheet_is_still_read_by_its_labels(tmp_path):
    target = workbook_of(BUSY, tmp_path)
    book = openpyxl.load_workbook(target)
    for title in TABLE_SHEETS:
        sheet = book[title]
        for merged in list(sheet.merged_cells.ranges):
            sheet.unmerge_cells(str(merged))
        sheet.move_range(f"A1:O{sheet.max_row}", rows=4, cols=2)
    book.save(target)
    assert import_report(target).facts == load(BUSY)


def edit(target: Path, sheet: str, cell: str, value) -> None:
    book = openpyxl.load_workbook(target)
    book[sheet][cell] = value
    book.save(target)


def test_a_blank_cell_is_read_as_zero_and_said_so(tmp_path):
    target = workbook_of(BUSY, tmp_path)
    edit(target, REQUESTS_SHEET, "E5", None)
    result = import_report(target)
    assert result.facts.requests.received.business == 0
    [blank] = result.problems
    assert blank.code == "I1" and "E5" in blank.message
    assert blank.label == "一、本年新收政府信息公开申请数量 · 商业企业"


def test_text_in_a_number_cell_is_an_error_at_that_cell(tmp_path):
    target = workbook_of(BUSY, tmp_path)
    edit(target, REQUESTS_SHEET, "D9", "十二")
    result = import_report(target)
    [bad] = result.errors
    assert "D9" in bad.message and "不是数字" in bad.message
    assert bad.label == "三、（三）1.属于国家秘密 · 自然人"
    runner = CliRunner()
    done = runner.invoke(main, ["excel", str(target), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 1 and (tmp_path / "x.yaml").exists()


def test_a_changed_label_is_read_with_a_warning_and_a_removed_one_is_missing(tmp_path):
    target = workbook_of(BUSY, tmp_path)
    edit(target, REQUESTS_SHEET, "C13", "5.属于三类内容事务信息")
    result = import_report(target)
    [drift] = result.problems
    assert drift.code == "I2" and "内容事务" in drift.message
    assert result.facts == load(BUSY)
    edit(target, REQUESTS_SHEET, "C13", "5.别的什么")
    missing = [p for p in import_report(target).errors if p.code == "I5"]
    assert missing and all("属于三类内部事务信息" in p.message for p in missing)


def test_a_number_typed_over_a_total_formula_is_checked_as_stated(tmp_path):
    target = workbook_of(BUSY, tmp_path)
    edit(target, REQUESTS_SHEET, "J5", 1)
    facts = import_report(target).facts
    assert [p.code for p in check(facts).errors] == ["R2"]


# --------------------------------------------------------------------------- a folder


def test_a_folder_becomes_one_sheet_per_agency_and_a_summary(tmp_path):
    folder = tmp_path / "各部门"
    folder.mkdir()
    for example in EXAMPLE_FILES:
        shutil.copy(example, folder)
    target = tmp_path / "汇总.xlsx"
    done = CliRunner().invoke(main, ["excel", str(folder), "-o", str(target)])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == SUMMARY_SHEET and len(book.sheetnames) == 1 + len(EXAMPLE_FILES)
    summary = book[SUMMARY_SHEET]
    header = [c.value for c in summary[1]]
    received = header.index("一、本年新收政府信息公开申请数量") + 1
    facts = [load(p) for p in sorted(folder.glob("*.yaml"))]
    by_name = {f.agency.name: f for f in facts}
    for row in range(2, 2 + len(facts)):
        agency = by_name[summary.cell(row, 1).value]
        assert summary.cell(row, received).value == agency.requests.received.total
    total = summary.cell(2 + len(facts), received).value
    assert evaluate(summary, total) == sum(f.requests.received.total for f in facts)
    with pytest.raises(InputError) as caught:
        import_report(target)
    assert "5 个单位" in caught.value.message


def test_a_bad_file_in_the_folder_is_named_and_the_others_are_still_written(tmp_path):
    """One facts file that cannot be read: said in Chinese with its reason, left out, and
    the batch's exit status 1 (as ``render`` of a folder); the good agency is in the book."""
    folder = tmp_path / "各部门"
    folder.mkdir()
    shutil.copy(BUSY, folder)
    (folder / "坏.yaml").write_text("agency: [未闭合\n", encoding="utf-8")
    target = tmp_path / "汇总.xlsx"
    done = CliRunner().invoke(main, ["excel", str(folder), "-o", str(target)])
    assert done.exit_code == 1, done.output
    assert "内部错误" not in done.output and "Traceback" not in done.output
    assert "坏.yaml" in done.stderr and "YAML 格式错误" in done.stderr
    assert "1 个单位，1 个文件有错误未写入" in done.stdout
    book = openpyxl.load_workbook(target)
    good = load(BUSY).agency
    assert book.sheetnames == [SUMMARY_SHEET, good.short_name]
    assert book[SUMMARY_SHEET].cell(2, 1).value == good.name


def test_sheet_names_are_made_safe_and_unique(tmp_path):
    facts = load(BUSY)
    target = tmp_path / "t.xlsx"
    write_folder_workbook([("a", facts), ("b", facts)], target)
    names = openpyxl.load_workbook(target).sheetnames
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", b"PK\x03\x04broken"],
    ids=["text", "broken-zip"],
)
def test_a_file_that_is_no_workbook_is_exit_2_in_chinese(tmp_path, content):
    target = tmp_path / "表格.xlsx"
    target.write_bytes(content)
    done = CliRunner().invoke(main, ["excel", str(target), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 2
    assert "工作簿" in done.output and "Traceback" not in done.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    target = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as entry,
    ):
        chunk = b"\0" * 1_000_000
        for _ in range(120):
            entry.write(chunk)
    assert target.stat().st_size < 1_000_000
    done = CliRunner().invoke(main, ["import", str(target), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 2 and "解压后过大" in done.output


def test_a_folder_named_like_a_workbook_is_not_a_file(tmp_path):
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    done = CliRunner().invoke(main, ["import", str(folder)])
    assert done.exit_code == 2 and "不是普通文件" in done.output


def test_writing_a_workbook_to_a_yaml_name_is_refused(tmp_path):
    done = CliRunner().invoke(main, ["excel", str(BUSY), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 2 and ".xlsx" in done.output


def test_an_entity_bomb_inside_a_workbook_is_refused(tmp_path):
    good = workbook_of(BUSY, tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<lolz>&lol3;</lolz>"
    )
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            target.writestr(item, data)
    done = CliRunner().invoke(main, ["import", str(bomb), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 2 and "损坏" in done.output
    assert not (tmp_path / "x.yaml").exists()
