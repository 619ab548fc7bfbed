"""Property-based tests: consistent facts raise no alarm; one broken cell is found where it is."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import PLAIN_TEXT, clean_facts_dict, dump_yaml
from yaml.nodes import MappingNode, SequenceNode

from govreport import check
from govreport import official as fmt

COLUMNS = fmt.APPLICANT_COLUMNS
TYPED_ROWS = [r for r in fmt.REQUEST_ROWS if not r.computed]
RESULT_ROWS = fmt.result_rows()
SETTINGS = settings(max_examples=50, deadline=None)

counts = st.integers(min_value=0, max_value=60)
row_numbers = st.lists(counts, min_size=len(COLUMNS), max_size=len(COLUMNS))


# --------------------------------------------------------------------------- building facts


def get_path(data: dict, path: tuple):
    node = data
    for key in path:
        node = node[key]
    return node


def set_path(data: dict, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def row_value(draw, numbers: list[int]):
    """A ROW as the author might write it: a list, a full mapping, a partial mapping,
    each with or without a (correct) typed total."""
    form = draw(st.sampled_from(["list", "mapping", "partial"]))
    if form == "list":
        return list(numbers)
    row = {c.key: n for c, n in zip(COLUMNS, numbers, strict=True) if form == "mapping" or n}
    if draw(st.booleans()):
        row["total"] = sum(numbers)
    return row


def numbers_of(row) -> list[int]:
    if isinstance(row, list):
        return list(row)
    return [row.get(c.key, 0) for c in COLUMNS]


@st.composite
def consistent_facts(draw) -> dict:
    """Facts whose every identity holds, with random numbers in every table."""
    year = draw(st.integers(min_value=2010, max_value=2098))
    level = draw(st.sampled_from(sorted(fmt.LEVELS)))
    data = clean_facts_dict(year, level)
    first = dt.date(year + 1, 1, 1)
    month, day = fmt.DEADLINES[level]
    window = (dt.date(year + 1, month, day) - first).days
    data["published"] = first + dt.timedelta(days=draw(st.integers(0, window)))

    requests: dict = {}
    handled = [0] * len(COLUMNS)
    for row in RESULT_ROWS:
        numbers = draw(row_numbers)
        handled = [a + b for a, b in zip(handled, numbers, strict=True)]
        set_path(requests, row.path, row_value(draw, numbers))
    carried_over = draw(row_numbers)
    carried_forward = draw(row_numbers)
    received = []
    for i in range(len(COLUMNS)):
        # 一 + 二 = （七） + 四, with 一 ≥ 0: move any shortfall to 四.
        need = handled[i] + carried_forward[i] - carried_over[i]
        if need < 0:
            carried_forward[i] -= need
            need = 0
        received.append(need)
    requests["received"] = row_value(draw, received)
    requests["carried_over"] = row_value(draw, carried_over)
    requests["carried_forward"] = row_value(draw, carried_forward)
    data["requests"] = requests

    proactive: dict = {}
    for key in ("regulations", "normative_documents"):
        proactive[key] = {c.key: draw(counts) for c in fmt.DOCUMENT_COLUMNS}
    for cell in fmt.PROACTIVE_CELLS:
        if len(cell.path) == 2 and not cell.decimal:
            proactive[cell.path[1]] = draw(st.integers(0, 5000))
    fees = draw(st.decimals(min_value=0, max_value=100000, places=2))
    proactive["fees"] = str(fees)
    data["proactive"] = proactive

    reviews: dict = {}
    for block in fmt.REVIEW_BLOCKS:
        counts_ = {c.key: draw(st.integers(0, 20)) for c in fmt.REVIEW_OUTCOMES}
        if draw(st.booleans()):
            counts_["total"] = sum(counts_.values())
        reviews[block.key] = counts_
    data["reviews"] = reviews
    return data


def previous_year_of(data: dict) -> dict:
    """Last year's facts that agree with ``data`` on R5 and R6."""
    year = data["year"] - 1
    last = clean_facts_dict(year, data["agency"]["level"])
    carried = numbers_of(data["requests"]["carried_over"])
    last["requests"] = {"received": carried, "carried_forward": carried}
    last["proactive"] = {}
    for key in ("regulations", "normative_documents"):
        docs = data["proactive"][key]
        last_in_force = docs["in_force"] - docs["issued"] + docs["repealed"]
        if last_in_force < 0:  # keep 现行有效件数 non-negative: fix this year's instead
            docs["in_force"] -= last_in_force
            last_in_force = 0
        last["proactive"][key] = {"issued": 0, "repealed": 0, "in_force": last_in_force}
    return last


# --------------------------------------------------------------------------- YAML positions


def yaml_nodes(text: str, path: tuple):
    """(key node, value node) at ``path`` in ``text``, found with PyYAML alone."""
    key_node, node = None, yaml.compose(text)
    for key in path:
        if isinstance(node, MappingNode):
            key_node, node = next((k, v) for k, v in node.value if k.value == key)
        else:
            assert isinstance(node, SequenceNode)
            key_node, node = None, node.value[key]
    return key_node, node


def cell_line(text: str, row_path: tuple, column_index: int) -> int:
    """The line of one cell of table 三; a cell left out is found at its row's key."""
    row_key, row_node = yaml_nodes(text, ("requests", *row_path))
    if isinstance(row_node, SequenceNode):
        return row_node.value[column_index].start_mark.line + 1
    for key, value in row_node.value:
        if key.value == COLUMNS[column_index].key:
            return value.start_mark.line + 1
    return row_key.start_mark.line + 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


