"""What a user feeds in through a facts file or the command line, tried as a hostile user would.

Every case here failed before issue 9: an English library message, a number that
changed silently, a value past any sane bound, a file that made ``check`` block,
a command-line mistake answered in English.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import os
import re
import shutil
import threading
from decimal import Decimal
from pathlib import Path

import click
import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport import FactsError, InputError, check, load, render
from govreport import official as fmt
from govreport.cli import chinese
from govreport.cli.main import main
from govreport.facts.fields import FEE_PLACES, MAX_COUNT, MAX_FEES, MAX_TEXT_CHARS
from govreport.facts.reading import MAX_BYTES, parse, read_text
from govreport.narrative.placeholders import escape

HEAD = "agency:\n  name: 某某局\nyear: 2023\n"
#: A word of English prose: what no message to the user may contain.
ENGLISH = re.compile(r"\b(?:[A-Za-z]{3,}\s+){2,}[A-Za-z]{3,}\b")


def refused(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, "f.yaml")
    return info.value


def schema_problem(text: str, tmp_path: Path):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as info:
        load(path)
    (problem,) = info.value.problems
    return problem


def cjk(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


# --------------------------------------------------------------------------- PyYAML in Chinese

BROKEN_YAML = [
    "a: 'x\n",
    'a: "\\q"\n',
    "a: {b: 1\n",
    "a: [1, 2\n",
    "- a\nb: 1\n",
    "a: b: c\n",
    "a: 'x' y\n",
    "a: @x\n",
    "a: `x\n",
    "a: !!python/object:os.system x\n",
    "a: !foo 1\n",
    "a: !!binary aGVsbG8=\n",
    "? [a]\n: 1\n",
    "a: &x 1\nb: *y\n",
    "a: 1\n---\nb: 2\n",
    "%FOO bar\n---\na: 1\n",
    "a: |0\n  x\n",
    "a: !!int x\n",
    "a: !!bool maybe\n",
    "a: !!timestamp yesterday\n",
    "a: !<tag:x> 1\n",
    "a: " + "[" * 150 + "]" * 150 + "\n",
    "a:\n\tb: 1\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_every_yaml_problem_is_said_in_chinese_with_its_line(text):
    exc = refused(text)
    message = exc.format_message()
    assert cjk(exc.message), message
    assert not ENGLISH.search(exc.message), message
    assert "无法解析（" not in message  # no English in brackets as a fallback
    assert exc.line is not None and exc.exit_code == 2


@pytest.mark.parametrize(
    ("char", "name"),
    [("\0", "U+0000"), ("\ufffe", "U+FFFE"), ("\x07", "U+0007"), ("\x1b", "U+001B")],
)
def test_characters_yaml_cannot_read_are_named_with_their_line(char, name):
    text = HEAD + "overview:\n  summary: |\n    第一段\n    第二" + char + "段\n"
    exc = refused(text)
    assert name in exc.message
    assert exc.line == 7
    assert cjk(exc.message) and not ENGLISH.search(exc.message)


def test_a_nul_byte_in_a_file_on_disk(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_bytes(HEAD.encode() + b"published: 2024-01-\x0020\n")
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.line == 4
    assert "U+0000" in info.value.message


# --------------------------------------------------------------------------- numbers as written


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("012", "12"),
        ("0x1F", "十六进制"),
        ("1_000", "1000"),
        ("1:20", "六十进制"),
        ("+5", "5"),
        ("1_000.5", "下划线"),
        ("1.5e+3", "科学计数法"),
        ("12.", "小数点"),
    ],
)
def test_a_number_yaml_would_reinterpret_is_refused_at_its_line(written, advice):
    text = HEAD + f"proactive:\n  licensing: 3\n  punishment: {written}\n"
    exc = refused(text)
    assert exc.line == 6 and exc.column == 15
    assert written in exc.message and advice in exc.message
    assert "十进制" in exc.format_message()


def test_an_unquoted_phone_number_that_yaml_reads_as_octal_is_refused():
    exc = refused(
        HEAD.replace("  name: 某某局\n", "  name: 某某局\n  contact:\n    phone: 01234567\n")
    )
    assert exc.line == 4 and "引号" in exc.format_message()


@pytest.mark.parametrize("written", ["1e3", "0o17", "'1_000'", "'+5'", "'012'", "'0x1F'", "' 1 2'"])
def test_a_count_written_as_text_must_be_plain_digits(tmp_path, written):
    problem = schema_problem(HEAD + f"proactive:\n  licensing: {written}\n", tmp_path)
    assert problem.code == "F2" and problem.line == 5
    assert "十进制整数" in problem.message


def test_numbers_written_plainly_still_load(tmp_path):
    text = HEAD + "proactive:\n  licensing: '7'\n  punishment: 0\n  coercion: 12\n  fees: 0.5\n"
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    proactive = load(path).proactive
    assert (proactive.licensing, proactive.punishment, proactive.coercion) == (7, 0, 12)
    assert proactive.fees == Decimal("0.5")


def test_the_merge_key_is_refused_like_a_duplicate_key():
    exc = refused(HEAD + "proactive: {licensing: 3, <<: {licensing: 5}}\n")
    assert "<<" in exc.message and exc.line == 4


def test_a_merge_key_in_block_style_is_refused():
    text = HEAD + "proactive:\n  licensing: 3\n  <<:\n    punishment: 5\n"
    assert refused(text).line == 6


def test_a_number_past_any_sane_length_is_refused_before_conversion():
    exc = refused(HEAD + "proactive:\n  licensing: " + "9" * 5000 + "\n")
    assert exc.line == 5 and "位数过多" in exc.message


@pytest.mark.parametrize("written", [str(MAX_COUNT), "10" + "0" * 15, "'1000000000'"])
def test_counts_have_an_upper_bound_that_the_message_states(tmp_path, written):
    problem = schema_problem(HEAD + f"proactive:\n  licensing: {written}\n", tmp_path)
    assert f"{MAX_COUNT:,}" in problem.message and problem.line == 5


def test_the_largest_count_below_the_bound_is_kept(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(HEAD + f"proactive:\n  licensing: {MAX_COUNT - 1}\n", encoding="utf-8")
    assert load(path).proactive.licensing == MAX_COUNT - 1


@pytest.mark.parametrize(
    "written", ['"1E+999999999"', str(MAX_FEES), '"1e9"', '"' + "9" * 50 + '"', "1e3", "'1_000'"]
)
def test_fees_have_an_upper_bound_and_a_huge_exponent_is_refused_without_expanding(
    tmp_path, written
):
    problem = schema_problem(HEAD + f"proactive:\n  fees: {written}\n", tmp_path)
    assert "万元" in problem.message and f"{MAX_FEES:,}" in problem.message


def test_a_huge_exponent_through_the_api_is_refused_too():
    with pytest.raises(FactsError) as info:
        load(
            {
                "agency": {"name": "某某局"},
                "year": 2023,
                "proactive": {"fees": Decimal("1E+999999999"), "licensing": Decimal("1E+99999")},
            }
        )
    messages = sorted(p.message for p in info.value.problems)
    assert len(messages) == 2 and all("过大" in m for m in messages)


@pytest.mark.parametrize("count", [Decimal("1E+999999999"), Decimal("-1E+999999999")])
def test_a_count_past_the_decimal_exponent_limit_is_refused_not_a_crash(count):
    """``abs()`` of such a Decimal overflows the decimal context (``decimal.Overflow``);
    the bound is checked by comparing, which never rounds."""
    with pytest.raises(FactsError) as info:
        load({"agency": {"name": "某某局"}, "year": 2023, "proactive": {"licensing": count}})
    (problem,) = info.value.problems
    assert problem.path == ("proactive", "licensing")
    assert ("过大" if count > 0 else "负数") in problem.message


def test_fees_are_given_to_the_fen_at_most(tmp_path):
    """Published reports give fees to the 分 (24252.311082 万元); one place more is refused."""
    too_fine = "1." + "0" * FEE_PLACES + "1"
    problem = schema_problem(HEAD + f"proactive:\n  fees: {too_fine}\n", tmp_path)
    assert f"{FEE_PLACES} 位小数" in problem.message
    path = tmp_path / "ok.yaml"
    path.write_text(HEAD + "proactive:\n  fees: 24252.3110820\n", encoding="utf-8")
    assert load(path).proactive.fees == Decimal("24252.311082")


def test_a_text_over_the_limit_is_refused_never_cut():
    summary = "字" * (MAX_TEXT_CHARS + 1)
    with pytest.raises(FactsError) as info:
        load({"agency": {"name": "某某局"}, "year": 2023, "overview": {"summary": summary}})
    (problem,) = info.value.problems
    assert problem.path == ("overview", "summary")
    assert f"{MAX_TEXT_CHARS:,}" in problem.message


def test_a_text_at_the_limit_is_kept_whole_in_the_word_file(tmp_path):
    summary = "字" * (MAX_TEXT_CHARS - 1) + "尾"
    data = {"agency": {"name": "某某局"}, "year": 2023, "overview": {"summary": summary}}
    assert load(data).overview.summary == summary
    target = render(data, f"{tmp_path}/").outputs["docx"]
    assert summary in [p.text for p in docx.Document(str(target)).paragraphs]


@pytest.mark.parametrize(("key", "line"), [("~", 4), ("2023", 4), ("null", 4), ("yes", 4)])
def test_unknown_keys_that_are_not_text_get_f1_with_their_line(tmp_path, key, line):
    problem = schema_problem(HEAD + f"{key}: 1\n", tmp_path)
    assert problem.code == "F1" and problem.line == line
    assert f"未知的键“{key if key != 'null' else '~'}”" in problem.message.replace("true", "yes")


def test_unknown_key_inside_a_section_gets_its_line(tmp_path):
    problem = schema_problem(HEAD + "proactive:\n  licensing: 1\n  2023: 4\n", tmp_path)
    assert problem.code == "F1" and problem.line == 6


# --------------------------------------------------------------------------- files


def _within(seconds: float, func, *args):
    """``func(*args)`` in a thread; fail if it has not finished in ``seconds`` (a hang)."""
    box: dict = {}

    def run():
        try:
            box["value"] = func(*args)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{func.__name__} did not finish in {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        _within(20, read_text, fifo)
    assert "不是普通文件" in info.value.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_at_once():
    with pytest.raises(InputError) as info:
        _within(20, load, "/dev/zero")
    assert "不是普通文件" in info.value.message


def test_a_folder_is_refused_as_not_a_facts_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_text(tmp_path)
    assert "文件夹" in info.value.message


def test_check_on_a_fifo_exits_2_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = _within(20, CliRunner().invoke, main, ["check", str(fifo)])
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_a_file_that_grows_is_read_at_most_to_the_limit(tmp_path, monkeypatch):
    """``stat`` says small, the file is long by the time it is read: never read past the limit."""
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"#" * (MAX_BYTES * 3))
    real_read = os.read
    asked: list[int] = []

    def read(fd, n):
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert "过大" in info.value.message
    assert sum(asked) <= MAX_BYTES + 1


# --------------------------------------------------------------------------- click in Chinese


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


BOILERPLATE = [
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message and exit.",
    "Show the version and exit.",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "TEXT",
    "INTEGER",
    "PATH ",
    "default:",
]


def _every_command(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _every_command(command, (*prefix, name))


@pytest.mark.parametrize("command", [(), *_every_command(main)], ids=" ".join)
def test_help_of_every_command_is_chinese(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    for english in BOILERPLATE:
        assert english not in result.output, (english, result.output)
    assert "用法:" in result.output and "显示本帮助并退出" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check"], "缺少参数"),
        (["check", "--strct", "x.yaml"], "没有“--strct”这个选项"),
        (["check", "--strct", "x.yaml"], "--strict"),
        (["chek"], "没有“chek”这个命令"),
        (["init", "--year", "abc"], "不是有效的数字"),
        (["check", "--format", "xml", "x.yaml"], "不是可选的值"),
        (["check", "-j", "0", "x.yaml"], "不在允许的范围内"),
        (["init", "--year"], "后面需要一个值"),
        (["templates", "check"], "缺少参数"),
        (["schema", "extra"], "多出了参数"),
    ],
)
def test_usage_errors_are_chinese_and_keep_exit_status_2(args, expected):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "错误：" in result.output
    for english in ("Error:", "Usage:", "Missing", "No such", "Try ", "Did you mean", "Invalid"):
        assert english not in result.output


def test_a_path_that_click_checks_is_reported_in_chinese(tmp_path):
    @click.command(cls=click.Command)
    @click.argument("p", type=click.Path(exists=True, readable=True))
    def probe(p: str) -> None:
        pass

    result = CliRunner().invoke(probe, [str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "路径" in result.output and "不存在" in result.output
    assert "does not exist" not in result.output


def _click_messages() -> set[str]:
    """Every message id click passes to gettext, read from its source."""
    root = Path(click.__file__).parent
    found: set[str] = set()
    for source in root.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                found |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
    return found


#: Messages about a command defined wrongly (a programmer's error) or a shell's, never a user's.
DEVELOPER_ONLY = re.compile(
    r"parameter declaration|cannot use the same flag|determine name|defined twice"
    r"|No options defined|DeprecationWarning|Bash|^d$"
)


def test_every_click_message_a_user_can_meet_has_a_chinese_translation():
    missing = {
        m for m in _click_messages() if m not in chinese.MESSAGES and not DEVELOPER_ONLY.search(m)
    }
    assert not missing
    for english, translated in chinese.MESSAGES.items():
        assert cjk(translated) or translated.startswith("%"), english
        # a translation uses only the names click fills in (no KeyError at run time)
        names = set(re.findall(r"\{(\w+)", translated))
        assert names <= set(re.findall(r"\{(\w+)", english)), english


def test_a_message_missing_from_the_catalogue_is_still_chinese():
    assert cjk(chinese.gettext("Some message a later click adds."))


# --------------------------------------------------------------------------- narrative texts are data

NARRATIVE_PATHS = [
    *(("overview", key) for key in fmt.OVERVIEW_KEYS),
    *(("problems", t.key) for t in fmt.PROBLEM_TOPICS),
    *(("other_matters", t.key) for t in fmt.OTHER_MATTER_TOPICS),
]
#: Every Jinja delimiter and brace, quotes, CJK, and the characters YAML and Word care about.
PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "%", "#", '"', "'", "\\", "|", "-", ":"]
LINE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from(["年", "局", "申请", "件", " ", "range", "7**9", "include", "x", "0"]),
        st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), max_size=3),
    ),
    min_size=1,
    max_size=25,
).map("".join)
#: A paragraph as it stands in the report: no leading or trailing space, no ``**lead**``.
PARAGRAPH = LINE_TEXT.map(str.strip).filter(lambda t: t and not t.startswith("**"))
CONTROL = st.sampled_from(["\x00", "\x07", "\x0b", "\x1b", "\ufffe"])


def facts_with(texts: dict[tuple[str, str], str]) -> dict:
    data: dict = {"agency": {"name": "某某局"}, "year": 2023, "published": dt.date(2024, 1, 20)}
    for (section, key), text in texts.items():
        data.setdefault(section, {})[key] = text
    return data


def rendered_paragraphs(data: dict, folder: Path) -> list[str]:
    shutil.rmtree(folder, ignore_errors=True)
    target = render(data, f"{folder}/").outputs["docx"]
    return [p.text for p in docx.Document(str(target)).paragraphs]


def contains_in_order(paragraphs: list[str], wanted: list[str]) -> bool:
    at = 0
    for paragraph in paragraphs:
        if at < len(wanted) and paragraph.endswith(wanted[at]):
            at += 1
    return at == len(wanted)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(PARAGRAPH, min_size=1, max_size=3))
def test_escaped_text_in_every_narrative_field_comes_back_exactly(tmp_path_factory, lines):
    """``escape(t)`` in every field: each rendered paragraph is ``t``'s line, braces and all."""
    text = "\n".join(lines)
    texts = {path: escape(text) for path in NARRATIVE_PATHS}
    paragraphs = _within(60, rendered_paragraphs, facts_with(texts), tmp_path_factory.mktemp("p"))
    body = [p for p in paragraphs if p]
    for line in lines:
        # once per field (every field holds the same text; a heading may precede it)
        assert sum(p.endswith(line) for p in body) >= len(NARRATIVE_PATHS), (line, body)
    assert contains_in_order(body, lines * len(NARRATIVE_PATHS))


