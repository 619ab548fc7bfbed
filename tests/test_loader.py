"""Reading a facts file: bad inputs, positions, exact decimals, duplicate keys, aliases."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import BILLION_LAUGHS

from govreport import InputError, load
from govreport.diagnostics import Mark, Source
from govreport.facts.reading import MAX_BYTES, load_yaml, parse, read_text

# --------------------------------------------------------------------------- syntax errors


def test_yaml_syntax_error_reports_its_line(write, line_of):
    text = "agency:\n  name: 某某局\n  short_name: 某某: 局\nyear: 2023\n"
    path = write(text)
    with pytest.raises(InputError) as info:
        load(path)
    exc = info.value
    assert exc.line == line_of(text, "short_name") == 3
    assert exc.column is not None
    assert exc.file == str(path)
    assert exc.exit_code == 2
    assert "YAML 格式错误" in exc.message
    assert "冒号" in exc.message  # the translated explanation, not PyYAML's English
    assert f"第 {exc.line} 行" in exc.format_message()
    assert exc.hint


def test_unclosed_bracket_is_reported_near_its_line():
    text = "agency:\n  name: 某某局\nyear: 2023\nrequests:\n  received: [1, 2\n  carried_over: 3\n"
    with pytest.raises(InputError) as info:
        parse(text, "x.yaml")
    assert info.value.line in (5, 6)
    assert info.value.file == "x.yaml"


def test_tab_indentation_is_explained():
    text = "agency:\n\tname: 某某局\n"
    with pytest.raises(InputError) as info:
        parse(text)
    assert info.value.line == 2
    assert "Tab" in info.value.message


def test_several_documents_are_refused():
    with pytest.raises(InputError) as info:
        parse("year: 2023\n---\nyear: 2024\n")
    assert info.value.line == 2
    assert "---" in info.value.message


def test_python_tags_are_not_constructed():
    with pytest.raises(InputError) as info:
        parse("agency: !!python/object/apply:os.system ['echo hi']\n")
    assert info.value.line == 1


def test_deep_nesting_is_an_input_error_not_a_crash():
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(InputError) as info:
        parse(text)
    assert "嵌套" in info.value.message
    assert info.value.line == 1


def test_very_deep_nesting_does_not_kill_the_process():
    """libyaml recurses in C: 50,000 levels (100 kB) used to end in a segmentation fault.

    Run in a child process so that a crash fails this test instead of the whole run.
    """
    code = (
        "from govreport import InputError\n"
        "from govreport.facts.reading import parse\n"
        "try:\n"
        "    parse('a: ' + '[' * 50000 + ']' * 50000)\n"
        "except InputError as exc:\n"
        "    print(exc.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "嵌套" in done.stdout


# --------------------------------------------------------------------------- not a mapping


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("- 1\n- 2\n", "列表", 1),
        ("# 注释\n\n- agency\n", "列表", 3),
        ("某某局\n", "单个值", 1),
        ("2023\n", "单个值", 1),
    ],
)
def test_non_mapping_document(write, text, kind, line):
    path = write(text)
    with pytest.raises(InputError) as info:
        load(path)
    assert "映射" in info.value.message
    assert kind in info.value.message
    assert info.value.line == line
    assert info.value.exit_code == 2


# --------------------------------------------------------------------------- files


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.message == "文件不存在"
    assert info.value.file == str(path)
    assert str(path) in info.value.format_message()


def test_directory_is_not_a_facts_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_text(tmp_path)
    assert "文件夹" in info.value.message


@pytest.mark.parametrize("content", ["", "\n\n", "   \n\t\n", "\ufeff"])
def test_empty_file(write, content):
    with pytest.raises(InputError) as info:
        load(write(content))
    assert info.value.message == "文件为空"
    assert "govreport init" in info.value.hint


def test_file_with_only_comments(write):
    with pytest.raises(InputError) as info:
        load(write("# 只有注释\n# 没有内容\n"))
    assert "注释" in info.value.message


def test_file_that_is_not_utf8(write):
    text = "year: 2023\nformat: '2021'\nagency:\n  name: 某某局\n"
    path = write(text.encode("gbk"))
    with pytest.raises(InputError) as info:
        load(path)
    exc = info.value
    assert "UTF-8" in exc.message
    assert exc.line == 4  # the first line holding a byte that is not UTF-8
    assert "GBK" in exc.hint
    assert exc.exit_code == 2


def test_utf8_with_bom_is_read(write, minimal_yaml):
    path = write(b"\xef\xbb\xbf" + minimal_yaml.encode("utf-8"))
    assert load(path).agency.name == "某某局"


def test_huge_file_is_refused_quickly(write, minimal_yaml):
    padding = "# " + "x" * 98 + "\n"
    text = minimal_yaml + padding * (MAX_BYTES // len(padding) + 1)
    assert len(text.encode("utf-8")) > MAX_BYTES
    path = write(text)
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load(path)
    assert time.perf_counter() - start < 1
    assert "过大" in info.value.message
    with pytest.raises(InputError, match="过大"):
        parse(text)


def test_file_just_under_the_limit_is_read(write, minimal_yaml):
    padding = "# " + "x" * 98 + "\n"
    text = minimal_yaml + padding * 100
    assert len(text.encode("utf-8")) < MAX_BYTES
    assert load(write(text)).year == 2023


# --------------------------------------------------------------------------- aliases


def test_billion_laughs_is_refused_within_a_second(write, line_of):
    path = write(BILLION_LAUGHS)
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load(path)
    assert time.perf_counter() - start < 1
    assert "别名" in info.value.message
    assert info.value.line == line_of(BILLION_LAUGHS, "*a")
    assert info.value.file == str(path)


def test_a_single_alias_is_refused(line_of):
    text = "agency:\n  name: 某某局\nyear: &y 2023\npublished: *y\n"
    with pytest.raises(InputError) as info:
        parse(text)
    assert info.value.line == line_of(text, "*y")


def test_merge_key_alias_is_refused():
    text = "base: &b {upheld: 1}\nreviews:\n  reconsideration:\n    <<: *b\n"
    with pytest.raises(InputError) as info:
        parse(text)
    assert info.value.line == 4


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_key_is_refused_at_its_second_line(line_of):
    text = (
        "agency:\n  name: 某某局\nyear: 2023\nproactive:\n  licensing: 5\n"
        "  punishment: 1\n  licensing: 7\n"
    )
    with pytest.raises(InputError) as info:
        parse(text, "x.yaml")
    exc = info.value
    assert exc.line == line_of(text, "licensing: 7")
    assert exc.column == 3
    assert "licensing" in exc.message
    assert f"第 {line_of(text, 'licensing: 5')} 行" in exc.message


def test_duplicate_top_level_key(line_of):
    text = "year: 2023\nagency:\n  name: 某某局\nyear: 2024\n"
    with pytest.raises(InputError) as info:
        parse(text)
    assert info.value.line == line_of(text, "2024")


def test_same_key_in_different_mappings_is_fine():
    data, _ = parse("a:\n  total: 1\nb:\n  total: 2\n")
    assert data == {"a": {"total": 1}, "b": {"total": 2}}


# --------------------------------------------------------------------------- values


def test_decimals_stay_exact():
    data, _ = parse("fees: 12.35\nother: 286.74\nint: 12\n")
    assert data["fees"] == Decimal("12.35")
    assert isinstance(data["fees"], Decimal)
    assert str(data["fees"]) == "12.35"
    assert data["other"] == Decimal("286.74")
    assert data["int"] == 12
    assert isinstance(data["int"], int)


def test_fees_in_an_example_stay_exact(write, example_text):
    facts = load(write(example_text("busy-2023")))
    assert facts.proactive.fees == Decimal("12.35")
    assert isinstance(facts.proactive.fees, Decimal)
    facts = load(write(example_text("busy-government-2023")))
    assert facts.proactive.fees == Decimal("286.74")


def test_yaml_dates_are_dates_and_impossible_dates_stay_text():
    data, _ = parse("a: 2024-01-20\nb: 2024-02-30\nc: 2024-13-01\n")
    assert data["a"] == dt.date(2024, 1, 20)
    assert data["b"] == "2024-02-30"
    assert data["c"] == "2024-13-01"


# --------------------------------------------------------------------------- positions

POSITIONS = """\
year: 2023
requests:
  received: [1, 2, 3, 4, 5, 6]
  carried_over:
    natural_person: 7
  note: |
    text
