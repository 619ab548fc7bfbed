"""Batches over hostile folders, killed batches, output files, aggregate and pandoc.

Processes are real: the SIGTERM/SIGKILL tests start ``python -m govreport`` and
look for its workers in ``/proc`` (no psutil); the disk-full test lets the real
pandoc write to ``/dev/full``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from test_templates import make_set

import govreport.batch.runner as runner
import govreport.checks as checks
import govreport.rendering.report as rendering
from govreport.batch.discovery import find_facts
from govreport.batch.runner import check_many, render_many
from govreport.cli.main import main
from govreport.errors import ConversionError
from govreport.files.lifetime import STALE_AFTER_SECONDS
from govreport.pdf import soffice as _soffice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "busy-2023.yaml"
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs /proc and POSIX signals")


def facts_text(name: str = "某某局") -> str:
    return f"agency:\n  name: {name}\nyear: 2023\npublished: 2024-01-20\n"


def write_facts(folder: Path, count: int, prefix: str = "f") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"{prefix}{n:02d}.yaml"
        path.write_text(facts_text(f"某某局{n}"), encoding="utf-8")
        files.append(path)
    return files


# --------------------------------------------------------------------------- folders


def test_link_loops_end_and_every_file_is_read_once(tmp_path: Path) -> None:
    top = tmp_path / "facts"
    write_facts(top / "a", 2)
    (top / "a" / "loop").symlink_to(top, target_is_directory=True)
    (top / "a" / "self").symlink_to(top / "a", target_is_directory=True)
    (top / "same.yaml").symlink_to(top / "a" / "f00.yaml")
    os.link(top / "a" / "f01.yaml", top / "hard.yaml")
    found = find_facts([top, top / "a" / "f00.yaml"])
    assert sorted(p.name for p in found) == ["f00.yaml", "f01.yaml"]
    done = subprocess.run(
        [sys.executable, "-m", "govreport", "check", str(top), "-j", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "共 2 个文件" in done.stdout


def test_yaml_and_yml_of_one_name_get_two_reports(tmp_path: Path) -> None:
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "report.yaml").write_text(facts_text("甲局"), encoding="utf-8")
    (folder / "report.yml").write_text(facts_text("乙局"), encoding="utf-8")
    (folder / "other.yaml").write_text(facts_text("丙局"), encoding="utf-8")
    results = render_many(sorted(folder.iterdir()), tmp_path / "out", jobs=1)
    outputs = {r.source.name: r.outputs["docx"] for r in results}
    assert outputs["other.yaml"].name == "other.docx"
    assert outputs["report.yaml"] != outputs["report.yml"]
    for source, agency in (("report.yaml", "甲局"), ("report.yml", "乙局")):
        title = Document(str(outputs[source])).paragraphs[0].text
        assert title.startswith(agency), (source, title)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in outputs.values()
    )


def test_summary_names_only_files_on_disk(tmp_path: Path, monkeypatch) -> None:
    """A writer that claims a file it did not write: the summary says so."""
    files = write_facts(tmp_path / "in", 2)
    real = rendering.render  # _batch imports it from _render when it renders

    def forgetful(path, target, **kwargs):
        result = real(path, target, **kwargs)
        if Path(path).name == "f01.yaml":
            result.outputs["docx"].unlink()
        return result

    monkeypatch.setattr(rendering, "render", forgetful)
    results = render_many(files, tmp_path / "out", jobs=1)
    assert results[0].ok and results[0].outputs["docx"].is_file()
    assert not results[1].ok and "找不到输出文件" in results[1].failure
    assert results[1].outputs == {}


# --------------------------------------------------------------------------- one bad file


def _always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked, so they inherit the patched ``check``: once an earlier test of the
    run has used Typst, the runner would spawn them (a fork can't take Typst along), and a
    spawned worker imports the real ``check``. Checking needs no Typst, so forking is safe."""
    monkeypatch.setattr(runner, "_pool_context", lambda: None)