@settings(max_examples=60, deadline=None)
@given(
    text=st.one_of(
        LINE_TEXT,
        st.tuples(LINE_TEXT, CONTROL, LINE_TEXT).map("".join),
    ),
    path=st.sampled_from(NARRATIVE_PATHS),
)
def test_raw_text_in_any_narrative_field_is_plain_text_or_a_problem_of_the_facts(text, path):
    """Unescaped random text: either it has no Jinja opener and stands as written, or
    check reports T1 (or F2 for a control character); never anything else, never a hang."""
    text = "说明" + text  # a blank text would let boilerplate stand in
    result = _within(30, check, facts_with({path: text}))
    codes = set(result.codes())
    if codes & {"T1", "F2"}:
        assert result.errors and codes & {"T1", "F2"} == {p.code for p in result.errors}
        return
    assert not result.errors
    if path == ("overview", "summary"):
        paragraphs = result.narrative.summary
    else:
        items = result.narrative.section_items(path[0])
        paragraphs = next(i.paragraphs for i in items if i.key == path[1])
    assert "\n".join(p.plain for p in paragraphs) == "\n".join(
        line.strip() for line in text.strip().splitlines() if line.strip()
    )


HANGS = [
    "{{ 7**999999999 }}",
    "{{ 10**100000 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{% include 'x' %}",
    "{% import 'x' as y %}",
    "{% extends 'x' %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ 'x' * 999999999 }}",
    "原文写着{{ year + 1 }}",
]


