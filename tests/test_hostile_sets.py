"""Template sets are untrusted input: links, hostile set.yaml, unbounded Jinja, XXE.

A set built in ``tmp_path`` is fed to ``templates check`` (which must list the
problem) and to ``render`` (which must refuse it with a Chinese ``TemplateError``,
exit 3), never a traceback, a hang or a file of the machine in the report.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from click.testing import CliRunner
from test_templates import NATIONAL_DOCX, facts, make_set, rendered
from tests_support import BILLION_LAUGHS as SET_ALIASES

from govreport.batch.runner import render_many
from govreport.cli.main import main
from govreport.errors import TemplateError
from govreport.set_check import check_set
from govreport.template_sets.environment import render_text
from govreport.template_sets.sandbox import MAX_RANGE, RENDER_SECONDS, TimeLimitError, time_limit

SECRET = "机密内容-不应出现在报告中"


def check_cli(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["templates", "check", str(folder)])
    return result.exit_code, result.output


def render_cli(tmp_path: Path, tset: Path) -> tuple[int, str]:
    source = tmp_path / "facts.yaml"
    source.write_text("agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n", "utf-8")
    args = ["render", str(source), "--template", str(tset), "-o", str(tmp_path / "out.docx")]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def assert_chinese_refusal(code: int, output: str) -> None:
    assert code == 3, output
    assert "Traceback" not in output
    assert not (Path("out.docx").exists())


def secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET, encoding="utf-8")
    return outside


# --------------------------------------------------------------------------- links


def test_symlinked_text_file_is_refused_by_check_and_render(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "evil")
    (tset / "text" / "overview").mkdir(parents=True)
    (tset / "text" / "overview" / "summary.j2").symlink_to(secret_file(tmp_path))
    code, output = check_cli(tset)
    assert code == 1
    assert "text/overview/summary.j2" in output and "符号链接" in output
    with pytest.raises(TemplateError, match="符号链接"):
        rendered(facts(), tmp_path / "out.docx", tset)
    code, output = render_cli(tmp_path, tset)
    assert code == 3 and "符号链接" in output and SECRET not in output
    assert not (tmp_path / "out.docx").exists()


def test_a_link_the_report_would_not_use_still_refuses_the_set(tmp_path: Path) -> None:
    """The example's author wrote every text, so no boilerplate is read; the set is refused."""
    tset = make_set(tmp_path / "evil")
    (tset / "notes.txt").symlink_to(secret_file(tmp_path))
    example = Path(__file__).resolve().parent.parent / "examples" / "busy-2023.yaml"
    with pytest.raises(TemplateError, match=r"notes\.txt.*符号链接"):
        rendered(example, tmp_path / "out.docx", tset)
    assert [p.file for p in check_set(tset)] == ["notes.txt"]
    child = make_set(tmp_path / "child", extends="../evil")
    assert [p.file for p in check_set(child)] == ["notes.txt（继承自模板“evil”）"]
    with pytest.raises(TemplateError, match="符号链接"):
        rendered(example, tmp_path / "out.docx", child)


def test_linked_text_folder_resolving_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "overview"
    elsewhere.mkdir(parents=True)
    (elsewhere / "summary.j2").write_text(SECRET, encoding="utf-8")
    tset = make_set(tmp_path / "evil")
    (tset / "text").symlink_to(elsewhere.parent, target_is_directory=True)
    code, output = check_cli(tset)
    assert code == 1 and "text" in output and "符号链接" in output
    with pytest.raises(TemplateError):
        rendered(facts(), tmp_path / "out.docx", tset)


def test_symlinked_word_template_is_refused(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "evil")
    (tset / "report.docx").symlink_to(NATIONAL_DOCX)
    assert any(p.file == "report.docx" and "符号链接" in p.message for p in check_set(tset))
    with pytest.raises(TemplateError, match=r"report\.docx.*符号链接"):
        rendered(facts(), tmp_path / "out.docx", tset)


def test_fifo_as_text_file_does_not_hang(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "evil")
    (tset / "text" / "overview").mkdir(parents=True)

    os.mkfifo(tset / "text" / "overview" / "summary.j2")
    assert any("不是普通文件" in p.message for p in check_set(tset))
    with pytest.raises(TemplateError, match="不是普通文件"):
        rendered(facts(), tmp_path / "out.docx", tset)


# --------------------------------------------------------------------------- set.yaml

BILLION_LAUGHS = "name: evil\n" + SET_ALIASES + "wording:\n  title: *i\n"


def test_billion_laughs_set_yaml_is_refused_at_its_line(tmp_path: Path) -> None:
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "set.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["templates", "new", "x", "--from", str(evil), "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 3, result.output
    assert "第 3 行" in result.output and "别名" in result.output
    code, output = check_cli(evil)
    assert code == 1 and "别名" in output


