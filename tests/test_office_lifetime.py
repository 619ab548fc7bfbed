"""Nothing of LibreOffice outlives govreport, and nothing of it lands in the user's folders.

A govreport killed (``kill -9``, SIGHUP) takes its LibreOffices along; SIGTERM and
Ctrl+C end a batch cleanly; the work folders a killed run leaves are removed by the
next; a LibreOffice killed mid-batch costs no PDF and leaves no ``.~lock`` file;
a relative ``TMPDIR`` works; failures are said in Chinese and name the user's file.
Processes are real and found in ``/proc`` (no psutil). Every test here, and every
test of ``test_office``, runs with the temporary folder pointed at a folder of the
module, which must hold no ``govreport-*`` folder and no running process at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from govreport import render
from govreport.batch.runner import render_many
from govreport.files.lifetime import STALE_AFTER_SECONDS
from govreport.pdf import office as _office
from govreport.pdf import office_converter as _converter
from govreport.pdf.office_converter import OfficeConverter
from govreport.pdf.office_process import LibreOfficeError, kill_tree, spawn_office
from govreport.pdf.soffice import SOFFICE_ENV, docx_to_pdf
from govreport.pdf.uno_finder import uno_python

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = ["busy-2023", "dingcheng-gongxin-2023", "taierzhuang-keji-2022", "taishan-gongxin-2023"]
ON_LIBREOFFICE = {"pdf_engine": "libreoffice"}  # render_many's PDF options

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="进程从 /proc 中查找，只在 Linux 上测试"
)


# --------------------------------------------------------------------------- processes


def _stat(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name: state, ppid, pgid, …"""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _pids() -> Iterator[int]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            yield int(entry.name)


def _living(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"
    except (OSError, IndexError):
        return False


def mentioning(folder: Path) -> dict[int, str]:
    """Living processes whose command line or environment names ``folder``: LibreOffice, its
    guard and its bridge started with their work folder there (their ``TMPDIR`` is in it)."""
    needle = str(folder).encode()
    found = {}
    for pid in _pids():
        with contextlib.suppress(OSError):
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            named = needle in cmdline or needle in Path(f"/proc/{pid}/environ").read_bytes()
            if named and _living(pid):
                found[pid] = cmdline.replace(b"\0", b" ").decode(errors="replace")[:160]
    return found


def in_group(pgid: int) -> set[int]:
    """Living processes of process group ``pgid``."""
    found = set()
    for pid in _pids():
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(_stat(pid)[2]) == pgid and _living(pid):
                found.add(pid)
    return found


def soffice_bins(folder: Path) -> list[int]:
    """The ``soffice.bin`` processes working in ``folder``: LibreOffice itself."""
    return [pid for pid in mentioning(folder) if _command_name(pid) == "soffice.bin"]


def _command_name(pid: int) -> str:
    """What process ``pid`` is called; nothing once it has ended (it may end at any time)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def wait_for(predicate: Callable[[], object], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def our_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("govreport-"))


@contextlib.contextmanager
def nothing_left_behind(folder: Path) -> Iterator[Path]:
    """Run with the temporary folder at ``folder``; then check that no LibreOffice (nor its
    guard or bridge) started there still runs and that no work folder is left in it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(folder))
        try:
            yield folder
        finally:
            _office._close_shared()  # the process's own LibreOffice ends at exit; now, here
    assert wait_for(lambda: not mentioning(folder), 20), mentioning(folder)
    assert our_folders(folder) == []


@pytest.fixture(scope="module", autouse=True)
def _contained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with nothing_left_behind(tmp_path_factory.mktemp("office-tmp")) as folder:
        yield folder


def started_by_us(pid: int) -> tuple[dict[int, str], list[str]]:
    """What process ``pid`` started and left: living processes working in its LibreOffice
    work folders (``govreport-office-<pid>-…``), and those folders."""
    marks = [f"govreport-office-{pid}-", f"govreport-soffice-{pid}-"]
    processes = {}
    for other in _pids():
        with contextlib.suppress(OSError):
            seen = Path(f"/proc/{other}/cmdline").read_bytes()
            seen += Path(f"/proc/{other}/environ").read_bytes()
            if any(mark.encode() in seen for mark in marks) and _living(other):
                processes[other] = seen.split(b"\0", 1)[0].decode(errors="replace")
    pattern = re.compile(rf"^govreport-(office|soffice)-{pid}-")
    folders = [p.name for p in Path(tempfile.gettempdir()).iterdir() if pattern.match(p.name)]
    return processes, sorted(folders)


