"""Table 三 printed without ruling lines (or with horizontal rules only), made with Typst:
each number is read in the column it stands under, a blank cell stays blank, and a
number standing between two columns leaves its row unreadable (I5), never misplaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_typst import TABLE_THREE, compile_pdf, page_setup, paragraphs, table_three
from test_import import numbers
from tests_support import EXAMPLE_FILES

from govreport import import_report, load, render
from govreport import official as fmt
from govreport.pdf.soffice import docx_to_pdf

_ROWS = [index for index, (_, path) in enumerate(TABLE_THREE) if path]
_WIDTH = len(fmt.REQUEST_COLUMNS)
_STROKES = ["none", "(x: none, y: 0.5pt)"]
#: cells centred, all left, all right, and headers left over numbers set right (a short
#: header's span then ends before its numbers: the other rows' numbers place them)
_ALIGNS = [
    "center + horizon",
    "left + horizon",
    "right + horizon",
    "(x, y) => if x == 0 or y == 0 { left + horizon } else { right + horizon }",
]


def _import(cells: dict[int, list[str]], tmp_path: Path, **drawn):
    source = page_setup() + paragraphs(["测试局2023年政府信息公开工作年度报告"])
    source += paragraphs(["三、收到和处理政府信息公开申请情况"]) + table_three(cells, **drawn)
    source += paragraphs(["四、政府信息公开行政复议、行政诉讼情况", "无。"])
    return import_report(compile_pdf(source, tmp_path / "table.pdf"))


def _row(result, index: int) -> list[str | None]:
    path = TABLE_THREE[index][1]
    assert path is not None
    cells = [result.cells.get(("requests", *path, c.key)) for c in fmt.REQUEST_COLUMNS]
    return [None if cell is None else cell.text for cell in cells]


def _unreadable(result, index: int) -> bool:
    path = ("requests", *TABLE_THREE[index][1])  # type: ignore[misc]
    return any(p.code == "I5" and p.path == path for p in result.problems)


#: a table 三's applicant cells, row by row (each row's total is their sum, ``_full``)
_APPLICANT_COUNTS = st.lists(
    st.lists(st.integers(0, 120), min_size=_WIDTH - 1, max_size=_WIDTH - 1),
    min_size=len(_ROWS),
    max_size=len(_ROWS),
)


def _full(numbers: list[int]) -> list[str]:
    return [str(n) for n in numbers] + [str(sum(numbers))]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    numbers=_APPLICANT_COUNTS,
    blanks=st.lists(st.tuples(st.sampled_from(_ROWS), st.integers(0, _WIDTH - 1)), max_size=25),
    stroke=st.sampled_from(_STROKES),
    align=st.sampled_from(_ALIGNS),
)
def test_each_row_is_read_as_printed_with_blanks_in_random_columns(
    tmp_path, numbers, blanks, stroke, align
):
    """Blank cells in random columns: every row comes back cell for cell as printed,
    blank as blank, never with a number in another column (nor unreadable: the column
    headers say where each number stands)."""
    cells = {index: _full(row) for index, row in zip(_ROWS, numbers, strict=True)}
    for index, column in blanks:
        cells[index][column] = ""
    result = _import(cells, tmp_path, stroke=stroke, align=align)
    for index in _ROWS:
        # the headers say where each number stands: no row is left unreadable
        assert not _unreadable(result, index), TABLE_THREE[index][0]
        assert _row(result, index) == cells[index], TABLE_THREE[index][0]


def test_blank_cells_are_read_blank_in_their_columns(tmp_path):
    cells = {index: _full([3, 1, 0, 0, 4, 2]) for index in _ROWS}
    cells[_ROWS[0]] = ["3", "", "0", "0", "", "2", "5"]
    cells[_ROWS[1]] = ["", "", "", "", "", "", "7"]
    result = _import(cells, tmp_path)
    assert _row(result, _ROWS[0]) == ["3", "", "0", "0", "", "2", "5"]
    assert _row(result, _ROWS[1]) == ["", "", "", "", "", "", "7"]
    assert not [p for p in result.problems if p.code == "I5"]


def test_a_number_between_two_columns_leaves_its_row_unreadable(tmp_path):
    """The first number of a row set half a column to the right stands over the border
    of 自然人 and 商业企业: which one it is, the page does not say."""
    cells = {index: _full([3, 1, 0, 0, 4, 2]) for index in _ROWS}
    cells[_ROWS[2]] = ["3", "", "0", "0", "", "2", "5"]
    result = _import(cells, tmp_path, shift={_ROWS[2]: 19.0})
    assert _unreadable(result, _ROWS[2])
    assert _row(result, _ROWS[3]) == cells[_ROWS[3]]


def _without_vertical_rules(docx: Path, target: Path, keep: tuple[str, ...]) -> Path:
    """The Word file with its tables' ruling lines taken out, except the ``keep`` sides
    (``insideH``: the horizontal rules between rows)."""
    document = Document(str(docx))
    for tag in ("w:tblBorders", "w:tcBorders"):
        for element in list(document.element.body.iter(qn(tag))):
            element.getparent().remove(element)
    for table in document.tables:
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            rule = OxmlElement(f"w:{side}")
            rule.set(qn("w:val"), "single" if side in keep else "nil")
            borders.append(rule)
        table._tbl.tblPr.append(borders)
    document.save(str(target))
    return target


@pytest.mark.pdf
@pytest.mark.parametrize("keep", [(), ("top", "bottom", "insideH")], ids=["no-rules", "rows-only"])
def test_a_word_report_without_ruling_lines_imports_to_the_same_facts(tmp_path, pdf_tools, keep):
    """The busy example as Word prints it with its tables' ruling lines taken out (or only
    the horizontal ones kept): tables 二, 三 and 四, group labels centred on their blocks,
    labels wrapped over lines, all read by the columns' headers."""
    example = EXAMPLE_FILES[0].parent / "busy-2023.yaml"
    docx = render(example, tmp_path / "busy.docx").outputs["docx"]
    bare = _without_vertical_rules(docx, tmp_path / "bare.docx", keep)
    docx_to_pdf(bare, tmp_path / "bare.pdf")
    result = import_report(tmp_path / "bare.pdf")
    assert numbers(result.facts) == numbers(load(example))
    assert not [p for p in result.problems if p.code in ("I5", "I7", "I9")]