def test_python_tag_in_set_yaml_is_refused(tmp_path: Path) -> None:
    evil = make_set(tmp_path / "evil")
    marker = tmp_path / "pwned"
    text = (evil / "set.yaml").read_text(encoding="utf-8")
    text += f"province: !!python/object/apply:os.system ['touch {marker}']\n"
    (evil / "set.yaml").write_text(text, encoding="utf-8")
    code, output = render_cli(tmp_path, evil)
    assert code == 3 and "不支持的 YAML 标签“!!python/object/apply:os.system”" in output
    assert not marker.exists()


@pytest.mark.parametrize(
    ("wording", "where"),
    [
        ({"title": 123}, "wording.title"),
        ({"headings": {"reviews": ["四、", "复议"]}}, "wording.headings.reviews"),
        ({"numbering": {"overview": 1}}, "wording.numbering.overview"),
        ({"topics": {"overview": {"proactive": {"a": 1}}}}, "wording.topics.overview.proactive"),
        ({"topics": ["x"]}, "wording.topics"),
    ],
)
def test_wrong_types_in_wording_are_template_errors(
    tmp_path: Path, wording: dict, where: str
) -> None:
    tset = make_set(tmp_path / "typed", wording=wording)
    with pytest.raises(TemplateError, match=r"第 \d+ 行") as caught:
        rendered(facts(), tmp_path / "out.docx", tset)
    assert where in caught.value.message
    code, output = render_cli(tmp_path, tset)
    assert code == 3 and where in output and "TypeError" not in output
    assert any(where in p.where for p in check_set(tset))


def test_broken_set_yaml_is_one_chinese_line_with_its_line(tmp_path: Path) -> None:
    tset = tmp_path / "broken"
    tset.mkdir()
    (tset / "set.yaml").write_text("name: broken\nwording:\n  title: [未闭合\n", "utf-8")
    code, output = render_cli(tmp_path, tset)
    assert code == 3
    assert "set.yaml（第" in output
    for english in ("while parsing", "expected", 'in "<unicode string>"'):
        assert english not in output
    code, output = check_cli(tset)
    assert code == 1 and "第" in output and "while parsing" not in output


def test_oversized_set_yaml_is_refused(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "big")
    (tset / "set.yaml").write_text("name: big\ndescription: " + "长" * 200_000 + "\n", "utf-8")
    with pytest.raises(TemplateError, match="过大"):
        rendered(facts(), tmp_path / "out.docx", tset)


# --------------------------------------------------------------------------- bounded Jinja


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{% include 'x.j2' %}", "不能引用其他模板"),
        ("{% import 'x.j2' as x %}", "不能引用其他模板"),
        ("{% extends 'x.j2' %}", "不能引用其他模板"),
        ("{% from 'x.j2' import y %}", "不能引用其他模板"),
        ("{{ 7 ** 999999999 }}", "数值运算结果过大"),
        ("{{ 10 ** 100000 }}", "数值运算结果过大"),
        ("{{ 2.5 ** 100000 }}", "数值运算结果过大"),
        ("{{ 'x' * 10 ** 9 }}", "过长"),
        ("{{ [1, 2] * 10 ** 9 }}", "过长"),
        ("{{ '%1000000000d' % 1 }}", "过长"),
        ("{{ '{:>1000000000}'.format(1) }}", "过长"),
        ("{{ 'x'.ljust(10 ** 9) }}", "过长"),
        ("{{ 'x' | center(10 ** 9) }}", "过长"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
            "过长",
        ),
        ("{% for i in range(10 ** 6) %}x{% endfor %}", f"最多 {MAX_RANGE:,} 项"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "嵌套"),
        ("{{ lipsum(10 ** 6) }}", "个词"),
        ("{{ year / 0 }}", "除数为 0"),
        ("{{ 'a' - 1 }}", "数据类型不符"),
        ("{{ [1, 'a'] | sort }}", "数据类型不符"),
        ("{{ 'x'.ljust('y') }}", "数据类型不符"),
    ],
)
def test_template_jinja_is_bounded(tmp_path: Path, source: str, says: str) -> None:
    with pytest.raises(TemplateError, match=says):
        render_text(source, {"year": 2023})
    tset = make_set(tmp_path / "heavy", texts={"overview/summary.j2": source})
    code, output = render_cli(tmp_path, tset)
    assert code == 3 and says in output, output
    assert "内部错误" not in output


def test_ordinary_arithmetic_still_works() -> None:
    text = "{{ year * 2 }} {{ 'ab' * 3 }} {{ 2 ** 10 }} {{ '%05d' % 3 }} {{ [1] * 3 }}"
    assert render_text(text, {"year": 2023}) == "4046 ababab 1024 00003 [1, 1, 1]"


