"""The Typst PDF: which engine prints which set, PDF/A, fonts, batches, no LibreOffice needed.

The page layout itself (tables, headings, 落款, title, page numbers, every character)
is checked for both engines in ``test_layout``; hostile texts and sets in
``test_typst_safety``.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree
from pdfminer.pdftypes import resolve1
from tests_support import EXAMPLE_FILES, EXAMPLES_DIR, clean_facts_dict

import govreport.pdf.typst_fonts as typst_fonts
import govreport.rendering.report as report_module
from govreport import render
from govreport.batch.runner import render_many
from govreport.cli.main import main
from govreport.errors import GovReportError, TemplateError
from govreport.rendering.report import word_context
from govreport.rendering.typst_pdf import pdf_engine, report_data
from govreport.template_sets.sets import builtin_root, load_set

NATIONAL = builtin_root() / "national"


def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any use of LibreOffice fails the test: the Typst path must not need it."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("LibreOffice was used")

    for name in ("require_soffice", "prepare_pdf", "convert_pdf"):
        monkeypatch.setattr(report_module, name, refuse)


def set_folder(tmp_path: Path, name: str, *, docx: bool = False, typ: bool = False) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "set.yaml").write_text(f"name: {name}\nextends: national\n", encoding="utf-8")
    if docx:
        shutil.copy(NATIONAL / "report.docx", folder / "report.docx")
    if typ:
        shutil.copy(NATIONAL / "report.typ", folder / "report.typ")
    return folder


# --------------------------------------------------------------------------- the engine


def test_engine_follows_the_set(tmp_path: Path) -> None:
    assert pdf_engine(load_set("national")) == "typst"
    assert pdf_engine(load_set("shandong")) == "typst"  # inherits national's report.typ
    assert pdf_engine(load_set(set_folder(tmp_path, "wording"))) == "typst"
    own_word = load_set(set_folder(tmp_path, "word", docx=True))
    assert pdf_engine(own_word) == "libreoffice"  # its PDF must look like its Word file
    assert pdf_engine(load_set(set_folder(tmp_path, "both", docx=True, typ=True))) == "typst"
    assert pdf_engine(load_set("national"), "libreoffice") == "libreoffice"
    assert pdf_engine(own_word, "typst") == "typst"  # asked for: national's report.typ
    alone = set_folder(tmp_path, "alone", docx=True)
    (alone / "set.yaml").write_text("name: alone\n", encoding="utf-8")  # extends nothing
    assert pdf_engine(load_set(alone)) == "libreoffice"
    with pytest.raises(TemplateError, match=r"没有 Typst 模板 report\.typ"):
        pdf_engine(load_set(alone), "typst")
    with pytest.raises(GovReportError, match="不支持的 PDF 生成方式"):
        pdf_engine(own_word, "wps")


def test_pdf_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_libreoffice(monkeypatch)
    for source in EXAMPLE_FILES:
        result = render(source, tmp_path / source.stem, to=["pdf"])
        with pdfplumber.open(result.outputs["pdf"]) as document:
            assert len(document.pages) >= 3
            assert result.facts.agency.name in (document.pages[-1].extract_text() or "")
    assert not list(tmp_path.glob("*.docx"))  # no Word file on the way


def test_cli_pdf_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_libreoffice(monkeypatch)
    facts = shutil.copy(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "busy.yaml")
    done = CliRunner().invoke(
        main,
        [
            "render",
            str(facts),
            "--to",
            "pdf",
            "--pdf-standard",
            "a-2b",
            "--font-path",
            str(tmp_path),
        ],
    )
    assert done.exit_code == 0, done.output
    assert pdfa_part(next(tmp_path.glob("*.pdf"))) == ("2", "B")
    bad = CliRunner().invoke(main, ["render", str(facts), "--to", "pdf", "--pdf-engine", "wps"])
    assert bad.exit_code == 2 and "wps" in bad.output


def test_pdf_standard_only_with_typst(tmp_path: Path) -> None:
    folder = set_folder(tmp_path, "word", docx=True)
    with pytest.raises(GovReportError, match="PDF/A（a-2b）只能由 Typst 生成"):
        render(clean_facts_dict(), tmp_path / "r", to=["pdf"], template=folder, pdf_standard="a-2b")
    assert not list(tmp_path.glob("r.*"))


# --------------------------------------------------------------------------- PDF/A


def pdfa_part(pdf: Path) -> tuple[str, str]:
    """``pdfaid:part`` and ``pdfaid:conformance`` from the PDF's XMP metadata."""
    with pdfplumber.open(pdf) as document:
        catalog = document.doc.catalog
        xmp = resolve1(catalog["Metadata"]).get_data()
        assert "OutputIntents" in catalog  # PDF/A needs the colour profile
    root = etree.fromstring(xmp)
    ns = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
    part = root.xpath("string(//pdfaid:part | //@pdfaid:part)", namespaces=ns)
    conformance = root.xpath("string(//pdfaid:conformance | //@pdfaid:conformance)", namespaces=ns)
    return part, conformance


def test_pdfa_2b(tmp_path: Path) -> None:
    result = render(
        EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"], pdf_standard="a-2b"
    )
    assert pdfa_part(result.outputs["pdf"]) == ("2", "B")


def test_plain_pdf_claims_no_pdfa(tmp_path: Path) -> None:
    result = render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"])
    with pdfplumber.open(result.outputs["pdf"]) as document:
        xmp = resolve1(document.doc.catalog["Metadata"]).get_data()
    assert b"pdfaid" not in xmp.split(b"pdfaExtension")[0]


# --------------------------------------------------------------------------- fonts


