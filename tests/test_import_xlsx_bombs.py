"""Workbooks built to exhaust memory or time are refused before openpyxl loads them.

Each bomb is made here, small on disk (the XML generated inside a zip), and imported
by ``govreport import`` in a process of its own under a memory cap: it must end
with exit status 2 and a Chinese refusal, never a MemoryError or a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from tests_support import EXAMPLE_FILES

from govreport import import_report, load
from govreport.workbook import write_workbook

pytestmark = pytest.mark.skipif(os.name != "posix", reason="内存上限（RLIMIT_AS）需要 POSIX")

MEMORY_CAP = 400 * 2**20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def import_capped(workbook: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``govreport import`` of ``workbook`` in a child process limited to 400 MB."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "govreport",
            "import",
            str(workbook),
            "-o",
            str(tmp_path / "x.yaml"),
        ],
        preexec_fn=_cap,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def bomb(
    target: Path,
    sheet: Iterable[bytes],
    strings: Iterable[bytes] | None = None,
    *,
    styles: Iterable[bytes] | None = None,
    book: str = "workbook.xml",
) -> Path:
    """A minimal workbook whose one sheet (and shared strings, styles) stream from the
    chunks; ``book`` names its workbook part in xl/ (another name leaves an empty decoy
    at xl/workbook.xml)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        overrides = f'<Override PartName="/xl/{book}" ContentType="{BOOK_TYPE}"/>'
        overrides += f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
        rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        if strings is not None:
            overrides += (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
            )
            rels += (
                f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            )
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/{book}"/></Relationships>',
        )
        archive.writestr(
            f"xl/{book}",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="表三" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            f"xl/_rels/{book}.rels",
            f'<Relationships xmlns="{PACKAGE_REL}">{rels}</Relationships>',
        )
        if book != "workbook.xml":
            archive.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"><sheets/></workbook>')
        if styles is not None:
            _stream(archive, "xl/styles.xml", styles)
        _stream(archive, "xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            _stream(archive, "xl/sharedStrings.xml", strings)
    return target


def _stream(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with archive.open(name, "w", force_zip64=True) as entry:
        for chunk in chunks:
            entry.write(chunk)


def worksheet(rows: Callable[[], Iterable[str]], dimension: str = "A1") -> Iterable[bytes]:
    yield f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()
    batch: list[str] = []
    for row in rows():
        batch.append(row)
        if len(batch) == 10_000:
            yield "".join(batch).encode()
            batch.clear()
    yield "".join(batch).encode()
    yield b"</sheetData></worksheet>"


def shared_strings(count: int) -> Iterable[bytes]:
    yield f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    for start in range(0, count, 10_000):
        yield "".join(f"<si><t>{i}</t></si>" for i in range(start, start + 10_000)).encode()
    yield b"</sst>"


def one_cell() -> Iterable[str]:
    yield '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output and "MemoryError" not in output
    for word in words:
        assert word in output, output


def test_two_million_rows_are_refused_by_their_unpacked_size(tmp_path):
    def rows() -> Iterable[str]:
        for i in range(1, 2_000_001):
            yield f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'

    target = bomb(tmp_path / "行.xlsx", worksheet(rows, "A1:A2000000"))
    assert target.stat().st_size < 20_000_000
    assert_refused(import_capped(target, tmp_path), "解压后过大", "sheet1.xml")


def test_rows_within_the_size_limits_are_counted_and_refused(tmp_path):
    def rows() -> Iterable[str]:
        for i in range(1, 500_001):
            yield f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'

    target = bomb(tmp_path / "行.xlsx", worksheet(rows))
    assert_refused(import_capped(target, tmp_path), "工作表“表三”过大", "超过 100,000 行")


def test_a_row_of_four_hundred_thousand_cells_is_refused(tmp_path):
    def rows() -> Iterable[str]:
        yield '<row r="1">' + "".join(f"<c><v>{i}</v></c>" for i in range(400_000)) + "</row>"

    target = bomb(tmp_path / "格.xlsx", worksheet(rows))
    assert_refused(import_capped(target, tmp_path), "超过 200,000 个单元格")


def test_rows_reaching_the_last_column_are_refused(tmp_path):
    """openpyxl builds each row as wide as its last cell: 16,384 cells for ``XFD``."""

    def rows() -> Iterable[str]:
        for i in range(1, 1_001):
            yield f'<row r="{i}"><c r="XFD{i}"><v>{i}</v></c></row>'

    target = bomb(tmp_path / "宽.xlsx", worksheet(rows))
    assert_refused(import_capped(target, tmp_path), "最宽一行到第 16,384 列")


def test_four_million_shared_strings_are_refused_by_their_size(tmp_path):
    target = bomb(tmp_path / "串.xlsx", worksheet(one_cell), shared_strings(4_000_000))
    assert target.stat().st_size < 20_000_000
    assert_refused(import_capped(target, tmp_path), "解压后过大", "sharedStrings.xml")


def test_shared_strings_within_the_size_limits_are_counted_and_refused(tmp_path):
    target = bomb(tmp_path / "串.xlsx", worksheet(one_cell), shared_strings(1_000_000))
    assert_refused(import_capped(target, tmp_path), "共享字符串超过 200,000 个")


def test_a_real_workbook_imports_under_the_same_cap(tmp_path):
    busy = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
    target = tmp_path / "表格.xlsx"
    write_workbook(load(busy), target)
    done = import_capped(target, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert load(tmp_path / "x.yaml") == load(busy)


def test_a_dimension_that_claims_the_whole_sheet_is_not_believed(tmp_path):
    """The stated ``<dimension>`` is only a claim: the rows present are what is read."""
    busy = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")
    good = tmp_path / "表格.xlsx"
    write_workbook(load(busy), good)
    lying = tmp_path / "大.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(lying, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode()
                start = text.index('<dimension ref="')
                end = text.index('"', start + len('<dimension ref="'))
                data = (text[:start] + '<dimension ref="A1:XFD1048576' + text[end:]).encode()
            target.writestr(item, data)
    assert import_report(lying).facts == load(busy)


def test_a_hundred_thousand_cell_formats_are_refused(tmp_path):
    """openpyxl keeps a few KB per format: 150,000 of them took 13 s and 440 MB."""

    def styles() -> Iterable[bytes]:
        yield f'<styleSheet xmlns="{MAIN}"><cellXfs count="100000">'.encode()
        for start in range(0, 100_000, 10_000):
            yield "".join(
                f'<xf numFmtId="{i % 50}" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                for i in range(start, start + 10_000)
            ).encode()
        yield b"</cellXfs></styleSheet>"

    target = bomb(tmp_path / "样式.xlsx", worksheet(one_cell), styles=styles())
    assert_refused(import_capped(target, tmp_path), "单元格样式过多")


def test_twenty_thousand_merged_ranges_are_refused(tmp_path):
    def sheet() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{MAIN}"><sheetData/><mergeCells count="20000">'.encode()
        yield "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1, 20_001)).encode()
        yield b"</mergeCells></worksheet>"

    target = bomb(tmp_path / "合并.xlsx", sheet())
    assert_refused(import_capped(target, tmp_path), "超过 10,000 处合并单元格")


def test_a_workbook_part_under_another_name_is_measured_too(tmp_path):
    """The package may name its workbook part anything; an empty decoy at the usual
    place must not let the real sheets past the limits."""

    def rows() -> Iterable[str]:
        for i in range(1, 300_001):
            yield f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'

    target = bomb(tmp_path / "换名.xlsx", worksheet(rows), book="book2.xml")
    assert_refused(import_capped(target, tmp_path), "超过 100,000 行")
