"""PDF bombs (issue 20): a few kilobytes that ask for gigabytes are refused in seconds,
in Chinese, by a worker process bounded in memory and time; the caller never runs the
PDF parser itself, and the worker leaves nothing behind, not even when its parent dies."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pdf_support import inflating_stream, lzw_stream, nested_xobjects, text_page

from govreport.errors import InputError
from govreport.importing.readers.pdf_budget import MAX_STREAM_BYTES
from govreport.importing.readers.pdf_process import POOL, Limits, read_in_worker

CAP = 1536 * 2**20  # the memory the whole command may use in these tests


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def govreport(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``govreport …`` in a process of its own, under ``CAP``, its temporary folder in ``cwd``."""
    tmp = cwd / "tmp"
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "govreport", *map(str, arguments)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_capped,
        env={**os.environ, "TMPDIR": str(tmp)},
    )


BOMBS = {
    "nested-5": lambda path: nested_xobjects(path, depth=5),
    "nested-6": lambda path: nested_xobjects(path, depth=6),
    "inflating": inflating_stream,
}


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_a_pdf_bomb_is_refused_quickly_in_chinese(tmp_path, bomb):
    source = BOMBS[bomb](tmp_path / "report.pdf")
    assert source.stat().st_size < 1_100_000
    run = govreport("import", source, "-o", tmp_path / "facts.yaml", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "PDF" in run.stderr and ("过于复杂" in run.stderr or "解压后超过" in run.stderr)
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    assert not (tmp_path / "facts.yaml").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_audit_reads_pdfs_through_the_same_bounded_reader(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    nested_xobjects(folder / "nested.pdf", depth=6)
    inflating_stream(folder / "inflating.pdf", inflated=2**28)
    run = govreport("audit", folder, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    output = run.stdout + run.stderr
    assert "无法读取" in output and "2 个文件无法读取" in output
    assert "过于复杂" in output and "解压后超过" in output
    assert "Traceback" not in output


def test_an_lzw_stream_is_inflated_no_further_than_the_budget(tmp_path):
    source = lzw_stream(tmp_path / "lzw.pdf", inflated=MAX_STREAM_BYTES + 2**20)
    assert source.stat().st_size < 20_000
    with pytest.raises(InputError) as caught:
        read_in_worker(source)
    assert "解压后超过" in caught.value.message


def _drawn_many_times(path: Path) -> Path:
    """Within every budget, but slow: 30 pages, each drawing 2,401 small forms."""
    return nested_xobjects(path, depth=4, fan_out=7, pages=30)


def test_a_pdf_that_takes_too_long_is_stopped_at_the_deadline(tmp_path):
    slow = _drawn_many_times(tmp_path / "slow.pdf")
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_in_worker(slow, Limits(seconds=2))
    assert "无法在 2 秒内读完" in caught.value.message
    assert time.monotonic() - started < 30


def test_a_pdf_that_needs_more_memory_than_allowed_is_refused(tmp_path):
    # 32 MB is less than Python and pdfplumber take before the file is opened: the
    # worker can read nothing that needs memory of its own (10,000 glyphs do)
    source = nested_xobjects(tmp_path / "ten-thousand.pdf", depth=3, fan_out=10)
    with pytest.raises(InputError) as caught:
        read_in_worker(source, Limits(memory=32 * 2**20))
    assert "内存超过上限" in caught.value.message and "32 MB" in caught.value.message


def test_a_text_layer_of_private_use_characters_is_said_to_be_unreadable(tmp_path):
    garbage = {code: 0xE000 + code for code in range(32, 127)}
    source = text_page(tmp_path / "garbage.pdf", [b"ABCDEFGHIJ 2023"] * 20, garbage)
    run = govreport("import", source, "-o", tmp_path / "facts.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert "文字层无法识别" in run.stderr and "私用区" in run.stderr and "OCR" in run.stderr
    assert "损坏" not in run.stderr and "加密" not in run.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="父进程退出信号只在 Linux 上")
def test_the_worker_dies_with_its_parent(tmp_path):
    slow = _drawn_many_times(tmp_path / "slow.pdf")
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; "
            "from govreport.importing.readers.pdf_process import read_in_worker; "
            "read_in_worker(Path(sys.argv[1]))",
            str(slow),
        ]
    )
    try:
        worker = _child_of(parent.pid)
        parent.kill()
        parent.wait()
        assert _ends(worker), "the PDF worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _child_of(pid: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("no worker started")


def _ends(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":  # dead, waiting for init to reap it
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return False


def test_a_worker_is_kept_for_the_next_file_and_a_failed_one_is_replaced(tmp_path):
    good = text_page(tmp_path / "good.pdf", [b"2023"] * 3)
    first = read_in_worker(good)
    kept = [worker.process.pid for worker in POOL.idle]
    assert read_in_worker(good) == first
    assert [worker.process.pid for worker in POOL.idle] == kept  # the same process read it
    with pytest.raises(InputError):
        read_in_worker(nested_xobjects(tmp_path / "bomb.pdf", depth=6))
    with pytest.raises(InputError):
        read_in_worker(_drawn_many_times(tmp_path / "slow.pdf"), Limits(seconds=1))
    assert read_in_worker(good) == first
    POOL.close()
    assert POOL.idle == []


def test_a_worker_started_from_a_thread_outlives_the_thread(tmp_path):
    """The editor reads uploads in its thread pool, whose threads end while the worker is
    kept: the worker must not die with the thread that started it."""
    import threading

    POOL.close()
    good = text_page(tmp_path / "good.pdf", [b"2023"] * 3)
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(read_in_worker(good)))
    thread.start()
    thread.join()
    kept = [worker.process.pid for worker in POOL.idle]
    time.sleep(1.5)  # time for a parent-death signal to land, were one armed
    assert kept and all(worker.alive() for worker in POOL.idle)
    assert read_in_worker(good) == answers[0]
    assert [worker.process.pid for worker in POOL.idle] == kept
    POOL.close()


_BIG_PARENT = """
import sys
from pathlib import Path
from govreport.importing.readers.pdf_process import POOL, read_in_worker
ballast = bytearray(400 * 2**20)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
read_in_worker(Path(sys.argv[1]))
first = [w.process.pid for w in POOL.idle]
read_in_worker(Path(sys.argv[1]))
print(first, [w.process.pid for w in POOL.idle])
"""


def test_a_large_editor_still_keeps_its_worker(tmp_path):
    """A worker inherits its starter's peak memory figure (``ru_maxrss`` survives exec on
    Linux): a large editor's workers must still be judged by their own size, and kept."""
    good = text_page(tmp_path / "good.pdf", [b"2023"] * 3)
    done = subprocess.run(
        [sys.executable, "-c", _BIG_PARENT, str(good)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.split("] [")
    assert first.strip("[] \n") and first.strip("[] \n") == second.strip("[] \n")


def _kept_after_reading(path: Path) -> list[int]:
    read_in_worker(path)
    return [worker.process.pid for worker in POOL.idle]


def test_a_forked_process_never_shares_its_parents_worker(tmp_path):
    good = text_page(tmp_path / "good.pdf", [b"2023"] * 3)
    first = read_in_worker(good)
    kept = [worker.process.pid for worker in POOL.idle]
    with multiprocessing.get_context("fork").Pool(1) as pool:  # as the audit's pool forks
        theirs = pool.apply(_kept_after_reading, (good,))
    assert theirs and not set(theirs) & set(kept)
    assert read_in_worker(good) == first
    assert [worker.process.pid for worker in POOL.idle] == kept


def _resident_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="需要 /proc")
def test_a_bomb_uploaded_to_the_editor_is_refused_and_the_editor_does_not_grow(tmp_path):
    from editor_support import editor_client
    from tests_support import office_folder

    client = editor_client(office_folder(tmp_path))
    bomb = nested_xobjects(tmp_path / "bomb.pdf", depth=6).read_bytes()
    before = _resident_mib()
    response = client.post(
        "/api/start", files={"report": ("上年报告.pdf", bomb, "application/pdf")}
    )
    assert 400 <= response.status_code < 500
    assert "过于复杂" in response.json()["error"]
    assert _resident_mib() - before < 100  # the PDF was read, and refused, in a worker


def test_memory_running_out_inside_pdfminer_is_said_as_memory_not_damage():
    """pdfplumber wraps whatever pdfminer raised in its own exception, a MemoryError at
    the worker's cap included: that is the cap (said as such), not a damaged file."""
    from pdfplumber.utils.exceptions import PdfminerException

    from govreport.importing.readers.pdf import _out_of_memory

    assert _out_of_memory(PdfminerException(MemoryError()))
    try:
        try:
            raise MemoryError
        except MemoryError as inner:
            raise ValueError("bad stream") from inner
    except ValueError as outer:
        assert _out_of_memory(outer)
    assert not _out_of_memory(PdfminerException(ValueError("bad xref")))
