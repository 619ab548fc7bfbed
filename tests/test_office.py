"""The LibreOffice kept running (``pdf.office*``, ``pdf.uno_finder``) and batch PDFs (``pdf_pool``).

The persistent path must print the same PDF as a fresh ``soffice --convert-to``;
a LibreOffice that is killed or hangs is replaced and every document is still
accounted for; a batch reports each file as its PDF is written. Nothing of
LibreOffice is left when the module ends (``test_office_lifetime.nothing_left_behind``).
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_office_lifetime import english, nothing_left_behind

from govreport import render
from govreport.batch.pdf_pool import PdfBatch
from govreport.batch.runner import render_many
from govreport.errors import ConversionError
from govreport.pdf import office as _office
from govreport.pdf import office_converter as _converter
from govreport.pdf.office_converter import OfficeConverter, OfficeUnavailable
from govreport.pdf.soffice import TIMEOUT_ENV, docx_to_pdf
from govreport.pdf.uno_finder import PERSISTENT_ENV, UNO_PYTHON_ENV, uno_python

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ["busy-2023", "dingcheng-gongxin-2023", "taierzhuang-keji-2022", "taishan-gongxin-2023"]
#: ``render``'s PDF engine for these tests: they are about LibreOffice, not Typst.
LIBREOFFICE = "libreoffice"
ON_LIBREOFFICE = {"pdf_engine": LIBREOFFICE}  # render_many's PDF options

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(os.name != "posix", reason="进程组与信号只在 POSIX 上测试"),
]


@pytest.fixture(scope="module", autouse=True)
def _contained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No LibreOffice, guard or bridge, and no work folder, is left after these tests."""
    with nothing_left_behind(tmp_path_factory.mktemp("office-tmp")) as folder:
        yield folder


@pytest.fixture(scope="module")
def word_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("word")
    return [
        render(EXAMPLES / f"{name}.yaml", folder / f"{name}.docx").outputs["docx"] for name in NAMES
    ]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_persistent_pdf_has_the_plain_pdfs_text(
    office, word_files: list[Path], tmp_path: Path
) -> None:
    with OfficeConverter() as converter:
        for docx in word_files:
            converter.convert(docx, tmp_path / "uno" / f"{docx.stem}.pdf")
        assert converter.starts == 1  # one LibreOffice for all of them
    for docx in word_files[:2]:  # the plain path costs a LibreOffice start each
        docx_to_pdf(docx, tmp_path / "plain" / f"{docx.stem}.pdf")
        plain = office.text(tmp_path / "plain" / f"{docx.stem}.pdf")
        persistent = office.text(tmp_path / "uno" / f"{docx.stem}.pdf")
        assert persistent == plain
        assert "政府信息公开工作年度报告" in persistent
    assert _leftovers(tmp_path / "uno") == []


def _office_alive(pid: int) -> bool:
    """Whether any process of LibreOffice's group is left (killed ones may take a moment)."""
    for _ in range(100):
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def test_killed_libreoffice_is_restarted(office, word_files: list[Path], tmp_path: Path) -> None:
    with OfficeConverter() as converter:
        converter.start()
        first = converter.office_pid
        assert first is not None
        os.killpg(first, signal.SIGKILL)  # LibreOffice crashes between two documents
        converter.convert(word_files[0], tmp_path / "a.pdf")
        assert converter.starts == 2 and converter.office_pid != first
        converter.convert(word_files[1], tmp_path / "b.pdf")
    assert "一、总体情况" in office.text(tmp_path / "a.pdf")
    assert "一、总体情况" in office.text(tmp_path / "b.pdf")
    assert not _office_alive(first)


def test_hung_libreoffice_times_out_and_is_replaced(
    office, word_files: list[Path], tmp_path: Path
) -> None:
    with OfficeConverter() as converter:
        converter.start()
        hung = converter.office_pid
        assert hung is not None
        os.killpg(hung, signal.SIGSTOP)  # a LibreOffice that never answers
        with pytest.raises(ConversionError, match=r"秒内未完成.*已强行终止"):
            converter.convert(word_files[0], tmp_path / "hung.pdf", timeout=3)
        assert not (tmp_path / "hung.pdf").exists()
        assert _leftovers(tmp_path) == []  # nothing half-written
        assert not _office_alive(hung)
        converter.convert(word_files[0], tmp_path / "after.pdf")
        assert converter.starts == 2
    assert "一、总体情况" in office.text(tmp_path / "after.pdf")


def test_tiny_timeout_fails_that_document_only(
    office, word_files: list[Path], tmp_path: Path
) -> None:
    with OfficeConverter() as converter:
        converter.start()
        with pytest.raises(ConversionError, match="秒内未完成"):
            converter.convert(word_files[0], tmp_path / "slow.pdf", timeout=0.001)
        converter.convert(word_files[1], tmp_path / "next.pdf")
    assert not (tmp_path / "slow.pdf").exists()
    assert "一、总体情况" in office.text(tmp_path / "next.pdf")