def test_font_plan_names_a_face_for_every_role() -> None:
    plan = typst_fonts.font_plan()
    for role in typst_fonts.ROLES:
        assert plan.families(role.key)  # always something to name
        chosen = plan.chosen[role.key]
        if chosen is not None:
            assert chosen == plan.families(role.key)[0]
    for official, face in plan.substitutions().items():
        assert official in {r.official for r in typst_fonts.ROLES} and face


def test_font_path_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra, other = tmp_path / "a", tmp_path / "b"
    extra.mkdir()
    other.mkdir()
    monkeypatch.setenv(typst_fonts.FONT_PATH_VARIABLE, f"{other}:{tmp_path / 'missing'}")
    assert typst_fonts.font_paths([extra]) == (str(extra), str(other))


def test_substitutions_said_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typst_fonts, "_said", False)
    first = typst_fonts.substitutions_to_say()
    assert typst_fonts.substitutions_to_say() is None
    if typst_fonts.font_plan().substitutions():
        assert first is not None and "PDF 中已用代替字体" in first and "--font-path" in first


def test_report_data_carries_the_fonts_in_order() -> None:
    from govreport.checks import check

    result = check(EXAMPLES_DIR / "busy-2023.yaml")
    assert result.narrative is not None
    data = report_data(word_context(result.facts, result.narrative))
    plan = typst_fonts.font_plan()
    assert data["fonts"]["body"] == list(plan.families("body"))
    assert data["title_lines"] == ["某市自然资源和规划局2023年", "政府信息公开工作年度报告"]


def test_doctor_reports_the_pdf_fonts() -> None:
    done = CliRunner().invoke(main, ["doctor"])
    assert done.exit_code == 0, done.output
    assert "PDF 的字体" in done.output
    plan = typst_fonts.font_plan()
    for official, face in plan.substitutions().items():
        assert f"{official}" in done.output and face in done.output


# --------------------------------------------------------------------------- batches


def test_batch_with_two_jobs(tmp_path: Path) -> None:
    results = render_many(EXAMPLE_FILES, tmp_path / "out", to=["pdf", "md"], jobs=2)
    assert all(r.ok for r in results), [r.failure for r in results]
    for result in results:
        pdf = result.outputs["pdf"]
        assert pdf.name == result.source.stem + ".pdf"
        with pdfplumber.open(pdf) as document:
            assert document.metadata["Author"]
    assert not list((tmp_path / "out").glob("*.docx"))


# --------------------------------------------------------------------------- typography


def test_no_gap_between_chinese_and_digits(tmp_path: Path) -> None:
    """“2023年”, not “2023 年”: digits sit against the Chinese beside them."""
    result = render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"])
    pairs = 0
    with pdfplumber.open(result.outputs["pdf"]) as document:
        for page in document.pages:
            for line in page.extract_text_lines():
                chars = line["chars"]
                for left, right in itertools.pairwise(chars):
                    if left["text"].isdigit() and "\u4e00" <= right["text"] <= "\u9fff":
                        assert right["x0"] - left["x1"] < 0.6, line["text"]
                        pairs += 1
    assert pairs > 20


def test_body_lines_are_justified_to_the_margin(tmp_path: Path) -> None:
    """Every full body line ends at the right margin (26 mm), none past it: a comma or
    full stop that ends a line is set half wide (标点挤压), inside the margin."""
    result = render(EXAMPLES_DIR / "busy-government-2023.yaml", tmp_path / "r", to=["pdf"])
    right = (210 - 26) * 72 / 25.4
    with pdfplumber.open(result.outputs["pdf"]) as document:
        lines = [
            line
            for page in document.pages
            for line in page.extract_text_lines()
            if line["chars"][0]["size"] == 16 and line["top"] < (297 - 35) * 72 / 25.4
        ]
    ends = [_visible_end(line["chars"][-1]) for line in lines]
    assert max(ends) <= right + 0.5
    assert sum(abs(end - right) < 0.5 for end in ends) > len(ends) / 2


_HALF_WIDTH_AT_LINE_END = set("，。、；：？！》）」』”’")


def _visible_end(char: dict) -> float:
    """Where a line's last glyph ends: a compressed punctuation mark is half as wide as the
    em box pdfplumber reports for it."""
    if char["text"] in _HALF_WIDTH_AT_LINE_END:
        return char["x0"] + char["size"] / 2
    return char["x1"]


def test_a_new_set_keeps_the_typst_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``templates new`` copies report.typ beside report.docx: its PDF is still Typst's,
    and the unchanged copy typesets in this process, not in a worker."""
    from govreport.pdf import typst_engine
    from govreport.template_sets.new_set import create_set

    tset = create_set("我市", "shandong", tmp_path / "我市")
    assert (tmp_path / "我市" / "report.typ").is_file()
    assert pdf_engine(tset) == "typst"

    def no_worker(*_: object) -> bytes:
        raise AssertionError("an unchanged copy of a built-in template went to a worker")

    monkeypatch.setattr(typst_engine, "_typeset_in_worker", no_worker)
    result = render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"], template=tset)
    assert result.outputs["pdf"].is_file()


def test_cli_pdf_with_no_libreoffice_on_path(tmp_path: Path) -> None:
    """What a fresh ``pip install govreport`` on a machine without LibreOffice does."""
    import subprocess
    import sys

    facts = shutil.copy(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "busy.yaml")
    env = {
        "PATH": str(Path(sys.executable).parent),  # no soffice, no fc-list, no poppler
        "GOVREPORT_SOFFICE": str(tmp_path / "no-soffice"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    code = "import sys; from govreport.cli import main; main(sys.argv[1:], prog_name='govreport')"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "render",
            str(facts),
            "--to",
            "pdf",
            "-o",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    with pdfplumber.open(tmp_path / "r.pdf") as document:
        assert "某市自然资源和规划局" in (document.pages[-1].extract_text() or "")