list:
  - x
  - y
"""


def test_marks_give_key_and_value_positions():
    _, source = parse(POSITIONS, "p.yaml")
    assert source.file == "p.yaml"
    assert source.marks[("year",)] == Mark(1, 7, 1, 1)
    assert source.marks[("requests", "received")] == Mark(3, 13, 3, 3)
    assert source.marks[("requests", "received", 2)] == Mark(3, 20)
    assert source.marks[("requests", "carried_over", "natural_person")] == Mark(5, 21, 5, 5)
    assert source.marks[("list", 1)] == Mark(10, 5)


def test_locate_maps_applicant_columns_to_list_items():
    _, source = parse(POSITIONS)
    line = POSITIONS.splitlines()[2]
    # ``business`` is the second of the six applicant columns: item 1 of the list.
    assert source.locate(("requests", "received", "business")) == (3, line.index("2") + 1)
    assert source.locate(("requests", "received", "other")) == (3, line.index("6") + 1)
    assert source.has(("requests", "received", "business"))
    assert not source.has(("requests", "carried_over", "business"))


def test_locate_falls_back_to_the_nearest_written_ancestor():
    _, source = parse(POSITIONS)
    # carried_over.business is not written: the carried_over key's line stands in.
    assert source.locate(("requests", "carried_over", "business")) == (4, 3)
    assert source.locate(("requests", "results", "withheld", "state_secret")) == (2, 1)
    assert source.locate(("reviews", "reconsideration")) == (None, None)
    assert source.locate(("year",), key=True) == (1, 1)


def test_source_without_marks_locates_nothing():
    assert Source().locate(("year",)) == (None, None)


def test_load_yaml_returns_data_and_source(write, minimal_yaml):
    path = write(minimal_yaml)
    data, source = load_yaml(path)
    assert data["agency"] == {"name": "某某局"}
    assert source.file == str(path)
    assert source.locate(("agency", "name")) == (2, 9)


# --------------------------------------------------------------------------- one walk, same data

_SAME_AS_PYYAML = [
    *sorted(str(p) for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")),
    "a: !!set {x, y}\nb: !!omap [{k: 1}]\nc: [!!str 12, -3, 0, 2.50, 2024-01-20, ~, yes]\n",
    "2023: 一\n~: 二\n1.5: [[], {}]\n'多行': |\n  第一行\n\n  第三行\n",
]


@pytest.mark.parametrize("case", _SAME_AS_PYYAML, ids=lambda c: Path(c).name[:20])
def test_the_marking_walk_builds_what_pyyaml_would(case):
    """``parse`` builds the data in the same walk that records positions; what it builds
    is what PyYAML's own constructor makes of the document (with the facts loader's
    exact decimals), key for key and type for type."""
    from govreport.facts.reading import _FactsLoader

    text = read_text(case) if case.endswith(".yaml") else case
    loader = _FactsLoader(text)
    try:
        expected = loader.get_single_data()
    finally:
        loader.dispose()
    data, _ = parse(text)

    def typed(value):
        if isinstance(value, dict):
            return {(type(k), k): typed(v) for k, v in value.items()}
        if isinstance(value, (list, tuple, set)):
            return (type(value), [typed(v) for v in value])
        return (type(value), value)

    assert typed(data) == typed(expected)


# --------------------------------------------------------------------------- the depth pre-check


def _event_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(
        text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    ):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["list", "dict"]), min_size=95, max_size=110),
    st.integers(min_value=2, max_value=9),
    st.sampled_from([False, None, True]),
)
def test_the_cheap_depth_bound_never_misses_a_deep_document(kinds, indent, flow) -> None:
    """Files are scanned for depth only when ``_could_be_deep`` says they might be too
    deep (libyaml recurses in C); it may say so needlessly, never wrongly say no.
    Block (with indentless and compact sequences, any indent width) and flow nesting."""
    from govreport.facts.reading import MAX_DEPTH, _could_be_deep

    node: object = "x"
    for kind in reversed(kinds):
        node = [node, 1] if kind == "list" else {"k": node, "z": 1}
    text = yaml.safe_dump(node, indent=indent, default_flow_style=flow, width=10_000)
    if _event_depth(text) > MAX_DEPTH:
        assert _could_be_deep(text)


@pytest.mark.parametrize(
    "text",
    [
        "- " * 110 + "x\n",
        "".join("  " * i + f"- &a{i}\n" for i in range(110)) + "  " * 110 + "- x\n",
        "- !!seq\n" + "".join("  " * i + "- !!seq\n" for i in range(1, 110)) + "  " * 110 + "- x\n",
        "? " * 110 + "x\n",
        "".join(" " * i + f"k{i}:\n" for i in range(110)) + " " * 110 + "v\n",
        # two levels a column: a sequence as a mapping's value shares the mapping's column
        "".join(" " * i + f"k{i}:\n" + " " * i + "-\n" for i in range(56)) + " " * 56 + "v\n",
    ],
    ids=["compact", "anchors", "tags", "complex-keys", "one-space", "indentless"],
)
def test_deep_block_nesting_of_every_kind_is_caught(text: str) -> None:
    from govreport.facts.reading import MAX_DEPTH, _could_be_deep

    assert _event_depth(text) > MAX_DEPTH
    assert _could_be_deep(text)
    with pytest.raises(InputError) as info:
        parse(text)
    assert "嵌套" in info.value.message