def _buggy(real):
    def check(path, **kwargs):
        if Path(path).name == "f07.yaml":
            raise ZeroDivisionError("模拟的程序错误")
        return real(path, **kwargs)

    return check


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_internal_error_fails_one_file_alone(tmp_path: Path, monkeypatch, jobs: int) -> None:
    files = write_facts(tmp_path / "in", 40)
    monkeypatch.setattr(checks, "check", _buggy(checks.check))  # forked workers inherit it
    _always_fork(monkeypatch)
    results = check_many(files, jobs=jobs)
    failed = [r.source.name for r in results if not r.ok]
    assert failed == ["f07.yaml"]
    assert "内部错误" in results[7].failure and "ZeroDivisionError" in results[7].failure
    assert [r.source for r in results] == files


def _dies_on(name: str, real):
    def check(path, **kwargs):
        if Path(path).name == name:
            os._exit(9)  # a worker killed mid-file (out of memory, a crash in a library)
        return real(path, **kwargs)

    return check


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch) -> None:
    files = write_facts(tmp_path / "in", 40)
    monkeypatch.setattr(checks, "check", _dies_on("f07.yaml", checks.check))
    _always_fork(monkeypatch)
    seen = []
    results = check_many(files, jobs=2, on_result=seen.append)
    assert [r.source.name for r in results if not r.ok] == ["f07.yaml"]
    assert "工作进程意外退出" in results[7].failure
    assert sorted(r.source for r in seen) == sorted(files)  # each reported exactly once


def test_cli_with_j1_keeps_going_and_prints_the_summary(tmp_path: Path, monkeypatch) -> None:
    write_facts(tmp_path / "in", 13)
    monkeypatch.setattr(checks, "check", _buggy(checks.check))
    result = CliRunner().invoke(main, ["check", str(tmp_path / "in"), "-j", "1"])
    assert result.exit_code == 2, result.output
    assert "共 13 个文件，12 个成功" in result.output
    assert "f07.yaml：失败" in result.output and "内部错误" in result.output


# --------------------------------------------------------------------------- the summary


