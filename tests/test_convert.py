"""Conversion of the rendered .docx to HTML, Markdown and PDF, and atomic output."""

from __future__ import annotations

import os
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx as python_docx
import pytest

from govreport.errors import ConversionError
from govreport.files.output import atomic_output, write_bytes, write_text
from govreport.pdf import soffice as _soffice
from govreport.pdf.soffice import docx_to_pdf, docx_to_pdf_many, have_libreoffice
from govreport.rendering.formats import FORMATS, convert, docx_to_html, docx_to_markdown

TITLE = "测试机关2023年政府信息公开工作年度报告"
HEADING = "一、总体情况"
CELLS = ["申请人情况", "自然人", "总计", "新收申请", "本年", "上年", "42", "128", "7", "15"]

posix_only = pytest.mark.skipif(os.name != "posix", reason="假 soffice 脚本需要 POSIX shell")


def _make_docx(path: Path, *, title_style: str | None = None) -> Path:
    """A tiny report: title, heading, and a 3×4 table with one cell merged each way."""
    document = python_docx.Document()
    document.add_paragraph(TITLE, style=title_style)
    document.add_heading(HEADING, level=1)
    document.add_paragraph("本年度共收到政府信息公开申请 128 件。")
    table = document.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    header = table.cell(0, 0).merge(table.cell(0, 1))  # horizontal: colspan 2
    header.text = "申请人情况"
    table.cell(0, 2).text = "自然人"
    table.cell(0, 3).text = "总计"
    side = table.cell(1, 0).merge(table.cell(2, 0))  # vertical: rowspan 2
    side.text = "新收申请"
    for row, (label, person, total) in enumerate([("本年", "42", "128"), ("上年", "7", "15")], 1):
        table.cell(row, 1).text = label
        table.cell(row, 2).text = person
        table.cell(row, 3).text = total
    document.save(path)
    return path


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_docx(tmp_path_factory.mktemp("docx") / "报告.docx")


class _Collector(HTMLParser):
    """Every start tag with its attributes, and the text of every element."""

    _VOID = frozenset({"meta", "col", "img", "br", "link", "hr", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, str]] = []  # (tag, its whole text), as they close
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self._VOID:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        while any(name == tag for name, _ in self._open):
            name, parts = self._open.pop()
            self.elements.append((name, "".join(parts)))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)

    def attrs_of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def texts_of(self, *tags: str) -> list[str]:
        return [text.strip() for name, text in self.elements if name in tags]

    def text_in(self, tag: str) -> str:
        return "".join(self.texts_of(tag))


def _no_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- atomic output


