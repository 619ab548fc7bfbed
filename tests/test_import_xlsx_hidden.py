"""A workbook is read as a person sees it: hidden sheets, rows and columns are not read
but named in a warning, and a table that stands twice is never resolved silently."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests_support import EXAMPLE_FILES

from govreport import import_report, load
from govreport.cli.main import main
from govreport.workbook import write_workbook
from govreport.workbook.sheets import TABLE_SHEETS, TEXT_SHEET

BUSY = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
PROACTIVE_SHEET = TABLE_SHEETS[0]


def workbook(tmp_path: Path) -> Path:
    target = tmp_path / "表格.xlsx"
    write_workbook(load(BUSY), target)
    return target


def rewrite(target: Path, part: str, old: str, new: str) -> None:
    """Replace ``old`` once in one part of the workbook's zip."""
    with zipfile.ZipFile(target) as source:
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in items:
            if item.filename == part:
                text = data.decode()
                assert text.count(old) == 1, old
                data = text.replace(old, new).encode()
            archive.writestr(item, data)


def licensing_cell(sheet) -> str:
    """Table 二's 行政许可 number: right of its label."""
    row = next(r for r in sheet.iter_rows() if r[0].value == "行政许可")
    return row[1].coordinate


def copy_proactive(target: Path, *, title: str, state: str, licensing: int) -> str:
    """A copy of table 二 on a sheet of its own, with another 行政许可; its cell."""
    book = openpyxl.load_workbook(target)
    copy = book.copy_worksheet(book[PROACTIVE_SHEET])
    copy.title = title
    copy.sheet_state = state
    cell = licensing_cell(copy)
    copy[cell] = licensing
    book.save(target)
    return cell


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_copy_of_table_two_is_not_read_and_is_named(tmp_path, state):
    target = workbook(tmp_path)
    cell = copy_proactive(target, title="备用", state=state, licensing=9999)
    result = import_report(target)
    assert result.facts == load(BUSY)  # the visible 1268, not the hidden 9999
    [hidden] = result.problems
    assert hidden.code == "I4" and hidden.severity == "warning"
    assert "工作表“备用”" in hidden.message and "隐藏" in hidden.message
    assert cell in hidden.message or "B" in hidden.message
    done = CliRunner().invoke(main, ["import", str(target), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 0 and "备用" in done.output


def test_a_visible_second_copy_with_other_numbers_is_an_error_naming_both(tmp_path):
    target = workbook(tmp_path)
    cell = copy_proactive(target, title="副本", state="visible", licensing=9999)
    result = import_report(target)
    [twice] = result.errors
    assert twice.code == "I5"
    assert "表二" in twice.message and "出现两次" in twice.message
    assert f"工作表“{PROACTIVE_SHEET}”" in twice.message and "工作表“副本”" in twice.message
    assert "行政许可" in twice.message and "1268" in twice.message and "9999" in twice.message
    assert result.facts.proactive.licensing == load(BUSY).proactive.licensing
    assert cell  # the copy's cell is where the 9999 stands
    done = CliRunner().invoke(main, ["import", str(target), "-o", str(tmp_path / "x.yaml")])
    assert done.exit_code == 1


def test_a_visible_second_copy_with_the_same_numbers_is_a_warning(tmp_path):
    target = workbook(tmp_path)
    copy_proactive(target, title="副本", state="visible", licensing=1268)
    result = import_report(target)
    [twice] = result.problems
    assert twice.severity == "warning" and "表二" in twice.message and "数字相同" in twice.message
    assert result.facts == load(BUSY)


def test_table_three_copied_below_itself_is_noticed(tmp_path):
    target = workbook(tmp_path)
    book = openpyxl.load_workbook(target)
    sheet = book[TABLE_SHEETS[1]]
    height = sheet.max_row
    for row in sheet.iter_rows(min_row=1, max_row=height):
        for cell in row:
            sheet.cell(cell.row + height + 2, cell.column, cell.value)
    sheet.cell(height + 2 + 5, 5, 7777)  # 一、本年新收 · 商业企业 in the copy
    book.save(target)
    result = import_report(target)
    [twice] = result.errors
    assert "表三" in twice.message and "7777" in twice.message
    assert result.facts.requests.received.business == load(BUSY).requests.received.business


@pytest.mark.parametrize("how", ["hidden", "zero height"])
def test_a_hidden_row_holding_a_number_is_named_and_not_read(tmp_path, how):
    target = workbook(tmp_path)
    book = openpyxl.load_workbook(target)
    sheet = book[PROACTIVE_SHEET]
    cell = licensing_cell(sheet)
    row = sheet[cell].row
    sheet.row_dimensions[row].hidden = how == "hidden"
    book.save(target)
    if how == "zero height":  # openpyxl leaves out a height of 0: Excel writes ht="0"
        rewrite(target, "xl/worksheets/sheet2.xml", f'<row r="{row}"', f'<row r="{row}" ht="0"')
    result = import_report(target)
    hidden = [p for p in result.warnings if p.code == "I4"]
    assert hidden and f"{cell}（1268）位于隐藏的行" in hidden[0].message
    missing = [p for p in result.errors if "行政许可" in p.message]
    assert missing, result.problems  # the row is not read: a number is never guessed
    assert result.facts.proactive.licensing == 0


def test_a_hidden_column_of_numbers_beside_a_table_is_named(tmp_path):
    target = workbook(tmp_path)
    book = openpyxl.load_workbook(target)
    sheet = book[TABLE_SHEETS[1]]
    sheet["L5"] = 12345
    sheet.column_dimensions["L"].hidden = True
    book.save(target)
    result = import_report(target)
    [hidden] = result.problems
    assert hidden.code == "I4" and "L5（12345）位于隐藏的列" in hidden.message
    assert result.facts == load(BUSY)


def test_a_narrative_that_stands_twice_with_other_words_is_said(tmp_path):
    target = workbook(tmp_path)
    book = openpyxl.load_workbook(target)
    copy = book.copy_worksheet(book[TEXT_SHEET])
    copy.title = "正文（旧）"
    copy["C2"] = "另一段概述。"
    book.save(target)
    result = import_report(target)
    [twice] = result.problems
    assert twice.code == "I4" and "正文（旧）" in twice.message and "C2" in twice.message
    assert result.facts == load(BUSY)


def test_a_contact_line_that_stands_twice_with_another_value_is_said(tmp_path):
    target = workbook(tmp_path)
    book = openpyxl.load_workbook(target)
    sheet = book.create_sheet("备注")
    sheet["A1"], sheet["B1"] = "咨询电话", "0000-99999999"
    book.save(target)
    result = import_report(target)
    [twice] = result.problems
    assert twice.code == "I4" and "咨询电话" in twice.message
    assert "工作表“备注” B1" in twice.message and "0000-99999999" in twice.message
    assert result.facts == load(BUSY)
