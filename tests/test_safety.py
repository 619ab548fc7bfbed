"""Safety: text comes out exactly as typed, broken templates say where, and no
template can reach Python's internals.

Custom template sets are built in ``tmp_path`` by copying the national set and
editing its ``report.docx`` with python-docx (or its boilerplate ``.j2`` files).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from jinja2.sandbox import SecurityError
from render_support import (
    REQUEST_HEADER_ROWS,
    REQUEST_LABEL_COLUMNS,
    TABLE_REQUESTS,
    TABLE_REVIEWS,
    Page,
    body,
    open_docx,
)

from govreport import FactsError, GovReportError, TemplateError, render
from govreport import official as fmt
from govreport.cli.main import main
from govreport.template_sets.sets import builtin_root

NAME = "A&B<研究院>"
TITLE = f"{NAME}2023年政府信息公开工作年度报告"
TRICKY_TEXT = "A&B <b>不是粗体</b> 5<6 & 6>5，“引号”'单引号' &amp; {不是占位符}"


def facts(**extra: object) -> dict:
    return {
        "agency": {"name": NAME},
        "year": 2023,
        "published": dt.date(2024, 1, 20),
        **extra,
    }


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


# --------------------------------------------------------------------------- A&B<研究院>


@pytest.fixture(scope="module")
def escaped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("escape")
    data = facts(overview={"management": TRICKY_TEXT})
    return render(data, f"{out}/", to=["docx", "html"]).outputs


def test_name_as_typed_in_docx(escaped: dict[str, Path]) -> None:
    paras = body(open_docx(escaped["docx"]))
    assert paras[0].text.replace("\n", "") == TITLE  # broken between words
    closing = [p.text for p in paras if p.style.startswith("Closing")]
    assert closing == [NAME, "2024年1月20日"]
    # boilerplate naming the agency (its short name defaults to the full name)
    summary = paras[2].text
    assert summary.startswith(f"2023年，{NAME}认真贯彻落实")
    assert TRICKY_TEXT in [p.text for p in paras]


def test_escaped_once_in_the_xml(escaped: dict[str, Path]) -> None:
    xml = open_docx(escaped["docx"]).element.xml
    assert "A&amp;B&lt;研究院&gt;" in xml
    assert "&amp;amp;B" not in xml and "&amp;lt;" not in xml
    assert "<b>" not in xml  # the author's markup is text, not XML


def test_name_as_typed_in_html(escaped: dict[str, Path]) -> None:
    html = escaped["html"].read_text(encoding="utf-8")
    page = Page(html)
    assert [e.text for e in page.all("title")] == [TITLE]
    assert "".join(page.all("h1")[0].text.split()) == TITLE  # a <br> where it breaks
    assert page.all("b") == []
    assert TRICKY_TEXT in [e.text for e in page.all("p")]
    assert "A&amp;B&lt;研究院&gt;" in html
    assert "<研究院>" not in html and "&amp;amp;B" not in html and "&amp;lt;" not in html


def test_file_name_is_safe(escaped: dict[str, Path]) -> None:
    assert escaped["docx"].name == "A&B_研究院_2023年政府信息公开工作年度报告.docx"
    assert escaped["html"].name == "A&B_研究院_2023年政府信息公开工作年度报告.html"


# --------------------------------------------------------------------------- custom sets


@pytest.fixture
def custom_set(tmp_path: Path) -> Path:
    """A copy of the national set in ``tmp_path`` that extends national."""
    folder = tmp_path / "我的模板"
    shutil.copytree(builtin_root() / "national", folder)
    (folder / "set.yaml").write_text("name: 我的模板\nextends: national\n", encoding="utf-8")
    return folder


def _paragraphs(document: Any) -> list:
    inside = [p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return list(document.paragraphs) + inside


def edit_word(folder: Path, old: str, new: str) -> Path:
    """Replace ``old`` by ``new`` in the one run of report.docx that holds it."""
    path = folder / "report.docx"
    document = python_docx.Document(str(path))
    runs = [r for p in _paragraphs(document) for r in p.runs if old in r.text]
    assert len({id(r._r) for r in runs}) >= 1, f"{old} not in the template"
    run = runs[0]
    run.text = run.text.replace(old, new)
    document.save(str(path))
    return path


def body_paragraph_number(path: Path, needle: str) -> int:
    """The 1-based number of the body paragraph (tables not counted) that holds ``needle``."""
    paragraphs = python_docx.Document(str(path)).paragraphs
    return next(n for n, p in enumerate(paragraphs, 1) if needle in p.text)


def test_misspelled_placeholder_in_a_paragraph(custom_set: Path, tmp_path: Path) -> None:
    template = edit_word(custom_set, "{{ headings.reviews }}", "{{ headings.reviewz }}")
    number = body_paragraph_number(template, "reviewz")
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        render(facts(), f"{out}/", template=custom_set)
    message = caught.value.format_message()
    assert "“reviewz”" in message
    assert f"正文第 {number} 段" in message and "{{ headings.reviewz }}" in message
    assert caught.value.exit_code == 3
    assert listing(out) == []


CELL_CASES = [
    pytest.param(
        "{{ requests.received.natural_person }}",
        "natural_person",
        "natural_persn",
        # 一、本年新收 is the first row under table 三's header; 自然人 the first number column
        f"表格 {TABLE_REQUESTS + 1} 第 {REQUEST_HEADER_ROWS + 1} 行第 {REQUEST_LABEL_COLUMNS + 1} 列",
        id="table-three",
    ),
    pytest.param(
        "{{ reviews.litigation_direct.total }}",
        "litigation_direct.total",
        "litigation_direct.totl",
        # 行政诉讼 · 未经复议直接起诉 · 总计: the 10th of 15 columns, in the number row
        f"表格 {TABLE_REVIEWS + 1} 第 4 行第 {2 * len(fmt.REVIEW_COLUMNS)} 列",
        id="table-four",
    ),
]


@pytest.mark.parametrize(("tag", "old", "new", "where"), CELL_CASES)
def test_misspelled_placeholder_in_a_table_cell(
    custom_set: Path, tmp_path: Path, tag: str, old: str, new: str, where: str
) -> None:
    edit_word(custom_set, tag, tag.replace(old, new))
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        render(facts(), f"{out}/", template=custom_set)
    message = caught.value.format_message()
    assert f"“{new.rsplit('.', 1)[-1]}”" in message
    assert where in message, message
    assert listing(out) == []


def test_cli_reports_template_error(custom_set: Path, tmp_path: Path) -> None:
    edit_word(custom_set, "{{ headings.reviews }}", "{{ headings.reviewz }}")
    source = tmp_path / "facts.yaml"
    source.write_text(
        f"agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n"
        f"template: {custom_set.name}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["render", str(source)])
    assert result.exit_code == 3
    assert "reviewz" in result.stderr and "段" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml", "我的模板"]


def test_misspelled_placeholder_in_boilerplate(custom_set: Path, tmp_path: Path) -> None:
    text = custom_set / "text" / "other_matters" / "processing_fees.j2"
    source = text.read_text(encoding="utf-8")
    assert "{{ year }}" in source
    text.write_text(source.replace("{{ year }}", "{{ yeer }}"), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(GovReportError) as caught:
        render(facts(), f"{out}/", template=custom_set)
    error = caught.value
    message = error.format_message()
    assert "yeer" in message
    assert "text/other_matters/processing_fees.j2" in message
    assert listing(out) == []


def test_misspelled_placeholder_in_the_authors_text(tmp_path: Path) -> None:
    source = tmp_path / "facts.yaml"
    source.write_text(
        "agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n"
        "overview:\n  on_request: 收到申请{{ requests.recieved.total }}件。\n",
        encoding="utf-8",
    )
    with pytest.raises(FactsError) as caught:
        render(source, tmp_path / "out" / "x.docx")
    (problem,) = caught.value.problems
    assert problem.code == "T1"
    assert "recieved" in problem.message and problem.line == 6
    assert "依申请公开" in problem.label
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the sandbox

INTERNALS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ agency.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(agency) }}",
]


@pytest.mark.parametrize("expression", INTERNALS)
def test_word_template_cannot_reach_internals(
    custom_set: Path, tmp_path: Path, expression: str
) -> None:
    edit_word(custom_set, "{{ title }}", expression)
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        render(facts(), f"{out}/", to=["docx", "html"], template=custom_set)
    assert isinstance(caught.value.__context__, SecurityError)  # the sandbox refused it
    message = caught.value.format_message()
    assert "不允许" in message and "已拒绝渲染" in message
    assert "<class" not in message and "builtins" not in message
    assert listing(out) == []


@pytest.mark.parametrize("expression", INTERNALS[:2])
def test_boilerplate_cannot_reach_internals(
    custom_set: Path, tmp_path: Path, expression: str
) -> None:
    (custom_set / "text" / "overview" / "summary.j2").write_text(expression, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(GovReportError) as caught:
        render(facts(), f"{out}/", template=custom_set)
    message = caught.value.format_message()
    assert "不允许" in message and "text/overview/summary.j2" in message
    assert listing(out) == []


@pytest.mark.parametrize("expression", INTERNALS[1:])
def test_authors_text_cannot_reach_internals(tmp_path: Path, expression: str) -> None:
    with pytest.raises(FactsError) as caught:
        render(facts(overview={"summary": expression}), f"{tmp_path}/out/")
    assert [p.code for p in caught.value.problems] == ["T1"]
    assert "不允许" in caught.value.problems[0].message
    assert not (tmp_path / "out").exists()


def test_unchanged_copy_renders(custom_set: Path, tmp_path: Path) -> None:
    """The copied set itself is fine: the failures above come from the edits."""
    target = render(facts(), f"{tmp_path}/out/", template=custom_set).outputs["docx"]
    document = open_docx(target)
    assert document.paragraphs[0].text.replace("\n", "") == TITLE  # broken between words
    assert "{{" not in document.element.xml
    assert document.element.body.find(qn("w:tbl")) is not None