def test_plain_summary_lines_are_not_cut(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_facts(folder, 1)
    long_name = "某某省某某市某某县某某乡镇人民政府办公室政府信息公开工作年度报告事实文件" * 2
    (folder / f"{long_name}.yaml").write_text("agency: [未闭合\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "govreport", "check", str(folder), "-j", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 2
    head = f"{folder / long_name}.yaml：失败（错误 0，警告 0）："
    line = next(x for x in done.stdout.splitlines() if x.startswith(head))
    assert f"{folder / long_name}.yaml（第 2 行第 1 列）：YAML 格式错误" in line
    assert "┃" not in done.stdout and "│" not in done.stdout
    assert "共 2 个文件，1 个成功（其中 1 个有警告），1 个失败" in done.stdout


# --------------------------------------------------------------------------- killed batches


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@contextlib.contextmanager
def slow_batch(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, set[int], Path]]:
    """A render batch whose workers are busy, and those workers."""
    slow = "{% for i in range(2000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}慢。"
    tset = make_set(tmp_path / "slow", texts={"overview/summary.j2": slow})
    write_facts(tmp_path / "in", 12)
    work = tmp_path / "tmp"
    work.mkdir()
    command = [sys.executable, "-m", "govreport", "render", str(tmp_path / "in")]
    command += ["--out", str(tmp_path / "out"), "-j", "2", "--template", str(tset)]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "TMPDIR": str(work)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait(lambda: len(_children(proc.pid)) >= 2), "no workers started"
        assert _wait(lambda: any(work.glob("govreport-batch-*")))
        yield proc, _children(proc.pid), work
    finally:
        proc.kill()
        proc.wait()


@posix_only
def test_sigkill_of_the_main_process_leaves_no_workers(tmp_path: Path) -> None:
    with slow_batch(tmp_path) as (proc, workers, work):
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert _wait(lambda: not any(_alive(pid) for pid in workers), 20), workers
        left = list(work.glob("govreport-batch-*"))
        assert left  # a SIGKILL cannot be cleaned up after: the next run does it
    old = time.time() - STALE_AFTER_SECONDS - 5
    for folder in left:
        os.utime(folder, (old, old))
    done = subprocess.run(
        [sys.executable, "-m", "govreport", "check", str(tmp_path / "in"), "-j", "1"],
        env={**os.environ, "TMPDIR": str(work)},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert not list(work.glob("govreport-batch-*"))


@posix_only
def test_sigterm_stops_like_ctrl_c_and_cleans_up(tmp_path: Path) -> None:
    with slow_batch(tmp_path) as (proc, workers, work):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 130
        assert _wait(lambda: not any(_alive(pid) for pid in workers), 20)
        assert not list(work.glob("govreport-batch-*"))
        assert not list((tmp_path / "out").glob(".*.tmp*"))


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = out / f".f00.{gone.pid}-0123abcd.tmp.docx"
    fresh = out / f".f00.{gone.pid}-4567abcd.tmp.docx"  # dead owner, but just written
    living = out / f".f01.{os.getppid()}-89abcdef.tmp.docx"  # owner alive
    unrelated = out / ".notes.tmp.docx"
    old = time.time() - STALE_AFTER_SECONDS - 5
    for path in (stale, fresh, living, unrelated):
        path.write_bytes(b"partial")
    for path in (stale, living, unrelated):
        os.utime(path, (old, old))
    render_many(write_facts(tmp_path / "in", 1), out, jobs=1)
    assert not stale.exists()
    assert fresh.exists() and living.exists() and unrelated.exists()
    assert (out / "f00.docx").is_file()


# --------------------------------------------------------------------------- aggregate


def test_aggregate_leaves_out_the_parents_own_file(tmp_path: Path) -> None:
    folder = tmp_path / "departments"
    folder.mkdir()
    for name, licensing in (("甲县教育局", 40), ("甲县民政局", 7), ("甲县人民政府", 47)):
        data = yaml.safe_load(facts_text(name))
        data["proactive"] = {"licensing": licensing}
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    output = tmp_path / "sum.yaml"
    args = ["aggregate", str(folder), "-o", str(output), "--name", "甲县人民政府"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "甲县人民政府.yaml 是“甲县人民政府”本身的事实文件，不计入" in result.output
    summed = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert summed["proactive"]["licensing"] == 47
    assert "已汇总 2 个单位" in result.output


def test_aggregate_output_inside_the_folder_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "departments"
    write_facts(folder, 2)
    output = folder / "sum.yaml"
    output.write_text(facts_text("旧汇总"), encoding="utf-8")
    args = ["aggregate", str(folder), "-o", str(output), "--name", "县政府", "--force"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "sum.yaml 是汇总结果本身" in result.output and "已汇总 2 个单位" in result.output


# --------------------------------------------------------------------------- environment
# (pandoc's failures are in test_pandoc_extra.py, beside the other ODT/RTF paths)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "abc", "0", "1e9"])
def test_bad_pdf_timeout_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch, value: str
) -> None:
    monkeypatch.setenv(_soffice.TIMEOUT_ENV, value)
    with pytest.raises(ConversionError, match=_soffice.TIMEOUT_ENV):
        _soffice.pdf_timeout()
    command = ["render", str(EXAMPLE), "--to", "docx,pdf", "-o", str(tmp_path / "r.docx")]
    result = CliRunner().invoke(main, [*command, "--pdf-engine", "libreoffice"])
    assert result.exit_code == 4
    assert f"“{value}”无效" in result.output
    assert list(tmp_path.iterdir()) == []


def test_good_pdf_timeout_is_used(monkeypatch) -> None:
    monkeypatch.setenv(_soffice.TIMEOUT_ENV, " 300 ")
    assert _soffice.pdf_timeout() == 300
    monkeypatch.delenv(_soffice.TIMEOUT_ENV)
    assert _soffice.pdf_timeout() == _soffice.PDF_TIMEOUT_DEFAULT
