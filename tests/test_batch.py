"""Batch check and render: many files, bad ones among good ones, interruption, same output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from govreport import render
from govreport.batch.discovery import find_facts
from govreport.batch.runner import render_many
from govreport.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = ["busy-2023.yaml", "dingcheng-gongxin-2023.yaml", "taierzhuang-keji-2022.yaml"]


def document_text(path: Path) -> list[str]:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return [p.text for p in doc.paragraphs] + cells


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Three good facts files, one with a broken 勾稽关系, one that is not YAML, in subfolders."""
    folder = tmp_path / "facts"
    (folder / "county").mkdir(parents=True)
    for name in GOOD[:2]:
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(EXAMPLES / GOOD[2], folder / "county" / GOOD[2])
    text = (EXAMPLES / "busy-2023.yaml").read_text(encoding="utf-8")
    assert "published: 2024-01-20" in text
    broken = text.replace("published: 2024-01-20", "published: 2023-06-01")  # D1: before year end
    (folder / "county" / "broken.yaml").write_text(broken, encoding="utf-8")
    (folder / "unreadable.yaml").write_text("agency: [unclosed\n", encoding="utf-8")
    return folder


def test_find_facts_is_recursive_and_skips_template_sets(mixed: Path) -> None:
    template_set = mixed / "my-set"
    template_set.mkdir()
    (template_set / "set.yaml").write_text("name: x\nextends: national\n", encoding="utf-8")
    found = {p.relative_to(mixed).as_posix() for p in find_facts([mixed])}
    assert found == {
        "busy-2023.yaml",
        "dingcheng-gongxin-2023.yaml",
        "county/taierzhuang-keji-2022.yaml",
        "county/broken.yaml",
        "unreadable.yaml",
    }


def test_render_many_reports_bad_files_and_renders_good_ones(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen = []
    results = render_many(find_facts([mixed]), out, jobs=2, on_result=seen.append)
    by_name = {r.source.name: r for r in results}
    assert len(seen) == len(results) == 5
    assert not by_name["broken.yaml"].ok
    assert "D1" in {p.code for p in by_name["broken.yaml"].errors}
    assert not by_name["unreadable.yaml"].ok
    assert "YAML" in by_name["unreadable.yaml"].failure
    for name in GOOD:
        assert by_name[name].ok, by_name[name].failure
    produced = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert produced == {
        "busy-2023.docx",
        "dingcheng-gongxin-2023.docx",
        "county/taierzhuang-keji-2022.docx",
    }


def test_batch_output_identical_to_one_at_a_time(tmp_path: Path) -> None:
    files = [EXAMPLES / name for name in GOOD]
    results = render_many(files, tmp_path / "batch", jobs=2)
    for result in results:
        single = render(result.source, tmp_path / "single" / result.source.stem).outputs["docx"]
        assert document_text(result.outputs["docx"]) == document_text(single)
        assert result.outputs["docx"].read_bytes() == single.read_bytes()


def test_interrupt_leaves_no_partial_files(tmp_path: Path) -> None:
    files = [EXAMPLES / name for name in GOOD] * 1
    out = tmp_path / "out"
    calls = []

    def interrupt(result) -> None:
        calls.append(result)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_many(files, out, jobs=2, on_result=interrupt)
    leftovers = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert all(p.suffix == ".docx" and not p.name.startswith(".") for p in leftovers)
    for path in leftovers:  # whatever was finished is whole
        assert Document(str(path)).tables
    assert len(calls) == 1


def test_interrupt_in_one_process_run(tmp_path: Path) -> None:
    files = [EXAMPLES / name for name in GOOD]
    out = tmp_path / "out"

    def interrupt(result) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_many(files, out, jobs=1, on_result=interrupt)
    assert [p.name for p in out.rglob("*") if p.is_file()] == ["busy-2023.docx"]


def test_cli_render_folder_exit_1_with_summary(mixed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(mixed), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "共 5 个文件，3 个成功（其中 2 个有警告），2 个失败" in result.output
    assert "broken.yaml" in result.output


def test_cli_render_folder_needs_out(mixed: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(mixed)])
    assert result.exit_code == 1
    assert "--out" in result.output


def test_cli_check_folder(mixed: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(mixed), "--format", "json", "-j", "1"])
    assert result.exit_code == 2  # one file could not be read at all
    reports = {Path(r["file"]).name: r for r in json.loads(result.stdout)}
    assert reports["broken.yaml"]["errors"] >= 1
    assert reports["unreadable.yaml"]["readable"] is False
    assert reports["busy-2023.yaml"]["ok"] is True


def test_cli_check_folder_of_good_files_passes(tmp_path: Path) -> None:
    for name in GOOD:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "共 3 个文件，3 个成功（其中 2 个有警告），0 个失败" in result.output


def test_plain_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    for name in GOOD[:2]:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    completed = subprocess.run(
        [sys.executable, "-m", "govreport", "render", str(tmp_path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "[1/2]" in completed.stderr and "[2/2]" in completed.stderr


def test_large_batch_summary_lists_only_failures(tmp_path: Path) -> None:
    from govreport.batch.runner import FileResult
    from govreport.cli.batch import ALL_ROWS_UP_TO, _summary

    results = [FileResult(tmp_path / f"ok-{i}.yaml") for i in range(ALL_ROWS_UP_TO + 5)]
    results.append(FileResult(tmp_path / "bad.yaml", failure="文件为空"))
    table = _summary(results, rendered=False)
    assert table.row_count == 1
    assert (
        table.caption
        == "共 36 个文件，35 个成功（其中 0 个有警告），1 个失败；表中只列出失败的文件"
    )


@pytest.mark.pdf
def test_pdf_only_batch_writes_only_pdfs(tmp_path: Path, pdf_tools) -> None:
    files = [EXAMPLES / name for name in GOOD[:2]]
    out = tmp_path / "out"
    results = render_many(files, out, to="pdf", jobs=2)
    assert all(r.ok for r in results), [r.failure for r in results]
    assert sorted(p.name for p in out.iterdir()) == ["busy-2023.pdf", "dingcheng-gongxin-2023.pdf"]
    assert [list(r.outputs) for r in results] == [["pdf"], ["pdf"]]
    text = subprocess.run(
        ["pdftotext", str(out / "busy-2023.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = "".join(text.split())  # pdftotext spaces out digits among Chinese characters
    assert "某市自然资源和规划局2023年政府信息公开工作年度报告" in text
    assert "560" in text  # 本年新收 总计
