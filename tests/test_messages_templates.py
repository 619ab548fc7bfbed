"""A template set's mistakes are told the same way by ``templates check`` and ``render``,
in Chinese, naming the file and the line or part, never in the libraries' English.

``templates check`` lists a problem (exit 1) and ``render`` refuses the set (exit 3,
nothing written) for the same entries: one validation serves both.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_templates import NATIONAL_DOCX, make_set, paragraphs

from govreport.cli.main import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "busy-2023.yaml"
#: What the zip, XML and sandbox libraries say, which a user must never read.
ENGLISH = re.compile(
    r"zip file|unsafe|access to attribute|Error -\d|There is no item|Couldn't|"
    r"Traceback|object|line \d|内部错误"
)


def check_cli(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["templates", "check", str(folder)])
    return result.exit_code, result.output


def render_cli(tmp_path: Path, tset: Path, fmt: str = "docx") -> tuple[int, str, Path]:
    out = tmp_path / f"out.{fmt}"
    args = ["render", str(EXAMPLE), "--template", str(tset), "--to", fmt, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output, out


def assert_refused_by_both(tmp_path: Path, tset: Path, *needles: str, fmt: str = "docx") -> str:
    """``templates check`` lists it, ``render`` refuses it with the same words; neither in
    English. The render message is returned."""
    code, checked = check_cli(tset)
    assert code == 1, checked
    rendered_code, refused, out = render_cli(tmp_path, tset, fmt)
    assert rendered_code == 3, refused
    assert not out.exists()
    for needle in needles:
        assert needle in checked, (needle, checked)
        assert needle in refused, (needle, refused)
    assert not ENGLISH.search(checked), checked
    assert not ENGLISH.search(refused), refused
    return refused


# --------------------------------------------------------------------------- set.yaml


@pytest.mark.parametrize(
    ("wording", "where", "needle"),
    [
        ({"numbering": {"overview": "{{ 7*7 }}"}}, "wording.numbering.overview", "原样印在报告中"),
        ({"numbering": {"overview": "第N项"}}, "wording.numbering.overview", "应有“一”或“1”"),
        (
            {"headings": {"reviews": "{{ agency.name }}四、复议"}},
            "wording.headings.reviews",
            "{{ }}",
        ),
        (
            {"topics": {"overview": {"proactive": "{% if year %}主动公开"}}},
            "wording.topics.overview.proactive",
            "原样印在报告中",
        ),
        ({"headings": {"reveiws": "四、复议"}}, "wording.headings.reveiws", "是不是“reviews”"),
        ({"colour": "red"}, "wording.colour", "未知的表述项"),
    ],
)
def test_render_refuses_what_check_lists_in_set_yaml(
    tmp_path: Path, wording: dict, where: str, needle: str
) -> None:
    tset = make_set(tmp_path / "set", wording=wording)
    refused = assert_refused_by_both(tmp_path, tset, where, needle)
    assert re.search(r"set\.yaml（第 \d+ 行）", refused), refused


def test_an_inherited_set_yaml_problem_is_listed_and_refused(tmp_path: Path) -> None:
    make_set(tmp_path / "province", wording={"numbering": {"problems": "{{ 7*7 }}"}})
    child = make_set(tmp_path / "city", extends="../province")
    code, checked = check_cli(child)
    assert code == 1
    assert "set.yaml（继承自模板“province”）" in checked
    assert "wording.numbering.problems" in checked
    code, refused, _ = render_cli(tmp_path, child)
    assert code == 3 and "wording.numbering.problems" in refused
    assert "province" in refused


def test_a_unknown_key_at_the_top_is_refused_too(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "set")
    meta = yaml.safe_load((tset / "set.yaml").read_text("utf-8"))
    meta["wordings"] = {"title": "x"}
    (tset / "set.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    assert_refused_by_both(tmp_path, tset, "未知的键“wordings”", "是不是“wording”")


@pytest.mark.parametrize(("style", "first"), [("(一)", "(一)"), ("1.", "1."), ("一、", "一、")])
def test_good_numbering_styles_render(tmp_path: Path, style: str, first: str) -> None:
    tset = make_set(tmp_path / "set", wording={"numbering": {"overview": style}})
    assert check_cli(tset)[0] == 0
    code, output, out = render_cli(tmp_path, tset)
    assert code == 0, output
    texts = [text for _, text in paragraphs(out)]
    assert any(text.startswith(first + "主动公开") for text in texts), texts


# --------------------------------------------------------------------------- the sandbox


def test_text_reaching_internals_names_the_attribute_and_line(tmp_path: Path) -> None:
    tset = make_set(
        tmp_path / "set", texts={"overview/platforms.j2": "第一行\n{{ agency.__init__ }}\n"}
    )
    source = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    del source["overview"]["platforms"]
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(source, allow_unicode=True), "utf-8")
    args = ["render", str(facts), "--template", str(tset), "-o", str(tmp_path / "o.docx")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    assert "text/overview/platforms.j2" in result.output
    assert "Python 的内部属性“__init__”，第 2 行" in result.output
    assert not ENGLISH.search(result.output), result.output


def test_markup_template_reaching_internals_names_its_line(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "set")
    national = NATIONAL_DOCX.parent / "report.html.j2"
    source = national.read_text("utf-8")
    (tset / "report.html.j2").write_text("\n\n{{ agency.__class__ }}\n" + source, "utf-8")
    refused = assert_refused_by_both(tmp_path, tset, "内部属性“__class__”，第 3 行", fmt="html")
    assert "report.html.j2" in refused


def test_word_template_reaching_internals_names_the_paragraph(tmp_path: Path) -> None:
    import docx as python_docx

    tset = make_set(tmp_path / "set")
    document = python_docx.Document(str(NATIONAL_DOCX))
    document.add_paragraph("落款{{ agency.__init__ }}")
    document.save(str(tset / "report.docx"))
    code, output, out = render_cli(tmp_path, tset)
    assert code == 3 and not out.exists()
    assert "Python 的内部属性“__init__”" in output
    assert "位置：正文第" in output and "落款" in output
    assert not ENGLISH.search(output), output


# --------------------------------------------------------------------------- report.docx


def _rewritten(path: Path, change: dict[str, bytes | None]) -> None:
    """The national Word template with parts replaced (``None`` drops a part)."""
    with zipfile.ZipFile(NATIONAL_DOCX) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = change.get(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info, data, zipfile.ZIP_DEFLATED)


def _corrupt_deflate(path: Path) -> None:
    _rewritten(path, {})
    data = bytearray(path.read_bytes())
    start = data.find(b"word/document.xml") + 40
    for i in range(start, start + 200):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


def _truncated_xml(path: Path) -> None:
    with zipfile.ZipFile(NATIONAL_DOCX) as source:
        document = source.read("word/document.xml")
    _rewritten(path, {"word/document.xml": document[: len(document) // 2]})


BROKEN_WORD_FILES = {
    "text": (lambda p: p.write_text("这不是 Word 文件", "utf-8"), "不是 Word 文档（.docx）"),
    "doc": (
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "旧版 Word（.doc）或 WPS",
    ),
    "cut": (lambda p: p.write_bytes(NATIONAL_DOCX.read_bytes()[:30000]), "不是 Word 文档（.docx）"),
    "no document": (lambda p: _rewritten(p, {"word/document.xml": None}), "缺少 word/document.xml"),
    "bad deflate": (_corrupt_deflate, "word/document.xml 已损坏，无法解压"),
    "broken xml": (_truncated_xml, "word/document.xml 第 2 行第"),
}


@pytest.mark.parametrize("case", BROKEN_WORD_FILES)
def test_a_broken_word_template_is_named_in_chinese(tmp_path: Path, case: str) -> None:
    write, needle = BROKEN_WORD_FILES[case]
    tset = make_set(tmp_path / "set")
    write(tset / "report.docx")
    refused = assert_refused_by_both(tmp_path, tset, needle)
    assert "report.docx" in refused


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ('前言\n{{ {}|dictsort(by="x") }}', "过滤器的参数不对，第 2 行"),
        ("{% for x in year %}{% endfor %}", "数据类型不符（TypeError），第 1 行"),
        ("{{ agency.name|wordwrap(-1) }}", "第 1 行"),
    ],
)
def test_a_runtime_failure_in_a_text_is_chinese_with_its_line(source: str, needle: str) -> None:
    from govreport.errors import TemplateError
    from govreport.template_sets.environment import render_text

    with pytest.raises(TemplateError) as caught:
        render_text(source, {"year": 2023, "agency": {"name": "某某局"}}, where="text/x.j2")
    assert needle in caught.value.message
    assert not ENGLISH.search(caught.value.message)
    assert not re.search(r"[a-z]{4,} [a-z]{3,}", caught.value.message)  # no English sentence


def test_wordwrap_works_inside_its_bounds() -> None:
    """The bounded filter keeps Jinja's ``pass_environment`` mark (it used to lose it)."""
    from govreport.template_sets.environment import render_text

    assert render_text('{{ "甲乙丙丁戊己庚辛"|wordwrap(3) }}', {}) == "甲乙丙\n丁戊己\n庚辛"
