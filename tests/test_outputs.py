"""Where reports are written and what the HTML, Markdown and PDF versions hold.

Covers the ``govreport render`` command line (default name, ``-o`` file or
folder, ``--to``), ``render()`` from a path, a dict or loaded facts, refusal of
facts with errors, and that a failure leaves neither a partial file, nor a
temporary file, nor a clobbered earlier report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from render_support import (
    EXAMPLES_DIR,
    Page,
    body,
    expected_request_row,
    expected_review,
    open_docx,
    raw_facts,
)

from govreport import (
    ConversionError,
    Facts,
    FactsError,
    GovReportError,
    RenderResult,
    TemplateError,
    load,
    render,
)
from govreport import official as fmt
from govreport.cli.main import main
from govreport.errors import OutputError

BUSY = EXAMPLES_DIR / "busy-2023.yaml"
BUSY_TITLE = "某市自然资源和规划局2023年政府信息公开工作年度报告"
#: The title as the report prints it: broken between words (see govreport.narrative.title).
BUSY_TITLE_LINES = "某市自然资源和规划局2023年\n政府信息公开工作年度报告"
DINGCHENG = EXAMPLES_DIR / "dingcheng-gongxin-2023.yaml"
DINGCHENG_NAME = "常德市鼎城区工业和信息化局2023年政府信息公开工作年度报告"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def listing(folder: Path) -> list[str]:
    """Every file in ``folder`` (hidden temporary files included), recursively."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def document_text(path: Path) -> list[str]:
    """A .docx's paragraphs and table cells, for comparing two renders."""
    document = open_docx(path)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [p.text for p in body(document)] + cells


@pytest.fixture
def busy_copy(tmp_path: Path) -> Path:
    """busy-2023.yaml in a folder of its own."""
    folder = tmp_path / "事实"
    folder.mkdir()
    return Path(shutil.copy(BUSY, folder / "2023.yaml"))


# --------------------------------------------------------------------------- the command


def test_cli_default_output_next_to_facts(busy_copy: Path) -> None:
    result = run("render", busy_copy)
    assert result.exit_code == 0, result.output
    target = busy_copy.parent / f"{BUSY_TITLE}.docx"
    assert listing(busy_copy.parent) == sorted(["2023.yaml", target.name])
    assert str(target) in result.stdout and "已生成" in result.stdout
    assert open_docx(target).paragraphs[0].text == BUSY_TITLE_LINES