def write_yaml(folder: Path, data: dict) -> tuple[Path, str]:
    text = dump_yaml(data)
    path = folder / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(consistent_facts())
def test_consistent_facts_raise_no_alarm(data):
    result = check(data)
    assert result.problems == []
    assert result.facts.requests.row(fmt.RESULT_TOTAL_PATH).applicants() == tuple(
        sum(numbers_of(get_path(data["requests"], r.path))[i] for r in RESULT_ROWS)
        for i in range(len(COLUMNS))
    )


@SETTINGS
@given(consistent_facts())
def test_consistent_facts_with_last_year_raise_no_alarm(data):
    last = previous_year_of(data)
    assert check(last).problems == []
    assert check(data, previous=last).problems == []


@SETTINGS
@given(consistent_facts())
def test_consistent_facts_written_as_yaml_raise_no_alarm(folder, data):
    path, _ = write_yaml(folder, data)
    assert check(path).problems == []


@SETTINGS
@given(
    consistent_facts(),
    st.sampled_from(TYPED_ROWS),
    st.integers(0, len(COLUMNS) - 1),
    st.integers(1, 30),
)
def test_one_bumped_cell_is_reported_as_r1_for_its_column(folder, data, row, index, k):
    broken = copy.deepcopy(data)
    value = get_path(broken["requests"], row.path)
    numbers = numbers_of(value)
    numbers[index] += k
    if isinstance(value, list):
        value[index] = numbers[index]
    else:
        value[COLUMNS[index].key] = numbers[index]
        if "total" in value:  # keep the typed total right: only R1 may break
            value["total"] = sum(numbers)
    column = COLUMNS[index]

    for source in (broken, write_yaml(folder, broken)[0]):
        result = check(source)
        (problem,) = result.problems
        assert problem.code == "R1"
        assert problem.severity == "error"
        assert problem.path == ("requests", "received", column.key)
        assert problem.label == f"{fmt.APPLICANT_HEADER} · {column.label}"
        assert column.label in problem.label
        assert f"相差 {k}（" in problem.message

    text = dump_yaml(broken)
    assert problem.line == cell_line(text, ("received",), index)


@SETTINGS
@given(consistent_facts(), st.sampled_from(TYPED_ROWS), st.integers(1, 30))
def test_a_wrong_typed_row_total_is_r2_at_that_key(folder, data, row, k):
    broken = copy.deepcopy(data)
    numbers = numbers_of(get_path(broken["requests"], row.path))
    value = {c.key: n for c, n in zip(COLUMNS, numbers, strict=True)}
    value["total"] = sum(numbers) + k
    set_path(broken["requests"], row.path, value)

    path, text = write_yaml(folder, broken)
    (problem,) = check(path).problems
    assert problem.code == "R2"
    assert problem.path == ("requests", *row.path, "total")
    assert problem.label == f"{row.full_label} · {fmt.TOTAL.label}"
    key_node, value_node = yaml_nodes(text, ("requests", *row.path, "total"))
    assert problem.line == key_node.start_mark.line + 1 == value_node.start_mark.line + 1
    assert text.splitlines()[problem.line - 1].strip() == f"total: {sum(numbers) + k}"
    assert problem.file == str(path)


@SETTINGS
@given(consistent_facts(), st.sampled_from(fmt.REVIEW_BLOCKS), st.integers(1, 30))
def test_a_wrong_review_total_is_r4_at_that_key(folder, data, block, k):
    broken = copy.deepcopy(data)
    counts_ = broken["reviews"][block.key]
    counts_["total"] = sum(counts_[c.key] for c in fmt.REVIEW_OUTCOMES) + k
    path, text = write_yaml(folder, broken)
    (problem,) = check(path).problems
    assert problem.code == "R4"
    assert problem.path == ("reviews", block.key, "total")
    key_node, _ = yaml_nodes(text, problem.path)
    assert problem.line == key_node.start_mark.line + 1


@SETTINGS
@given(
    consistent_facts(),
    st.sampled_from(TYPED_ROWS),
    st.integers(0, len(COLUMNS) - 1),
    st.sampled_from(["/", "—", "－"]),
)
def test_a_blank_cell_is_r9_at_that_cell(folder, data, row, index, blank):
    broken = copy.deepcopy(data)
    value = get_path(broken["requests"], row.path)
    if isinstance(value, list):
        value[index] = blank
    else:
        value[COLUMNS[index].key] = blank
    path, text = write_yaml(folder, broken)
    (problem,) = check(path).problems
    column = COLUMNS[index]
    assert problem.code == "R9"
    assert problem.path == ("requests", *row.path, column.key)
    assert problem.label == f"{row.full_label} · {column.label}"
    assert problem.line == cell_line(text, row.path, index)
    assert blank in problem.message


@SETTINGS
@given(consistent_facts(), st.integers(0, len(COLUMNS) - 1), st.integers(1, 30))
def test_a_carry_that_disagrees_with_last_year_is_r5_for_its_column(data, index, k):
    last = previous_year_of(data)
    last["requests"]["received"][index] += k
    last["requests"]["carried_forward"][index] += k
    problems = check(data, previous=last).problems
    (problem,) = problems
    assert problem.code == "R5"
    assert problem.path == ("requests", "carried_over", COLUMNS[index].key)
    assert problem.label.endswith(COLUMNS[index].label)


def test_plain_text_is_plain():
    """The filler text must not trip the narrative checks by itself."""
    assert not any(ch.isdigit() for ch in PLAIN_TEXT)
    assert "年" not in PLAIN_TEXT and "将" not in PLAIN_TEXT