@pytest.mark.parametrize("text", HANGS)
def test_code_in_a_text_finishes_at_once_with_t1(text):
    result = _within(30, check, facts_with({("overview", "summary"): text}))
    assert [p.code for p in result.errors] == ["T1"] * len(result.errors) and result.errors


def test_t1_points_at_the_line_inside_a_block_and_names_the_section(tmp_path):
    text = (
        HEAD
        + "published: 2024-01-20\n"
        + "other_matters:\n"
        + "  proposals: |\n"
        + "    办理建议{{ requests.received.total }}件。\n"
        + "\n"
        + "    第三行{{ requests.recieved.total }}件，{% if year %}x{% endif %}。\n"
        + "overview:\n"
        + '  summary: "一行{{ yeer }}"\n'
    )
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    errors = check(path).errors
    assert [(p.code, p.line) for p in errors] == [("T1", 9), ("T1", 9), ("T1", 9), ("T1", 11)]
    assert "recieved" in errors[0].message and "该段第 3 行" in errors[0].message
    assert "if year" in errors[1].message and "endif" in errors[2].message
    assert all("人大代表建议" in p.label for p in errors[:3])
    assert "yeer" in errors[3].message and "总体情况" in errors[3].label


# --------------------------------------------------------------------------- init, schema, next


