"""A text report in any encoding is read right or refused (issue 20): UTF-16 without a
BOM is recognised, and bytes that decode only to mojibake are refused in Chinese,
never written out as a facts file of garbled text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_import_hostile import refused

from govreport import import_report
from govreport.errors import GovReportError

REPORT = Path(__file__).parent / "data" / "real" / "005.txt"


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "utf-16", "gb18030", "utf-8"])
def test_a_text_report_reads_the_same_in_every_encoding(tmp_path, encoding):
    text = REPORT.read_text(encoding="utf-8")
    source = tmp_path / "report.txt"
    source.write_bytes(text.encode(encoding))  # "utf-16-be/-le" write no BOM
    expected = import_report(REPORT)
    result = import_report(source)
    assert result.data == expected.data
    assert result.facts.agency.name == expected.facts.agency.name


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le"])
def test_utf16_without_bom_in_a_web_page_is_read(tmp_path, encoding):
    page = "<html><body><p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p></body></html>"
    source = tmp_path / "report.html"
    source.write_bytes(page.encode(encoding))
    assert import_report(source).facts.agency.name == "某局"


def test_utf16_read_as_the_wrong_byte_order_is_refused_not_garbled(tmp_path, capsys):
    text = REPORT.read_text(encoding="utf-8")
    source = tmp_path / "report.txt"
    # UTF-16BE with every NUL byte gone (as a broken conversion leaves it): no order to find
    source.write_bytes(text.encode("utf-16-be").replace(b"\x00", b""))
    message = refused(source, capsys, tmp_path)
    assert "文字编码" in message and "乱码" in message and "UTF-8" in message


def test_random_bytes_are_refused_as_unreadable_text(tmp_path, capsys):
    noise = random.Random(20).randbytes(30_000)
    source = tmp_path / "report.md"
    source.write_bytes(noise)
    assert "文字编码" in refused(source, capsys, tmp_path)


def test_a_page_in_traditional_characters_is_not_taken_for_mojibake(tmp_path):
    page = "<p>某局2023年政府資訊公開工作年度報告</p><p>一、總體情況</p><p>本機關認真貫徹執行條例，依法公開政府資訊。</p>"
    source = tmp_path / "report.html"
    source.write_bytes(
        f'<html><head><meta charset="big5"></head><body>{page * 5}</body></html>'.encode("big5")
    )
    try:
        import_report(source)
    except GovReportError as exc:
        assert "文字编码" not in exc.format_message()