def test_atomic_output_replaces_target_on_success(tmp_path: Path) -> None:
    target = tmp_path / "新建文件夹" / "报告.docx"  # parent is created
    with atomic_output(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.startswith(".报告.") and tmp.name.endswith(".tmp.docx")
        assert tmp.exists() and not target.exists()
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _no_leftovers(target.parent) == ["报告.docx"]


@pytest.mark.parametrize("error", [ValueError("坏了"), KeyboardInterrupt()])
def test_atomic_output_leaves_nothing_when_body_raises(
    tmp_path: Path, error: BaseException
) -> None:
    target = tmp_path / "报告.pdf"
    with pytest.raises(type(error)), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise error
    assert not target.exists()
    assert _no_leftovers(tmp_path) == []


def test_atomic_output_keeps_old_target_when_body_raises(tmp_path: Path) -> None:
    target = tmp_path / "报告.html"
    target.write_text("旧版本", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("半截", encoding="utf-8")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "旧版本"
    assert _no_leftovers(tmp_path) == ["报告.html"]


def test_write_helpers(tmp_path: Path) -> None:
    write_text(tmp_path / "a.md", "第一行\n第二行\n")
    write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.md").read_bytes() == "第一行\n第二行\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert _no_leftovers(tmp_path) == ["a.md", "b.bin"]


# --------------------------------------------------------------------------- HTML


def test_html_is_standalone_with_merged_cells(report_docx: Path, tmp_path: Path) -> None:
    target = tmp_path / "报告.html"
    docx_to_html(report_docx, target, title=TITLE)
    page = _Collector()
    page.feed(target.read_text(encoding="utf-8"))

    assert {"charset": "utf-8"} in page.attrs_of("meta")
    assert page.attrs_of("html") == [{"lang": "zh-CN"}]
    assert page.text_in("title") == TITLE
    body = page.text_in("body")
    assert body.count(TITLE) == 1  # no extra title block on top of the report's own
    assert HEADING in body

    assert sorted(page.texts_of("th", "td")) == sorted(CELLS)
    spans = page.attrs_of("th") + page.attrs_of("td")
    assert any(a.get("colspan") == "2" for a in spans)
    assert any(a.get("rowspan") == "2" for a in spans)

    css = page.text_in("style")
    assert "border-collapse: collapse" in css
    assert "table, th, td { border: 1px solid black; }" in css
    assert "text-align: center" in css
    assert "仿宋" in css and "FangSong" in css
    # self-contained: nothing fetched from elsewhere
    assert not page.attrs_of("link") and not page.attrs_of("script")
    assert _no_leftovers(tmp_path) == ["报告.html"]


def test_html_title_is_escaped_and_page_title_only(report_docx: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    docx_to_html(report_docx, target, title="A<B>&C")
    page = _Collector()
    page.feed(target.read_text(encoding="utf-8"))
    assert page.text_in("title") == "A<B>&C"
    assert "A<B>&C" not in page.text_in("body")


# --------------------------------------------------------------------------- Markdown


def test_markdown_keeps_merged_cells_as_html_table(report_docx: Path, tmp_path: Path) -> None:
    target = tmp_path / "报告.md"
    docx_to_markdown(report_docx, target)
    text = target.read_text(encoding="utf-8")
    assert TITLE in text
    assert f"# {HEADING}" in text
    assert "<table>" in text
    assert 'colspan="2"' in text and 'rowspan="2"' in text
    for cell in CELLS:
        assert cell in text


def test_markdown_keeps_title_styled_paragraph(tmp_path: Path) -> None:
    """pandoc moves a Word 标题-styled paragraph into metadata; it must not vanish."""
    source = _make_docx(tmp_path / "styled.docx", title_style="Title")
    docx_to_markdown(source, tmp_path / "styled.md")
    text = (tmp_path / "styled.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {TITLE}")


def test_corrupt_docx_raises_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip file")
    out = tmp_path / "out"
    for fmt in ("html", "md"):
        with pytest.raises(ConversionError, match="pandoc 无法把"):
            convert(bad, out / f"坏.{fmt}", fmt, title="坏")
    assert _no_leftovers(out) == []


def test_missing_docx(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="找不到要转换的 Word 文件"):
        docx_to_html(tmp_path / "无.docx", tmp_path / "无.html", title="无")


def test_convert_dispatch(report_docx: Path, tmp_path: Path) -> None:
    assert FORMATS == ("docx", "html", "md", "odt", "rtf", "pdf")
    convert(report_docx, tmp_path / "copy.docx", "docx", title=TITLE)
    assert (tmp_path / "copy.docx").read_bytes() == report_docx.read_bytes()
    convert(report_docx, tmp_path / "r.md", "md", title=TITLE)
    assert "<table>" in (tmp_path / "r.md").read_text(encoding="utf-8")
    # ODT and RTF: pandoc from the Word file; the text and the numbers come through.
    convert(report_docx, tmp_path / "r.odt", "odt", title=TITLE)
    with zipfile.ZipFile(tmp_path / "r.odt") as odt:
        content = odt.read("content.xml").decode("utf-8")
    assert TITLE in content and ">128<" in content
    convert(report_docx, tmp_path / "r.rtf", "rtf", title=TITLE)
    rtf = (tmp_path / "r.rtf").read_text(encoding="ascii")
    assert rtf.startswith("{\\rtf1") and rtf.rstrip().endswith("}")  # a whole document
    text = re.sub(r"\\u(\d+) ?\?", lambda m: chr(int(m[1])), rtf)
    assert TITLE in text and "128" in text
    with pytest.raises(ConversionError, match="不支持的输出格式"):
        convert(report_docx, tmp_path / "r.xls", "xls", title=TITLE)


# --------------------------------------------------------------------------- PDF


@pytest.mark.pdf
def test_pdf_has_title_and_numbers(report_docx: Path, tmp_path: Path, pdf_tools) -> None:
    target = tmp_path / "输出" / "报告.pdf"
    docx_to_pdf(report_docx, target)
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_tools.text(target)  # pdftotext adds spaces; they are removed
    assert TITLE in text
    assert "128" in text and "申请人情况" in text
    assert _no_leftovers(target.parent) == ["报告.pdf"]


def _no_soffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_soffice.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(_soffice.shutil, "which", lambda *a, **k: None)
    monkeypatch.setattr(_soffice, "_KNOWN_SOFFICE_LOCATIONS", ())


def test_missing_libreoffice(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_soffice(monkeypatch)
    assert have_libreoffice() is None
    with pytest.raises(ConversionError) as caught:
        docx_to_pdf(report_docx, tmp_path / "报告.pdf")
    assert caught.value.message == "未找到 LibreOffice，无法生成 PDF"
    assert "libreoffice-writer-nogui" in caught.value.format_message()
    assert caught.value.exit_code == 4
    assert _no_leftovers(tmp_path) == []


def test_configured_soffice_missing(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_soffice.SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    assert have_libreoffice() is None
    with pytest.raises(ConversionError) as caught:
        docx_to_pdf(report_docx, tmp_path / "报告.pdf")
    hint = caught.value.hint or ""
    assert _soffice.SOFFICE_ENV in hint and "libreoffice-writer-nogui" in hint


def _fake_soffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, name: str = "soffice"
) -> Path:
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv(_soffice.SOFFICE_ENV, str(script))
    return script


@posix_only
def test_pdf_timeout_kills_and_leaves_nothing(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path, monkeypatch, "sleep 30\n")
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    with pytest.raises(ConversionError, match="秒内未完成"):
        docx_to_pdf(report_docx, out / "报告.pdf", timeout=0.5)
    assert time.monotonic() - started < 15
    assert _no_leftovers(out) == []


@posix_only
def test_pdf_failure_reports_stderr(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(
        tmp_path, monkeypatch, 'echo "Error: source file could not be loaded" >&2\nexit 81\n'
    )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ConversionError) as caught:
        docx_to_pdf(report_docx, out / "报告.pdf")
    assert "退出码 81" in caught.value.message
    assert "source file could not be loaded" in caught.value.message
    assert _no_leftovers(out) == []


@posix_only
def test_pdf_missing_output(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path, monkeypatch, "echo 'convert: nothing' \nexit 0\n")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ConversionError, match="未能生成 PDF"):
        docx_to_pdf(report_docx, out / "报告.pdf")
    assert _no_leftovers(out) == []


@posix_only
def test_pdf_uses_fresh_profile_and_cleans_up(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line LibreOffice gets, and that the produced file is moved into place."""
    record = tmp_path / "args.txt"
    body = f"""\
for a in "$@"; do echo "$a"; done > '{record}'
inputs=""
while [ $# -gt 0 ]; do
  case "$1" in --outdir) outdir="$2"; shift;; *.docx) inputs="$inputs $1";; esac
  shift
done
for f in $inputs; do printf '%%PDF-1.4 fake %s' "$(basename "$f")" > "$outdir/$(basename "$f" .docx).pdf"; done
"""
    _fake_soffice(tmp_path, monkeypatch, body)
    target = tmp_path / "out" / "报告.pdf"
    docx_to_pdf(report_docx, target)
    assert target.read_bytes() == b"%PDF-1.4 fake 0.docx"
    args = record.read_text(encoding="utf-8").splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file:///"))
    assert {"--headless", "--norestore", "--convert-to", "pdf"} <= set(args)
    outdir = Path(args[args.index("--outdir") + 1])
    assert not outdir.exists()  # the temporary work folder is gone
    assert "govreport-soffice-" in profile
    assert _no_leftovers(target.parent) == ["报告.pdf"]


def test_pdf_many_starts_libreoffice_once(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch converts every document in one LibreOffice call, each to its own target."""
    calls = tmp_path / "calls.txt"
    body = f"""\
echo call >> '{calls}'
inputs=""
while [ $# -gt 0 ]; do
  case "$1" in --outdir) outdir="$2"; shift;; *.docx) inputs="$inputs $1";; esac
  shift
done
for f in $inputs; do printf '%%PDF-1.4 %s' "$(basename "$f")" > "$outdir/$(basename "$f" .docx).pdf"; done
"""
    _fake_soffice(tmp_path, monkeypatch, body)
    targets = [tmp_path / "out" / f"报告{i}.pdf" for i in range(3)]
    docx_to_pdf_many([(report_docx, t) for t in targets])
    assert calls.read_text().splitlines() == ["call"]
    assert [t.read_bytes() for t in targets] == [f"%PDF-1.4 {i}.docx".encode() for i in range(3)]