def test_restarts_after_max_conversions(office, word_files: list[Path], tmp_path: Path) -> None:
    with OfficeConverter(max_conversions=2) as converter:
        for index, docx in enumerate(word_files[:3]):
            converter.convert(docx, tmp_path / f"{index}.pdf")
        assert converter.starts == 2
    assert all((tmp_path / f"{i}.pdf").stat().st_size > 0 for i in range(3))


def test_broken_document_fails_alone(office, word_files: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with OfficeConverter() as converter:
        with pytest.raises(ConversionError) as caught:
            converter.convert(broken, tmp_path / "坏.pdf", name="坏.yaml")
        said = caught.value.format_message()
        assert "坏.yaml" in said and not english(said, "坏.yaml")  # no UNO trace: Chinese
        converter.convert(word_files[0], tmp_path / "好.pdf")
    assert not (tmp_path / "坏.pdf").exists()
    assert (tmp_path / "好.pdf").stat().st_size > 0


def _batch(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "facts"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(EXAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
    return sorted(folder.glob("*.yaml"))


def test_batch_reports_each_pdf_as_it_is_written(office, tmp_path: Path) -> None:
    files, out = _batch(tmp_path), tmp_path / "out"
    seen: list[tuple[str, int]] = []

    def on_result(result) -> None:
        pdf = result.outputs["pdf"]
        assert pdf.stat().st_size > 0  # reported only once its PDF is complete
        seen.append((result.source.name, len(list(out.glob("*.pdf")))))

    results = render_many(files, out, to="pdf", pdf=ON_LIBREOFFICE, jobs=1, on_result=on_result)
    assert all(r.ok for r in results)
    # one at a time: the first file is reported while the others are still to come
    assert [count for _, count in seen] == [1, 2, 3, 4]
    assert sorted(name for name, _ in seen) == [f.name for f in files]


def test_batch_survives_a_killed_and_a_hung_libreoffice(
    office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every document is accounted for: a kill costs nothing, a hang costs one document."""
    monkeypatch.setenv(TIMEOUT_ENV, "10")
    files, out = _batch(tmp_path), tmp_path / "out"
    batches: list[PdfBatch] = []
    original = PdfBatch.__enter__

    def remember(self):
        batches.append(self)
        return original(self)

    monkeypatch.setattr(PdfBatch, "__enter__", remember)
    reported: list[str] = []

    def on_result(result) -> None:
        reported.append(result.source.name)
        converter = batches[0]._converters.queue[0]  # jobs=1: the one LibreOffice
        if len(reported) == 1:
            os.killpg(converter.office_pid, signal.SIGKILL)
        elif len(reported) == 2:
            os.killpg(converter.office_pid, signal.SIGSTOP)

    results = render_many(files, out, to="pdf", pdf=ON_LIBREOFFICE, jobs=1, on_result=on_result)
    assert sorted(reported) == [f.name for f in files]
    failed = [r for r in results if not r.ok]
    assert len(failed) == 1 and "已强行终止" in (failed[0].failure or "")
    # the message names the user's facts file, never the batch's internal Word file
    assert failed[0].source.name in (failed[0].failure or "")
    assert ".docx" not in (failed[0].failure or "")
    assert not (out / failed[0].source.with_suffix(".pdf").name).exists()
    done = sorted(p.name for p in out.glob("*.pdf"))
    assert done == sorted(r.source.with_suffix(".pdf").name for r in results if r.ok)
    assert len(done) == 3


def test_without_uno_the_plain_path_still_prints(
    pdf_tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(UNO_PYTHON_ENV, str(tmp_path / "no-such-python"))
    uno_python.cache_clear()
    try:
        files, out = _batch(tmp_path), tmp_path / "out"
        reported: list[str] = []
        results = render_many(
            files[:2],
            out,
            to="pdf",
            pdf=ON_LIBREOFFICE,
            jobs=2,
            on_result=lambda r: reported.append(r.source.name),
        )
        assert all(r.ok for r in results) and len(reported) == 2
        assert "一、总体情况" in pdf_tools.text(out / "busy-2023.pdf")
    finally:
        uno_python.cache_clear()


def test_persistent_path_can_be_turned_off(
    pdf_tools, word_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PERSISTENT_ENV, "0")
    before = _office._shared.starts if _office._shared else 0
    result = render(
        EXAMPLES / "busy-2023.yaml", tmp_path / "报告.pdf", to="pdf", pdf_engine=LIBREOFFICE
    )
    assert "一、总体情况" in pdf_tools.text(result.outputs["pdf"])
    assert (_office._shared.starts if _office._shared else 0) == before  # no LibreOffice kept


def test_render_in_a_loop_keeps_one_libreoffice(office, tmp_path: Path) -> None:
    texts = []
    for name in NAMES[:2]:
        result = render(
            EXAMPLES / f"{name}.yaml", tmp_path / f"{name}.pdf", to="pdf", pdf_engine=LIBREOFFICE
        )
        texts.append(office.text(result.outputs["pdf"]))
    converter, _ = _office.shared_converter()
    assert converter.starts == 1 and converter.office_pid is not None
    assert all("一、总体情况" in text for text in texts)


def test_libreoffice_that_will_not_start_falls_back_once(
    pdf_tools, word_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A soffice that exits at once: the kept path gives up after one try, the plain one prints."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(
        f'#!/bin/sh\ncase "$*" in *--accept=*) exit 3;; esac\nexec "{pdf_tools.soffice}" "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("GOVREPORT_SOFFICE", str(fake))
    converter = OfficeConverter(start_timeout=30)
    with pytest.raises(OfficeUnavailable):
        converter.convert(word_files[0], tmp_path / "a.pdf")
    with pytest.raises(OfficeUnavailable):  # remembered: no second start
        converter.convert(word_files[0], tmp_path / "a.pdf")
    assert converter.starts == 1
    batch = PdfBatch(1)
    with batch:
        result = type("R", (), {"outputs": {}, "failure": None})()
        batch.submit(result, word_files[0], tmp_path / "b.pdf")
    assert result.failure is None and "一、总体情况" in pdf_tools.text(result.outputs["pdf"])


def test_two_libreoffices_each_take_documents_only_once_started(
    office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-j 2: no document reaches a LibreOffice still starting (it would take its ready line)."""

    def plain(*args, **kwargs):
        raise AssertionError("a kept LibreOffice failed: the plain path was used")

    monkeypatch.setattr("govreport.batch.pdf_pool.docx_to_pdf_many", plain)
    files, out = _batch(tmp_path), tmp_path / "out"
    for path in list(files):  # each example under a second name: 8 documents
        files.append(shutil.copy(path, path.with_name(f"{path.stem}-2.yaml")))
    results = render_many(files, out, to="pdf", pdf=ON_LIBREOFFICE, jobs=2)
    assert [r.failure for r in results] == [None] * 8
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        f.with_suffix(".pdf").name for f in files
    )


def test_a_batch_on_kept_libreoffices_says_the_font_notice_once(
    office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Missing 公文 fonts are named once per command, on the kept LibreOffice's path too."""
    from govreport.pdf import fonts as _fonts

    missing = _fonts.FontStatus("仿宋_GB2312", "正文", False, "Noto Serif CJK SC")
    monkeypatch.setattr(_fonts, "font_report", lambda: (missing,))
    monkeypatch.setattr(_fonts, "_warned", False)
    results = render_many(
        _batch(tmp_path)[:3], tmp_path / "out", to="pdf", pdf=ON_LIBREOFFICE, jobs=2
    )
    assert all(r.ok for r in results)
    said = capsys.readouterr().err
    assert said.count("本机没有部分公文字体") == 1 and "仿宋_GB2312 → Noto Serif CJK SC" in said


def test_a_pdf_batch_writes_its_word_files_without_worker_processes(
    office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With -j 2 both cores go to LibreOffice: one process writes the Word files (it keeps
    up with eight LibreOffices), instead of two workers each loading docxtpl again."""
    from govreport.batch import runner as batch

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for the Word files of a PDF batch")

    monkeypatch.setattr(batch, "ProcessPoolExecutor", no_pool)
    files = _batch(tmp_path)
    results = render_many(files, tmp_path / "out", to="pdf", pdf=ON_LIBREOFFICE, jobs=2)
    assert all(r.ok for r in results), [r.failure for r in results]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == sorted(
        f.with_suffix(".pdf").name for f in files
    )


# --------------------------------------------------------------------------- the profile seed


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache with no seed yet, whatever earlier tests left in the run's cache."""
    from govreport.pdf.profile import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _seed(cache: Path) -> Path:
    seeds = list(cache.glob("libreoffice-profile-*"))
    assert len(seeds) == 1, seeds
    return seeds[0]


def test_a_second_libreoffice_starts_from_the_first_ones_profile(
    office, word_files: list[Path], tmp_path: Path, own_cache: Path, monkeypatch
) -> None:
    from govreport.pdf import profile as _profile

    with OfficeConverter() as first:
        first.convert(word_files[0], tmp_path / "first.pdf")
    seed = _seed(own_cache)
    assert (seed / "user" / "registrymodifications.xcu").is_file()
    assert not list(seed.rglob(".lock"))
    planted = []
    plant = _profile.plant
    monkeypatch.setattr(_profile, "plant", lambda *a: planted.append(plant(*a)) or planted[-1])
    with OfficeConverter() as second:
        second.convert(word_files[0], tmp_path / "second.pdf")
        assert second.starts == 1
    docx_to_pdf(word_files[0], tmp_path / "plain.pdf")  # the soffice --convert-to path too
    assert planted == [True, True]
    first_text = office.text(tmp_path / "first.pdf")
    assert "政府信息公开工作年度报告" in first_text
    assert office.text(tmp_path / "second.pdf") == first_text == office.text(tmp_path / "plain.pdf")


def test_libreoffice_skips_its_graphics_self_test(
    office, word_files: list[Path], tmp_path: Path, own_cache: Path, monkeypatch
) -> None:
    """A profile without LibreOffice's version makes it run some sixty drawings on 4096-pixel
    canvases before the first document; the log it writes then would be in the seed."""
    from govreport.pdf import profile as _profile

    with OfficeConverter() as converter:
        converter.convert(word_files[0], tmp_path / "kept.pdf")
    seed = _seed(own_cache)
    assert (seed / "user").is_dir()
    assert not list(seed.rglob("GraphicsRenderTests.log"))
    monkeypatch.setenv(_profile.CACHE_ENV, str(tmp_path / "other-cache"))
    docx_to_pdf(word_files[1], tmp_path / "plain.pdf")  # the soffice --convert-to path
    seed = _seed(tmp_path / "other-cache")
    assert (seed / "user").is_dir()
    assert not list(seed.rglob("GraphicsRenderTests.log"))
    assert "一、总体情况" in office.text(tmp_path / "plain.pdf")


def _break(seed: Path) -> None:
    """A profile LibreOffice refuses to start with: its ``user`` folder is a file."""
    shutil.rmtree(seed / "user")
    (seed / "user").write_text("not a profile")


def test_a_seed_libreoffice_cannot_start_from_is_replaced(
    office, word_files: list[Path], tmp_path: Path, own_cache: Path
) -> None:
    with OfficeConverter() as converter:
        converter.convert(word_files[0], tmp_path / "a.pdf")
    _break(_seed(own_cache))
    with OfficeConverter() as converter:
        converter.convert(word_files[1], tmp_path / "b.pdf")
        assert converter.starts == 2  # the seeded start failed; one of its own worked
    assert "一、总体情况" in office.text(tmp_path / "b.pdf")
    assert (_seed(own_cache) / "user").is_dir()  # its clean profile is the new seed
    _break(_seed(own_cache))
    docx_to_pdf(word_files[2], tmp_path / "c.pdf")  # the soffice --convert-to path alike
    assert "一、总体情况" in office.text(tmp_path / "c.pdf")
    assert (_seed(own_cache) / "user").is_dir()


def test_launch_starts_libreoffice_and_start_only_waits(
    office, word_files: list[Path], tmp_path: Path
) -> None:
    """A batch launches its LibreOffices from one thread, then waits for them elsewhere."""
    with OfficeConverter() as converter:
        converter.launch()
        launched = converter.office_pid
        assert launched is not None
        converter.launch()  # launched already: nothing more
        converter.start()
        converter.convert(word_files[0], tmp_path / "a.pdf")
        assert converter.starts == 1 and converter.office_pid == launched
    assert "一、总体情况" in office.text(tmp_path / "a.pdf")
    assert not _office_alive(launched)


def test_launch_without_uno_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_converter, "uno_python", lambda: None)  # where launch reads it
    converter = OfficeConverter()
    with pytest.raises(OfficeUnavailable, match="uno"):
        converter.launch()
    with pytest.raises(OfficeUnavailable, match="uno"):
        converter.start()  # the same answer, without trying again


def test_one_pdf_starts_libreoffice_before_its_word_file_and_not_for_bad_facts(
    office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govreport.errors import FactsError
    from govreport.rendering import report as _render

    order: list[str] = []
    launch, render_word = OfficeConverter.launch, _render.render_word
    monkeypatch.setattr(_office, "_shared", None)  # this test's own LibreOffice
    monkeypatch.setattr(
        OfficeConverter, "launch", lambda self: order.append("launch") or launch(self)
    )
    monkeypatch.setattr(_render, "render_word", lambda *a: order.append("word") or render_word(*a))
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency:\n  name: 某某局\nyear: 2023\npublished: 2023-06-01\n", encoding="utf-8")
    with pytest.raises(FactsError):
        render(bad, tmp_path / "bad.pdf", to="pdf", pdf_engine=LIBREOFFICE)
    assert order == [] and _office._shared is None  # refused facts start nothing
    render(EXAMPLES / "busy-2023.yaml", tmp_path / "one.pdf", to="pdf", pdf_engine=LIBREOFFICE)
    assert order[:2] == ["launch", "word"]
    assert "一、总体情况" in office.text(tmp_path / "one.pdf")
    _office._close_shared()
