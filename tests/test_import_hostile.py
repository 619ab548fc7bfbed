"""Import of hostile files (issue 9): bounded time and memory, a clear Chinese message,
the right exit status and nothing written when a file is refused."""

from __future__ import annotations

import contextlib
import html
import os
import signal
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport import import_report
from govreport.cli.main import main
from govreport.errors import GovReportError
from govreport.importing.readers.choose import MAX_TEXT_BYTES
from govreport.narrative.placeholders import substitute

HEAD = "<p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"


@contextlib.contextmanager
def finishes_within(seconds: int):
    """Fail, rather than hang the suite, when a call does not return (a hang is the bug)."""

    def expired(*_):
        raise TimeoutError(f"未在 {seconds} 秒内结束")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(path: Path, capsys, tmp_path: Path) -> str:
    """Run ``govreport import`` on ``path``: exit status 2, nothing written, the message."""
    output = tmp_path / "facts.yaml"
    with finishes_within(60), pytest.raises(SystemExit) as exit_:
        main(["import", str(path), "-o", str(output)])
    assert exit_.value.code == 2
    assert not output.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []
    return capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="没有命名管道（FIFO）")
def test_a_fifo_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    assert "不是普通文件" in refused(fifo, capsys, tmp_path)


def test_a_folder_is_refused_as_not_a_regular_file(tmp_path, capsys):
    folder = tmp_path / "reports.html"
    folder.mkdir()
    message = refused(folder, capsys, tmp_path)
    assert "不是普通文件" in message and "文件夹" in message


def test_a_huge_web_page_is_refused_before_it_is_read(tmp_path, capsys):
    page = tmp_path / "page.html"
    with page.open("wb") as handle:  # 60 MB, sparse: the size alone must refuse it
        handle.truncate(60 * 2**20)
    message = refused(page, capsys, tmp_path)
    assert "文件过大" in message and f"{MAX_TEXT_BYTES // 2**20} MB" in message


def test_spans_claiming_a_huge_grid_are_refused_before_allocating(tmp_path, capsys):
    row = "<tr>" + '<td rowspan="200" colspan="200">1</td>' * 40 + "</tr>"
    page = tmp_path / "spans.html"
    page.write_text(f"<html><body>{HEAD}<table>{row * 7}</table></body></html>")
    assert page.stat().st_size < 12_000
    assert "合并单元格" in refused(page, capsys, tmp_path)


def test_a_docx_whose_xml_unpacks_far_beyond_a_report_is_refused_unparsed(tmp_path, capsys):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document>" + " " * (40 * 2**20) + "</w:document>")
    assert bomb.stat().st_size < 200_000
    assert "解压后过大" in refused(bomb, capsys, tmp_path)


@pytest.mark.parametrize(
    "nesting",
    [("<div>", "</div>", 100_000), ("<table><tr><td>", "</td></tr></table>", 3_000)],
    ids=["divs", "tables"],
)
def test_deep_nesting_is_read_without_recursion_error(tmp_path, nesting):
    opening, closing, depth = nesting
    page = tmp_path / "deep.html"
    page.write_text(
        f"<html><body>{HEAD}{opening * depth}<p>六、其他需要报告的事项</p><p>无。</p>"
        f"{closing * depth}</body></html>"
    )
    with finishes_within(120):
        result = import_report(page)
    assert result.facts.agency.name == "某局"
    assert result.data["other_matters"] == {"other": "无。"}


# --------------------------------------------------------------------------- any text at all

TEXT = st.text(
    alphabet=st.sampled_from(
        [*"{}%#\"'年度报告公开一二三（）()、.。，12 ab\t\\*_|<>&", "\x00", "\u2028", "\x0b"]
    ),
    min_size=1,
    max_size=40,
)
PLAIN = st.text(
    alphabet=st.sampled_from(list("{}%#\"'年度报告公开ab1。，*_")), min_size=1, max_size=40
)


def _report(kind: str, text: str) -> str:
    if kind == "html":
        body = html.escape(text)
        return f"<html><body>{HEAD}<p>六、其他需要报告的事项</p><p>{body}</p></body></html>"
    return f"某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n六、其他需要报告的事项\n{text}\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(["html", "txt", "md"]), text=TEXT)
def test_any_text_in_any_format_imports_or_is_refused_in_our_words(tmp_path, kind, text):
    source = tmp_path / f"report.{kind}"
    source.write_text(_report(kind, text), encoding="utf-8")
    try:
        with finishes_within(30):
            import_report(source)
    except GovReportError as exc:
        assert exc.format_message()  # the project's own, Chinese, message


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(["html", "txt"]), text=PLAIN)
def test_published_text_comes_back_exactly_braces_included(tmp_path, kind, text):
    source = tmp_path / f"report.{kind}"
    source.write_text(_report(kind, text), encoding="utf-8")
    result = import_report(source)
    other = result.data["other_matters"]
    assert substitute("\n\n".join(other.values()), {}) == text