@pytest.mark.parametrize("year", ["99999", "-5", "0", "2007", str(dt.date.today().year + 2)])
def test_init_refuses_a_year_outside_the_sane_range(tmp_path, year):
    out = tmp_path / "f.yaml"
    result = invoke("init", "-o", str(out), f"--year={year}")
    assert result.exit_code == 2
    assert "不在允许的范围内" in result.output and "2008" in result.output
    assert not out.exists()


def test_init_leaves_the_date_commented_out_and_says_so(tmp_path):
    out = tmp_path / "f.yaml"
    result = invoke("init", "-o", str(out), "--year", "2008")
    assert result.exit_code == 0
    assert "落款日期" in result.stderr
    checked = check(out)
    assert checked.facts.published is None and "D3" in checked.codes()


def test_schema_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "schema.json"
    out.write_text("keep me\n", encoding="utf-8")
    result = invoke("schema", "-o", str(out))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert invoke("schema", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_next_on_the_last_supported_year_is_a_clean_error(tmp_path):
    source = tmp_path / "report-2100.yaml"
    source.write_text(HEAD.replace("2023", "2100"), encoding="utf-8")
    result = invoke("next", str(source))
    assert result.exit_code == 1, result.output
    assert "2100" in result.stderr and "最后" in result.stderr
    assert "内部错误" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-2100.yaml"]


def test_next_on_the_year_before_the_last_passes_check(tmp_path):
    source = tmp_path / "report-2099.yaml"
    source.write_text(HEAD.replace("2023", "2099"), encoding="utf-8")
    assert invoke("next", str(source)).exit_code == 0
    assert check(tmp_path / "report-2100.yaml").facts.year == 2100


@pytest.mark.parametrize("breaker", ["\n", "\r", "\x85", "\u2028", "\x0b"])
def test_a_line_break_in_a_file_name_never_reaches_the_yaml_next_writes(tmp_path, breaker):
    source = tmp_path / f"x{breaker}template: shandong{breaker}#-2023.yaml"
    source.write_text(HEAD, encoding="utf-8")
    result = invoke("next", str(source))
    assert result.exit_code == 0, result.output
    (written,) = (p for p in tmp_path.iterdir() if "2024" in p.name)
    text = written.read_text(encoding="utf-8")
    assert check(written).facts.template is None  # no live key injected
    assert all(line == "" or not line.startswith("template") for line in text.splitlines())
    header = [line for line in text.split("\n") if "govreport next" in line]
    assert len(header) == 1 and "\ufffd" in header[0]


def test_a_control_character_in_any_header_line_is_made_harmless():
    from govreport.facts.writer import dump_facts

    facts = load({"agency": {"name": "某某局"}, "year": 2023})
    text = dump_facts(facts, header=["由 govreport import 从 a\ntemplate: x\n#.html 导入。"])
    data, _ = parse(text)
    assert "template" not in data
    assert load(data).agency.name == "某某局"


# --------------------------------------------------------------------------- the documented limits

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _resolve(dotted: str, monkeypatch):
    """The value a docs table names: ``module.NAME``, ``module.Class.attr`` or ``module.func()``."""
    call = dotted.endswith("()")
    parts = dotted.removesuffix("()").split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            value = getattr(value, name)
        break
    if call:
        monkeypatch.delenv("GOVREPORT_PDF_TIMEOUT", raising=False)
        value = value()
    return value


def _table_rows(page: str) -> list[list[str]]:
    rows = []
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(r"`govreport[\w.]*(?:\(\))?`", cells[-1]):
            rows.append(cells)
    return rows


def test_every_documented_limit_is_the_constant_in_the_code(monkeypatch):
    limits = [r for r in _table_rows("limits.md") if len(r) == 4]
    assert len(limits) >= 12
    for _, shown, _, code in limits:
        number = int(re.search(r"\d[\d,]*", shown).group().replace(",", ""))
        assert number == _resolve(code.strip("`"), monkeypatch), (shown, code)


def test_every_documented_exit_status_is_the_one_the_code_uses(monkeypatch):
    statuses = [r for r in _table_rows("limits.md") if len(r) == 3]
    for status, _, code in statuses:
        assert int(status) == _resolve(code.strip("`"), monkeypatch), (status, code)
    documented = {int(r[0]) for r in statuses}
    from govreport import errors as _exceptions

    cli_main = importlib.import_module("govreport.cli.main")  # the package exports the command
    in_code = {
        cls.exit_code
        for cls in vars(_exceptions).values()
        if isinstance(cls, type) and issubclass(cls, _exceptions.GovReportError)
    } | {v for k, v in vars(cli_main).items() if k.startswith("EXIT_")}
    assert documented == in_code | {click.UsageError.exit_code}
    # the commands page lists the same statuses
    commands = (DOCS / "commands.md").read_text(encoding="utf-8").split("## 退出状态", 1)[1]
    listed = {int(m) for m in re.findall(r"^\| (\d+) \|", commands, re.M)}
    assert listed == documented


def test_the_facts_page_states_the_same_bounds():
    text = (DOCS / "facts.md").read_text(encoding="utf-8")
    assert f"小于 {MAX_COUNT:,}" in text and f"小于 {MAX_FEES:,} 万元" in text
    assert f"最多 {FEE_PLACES} 位小数" in text and f"最多 {MAX_TEXT_CHARS:,} 字" in text


def test_the_editor_schema_states_the_same_bounds():
    import jsonschema

    from govreport.facts.jsonschema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    base = {"agency": {"name": "某某局"}, "year": 2023}
    assert validator.is_valid({**base, "proactive": {"licensing": MAX_COUNT - 1, "fees": "1.2345"}})
    assert not validator.is_valid({**base, "proactive": {"licensing": MAX_COUNT}})
    assert not validator.is_valid({**base, "proactive": {"fees": MAX_FEES}})
    assert not validator.is_valid({**base, "proactive": {"fees": "1." + "0" * FEE_PLACES + "1"}})
    assert not validator.is_valid({**base, "overview": {"summary": "字" * (MAX_TEXT_CHARS + 1)}})
