"""Each fast path gives what the plain path gives.

The compiled Word template (``rendering.compiled``) must write the very document.xml that
``DocxTemplate(path).render(context)`` writes, byte for byte, for every example
and for the inputs that take docxtpl's slower branches (line breaks in a text,
a ``{%tc %}`` loop that changes a table's column count), and a facts row of six plain
numbers loads as the row schema would load it. No timing here: speed
is measured by ``benchmarks/bench.py``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st

from govreport import load
from govreport.facts.fields import MAX_COUNT
from govreport.narrative.writer import write_narrative
from govreport.rendering.compiled import CompiledDocx
from govreport.rendering.report import word_context
from govreport.template_sets.environment import make_environment
from govreport.template_sets.sets import template_set_for

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _plain(template: Path, context: dict) -> dict[str, bytes]:
    """What docxtpl writes, as its documentation shows it used."""
    document = DocxTemplate(template)
    document.render(context, jinja_env=make_environment(markup=True), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return _parts(buffer.getvalue())


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _context(path: Path) -> tuple[Path, dict]:
    facts = load(path)
    tset = template_set_for(facts)
    return tset.word_template(), word_context(facts, write_narrative(facts, tset))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_document_xml_is_docxtpls_byte_for_byte(path: Path) -> None:
    template, context = _context(path)
    ours = _parts(CompiledDocx(template).render(context))
    plain = _plain(template, context)
    assert ours["word/document.xml"] == plain["word/document.xml"]
    assert set(ours) == set(plain)
    for name in plain:  # every other part too (core properties carry a timestamp)
        if name != "docProps/core.xml":
            assert ours[name] == plain[name], name


def test_line_breaks_take_docxtpls_listing_path() -> None:
    """A text with a line break or tab goes through resolve_listing, as in docxtpl."""
    template, context = _context(EXAMPLES / "busy-2023.yaml")
    context = dict(context, title="第一行\n第二行\t缩进\f下一页")
    compiled = CompiledDocx(template)
    ours = _parts(compiled.render(context))["word/document.xml"]
    assert ours == _plain(template, context)["word/document.xml"]
    assert b"<w:br/>" in ours and b"<w:tab/>" in ours
    # …and the next report without one still comes out right from the same template
    _, clean = _context(EXAMPLES / "dingcheng-gongxin-2023.yaml")
    assert (
        _parts(compiled.render(clean))["word/document.xml"]
        == (_plain(template, clean)["word/document.xml"])
    )


def _table_template(path: Path) -> Path:
    """A four-column grid whose rows hold one cell per number (docxtpl's ``{%tc %}`` loop)."""
    document = python_docx.Document()
    document.add_paragraph("{{ title }}")
    table = document.add_table(rows=2, cols=4)
    for row, (label, cell) in enumerate([("项目", "第{{ n }}项"), ("{{ label }}", "{{ n }}")]):
        texts = [label, "{%tc for n in numbers %}", cell, "{%tc endfor %}"]
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    document.save(path)
    return path


@pytest.mark.parametrize(
    "numbers", [[1, 2, 3], [7], [], [1, 2, 3, 4, 5]], ids=["same", "narrower", "empty", "wider"]
)
def test_tables_fixed_exactly_when_docxtpl_fixes_them(tmp_path: Path, numbers: list[int]) -> None:
    template = _table_template(tmp_path / "表.docx")
    context = {"title": "表格", "label": "件数", "numbers": numbers}
    ours = _parts(CompiledDocx(template).render(context))["word/document.xml"]
    assert ours == _plain(template, context)["word/document.xml"]
    assert ours.count(b"<w:gridCol ") == 1 + len(numbers)  # the grid follows the cells


# --------------------------------------------------------------------------- cold start

HEAVY = (
    *("docxtpl", "docx", "lxml", "pypandoc", "govreport.importing"),
    "rich",  # a line needs only click's colours; rich is for tables and progress bars
    # the batch machinery: worker processes and LibreOffice glue, for many files only
    *(
        "multiprocessing",
        "concurrent.futures.process",
        "govreport.batch.runner",
        "govreport.rendering.formats",
    ),
)
_PROBE = """
import sys
from govreport.cli import main
try:
    main(sys.argv[1:], prog_name="govreport")
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY_ROOTS} or m in {HEAVY})
print("CODE", code)
print("HEAVY", ",".join(heavy))
"""


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--help"], 0),
        (["check", str(EXAMPLES / "busy-2023.yaml")], 0),
        (["check", "{errors}"], 1),  # problem lines and the verdict, coloured or not
        (["check", "{missing}"], 2),  # the error message of the command group
    ],
    ids=["help", "check", "check-errors", "check-unreadable"],
)
def test_help_and_check_do_not_load_rendering(args: list[str], code: int, tmp_path) -> None:
    """``--help`` and a check of one file import neither docxtpl, lxml, pandoc, importers,
    rich nor the batch machinery."""
    import subprocess
    import sys

    errors = tmp_path / "errors.yaml"
    errors.write_text("agency:\n  name: 某某局\nyear: 2023\npublished: 2023-06-01\n")
    paths = {"{errors}": str(errors), "{missing}": str(tmp_path / "missing.yaml")}
    args = [paths.get(arg, arg) for arg in args]
    roots = {m for m in HEAVY if "." not in m}
    probe = _PROBE.replace("{HEAVY_ROOTS}", repr(roots)).replace("{HEAVY}", repr(set(HEAVY)))
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120
    )
    lines = dict(
        line.split(" ", 1) for line in done.stdout.splitlines() if line[:5] in {"CODE ", "HEAVY"}
    )
    assert lines.get("CODE") == str(code), done.stdout + done.stderr
    assert lines.get("HEAVY", "").strip() == ""


