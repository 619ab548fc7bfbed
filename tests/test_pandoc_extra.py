"""pandoc is the optional extra ``govreport[pandoc]``: only ODT and RTF need it.

Without it, asking for ODT or RTF (the command line, ``render()``, a batch) is
refused in Chinese, naming the extra, before any file is written (exit 4);
every other format works, ``doctor`` says how to get it, and nothing but ODT
and RTF ever imports pypandoc. pandoc's own failures are said in Chinese too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from govreport.cli.main import main
from govreport.errors import ConversionError, OutputError
from govreport.rendering import formats as _formats
from govreport.rendering.report import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "busy-2023.yaml"
OTHER = ROOT / "examples" / "dingcheng-gongxin-2023.yaml"
EXTRA = 'pip install "govreport[pandoc]"'


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def listing(folder: Path) -> list[str]:
    """Every file below ``folder`` (hidden temporary files included)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def no_pypandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    """pypandoc not installed: ``import pypandoc`` raises ImportError."""
    monkeypatch.setitem(sys.modules, "pypandoc", None)


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A facts file alone in its folder: the report goes beside it by default."""
    folder = tmp_path / "单位"
    folder.mkdir()
    return Path(shutil.copy(EXAMPLE, folder / EXAMPLE.name))


# --------------------------------------------------------------------------- without pypandoc


@pytest.mark.usefixtures("no_pypandoc")
@pytest.mark.parametrize(
    ("to", "what"),
    [("odt", "ODT"), ("rtf", "RTF"), ("docx,html,odt", "ODT"), ("odt,pdf,rtf", "ODT、RTF")],
)
def test_cli_odt_without_pandoc_is_exit_4_and_writes_nothing(
    facts: Path, to: str, what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govreport.pdf import soffice

    monkeypatch.setattr(soffice, "have_libreoffice", lambda: "/usr/bin/soffice")  # pdf: pandoc
    result = run("render", facts, "--to", to)
    assert result.exit_code == 4, result.output
    assert f"生成 {what} 需要 pandoc，本机未安装。" in result.stderr
    assert EXTRA in result.stderr
    assert "Traceback" not in result.output and "ImportError" not in result.output
    assert listing(facts.parent) == [facts.name]  # not even the .docx


@pytest.mark.usefixtures("no_pypandoc")
def test_cli_to_a_folder_without_pandoc_writes_nothing(facts: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    result = run("render", facts, "-o", f"{out}/", "--to", "docx,rtf")
    assert result.exit_code == 4
    assert EXTRA in result.stderr
    assert not out.exists()


@pytest.mark.usefixtures("no_pypandoc")
def test_render_without_pandoc_raises_before_writing(facts: Path, tmp_path: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        render(facts, tmp_path / "out" / "报告", to=["docx", "odt"])
    assert caught.value.exit_code == 4
    assert caught.value.message == "生成 ODT 需要 pandoc，本机未安装。"
    assert caught.value.hint == f"请安装：{EXTRA}"
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("no_pypandoc")
def test_batch_without_pandoc_is_exit_4_and_writes_nothing(facts: Path, tmp_path: Path) -> None:
    shutil.copy(OTHER, facts.parent / OTHER.name)
    out = tmp_path / "批量"
    result = run("render", facts.parent, "--out", out, "--to", "docx,rtf")
    assert result.exit_code == 4, result.output
    assert "生成 RTF 需要 pandoc，本机未安装。" in result.stderr and EXTRA in result.stderr
    assert not out.exists() or listing(out) == []


@pytest.mark.usefixtures("no_pypandoc")
def test_other_formats_work_without_pandoc(facts: Path) -> None:
    result = run("render", facts, "--to", "docx,html,md")
    assert result.exit_code == 0, result.output
    stem = "某市自然资源和规划局2023年政府信息公开工作年度报告"
    assert listing(facts.parent) == sorted(
        [facts.name, f"{stem}.docx", f"{stem}.html", f"{stem}.md"]
    )


@pytest.mark.usefixtures("no_pypandoc")
def test_doctor_without_pandoc_names_the_extra() -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "pandoc" in result.output and "未安装" in result.output
    assert EXTRA in result.output
    assert "Traceback" not in result.output


def test_render_without_odt_never_imports_pypandoc(tmp_path: Path) -> None:
    code = (
        "import sys; from govreport import render; "
        f"render({str(EXAMPLE)!r}, {str(tmp_path / 'r')!r}, to='docx,html,md'); "
        "from govreport.rendering import formats; "
        "print('pypandoc' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert listing(tmp_path) == ["r.docx", "r.html", "r.md"]


# --------------------------------------------------------------------------- pandoc that fails


def test_pandoc_program_missing_is_said_before_writing(
    facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pypandoc is there but finds no pandoc program (plain pypandoc, not pypandoc-binary)."""
    pypandoc = pytest.importorskip("pypandoc")

    def no_program() -> str:
        raise OSError("No pandoc was found: either install pandoc and add it to your PATH")

    monkeypatch.setattr(pypandoc, "get_pandoc_version", no_program)
    result = run("render", facts, "--to", "docx,odt")
    assert result.exit_code == 4
    assert "生成 ODT 需要 pandoc，未找到 pandoc 程序。" in result.stderr
    assert "No pandoc was found" not in result.output
    assert listing(facts.parent) == [facts.name]


def test_old_pandoc_is_refused_before_writing(facts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    monkeypatch.setattr(pypandoc, "get_pandoc_version", lambda: "2.19.2")
    result = run("render", facts, "--to", "rtf")
    assert result.exit_code == 4
    assert "pandoc 版本 2.19.2 过低" in result.stderr
    assert listing(facts.parent) == [facts.name]


@pytest.fixture
def report_docx(tmp_path: Path) -> Path:
    return render(EXAMPLE, tmp_path / "report.docx").outputs["docx"]


@pytest.mark.skipif(os.name != "posix", reason="needs /dev/full")
def test_disk_full_while_pandoc_writes_is_exit_5(
    report_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextlib.contextmanager
    def onto_full_disk(target: Path) -> Iterator[Path]:
        yield Path("/dev/full")  # the real pandoc writes, the real kernel says ENOSPC

    monkeypatch.setattr(_formats, "atomic_output", onto_full_disk)
    with pytest.raises(OutputError) as caught:
        _formats.convert(report_docx, tmp_path / "r.rtf", "rtf")
    assert caught.value.exit_code == 5
    assert "磁盘空间不足" in caught.value.message
    for english in ("hPutBuf", "HasCallStack", "resource exhausted"):
        assert english not in caught.value.format_message()


def test_pandoc_error_text_never_reaches_the_user(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConversionError) as caught:
        _formats.convert(broken, tmp_path / "r.odt", "odt")
    text = caught.value.format_message()
    assert "pandoc 无法把 broken.docx 转换为 ODT" in text
    assert "unpack" not in text and "central directory" not in text
    assert not (tmp_path / "r.odt").exists()