@pytest.fixture(scope="session", autouse=True)
def _nothing_left_by_the_whole_run() -> Iterator[None]:
    """At the end of the whole test run (this module's tests in it), every LibreOffice any
    test started has ended and every work folder is gone, wherever the tests left them."""
    yield
    _office._close_shared()  # the process's own LibreOffice would end only at exit
    assert wait_for(lambda: not started_by_us(os.getpid())[0], 20), started_by_us(os.getpid())
    assert started_by_us(os.getpid())[1] == []


#: Words a Chinese message may hold: programs, formats, settings.
_NAMES = re.compile(r"LibreOffice|PDF|Word|WPS|soffice|headless|convert-to|GOVREPORT_\w+|TMPDIR")


def english(message: str, *names: str) -> list[str]:
    """English words in a message meant for the user, beyond program names and ``names``."""
    for name in names:
        message = message.replace(name, "")
    return re.findall(r"[A-Za-z]{3,}", _NAMES.sub("", message))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("word")
    return render(EXAMPLES / "busy-2023.yaml", folder / "busy-2023.docx").outputs["docx"]


def _facts(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        Path(shutil.copy(EXAMPLES / f"{NAMES[n % 4]}.yaml", folder / f"{NAMES[n % 4]}-{n}.yaml"))
        for n in range(count)
    ]


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


# --------------------------------------------------------------------------- the guard


_SPAWN = """
import os, subprocess, sys, time
from govreport.pdf.office_process import spawn_office
proc = spawn_office(["/bin/sh", "-c", "sleep 300 & exec sleep 301"], dict(os.environ),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(proc.pid, flush=True)
time.sleep(300)
"""