def test_a_number_in_text_after_a_table_stays_text(tmp_path):
    """A line after table 三 with a number set apart (联系电话：  83605210) is text of
    the report, not a row of the table above it."""
    cells = {index: _full([3, 1, 0, 0, 4, 2]) for index in _ROWS}
    source = page_setup() + paragraphs(["测试局2023年政府信息公开工作年度报告"])
    source += paragraphs(["三、收到和处理政府信息公开申请情况"]) + table_three(cells)
    source += paragraphs(["六、其他需要报告的事项", "无。"])
    source += "联系电话：#h(4em)83605210\n\n"
    result = import_report(compile_pdf(source, tmp_path / "table.pdf"))
    assert any("83605210" in text for _, text, _ in result.paragraphs)
    assert _row(result, _ROWS[-1]) == cells[_ROWS[-1]]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    numbers=_APPLICANT_COUNTS,
    empty=st.integers(0, _WIDTH - 2),
    blanks=st.lists(st.tuples(st.sampled_from(_ROWS), st.integers(0, _WIDTH - 1)), max_size=10),
    align=st.sampled_from(_ALIGNS),
)
def test_a_column_blank_in_every_row_is_never_read_as_another(
    tmp_path, numbers, empty, blanks, align
):
    """One column blank from top to bottom, more blanks here and there: where the headers
    leave a number's column open, its row is unreadable; a row read is read as printed."""
    cells = {index: _full(row) for index, row in zip(_ROWS, numbers, strict=True)}
    for index, column in [*blanks, *((index, empty) for index in _ROWS)]:
        cells[index][column] = ""
    result = _import(cells, tmp_path, align=align)
    for index in _ROWS:
        if not _unreadable(result, index):
            assert _row(result, index) == cells[index], TABLE_THREE[index][0]
