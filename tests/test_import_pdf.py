"""PDF import: render → PDF (LibreOffice) → import gives the facts back; PDFs made here
for the hard cases (a table over two pages, a scanned page, a broken file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from test_import import assert_imported_back, numbers
from tests_support import EXAMPLE_FILES

from govreport import import_report, load, render
from govreport.cli.main import main
from govreport.errors import InputError
from govreport.pdf.soffice import docx_to_pdf


@pytest.fixture(scope="module")
def printed(tmp_path_factory, pdf_tools) -> dict[str, Path]:
    """Every example rendered once to PDF (the way a user prints the report)."""
    folder = tmp_path_factory.mktemp("pdf")
    return {
        path.stem: render(path, folder / path.stem, to="pdf").outputs["pdf"]
        for path in EXAMPLE_FILES
    }


@pytest.mark.pdf
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_printed_example_imports_to_the_same_facts(printed, example):
    result = import_report(printed[example.stem])
    assert_imported_back(result, load(example))
    assert all(cell.page for cell in result.cells.values())


@pytest.mark.pdf
def _split_table_three(tmp_path: Path) -> Path:
    """The busy example printed with table 三 over a page break, its header printed again:
    the template keeps the table on one page, so its keep-with-next is taken out and
    blank lines push the table down the page, as an office's own Word file might."""
    docx = render(EXAMPLE_FILES[0].parent / "busy-2023.yaml", tmp_path / "busy.docx")
    document = Document(str(docx.outputs["docx"]))
    for element in document.element.body.iter(qn("w:keepNext")):
        element.getparent().remove(element)
    heading = next(p for p in document.paragraphs if p.text.startswith("三、收到和处理"))
    for _ in range(12):
        heading.insert_paragraph_before("")
    document.save(str(tmp_path / "split.docx"))
    target = tmp_path / "split.pdf"
    docx_to_pdf(tmp_path / "split.docx", target)
    return target


@pytest.mark.pdf
def test_a_table_printed_over_two_pages_is_read_as_one(tmp_path, pdf_tools):
    """Table 三 runs over a page break, its header printed again on the second page:
    every row is read once, none from the repeated header."""
    result = import_report(_split_table_three(tmp_path))
    pages = {p for path, p in result.pages.items() if path[0] == "requests"}
    assert len(pages) == 2
    assert numbers(result.facts) == numbers(load(EXAMPLE_FILES[0].parent / "busy-2023.yaml"))
    assert result.problems == []


def _docx(path: Path, paragraphs: list[str], table: list[list[str]]) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text).paragraph_format.space_after = Pt(0)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    grid.style = "Table Grid"
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("无。")
    document.save(path)
    return path


@pytest.mark.pdf
def test_a_hand_made_table_across_a_page_break_with_wrapped_labels(tmp_path, pdf_tools):
    """A table that starts low on page 1 and runs on to page 2, its labels wrapped."""
    rows = [["第二十条第（五）项", ""], ["信息内容", "本年处理决定数量"], ["行政许可", "12"]]
    rows += [["（以下空白）", ""]] * 24  # the table runs on to page 2
    rows += [["第二十条第（六）项", ""], ["信息内容", "本年处理决定数量"]]
    rows += [["行政处罚", "3456"], ["行政强制", "7"]]
    rows += [["第二十条第（八）项", ""], ["信息内容", "本年收费金额（单位：万元）"]]
    rows += [["行政事业性收费", "1.5"]]
    head = ["测试局2023年政府信息公开工作年度报告", "一、总体情况"]
    head += ["正文。"] * 30 + ["二、主动公开政府信息情况"]  # the table starts low on page 1
    source = _docx(tmp_path / "made.docx", head, rows)
    pdf = tmp_path / "made.pdf"
    docx_to_pdf(source, pdf)
    result = import_report(pdf)
    assert result.facts.proactive.licensing == 12
    assert result.facts.proactive.punishment == 3456
    assert str(result.facts.proactive.fees) == "1.5"
    pages = result.pages
    assert pages[("proactive", "licensing")] == 1
    assert pages[("proactive", "punishment")] == pages[("proactive", "fees")] == 2


def test_a_scanned_pdf_without_text_is_refused_in_chinese(tmp_path):
    from PIL import Image

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (595, 842), "white").save(scan)
    with pytest.raises(InputError) as caught:
        import_report(scan)
    assert "扫描" in caught.value.message and "文字层" in caught.value.message


def test_a_broken_pdf_is_refused_and_nothing_is_written(tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(broken), "-o", str(tmp_path / "out.yaml")])
    assert exit_.value.code == 2
    assert not (tmp_path / "out.yaml").exists()
    assert "无法作为 PDF 文件读取" in capsys.readouterr().err