def test_a_killed_govreport_takes_libreoffices_whole_group_along() -> None:
    """Like oosplash and soffice.bin, the group's grandchild too: no parent-death signal
    would reach it (it is cleared on fork), the guard's pipe does."""
    govreport = subprocess.Popen(
        [sys.executable, "-c", _SPAWN], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    try:
        assert govreport.stdout is not None
        group = int(govreport.stdout.readline())
        assert wait_for(lambda: len(in_group(group)) == 3, 20), in_group(group)
        govreport.kill()
        govreport.wait()
        assert wait_for(lambda: not in_group(group), 20), in_group(group)
    finally:
        govreport.kill()
        govreport.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def test_a_libreoffice_started_from_a_thread_outlives_the_thread() -> None:
    """A batch restarts LibreOffice from pool threads that end before it does: a
    parent-death signal would kill it with its thread; the guard does not."""
    started = []
    thread = threading.Thread(
        target=lambda: started.append(
            spawn_office(
                ["/bin/sh", "-c", "exec sleep 300"],
                dict(os.environ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    )
    thread.start()
    thread.join()
    (proc,) = started
    try:
        assert wait_for(lambda: len(in_group(proc.pid)) == 2, 20)
        time.sleep(1)
        assert proc.poll() is None and len(in_group(proc.pid)) == 2
    finally:
        kill_tree(proc)
    assert wait_for(lambda: not in_group(proc.pid), 20)


def test_a_hung_plain_libreoffice_is_killed_whole_and_the_facts_file_named(
    word_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > '{tmp_path / 'helper'}'\nsleep 301\n")
    fake.chmod(0o755)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(LibreOfficeError) as caught:
        docx_to_pdf(word_file, out / "报告.pdf", timeout=1, name="某某局2023.yaml")
    said = caught.value.format_message()
    assert "1 秒内未完成 某某局2023.yaml 的 PDF 转换" in said
    assert not english(said, "某某局2023.yaml") and ".docx" not in said
    helper = int((tmp_path / "helper").read_text())  # what the hung LibreOffice started
    assert wait_for(lambda: not _living(helper), 20)
    assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- killed batches


@contextlib.contextmanager
def pdf_batch(tmp_path: Path, count: int = 24) -> Iterator[tuple[subprocess.Popen, Path, Path]]:
    """``govreport render`` of a folder to PDF on two LibreOffices, once its first PDF is
    written; with its temporary folder and its output folder."""
    _facts(tmp_path / "in", count)
    work, out = tmp_path / "tmp", tmp_path / "out"
    work.mkdir()
    command = [sys.executable, "-m", "govreport", "render", str(tmp_path / "in"), "--to", "pdf"]
    command += ["--pdf-engine", "libreoffice", "--out", str(out), "-j", "2"]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "TMPDIR": str(work)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert wait_for(lambda: out.is_dir() and any(out.glob("*.pdf")), 120), "no PDF written"
        assert soffice_bins(work) and proc.poll() is None  # LibreOffice at work, mid-batch
        yield proc, work, out
    finally:
        proc.kill()
        proc.wait()
        with contextlib.suppress(OSError):
            proc.stderr.close()


@pytest.mark.pdf
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_a_killed_batch_leaves_no_libreoffice_and_the_next_run_cleans_up(
    office, tmp_path: Path, signum: int
) -> None:
    with pdf_batch(tmp_path) as (proc, work, out):
        proc.send_signal(signum)
        proc.wait(timeout=30)
        assert wait_for(lambda: not mentioning(work), 20), mentioning(work)
        left = [work / name for name in our_folders(work)]
    if signum != signal.SIGKILL:
        return  # what SIGHUP leaves (if anything) is what SIGKILL leaves: removed as below
    assert any("govreport-office-" in p.name for p in left)  # nothing can clean up after a kill
    old = time.time() - STALE_AFTER_SECONDS - 5
    for folder in left:
        os.utime(folder, (old, old))
    again = tmp_path / "again"
    _facts(again, 1)
    done = subprocess.run(
        [sys.executable, "-m", "govreport", "render", str(again), "--out", str(tmp_path / "o2")],
        env={**os.environ, "TMPDIR": str(work)},
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert our_folders(work) == []
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.pdf
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_sigterm_and_ctrl_c_end_a_pdf_batch_cleanly(office, tmp_path: Path, signum: int) -> None:
    with pdf_batch(tmp_path) as (proc, work, out):
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == 130
        assert wait_for(lambda: not mentioning(work), 20), mentioning(work)
        assert our_folders(work) == []
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
        said = proc.stderr.read().decode()
        assert "Traceback" not in said and "已中断" in said


def test_the_next_conversion_removes_what_a_killed_run_left(
    pdf_tools, word_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    dead = _dead_pid()
    stale = [root / f"govreport-office-{dead}-k1ll3d00", root / f"govreport-soffice-{dead}-k1ll3d"]
    for folder in stale:
        (folder / "profile" / "user").mkdir(parents=True)
        (folder / "soffice.log").write_text("…")
    fresh = root / f"govreport-office-{dead}-ju5tn0w0"  # its owner may have just died: kept
    living = root / f"govreport-office-{os.getppid()}-l1v1ng00"  # its owner runs: kept
    elsewhere = tmp_path / "elsewhere"
    for folder in (fresh, living, elsewhere):
        folder.mkdir()
    (elsewhere / "keep.txt").write_text("not ours")
    link = root / f"govreport-office-{dead}-l1nk0000"  # a link is never followed
    link.symlink_to(elsewhere)
    old = time.time() - STALE_AFTER_SECONDS - 5
    for path in (*stale, living, link):
        os.utime(path, (old, old), follow_symlinks=False)
    docx_to_pdf(word_file, tmp_path / "out" / "报告.pdf")
    assert "一、总体情况" in pdf_tools.text(tmp_path / "out" / "报告.pdf")
    assert not any(folder.exists() for folder in stale)
    assert fresh.is_dir() and living.is_dir() and link.is_symlink()
    assert (elsewhere / "keep.txt").is_file()
    for folder in (fresh, living):
        folder.rmdir()
    link.unlink()
    assert our_folders(root) == []


def _socket(path: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


def test_the_pipe_sockets_of_a_killed_run_are_removed_and_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govreport.pdf import office_process

    root = tmp_path / "tmp"
    root.mkdir()
    # A socket's path must be short (about 100 bytes): not under pytest's long tmp_path.
    short = tempfile.TemporaryDirectory(dir="/tmp", prefix="gr-")
    pipes = Path(short.name)
    monkeypatch.setattr(office_process, "PIPE_FOLDERS", (pipes,))
    try:
        _sweep_pipes(pipes, root)
    finally:
        short.cleanup()


def _sweep_pipes(pipes: Path, root: Path) -> None:
    from govreport.pdf import office_process

    dead, uid = _dead_pid(), os.getuid()
    stale = pipes / f"OSL_PIPE_{uid}_govreport-{dead}-0ld0ld0ld0ld"
    fresh = pipes / f"OSL_PIPE_{uid}_govreport-{dead}-ju5tn0wju5tn"
    living = pipes / f"OSL_PIPE_{uid}_govreport-{os.getppid()}-l1v1ngl1v1ng"
    other = pipes / f"OSL_PIPE_{uid}_SingleOfficeIPC_0123456789abcdef"  # a user's own LibreOffice
    killed = root / f"govreport-office-{dead}-k1ll3d00"  # a killed run's folder …
    (killed / "profile").mkdir(parents=True)
    profile = pipes / f"OSL_PIPE_{uid}_{office_process.profile_pipe(killed / 'profile')}"
    for path in (stale, fresh, living, other, profile):  # … and its profile's pipe
        _socket(path)
    old = time.time() - STALE_AFTER_SECONDS - 5
    for path in (stale, living, other, profile, killed):
        os.utime(path, (old, old), follow_symlinks=False)
    assert office_process.remove_stale_office_folders(root) == [killed, stale]
    assert not killed.exists()
    assert sorted(p.name for p in pipes.iterdir()) == sorted(p.name for p in (fresh, living, other))


@pytest.mark.pdf
def test_a_closed_converter_leaves_no_pipe_socket(
    pdf_tools, word_file: Path, tmp_path: Path
) -> None:
    from govreport.pdf.office_process import profile_pipe

    with OfficeConverter() as converter:
        converter.convert(word_file, tmp_path / "报告.pdf")
        assert converter._work is not None
        pipes = (converter._pipe, profile_pipe(Path(converter._work.name) / "profile"))
        sockets = [
            folder / f"OSL_PIPE_{os.getuid()}_{pipe}"
            for folder in (Path("/tmp"), Path("/var/tmp"))
            for pipe in pipes
        ]
        # LibreOffice listens on both: the converter's pipe, and its profile's, whose
        # name govreport works out to remove it after a kill
        assert sum(path.exists() for path in sockets) == 2, sockets
        converter._kill()  # as a hung LibreOffice is: SIGKILL leaves the sockets behind
    assert "一、总体情况" in pdf_tools.text(tmp_path / "报告.pdf")
    assert not any(path.exists() for path in sockets)


class _SlowConverter:
    """Stands in for a kept LibreOffice: a document takes a second; what happens is logged."""

    log: ClassVar[list[tuple[int, str]]] = []

    def launch(self) -> None:
        self.log.append((id(self), "launch"))

    def start(self) -> None:
        pass

    def convert(self, docx: Path, pdf: Path, *, name: str | None = None) -> None:
        self.log.append((id(self), "begin"))
        time.sleep(1.0)
        pdf.write_bytes(b"%PDF-1.7")
        self.log.append((id(self), "end"))

    def close(self) -> None:
        self.log.append((id(self), "close"))


def test_an_interrupt_while_a_batch_waits_shuts_each_libreoffice_down_after_its_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl+C while the batch waits for its last PDFs: each LibreOffice still converting
    is shut down once its document is done, none left running. An interrupted thread
    ``join`` marks a thread finished while it still runs (CPython 3.11); a batch that
    trusted it shut down only the LibreOffices that were idle and left the busy one to
    be killed with govreport, its work folder behind."""
    from types import SimpleNamespace

    from govreport.batch import pdf_pool

    monkeypatch.setattr(pdf_pool, "OfficeConverter", _SlowConverter)
    monkeypatch.setattr(pdf_pool, "available", lambda: True)
    monkeypatch.setattr(_SlowConverter, "log", [])

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt), pdf_pool.PdfBatch(2) as batch:
            for index in range(4):
                result = SimpleNamespace(outputs={}, failure=None, source=None)
                batch.submit(result, tmp_path / f"{index}.docx", tmp_path / f"{index}.pdf")
            signal.setitimer(signal.ITIMER_REAL, 0.3)  # while both convert their first
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    log = _SlowConverter.log
    converters = {who for who, what in log if what == "launch"}
    assert len(converters) == 2
    for who in converters:
        mine = [what for one, what in log if one == who]
        assert mine == ["launch", "begin", "end", "close"], mine  # closed once done, not before
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["0.pdf", "1.pdf"]


def test_a_killed_process_group_counts_as_running_while_any_thread_runs() -> None:
    """A killed ``soffice.bin`` whose first thread has ended while another finishes a system
    call still writes: its folder must not be removed yet. A zombie with no thread left
    no longer counts."""
    from govreport.pdf.office_process import _group_running

    code = (
        "import ctypes, threading, time\n"
        "threading.Thread(target=time.sleep, args=(1.5,)).start()\n"
        "ctypes.CDLL(None).pthread_exit(None)  # the first thread ends; the other runs on\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        assert wait_for(lambda: _stat(proc.pid)[0] == "Z", 10)  # its first thread is gone
        assert _group_running(proc.pid)
        assert wait_for(lambda: not _group_running(proc.pid), 10)  # then the other ends
        assert _stat(proc.pid)[0] == "Z"  # not reaped yet: a zombie, which does not count
    finally:
        proc.kill()
        proc.wait()
    assert not _group_running(proc.pid)


# --------------------------------------------------------------------------- LibreOffice dies


@pytest.mark.pdf
def test_a_libreoffice_killed_mid_batch_costs_no_pdf_and_leaves_no_lock(
    office, tmp_path: Path, _contained: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, out = _facts(tmp_path / "in", 20), tmp_path / "out"
    reported: list[str] = []
    killed: list[int] = []

    def kill_libreoffice(result) -> None:
        reported.append(result.source.name)
        if len(reported) in (3, 9):  # the other LibreOffice is in the middle of a document
            for pid in soffice_bins(_contained):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    results = render_many(
        files, out, to="pdf", pdf=ON_LIBREOFFICE, jobs=2, on_result=kill_libreoffice
    )
    assert len(killed) >= 3
    assert [r.failure for r in results] == [None] * 20
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{f.stem}.pdf" for f in files)
    for result in results[::7]:
        assert "一、总体情况" in office.text(result.outputs["pdf"])
    said = capsys.readouterr()
    assert not re.search(r"Exception|\.cxx|Traceback", said.out + said.err)  # no UNO trace


def test_a_libreoffice_that_dies_twice_is_said_in_chinese(
    word_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = "DisposedException: Binary URP bridge disposed during call at bridge.cxx:615"

    def crash(*args: object) -> None:
        raise _converter._Crashed(trace)

    monkeypatch.setattr(OfficeConverter, "_convert", crash)
    monkeypatch.setattr(OfficeConverter, "_kill", lambda self: None)
    with pytest.raises(LibreOfficeError) as caught:
        OfficeConverter().convert(word_file, tmp_path / "a.pdf", name="泰山区工信局2023.yaml")
    said = caught.value.format_message()
    assert "泰山区工信局2023.yaml" in said and "两次意外退出" in said
    assert not english(said, "泰山区工信局2023.yaml") and caught.value.detail == trace
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize("stage", ["open", "store", "elsewhere"])
def test_what_libreoffice_refused_is_said_in_chinese(stage: str) -> None:
    trace = "com.sun.star.task.ErrorCodeIOException: SfxBaseModel::impl_store failed: 0x81a"
    trace += "(Error Area:Io Class:Parameter Code:26) at sfx2/source/doc/sfxbasemodel.cxx:3207"
    error = _converter._refusal({"ok": False, "stage": stage, "error": trace}, "某局.yaml")
    said = error.format_message()
    assert "某局.yaml" in said and not english(said, "某局.yaml"), said
    assert error.detail == trace


# --------------------------------------------------------------------------- paths


@pytest.mark.pdf
@pytest.mark.parametrize("kept", [True, False], ids=["kept", "plain"])
def test_a_relative_tmpdir_still_prints(
    pdf_tools, word_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    if kept and uno_python() is None:
        pytest.skip("未找到带 uno 模块的 Python")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", "tmp")  # what LibreOffice and its bridge inherit
    monkeypatch.setattr(tempfile, "tempdir", None)  # and govreport's own temporary folders
    target = tmp_path / "out" / "报告.pdf"
    if kept:
        with OfficeConverter() as converter:
            converter.convert(word_file, target)
    else:
        docx_to_pdf(word_file, target)
    assert "一、总体情况" in pdf_tools.text(target)
    assert our_folders(tmp_path / "tmp") == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["报告.pdf"]
