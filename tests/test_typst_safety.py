"""The Typst PDF is safe: facts are data, a shared set's ``report.typ`` is bounded.

Hostile texts in the facts (Typst syntax, a ``#read`` of the machine's files, an
``#import`` of a package, a ``#while`` loop, a stray ``]``) must print exactly as
typed. A set's own ``report.typ`` is untrusted code: it reads nothing outside its
folder, downloads nothing, and a loop or a memory hog ends with a Chinese message
(exit 3), leaving no process and no work folder behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from tests_support import EXAMPLES_DIR, clean_facts_dict

import govreport.pdf.typst_engine as engine
from govreport import render
from govreport.cli.main import main
from govreport.errors import TemplateError
from govreport.template_sets.sets import builtin_root

HOSTILE_TEXTS = [
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.0": *',
    "#let x = 1",
    "#while true {}",
    "]",
    "#{ panic() }",
    "$x^2$ *粗* _斜_ `代码` <标签> @引用 // 注释 /* 块 */ \\ ~",
    "= 标题 - 列表 + 编号 / 术语: 说明",
]


def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as document:
        return squeeze("".join(page.extract_text() or "" for page in document.pages))


def hostile_facts() -> dict:
    data = clean_facts_dict()
    data["agency"]["name"] = '某局]#read("/etc/passwd")'
    data["agency"]["contact"] = {"phone": '#import "x.typ"', "department": "#let y = ]"}
    data["overview"]["summary"] = "\n".join(HOSTILE_TEXTS)
    data["other_matters"]["other"] = "]" * 40 + '#read("/etc/hostname")'
    return data


def test_hostile_texts_print_literally(tmp_path: Path) -> None:
    result = render(hostile_facts(), tmp_path / "r", to=["pdf"])
    text = pdf_text(result.outputs["pdf"])
    for hostile in HOSTILE_TEXTS:
        assert squeeze(hostile) in text, hostile
    assert squeeze('某局]#read("/etc/passwd")') in text
    assert "]" * 40 + '#read("/etc/hostname")' in text
    assert "root:" not in text  # nothing was read
    assert squeeze('#import "x.typ"') in text and "#lety=]" in text


def test_title_and_author_are_the_reports(tmp_path: Path) -> None:
    result = render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"])
    with pdfplumber.open(result.outputs["pdf"]) as document:
        meta = document.metadata
    assert meta["Title"] == "某市自然资源和规划局2023年政府信息公开工作年度报告"
    assert meta["Author"] == "某市自然资源和规划局"


# --------------------------------------------------------------------------- hostile sets


def hostile_set(tmp_path: Path, typst: str, name: str = "hostile") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "set.yaml").write_text(f"name: {name}\nextends: national\n", encoding="utf-8")
    (folder / "report.typ").write_text(typst, encoding="utf-8")
    return folder


def refused(tmp_path: Path, typst: str, name: str = "hostile") -> str:
    folder = hostile_set(tmp_path, typst, name)
    out = tmp_path / f"out-{name}"
    with pytest.raises(TemplateError) as caught:
        render(EXAMPLES_DIR / "busy-2023.yaml", out / "r", to=["docx", "pdf"], template=folder)
    assert not out.exists()  # nothing written, not even the Word file
    return caught.value.format_message()


@pytest.fixture(autouse=True)
def no_leftovers(tmp_path: Path) -> object:
    """No work folder of the Typst worker is left behind."""
    before = set(Path(tempfile.gettempdir()).glob("govreport-typst-*"))
    yield
    assert set(Path(tempfile.gettempdir()).glob("govreport-typst-*")) <= before


def test_a_set_cannot_read_the_machines_files(tmp_path: Path) -> None:
    message = refused(tmp_path, '#read("/etc/passwd")')
    assert "hostile/report.typ 第 1 行试图读取模板文件夹以外或不存在的文件" in message
    message = refused(tmp_path, '#read("../hostile/set.yaml")', name="parent")
    assert "parent/report.typ 第 1 行试图读取模板文件夹以外" in message
    assert "govreport-typst" not in message  # no temporary path in a message


def test_a_linked_file_in_a_set_is_refused(tmp_path: Path) -> None:
    folder = hostile_set(tmp_path, '#read("secret.txt")')
    (folder / "secret.txt").symlink_to("/etc/passwd")
    with pytest.raises(TemplateError, match="符号链接"):
        render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"], template=folder)


def test_a_set_cannot_download_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    sources = ('#import "@preview/cetz:0.3.0": *', '#import ("@pre" + "view/tablex:0.0.8")')
    for number, source in enumerate(sources):
        assert "不能下载或使用包" in refused(tmp_path, source, name=f"package{number}")
    assert not cache.exists() and not (tmp_path / "data").exists()


def test_an_endless_loop_ends_with_a_chinese_message(tmp_path: Path) -> None:
    message = refused(tmp_path, "#while true {}")
    assert "死循环" in message


def test_a_slow_set_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "TYPST_SECONDS", 2.0)
    loop = "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n"
    message = refused(tmp_path, loop)
    assert "在 2 秒内未完成排版，已停止（可能有死循环）" in message


@pytest.mark.skipif(not engine._can_limit_memory(), reason="RLIMIT_AS: Linux and macOS")
def test_a_memory_hog_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "TYPST_MEMORY_BYTES", 1024**3)
    hog = '#let s = "x" * 10000000\n#let t = range(400).map(i => s + str(i))\n#t.len()\n'
    message = refused(tmp_path, hog)
    assert "排版时占用内存超过 1024 MB，已停止" in message


def test_a_shared_sets_own_template_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A set's own (changed) copy of the national template compiles in the worker."""
    national = (builtin_root() / "national" / "report.typ").read_text(encoding="utf-8")
    folder = hostile_set(tmp_path, national + "\n// 我市的修改\n", name="own")
    calls = []
    real = engine._run_worker
    monkeypatch.setattr(engine, "_run_worker", lambda *a: calls.append(a) or real(*a))
    result = render(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "r", to=["pdf"], template=folder)
    assert "某市自然资源和规划局" in pdf_text(result.outputs["pdf"])
    assert len(calls) == 1


def test_cli_says_it_in_chinese_with_exit_3(tmp_path: Path) -> None:
    folder = hostile_set(tmp_path, "#while true {}")
    facts = shutil.copy(EXAMPLES_DIR / "busy-2023.yaml", tmp_path / "busy.yaml")
    done = CliRunner().invoke(
        main, ["render", str(facts), "--to", "pdf", "--template", str(folder)]
    )
    assert done.exit_code == 3
    assert "Typst 模板 hostile/report.typ 第 1 行有死循环或嵌套过深" in done.output
    assert "Traceback" not in done.output


def test_no_worker_outlives_a_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "TYPST_SECONDS", 1.0)
    refused(tmp_path, "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }")
    workers = subprocess.run(
        ["pgrep", "-f", "govreport.pdf.typst_worker"], capture_output=True, check=False
    )
    own = [int(p) for p in workers.stdout.split() if _child_of_us(int(p))]
    assert own == []


def _child_of_us(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid"))
    return int(parent) == os.getpid()