def test_cli_output_file(busy_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "输出" / "报告.docx"
    result = run("render", busy_copy, "-o", target)
    assert result.exit_code == 0, result.output
    assert listing(tmp_path / "输出") == ["报告.docx"]
    assert open_docx(target).paragraphs[0].text == BUSY_TITLE_LINES


def test_cli_output_folder(busy_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "新文件夹"
    result = run("render", busy_copy, "-o", f"{folder}/")
    assert result.exit_code == 0, result.output
    assert listing(folder) == [f"{BUSY_TITLE}.docx"]


def test_cli_output_existing_folder_without_slash(busy_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "已有"
    folder.mkdir()
    assert run("render", busy_copy, "-o", folder).exit_code == 0
    assert listing(folder) == [f"{BUSY_TITLE}.docx"]


def test_cli_suffix_replaced_per_format(busy_copy: Path, tmp_path: Path) -> None:
    result = run("render", busy_copy, "-o", tmp_path / "out" / "年报.docx", "--to", "md,docx")
    assert result.exit_code == 0, result.output
    assert listing(tmp_path / "out") == ["年报.docx", "年报.md"]


def test_cli_unknown_format_writes_nothing(busy_copy: Path, tmp_path: Path) -> None:
    result = run("render", busy_copy, "-o", tmp_path / "out/", "--to", "docx,xls")
    assert result.exit_code != 0
    assert "xls" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_prints_warnings_and_still_renders(tmp_path: Path) -> None:
    facts = Path(shutil.copy(DINGCHENG, tmp_path / "鼎城.yaml"))
    result = run("render", facts)
    assert result.exit_code == 0, result.output
    assert "警告 B1" in result.stderr and "收取信息处理费情况" in result.stderr
    assert (tmp_path / f"{DINGCHENG_NAME}.docx").is_file()


# --------------------------------------------------------------------------- render()


def test_render_accepts_path_dict_and_facts(tmp_path: Path, monkeypatch) -> None:
    from_path = render(BUSY, tmp_path / "a" / "x.docx")
    data = raw_facts(BUSY)
    monkeypatch.chdir(tmp_path)  # a dict has no file: the default goes to the working folder
    from_dict = render(data)
    facts = load(BUSY)
    assert isinstance(facts, Facts)
    from_facts = render(facts, f"{tmp_path}/c/")  # a str ending in / names a new folder
    for result in (from_path, from_dict, from_facts):
        assert isinstance(result, RenderResult)
        assert list(result.outputs) == ["docx"]
        assert not [p for p in result.warnings if p.severity == "error"]
    codes = [p.code for p in from_path.warnings]
    assert [p.code for p in from_dict.warnings] == [p.code for p in from_facts.warnings] == codes
    assert from_dict.outputs["docx"] == tmp_path / f"{BUSY_TITLE}.docx"
    assert from_facts.outputs["docx"] == tmp_path / "c" / f"{BUSY_TITLE}.docx"
    expected = document_text(from_path.outputs["docx"])
    assert "12.35" in expected and "560" in expected
    assert document_text(from_dict.outputs["docx"]) == expected
    assert document_text(from_facts.outputs["docx"]) == expected


def test_render_default_next_to_facts(busy_copy: Path) -> None:
    result = render(busy_copy)
    assert result.outputs == {"docx": busy_copy.parent / f"{BUSY_TITLE}.docx"}
    assert result.outputs["docx"].is_file()


def test_render_returns_warnings(tmp_path: Path) -> None:
    result = render(DINGCHENG, tmp_path / "x.docx")
    assert [p.code for p in result.warnings] == ["B1"]


def _broken_facts() -> dict:
    """One application received and never answered: R1 breaks."""
    data = raw_facts(DINGCHENG)
    data["requests"] = {"received": [1, 0, 0, 0, 0, 0]}
    return data


def test_render_refuses_facts_with_errors(tmp_path: Path) -> None:
    with pytest.raises(FactsError) as caught:
        render(_broken_facts(), tmp_path / "out" / "x.docx", to=["docx", "html"])
    assert "R1" in [p.code for p in caught.value.problems]
    assert caught.value.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_cli_refuses_facts_with_errors(tmp_path: Path) -> None:
    facts = tmp_path / "坏.yaml"
    facts.write_text(yaml.safe_dump(_broken_facts(), allow_unicode=True), encoding="utf-8")
    good = tmp_path / f"{DINGCHENG_NAME}.docx"
    good.write_bytes(b"an earlier report")
    result = run("render", facts, "--to", "docx,html")
    assert result.exit_code == 1
    assert "错误 R1" in result.stderr and "未生成报告" in result.stderr
    assert listing(tmp_path) == sorted([facts.name, good.name])
    assert good.read_bytes() == b"an earlier report"


# --------------------------------------------------------------------------- failures


def _pandoc_fails_half_way(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """pandoc (which writes ODT and RTF from the Word file) writes part of its output, then dies."""
    pypandoc = pytest.importorskip("pypandoc")  # the extra govreport[pandoc]

    def convert_file(*args: object, outputfile: str, **kwargs: object) -> None:
        Path(outputfile).write_text("<html><body><table><tr><td>5", encoding="utf-8")
        raise error

    monkeypatch.setattr(pypandoc, "convert_file", convert_file)


@pytest.mark.parametrize(
    "error", [RuntimeError("pandoc crashed"), KeyboardInterrupt()], ids=["crash", "ctrl-c"]
)
def test_no_partial_output_when_conversion_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    _pandoc_fails_half_way(monkeypatch, error)
    out = tmp_path / "out"
    expected = ConversionError if isinstance(error, RuntimeError) else KeyboardInterrupt
    with pytest.raises(expected):
        render(BUSY, out / "报告", to=["rtf"])
    assert (listing(out) if out.exists() else []) == []


def test_failed_format_leaves_no_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pandoc_fails_half_way(monkeypatch, RuntimeError("pandoc crashed"))
    out = tmp_path / "out"
    with pytest.raises(ConversionError, match="pandoc"):
        render(BUSY, out / "报告", to=["docx", "html", "odt", "rtf"])
    files = listing(out)
    assert not [f for f in files if f.startswith(".") or ".tmp" in f]
    assert "报告.odt" not in files and "报告.rtf" not in files
    # whatever was finished before the failure is whole
    assert files == ["报告.docx", "报告.html"]
    assert document_text(out / "报告.docx")[0] == BUSY_TITLE_LINES
    html = Page((out / "报告.html").read_text(encoding="utf-8"))
    assert html.all("h1")[0].text == BUSY_TITLE and len(html.tables) == 3


def test_failed_conversion_keeps_the_earlier_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "报告.rtf"
    target.write_text("{\\rtf1 去年的好报告}", encoding="utf-8")
    _pandoc_fails_half_way(monkeypatch, RuntimeError("pandoc crashed"))
    with pytest.raises(ConversionError):
        render(BUSY, target, to="rtf")
    assert target.read_text(encoding="utf-8") == "{\\rtf1 去年的好报告}"
    assert listing(tmp_path) == ["报告.rtf"]


def test_failed_docx_write_keeps_the_earlier_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up after the new report was written out, before it replaced the old."""
    from govreport.files import output as _output

    target = tmp_path / "报告.docx"
    render(DINGCHENG, target)
    good = target.read_bytes()

    def disk_full(path: Path) -> None:
        assert path.read_bytes()[:2] == b"PK"  # the new report, complete, beside the target
        raise OSError("disk full")

    monkeypatch.setattr(_output, "_flush_to_disk", disk_full)
    with pytest.raises(OutputError, match="无法写入") as raised:
        render(BUSY, target, to="docx,html")
    assert raised.value.exit_code == 5
    assert target.read_bytes() == good
    assert listing(tmp_path) == ["报告.docx"]


def test_failed_word_template_keeps_the_earlier_docx(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    render(DINGCHENG, target)
    good = target.read_bytes()
    broken = tmp_path / "坏模板"
    broken.mkdir()
    (broken / "set.yaml").write_text("name: 坏模板\nextends: national\n", encoding="utf-8")
    (broken / "report.docx").write_bytes(b"not a zip file")
    with pytest.raises(TemplateError, match=r"无法打开|不是 Word 文档"):
        render(DINGCHENG, target, template=broken)
    assert target.read_bytes() == good
    assert listing(tmp_path) == sorted(["报告.docx", "坏模板/report.docx", "坏模板/set.yaml"])


def test_template_error_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="找不到模板"):
        render(BUSY, tmp_path / "out/", template=tmp_path / "没有这个模板")
    assert not (tmp_path / "out").exists()


def test_errors_are_govreport_errors() -> None:
    assert issubclass(FactsError, GovReportError) and issubclass(ConversionError, GovReportError)


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    """busy-2023 as HTML and Markdown, rendered once."""
    out = tmp_path_factory.mktemp("html")
    return render(BUSY, out / "报告", to=["html", "md"])


@pytest.fixture(scope="module")
def page(converted: RenderResult) -> Page:
    return Page(converted.outputs["html"].read_text(encoding="utf-8"))


def test_html_only_what_was_asked(converted: RenderResult) -> None:
    folder = converted.outputs["html"].parent
    assert listing(folder) == ["报告.html", "报告.md"]


def test_html_title_and_charset(page: Page) -> None:
    assert [e.text for e in page.all("title")] == [BUSY_TITLE]
    assert any((e.attrs.get("charset") or "").lower() == "utf-8" for e in page.all("meta"))
    assert page.all("html")[0].attrs.get("lang") == "zh-CN"
    assert "".join(page.all("h1")[0].text.split()) == BUSY_TITLE  # a <br> where it breaks


def test_html_headings(page: Page, converted: RenderResult) -> None:
    """The title is the one <h1>; sections are <h2>, their items <h3> (the official levels)."""
    tset = converted.template
    assert tset is not None
    headings = [tset.word("headings", k, default=t) for k, t in fmt.SECTION_HEADINGS.items()]
    assert [e.text for e in page.all("h1")] == [BUSY_TITLE]
    assert [e.text for e in page.all("h2")] == headings
    assert "（一）主动公开" in [e.text for e in page.all("h3")]


def test_html_table_three_matches_facts(page: Page) -> None:
    raw = raw_facts(BUSY)
    assert len(page.tables) == 3
    for row in fmt.REQUEST_ROWS:  # every row, totals included
        expected = [str(n) for n in expected_request_row(raw, row)]
        assert page.after(1, row.label, 7) == expected, row.full_label
    assert page.after(1, "一、本年新收政府信息公开申请数量", 7)[-1] == "560"
    assert page.after(1, "（七）总计", 7) == ["375", "73", "24", "22", "36", "26", "556"]
    assert page.after(1, "四、结转下年度继续办理", 7)[-1] == "23"


def test_html_tables_two_and_four(page: Page) -> None:
    raw = raw_facts(BUSY)
    assert page.after(0, "行政事业性收费", 1) == ["12.35"]
    assert page.after(0, "行政许可", 1) == ["1268"]
    assert page.after(0, "规章", 3) == ["1", "1", "6"]
    numbers = [c.text for c in page.tables[2][-1]]
    assert numbers == [
        str(expected_review(raw, b, c)) for b in fmt.REVIEW_BLOCKS for c in fmt.REVIEW_COLUMNS
    ]


def test_html_merged_cells(page: Page) -> None:
    def spans(table: int, text: str) -> tuple[str, str]:
        attrs = page.cell(table, text).attrs
        return attrs.get("rowspan") or "1", attrs.get("colspan") or "1"

    results = [r for r in fmt.REQUEST_ROWS if r.path[0] == "results"]
    withheld = [r for r in fmt.REQUEST_ROWS if r.path[:2] == ("results", "withheld")]
    assert spans(1, fmt.REQUESTS_CORNER) == ("3", "3")
    assert spans(1, fmt.APPLICANT_HEADER) == ("1", str(len(fmt.REQUEST_COLUMNS)))
    assert spans(1, fmt.LEGAL_PERSON_HEADER) == ("1", "5")
    assert spans(1, fmt.APPLICANT_COLUMNS[0].label) == ("2", "1")
    assert spans(1, "三、本年度办理结果") == (str(len(results)), "1")
    assert spans(1, "（三）不予公开") == (str(len(withheld)), "1")
    assert spans(1, "一、本年新收政府信息公开申请数量") == ("1", "3")
    assert spans(2, fmt.LITIGATION_HEADER) == ("1", "10")
    assert spans(2, fmt.RECONSIDERATION_HEADER) == ("1", "5")
    assert spans(2, "未经复议直接起诉") == ("1", "5")
    assert spans(0, "第二十条第（一）项") == ("1", "4")


def test_html_borders_css(page: Page) -> None:
    """Inline styles (a CMS keeps style attributes, not <style>): every cell has a border."""
    assert not page.all("style")
    for table in page.all("table"):
        assert "border-collapse:collapse" in (table.attrs.get("style") or "")
    for cell in page.all("td") + page.all("th"):
        assert "border:1px solid #000" in (cell.attrs.get("style") or "")


# --------------------------------------------------------------------------- Markdown


def test_markdown_tables_and_headings(converted: RenderResult) -> None:
    text = converted.outputs["md"].read_text(encoding="utf-8")
    assert text.startswith(f"# {BUSY_TITLE}")
    assert "<table" not in text  # GitHub pipe tables, merged cells flattened
    lines = text.splitlines()
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "六、其他需要报告的事项"):
        assert f"## {heading}" in lines
    assert "### （一）主动公开" in lines
    assert "| 一、本年新收政府信息公开申请数量 | 378 | 74 | 24 | 22 | 36 | 26 | 560 |" in [
        line.replace("|  |  | ", "| ") for line in lines
    ]
    assert "| 三、本年度办理结果 |  | （七）总计 | 375 | 73 | 24 | 22 | 36 | 26 | 556 |" in lines
    assert "| 行政事业性收费 | 12.35 |" in lines and "| 行政许可 | 1268 |" in lines


# --------------------------------------------------------------------------- PDF


@pytest.mark.pdf
def test_cli_all_formats_and_pdf_text(busy_copy: Path, tmp_path: Path, pdf_tools) -> None:
    out = tmp_path / "全部"
    result = run("render", busy_copy, "-o", f"{out}/", "--to", "docx,html,md,pdf")
    assert result.exit_code == 0, result.output
    assert listing(out) == [f"{BUSY_TITLE}.{s}" for s in ("docx", "html", "md", "pdf")]
    pdf = out / f"{BUSY_TITLE}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_tools.text(pdf)
    assert BUSY_TITLE in text
    for expected in ("申请人情况", "六、其他需要报告的事项", "2024年1月20日"):
        assert expected in text
    for number in ("560", "556", "12.35", "1268", "378"):
        assert number in text