HANG = (
    "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)


def test_nested_loops_end_with_a_time_limit_in_a_subprocess(tmp_path: Path) -> None:
    """The CLI, as a user runs it: a set that would loop for days ends in seconds."""
    tset = make_set(tmp_path / "slow", texts={"overview/summary.j2": HANG})
    source = tmp_path / "facts.yaml"
    source.write_text("agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n", "utf-8")
    command = [sys.executable, "-m", "govreport", "render", str(source), "--template", str(tset)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=RENDER_SECONDS * 6, cwd=tmp_path
    )
    assert done.returncode == 3, done.stderr
    assert f"超过 {RENDER_SECONDS:g} 秒" in done.stdout + done.stderr


def test_time_limit_works_outside_the_main_thread() -> None:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            render_text(HANG, {})
        except TemplateError as exc:
            caught.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(RENDER_SECONDS * 6)
    assert not thread.is_alive()
    assert caught and "超过" in str(caught[0])


def test_time_limit_does_not_fire_after_the_block() -> None:
    with time_limit(0.2):
        pass
    spins, until = 0, time.monotonic() + 1.0  # well past the finished block's deadline
    while time.monotonic() < until:  # a late interrupt would land here
        spins += 1
    assert spins > 0
    with pytest.raises(TimeLimitError), time_limit(0.2):
        while True:
            pass


def test_time_limit_in_batch_workers(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "slow", texts={"overview/summary.j2": HANG})
    files = []
    for n in range(3):
        path = tmp_path / "in" / f"f{n}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text("agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n", "utf-8")
        files.append(path)
    results = render_many(files, tmp_path / "out", template=str(tset), jobs=2)
    assert [r.ok for r in results] == [False] * 3
    assert all("超过" in (r.failure or "") for r in results)


# --------------------------------------------------------------------------- the Word package


def rewrite_part(docx: Path, part: str, change) -> None:
    """Replace one part of a .docx with ``change(old_bytes)``."""
    with zipfile.ZipFile(docx) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, change(data) if info.filename == part else data)


def test_xxe_doctype_is_refused_by_check_and_render(tmp_path: Path) -> None:
    outside = secret_file(tmp_path)
    tset = make_set(tmp_path / "xxe")
    docx = tset / "report.docx"
    docx.write_bytes(NATIONAL_DOCX.read_bytes())

    def add_entity(xml: bytes) -> bytes:
        head, _, body = xml.partition(b"?>")
        doctype = f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{outside}">]>'.encode()
        return head + b"?>" + doctype + body.replace(b"{{ title }}", b"&x;", 1)

    rewrite_part(docx, "word/document.xml", add_entity)
    problems = check_set(tset)
    assert any("DOCTYPE" in p.message and "word/document.xml" in p.message for p in problems)
    code, output = render_cli(tmp_path, tset)
    assert code == 3 and "DOCTYPE" in output and SECRET not in output


def test_tags_in_document_properties_are_checked(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "props")
    document = python_docx.Document(str(NATIONAL_DOCX))
    document.core_properties.title = "{{ agency.nmae }}年度报告"
    document.save(str(tset / "report.docx"))
    rewrite_part(
        tset / "report.docx",
        "docProps/app.xml",
        lambda xml: xml.replace(
            b"</Properties>", b"<Company>{{ agency.name }}</Company></Properties>"
        ),
    )
    problems = check_set(tset)
    assert any("文档属性“title”" in p.file and "nmae" in p.message for p in problems)
    assert any(p.where == "docProps/app.xml" and "不会被替换" in p.message for p in problems)
    with pytest.raises(TemplateError, match="nmae"):
        rendered(facts(), tmp_path / "out.docx", tset)


@pytest.mark.parametrize(
    ("expression", "says"),
    [("{{ year / 0 }}", "除数为 0"), ("{{ 'x' * 10 ** 9 }}", "过长"), (HANG, "超过")],
)
def test_word_template_is_bounded_too(tmp_path: Path, expression: str, says: str) -> None:
    tset = make_set(tmp_path / "word")
    document = python_docx.Document(str(NATIONAL_DOCX))
    title = next(p for p in document.paragraphs if "{{ title }}" in p.text)
    for run in title.runs[1:]:
        run.text = ""
    title.runs[0].text = expression
    document.save(str(tset / "report.docx"))
    code, output = render_cli(tmp_path, tset)
    assert code == 3 and says in output and "内部错误" not in output, output
    assert not (tmp_path / "out.docx").exists()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>注：{{ agency.nmae }}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def test_tags_in_footnotes_are_checked_as_render_meets_them(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "notes")
    docx = tset / "report.docx"
    docx.write_bytes(NATIONAL_DOCX.read_bytes())
    rewrite_part(
        docx,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/word/footnotes.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
        ),
    )
    rewrite_part(
        docx,
        "word/_rels/document.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
            b"</Relationships>",
        ),
    )
    with zipfile.ZipFile(docx, "a") as archive:
        archive.writestr("word/footnotes.xml", FOOTNOTES)
    problems = check_set(tset)
    assert any(p.file.endswith("脚注") and "agency.nmae" in p.message for p in problems)
    with pytest.raises(TemplateError, match="nmae"):
        rendered(facts(), tmp_path / "out.docx", tset)