def test_public_names_load_on_first_use() -> None:
    import subprocess
    import sys

    code = (
        "import sys, govreport; assert 'govreport.rendering.report' not in sys.modules; "
        "from govreport import render; assert 'govreport.rendering.report' in sys.modules; "
        "print(render.__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "govreport.rendering.report", done.stderr


def test_help_lists_lazy_commands_as_if_loaded() -> None:
    """The summaries read from the source are the ones the loaded commands give."""
    import click
    from click.testing import CliRunner

    from govreport.cli.main import main

    runner = CliRunner()
    main.commands = {n: c for n, c in main.commands.items() if n not in main.lazy_commands}
    lazy = runner.invoke(main, ["--help"])
    context = click.Context(main)
    for name in main.lazy_commands:  # now load every command for real
        assert isinstance(main.get_command(context, name), click.Command)
    loaded = runner.invoke(main, ["--help"])
    assert lazy.exit_code == loaded.exit_code == 0
    assert lazy.output == loaded.output
    assert "templates" in lazy.output and "模板" in lazy.output


# --------------------------------------------------------------------------- facts


_CELL = st.one_of(
    st.integers(min_value=-3, max_value=MAX_COUNT + 3),
    st.sampled_from([0, 1, MAX_COUNT - 1, MAX_COUNT, True, 2.0, 2.5, "7", "/", None]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL, min_size=5, max_size=7))
def test_a_row_written_as_a_list_loads_as_the_row_schema_loads_it(values: list) -> None:
    """A row of six plain numbers skips the nested schema; anything else goes through it.
    Either way the row (or the refusal) is the row schema's own."""
    from marshmallow import ValidationError

    from govreport.facts.schema import RowField, RowSchema
    from govreport.official import APPLICANT_COLUMNS

    def plain() -> object:
        if len(values) != len(APPLICANT_COLUMNS):
            return "length"
        try:
            return RowSchema().load(
                {c.key: v for c, v in zip(APPLICANT_COLUMNS, values, strict=True)}
            )
        except ValidationError as exc:
            return exc.messages

    try:
        fast: object = RowField().deserialize(values)
    except ValidationError as exc:
        fast = "length" if len(values) != len(APPLICANT_COLUMNS) else exc.messages
    assert fast == plain()


def test_listing_characters_far_apart_come_out_as_docxtpl_writes_them(tmp_path: Path) -> None:
    """Line breaks in the first paragraph, a tab in a table cell, a page break in the
    last paragraph, plain paragraphs between: only the stretch that holds them goes
    through resolve_listing, and the document is docxtpl's, byte for byte."""
    document = python_docx.Document()
    document.add_paragraph("{{ first }}")
    for n in range(30):
        document.add_paragraph(f"第{n}段，没有换行")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "{{ cell }}"
    document.add_paragraph("中间")
    document.add_paragraph("{{ last }}")
    document.add_paragraph("结尾")
    template = tmp_path / "far.docx"
    document.save(template)
    context = {"first": "第一行\n第二行", "cell": "甲\t乙", "last": "上一页\f下一页"}
    ours = _parts(CompiledDocx(template).render(context))["word/document.xml"]
    assert ours == _plain(template, context)["word/document.xml"]
    assert ours.count(b"<w:br/>") == 1 and b"<w:tab/>" in ours and b'w:type="page"' in ours


# --------------------------------------------------------------------------- attribute access

_HOSTILE_NAMES = ("__class__", "__dict__", "_children", "_spec", "__init__", "__globals__")


def _attributes_read(facts) -> list[tuple[object, str]]:
    """Every (object, name) the built-in Word template reads, and names a hostile one might."""
    from jinja2.sandbox import SandboxedEnvironment

    tset = template_set_for(facts)
    compiled = CompiledDocx(tset.word_template())
    env = compiled._body.environment
    sandboxed = SandboxedEnvironment.getattr.__get__(env)
    read: list[tuple[object, str]] = []

    def spy(obj, attribute):
        read.append((obj, attribute))
        return sandboxed(obj, attribute)

    env.getattr = spy
    compiled.render(word_context(facts, write_narrative(facts, tset)))
    objects = {id(obj): obj for obj, _ in read}.values()
    read += [(obj, name) for obj in objects for name in (*_HOSTILE_NAMES, "no_such_row")]
    return read


def _same(a, b) -> bool:
    from jinja2 import Undefined

    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return type(a) is type(b) and a._undefined_hint == b._undefined_hint
    return a is b or a == b


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_quick_attribute_access_answers_as_the_sandbox(path: Path) -> None:
    """The compiled template's shortcut for model objects returns what the sandbox returns,
    for every attribute the template reads, and refuses what the sandbox refuses."""
    from jinja2.sandbox import SandboxedEnvironment

    from govreport.rendering.compiled import _quick_attributes

    quick = _quick_attributes(make_environment(markup=True))
    plain = make_environment(markup=True)
    pairs = _attributes_read(load(path))
    assert len(pairs) > 500
    for obj, name in pairs:
        expected = SandboxedEnvironment.getattr(plain, obj, name)
        assert _same(quick.getattr(obj, name), expected), (type(obj).__name__, name)


def test_row_groups_answer_attributes_as_items() -> None:
    """A level of table 三 read as ``group.key`` is the row ``group["key"]`` names."""
    facts = load(EXAMPLES / "busy-2023.yaml")
    groups = [facts.requests]
    while groups:
        group = groups.pop()
        for key, child in group.items():
            assert getattr(group, key) is child
            if key != "total" and hasattr(child, "items"):
                groups.append(child)
