"""Conversion of the rendered .docx to ODT and RTF (pandoc) and PDF, and atomic output."""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from govreport.errors import ConversionError
from govreport.files.output import atomic_output, write_bytes, write_text
from govreport.pdf import soffice as _soffice
from govreport.pdf.soffice import docx_to_pdf, docx_to_pdf_many, have_libreoffice
from govreport.rendering.formats import FORMATS, PANDOC_FORMATS, convert

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


# --------------------------------------------------------------------------- ODT and RTF


def _odt_text(path: Path) -> str:
    with zipfile.ZipFile(path) as odt:
        return odt.read("content.xml").decode("utf-8")


def _rtf_text(path: Path) -> str:
    rtf = path.read_text(encoding="ascii")
    assert rtf.startswith("{\\rtf1") and rtf.rstrip().endswith("}")  # a whole document
    return re.sub(r"\\u(\d+) ?\?", lambda m: chr(int(m[1])), rtf)


def test_formats() -> None:
    assert FORMATS == ("docx", "html", "md", "odt", "rtf", "pdf")
    assert set(PANDOC_FORMATS) == {"odt", "rtf"}


def test_odt_and_rtf(report_docx: Path, tmp_path: Path) -> None:
    """pandoc from the Word file; the text and the numbers come through."""
    convert(report_docx, tmp_path / "r.odt", "odt")
    content = _odt_text(tmp_path / "r.odt")
    assert TITLE in content and HEADING in content and ">128<" in content
    convert(report_docx, tmp_path / "r.rtf", "rtf")
    text = _rtf_text(tmp_path / "r.rtf")
    assert TITLE in text and "128" in text
    assert _no_leftovers(tmp_path) == ["r.odt", "r.rtf"]


def test_only_pandoc_formats(report_docx: Path, tmp_path: Path) -> None:
    for fmt in ("xls", "html", "pdf"):
        with pytest.raises(ConversionError, match="不支持用 pandoc 转换为"):
            convert(report_docx, tmp_path / f"r.{fmt}", fmt)
    assert _no_leftovers(tmp_path) == []


def test_title_styled_paragraph_is_kept(tmp_path: Path) -> None:
    """pandoc moves a Word 标题-styled paragraph into metadata; it must not vanish."""
    source = _make_docx(tmp_path / "styled.docx", title_style="Title")
    convert(source, tmp_path / "styled.odt", "odt")
    assert _odt_text(tmp_path / "styled.odt").count(TITLE) == 1
    convert(source, tmp_path / "styled.rtf", "rtf")
    assert _rtf_text(tmp_path / "styled.rtf").count(TITLE) == 1


def test_name_with_glob_characters(report_docx: Path, tmp_path: Path) -> None:
    source = tmp_path / "报告[2023].docx"
    source.write_bytes(report_docx.read_bytes())
    convert(source, tmp_path / "报告[2023].rtf", "rtf")
    assert TITLE in _rtf_text(tmp_path / "报告[2023].rtf")


def test_corrupt_docx_raises_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip file")
    out = tmp_path / "out"
    for fmt, what in (("odt", "ODT"), ("rtf", "RTF")):
        with pytest.raises(ConversionError, match=f"pandoc 无法把 坏.docx 转换为 {what}"):
            convert(bad, out / f"坏.{fmt}", fmt)
    assert _no_leftovers(out) == []


def test_missing_docx(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="找不到要转换的 Word 文件"):
        convert(tmp_path / "无.docx", tmp_path / "无.odt", "odt")
    assert _no_leftovers(tmp_path) == []


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
    assert "无法打开该 Word 文件" in caught.value.message  # LibreOffice's own words: in Chinese
    assert "source file could not be loaded" in caught.value.detail
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
