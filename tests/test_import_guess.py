"""Import never guesses a number: where the text does not say which cell a number belongs
to, the row is unreadable (I5) or read with a warning that says what was assumed (I9).

Each report here is written as text copied out of a PDF leaves it: a table row a line,
its cells separated by spaces, so a blank cell leaves no trace. The rows are the ones
seen in published reports (issue 23).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govreport import import_report
from govreport import official as fmt

ROWS = {row.path: row.label for row in fmt.REQUEST_ROWS if not row.computed}
ROWS[fmt.RESULT_TOTAL_PATH] = "（七）总计"
ZERO = ["0"] * 7


def report_text(
    requests: dict[tuple[str, ...], list[str] | str],
    *,
    documents: str = "2 1 5",
    reviews: str = "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
) -> str:
    """A small report; ``requests`` gives table 三 rows (cells, or the row's text as printed)
    and the rows not given are zeros."""
    lines = [
        "某县统计局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，我局依法公开政府信息。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 0 0",
        f"行政规范性文件 {documents}",
        "第二十条第（五）项",
        "信息内容 本年处理决定数量",
        "行政许可 3",
        "第二十条第（六）项",
        "信息内容 本年处理决定数量",
        "行政处罚 0",
        "行政强制 0",
        "第二十条第（八）项",
        "信息内容 本年收费金额（单位：万元）",
        "行政事业性收费 0",
        "三、收到和处理政府信息公开申请情况",
    ]
    for path, label in ROWS.items():
        cells = requests.get(path, ZERO)
        lines.append(f"{label} {cells if isinstance(cells, str) else ' '.join(cells)}")
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
        reviews,
        "五、存在的主要问题及改进情况",
        "问题不少。",
        "六、其他需要报告的事项",
        "无。",
    ]
    return "\n".join(lines) + "\n"


def imported(tmp_path: Path, text: str, name: str = "report.txt"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_report(source)


def errors_at(result, path: tuple[str, ...]) -> list:
    return [p for p in result.errors if tuple(p.path) == path]


def assumed_cells(result) -> set[tuple[str, ...]]:
    return {path for path, cell in result.cells.items() if cell.assumed}


# --------------------------------------------------------------------------- vanished cells


def test_six_numbers_for_seven_cells_are_not_placed_by_position(tmp_path):
    """3,(blank),0,0,0,2,5 printed; nothing in the row says which cell vanished."""
    text = report_text({("received",): "3 0 0 0 2 5", ("carried_over",): "1 0 0 0 0 0 1"})
    result = imported(tmp_path, text)
    assert len(errors_at(result, ("requests", "received"))) == 1
    assert "无法读取" in errors_at(result, ("requests", "received"))[0].message
    assert result.facts.requests.received.applicants() == (0, 0, 0, 0, 0, 0)
    assert not any(path[:2] == ("requests", "received") for path in result.cells)


def test_a_vanished_cell_settled_by_the_tables_identities_is_read(tmp_path):
    """The same row, where R1 (新收 + 结转 = 总计 + 结转下年) leaves one reading."""
    rows = {
        ("received",): "3 0 0 0 2 5",
        ("results", "disclosed"): ["3", "0", "0", "0", "0", "2", "5"],
        fmt.RESULT_TOTAL_PATH: ["3", "0", "0", "0", "0", "2", "5"],
    }
    result = imported(tmp_path, report_text(rows))
    assert result.facts.requests.received.applicants() == (3, 0, 0, 0, 0, 2)
    assert not errors_at(result, ("requests", "received"))
    notes = [p for p in result.problems if p.code == "I7" and p.path[1:] == ("received",)]
    assert notes and "勾稽关系" in notes[0].message
    # which of the three 0 cells was the blank one, nobody can tell: said, not placed
    blank = [p for p in result.warnings if p.code == "I1" and p.path[1:] == ("received",)]
    assert blank and "不能确定" in blank[0].message


def test_a_lone_number_after_a_label_is_not_taken_for_the_total(tmp_path):
    result = imported(tmp_path, report_text({("carried_over",): "5"}))
    assert errors_at(result, ("requests", "carried_over"))
    row = result.facts.requests.carried_over
    assert row.total == 0 and row.stated_total is None


def test_a_row_of_zeros_missing_a_cell_reads_as_zeros_with_its_blank_said(tmp_path):
    result = imported(tmp_path, report_text({("carried_over",): "0 0 0 0 0 0"}))
    assert not errors_at(result, ("requests", "carried_over"))
    assert result.facts.requests.carried_over.total == 0
    assert any(p.code == "I1" and p.path[1:] == ("carried_over",) for p in result.warnings)


# --------------------------------------------------------------------------- run-together digits


def test_digits_of_table_two_split_one_a_cell_say_the_split_was_assumed(tmp_path):
    """规范性文件 3, 1, 5 run together as 315: it could be 3, blank, 15."""
    result = imported(tmp_path, report_text({}, documents="315"))
    documents = result.facts.proactive.normative_documents
    assert (documents.issued, documents.repealed, documents.in_force) == (3, 1, 5)
    warned = [p for p in result.warnings if p.code == "I9"]
    assert warned and warned[0].path == ("proactive", "normative_documents")
    assert "315" in warned[0].message
    assert assumed_cells(result) == {
        ("proactive", "normative_documents", c.key) for c in fmt.DOCUMENT_COLUMNS
    }
    assert any("I9" in line for line in result.to_yaml().splitlines()[:6])


def test_a_printed_total_that_disagrees_keeps_the_cells_and_the_total(tmp_path):
    """本年新收 printed 5100000: seven single digits, its 总计 0 (the report's R2 error)."""
    result = imported(tmp_path, report_text({("received",): "5100000"}))
    received = result.facts.requests.received
    assert received.applicants() == (5, 1, 0, 0, 0, 0)
    assert received.stated_total == 0
    assert ("requests", "received", "total") in assumed_cells(result)
    assert not errors_at(result, ("requests", "received"))


def test_a_partial_disclosure_row_one_short_is_kept_as_printed(tmp_path):
    result = imported(tmp_path, report_text({("results", "partially_disclosed"): "8100008"}))
    row = result.facts.requests.results.partially_disclosed
    assert row.applicants() == (8, 1, 0, 0, 0, 0) and row.stated_total == 8


def test_a_review_block_whose_total_disagrees_is_not_zeroed(tmp_path):
    """行政复议 printed 维持 1 and 总计 0, all fifteen cells run together."""
    result = imported(tmp_path, report_text({}, reviews="100000000000000"))
    block = result.facts.reviews.reconsideration
    assert block.upheld == 1 and block.stated_total == 0
    assert any(p.code == "I9" for p in result.warnings)


def test_digits_the_row_total_splits_one_way_are_certain(tmp_path):
    result = imported(tmp_path, report_text({("received",): "801000081"}))
    assert result.facts.requests.received.applicants() == (80, 1, 0, 0, 0, 0)
    assert not assumed_cells(result)
    assert not [p for p in result.warnings if p.code == "I9"]


# --------------------------------------------------------------------------- one rule everywhere


def test_a_pipe_row_with_an_extra_empty_cell_is_read_in_table_three(tmp_path):
    text = report_text({})
    row = "| 一、本年新收政府信息公开申请数量 | 4 | 0 | 0 | 0 | 0 | 0 | 4 | |"
    text = text.replace(f"{ROWS[('received',)]} 0 0 0 0 0 0 0", row)
    result = imported(tmp_path, text)
    assert result.facts.requests.received.applicants() == (4, 0, 0, 0, 0, 0)
    assert not errors_at(result, ("requests", "received"))


# --------------------------------------------------------------------------- never a different number

counts = st.one_of(st.just(0), st.integers(min_value=1, max_value=30))  # zeros are common


@st.composite
def rows_with_a_vanished_blank(draw):
    """A consistent table 三 (R1, R2, R3 hold), one of its printed 0 cells left blank and
    gone from the text, as a PDF's text loses it."""
    results = {row.path: [draw(counts) for _ in range(6)] for row in fmt.result_rows()}
    total = [sum(col) for col in zip(*results.values(), strict=True)]
    carried_over = [draw(counts) for _ in range(6)]
    forward = [min(draw(counts), t + c) for t, c in zip(total, carried_over, strict=True)]
    received = [t + f - c for t, f, c in zip(total, forward, carried_over, strict=True)]
    rows = {**results, fmt.RESULT_TOTAL_PATH: total}
    rows[("received",)] = received
    rows[("carried_over",)] = carried_over
    rows[("carried_forward",)] = forward
    cells = {path: [*map(str, row), str(sum(row))] for path, row in rows.items()}
    zeros = [(path, i) for path, row in cells.items() for i, c in enumerate(row) if c == "0"]
    assume(zeros)
    path, column = draw(st.sampled_from(zeros))
    if draw(st.booleans()):  # a report cut short of its last rows: R1 cannot settle it
        del cells[("carried_forward",)]
        if path == ("carried_forward",):
            path, column = ("received",), None
    return cells, path, column


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows_with_a_vanished_blank())
def test_a_vanished_blank_cell_is_read_right_or_reported_never_misread(tmp_path, case):
    cells, path, column = case
    printed: dict = {**cells, ("carried_forward",): cells.get(("carried_forward",), "")}
    printed[path] = [c for i, c in enumerate(cells[path]) if i != column]
    result = imported(tmp_path, report_text(printed))
    where = ("requests", *path)
    if errors_at(result, where):
        return  # unreadable, and said so
    row = result.facts.requests.row(path)
    expected = [int(c) for c in cells[path]]
    if column is not None:
        expected[column] = 0
    assert list(row.applicants()) == expected[:6]
    stated = row.stated_total if row.stated_total is not None else row.total
    assert stated == expected[6]
    for other, numbers in cells.items():  # no other row is disturbed
        if other != path and not errors_at(result, ("requests", *other)):
            assert [Decimal(n) for n in numbers[:6]] == list(
                result.facts.requests.row(other).applicants()
            )


def test_a_row_whose_one_placement_breaks_the_tables_identities_is_unreadable(tmp_path):
    """Six numbers for seven cells that fit in one place only, which R1 then contradicts:
    unreadable (I5, saying so), not a crash and not zeros in silence."""
    result = imported(tmp_path, report_text({("received",): "1 1 0 0 0 3"}))
    problems = errors_at(result, ("requests", "received"))
    assert [p.code for p in problems] == ["I5"]
    assert "唯一的读法 1、1、0、0、0、3、空白" in problems[0].message


def test_table_four_digits_that_also_fit_with_a_vanished_blank_are_only_assumed(tmp_path):
    """``0 0 10 10 …``: the totals split 10 into 1, 0 with no cell missing, but with a blank
    gone from 行政复议 the same text reads 0, 0, 空白, 10, 10. Read, marked assumed, and
    both readings named: the audit must not take it as printed."""
    result = imported(tmp_path, report_text({}, reviews="0 0 10 10 0 0 1 1 0 0 0 1 1"))
    said = [p for p in result.warnings if p.path == ("reviews",)]
    assert [p.code for p in said] == ["I9"]
    assert "也可读作 0、0、空白、10、10" in said[0].message
    assert ("reviews", "reconsideration", "other") in assumed_cells(result)
    header = result.to_yaml().split("\n", 4)[:4]  # the facts file opens by saying so
    assert any("按假定拆开" in line and "表四" in line for line in header), header


def test_table_three_digits_that_also_fit_with_a_vanished_blank_are_only_assumed(tmp_path):
    """``640020470``: the total splits it one way with every cell there (64, 0, 0, 2, 0, 4,
    70), but with a blank gone it also reads 空白, 6, 40, 0, 20, 4, 70. Read, marked
    assumed, both readings named, as table 四 does."""
    result = imported(tmp_path, report_text({("received",): "640020470"}))
    assert result.facts.requests.received.applicants() == (64, 0, 0, 2, 0, 4)
    said = [p for p in result.warnings if p.path == ("requests", "received")]
    assert [p.code for p in said] == ["I9"]
    assert "按总计读作 64、0、0、2、0、4、70" in said[0].message
    assert "也可读作 空白、6、40、0、20、4、70" in said[0].message
    assert ("requests", "received", "natural_person") in assumed_cells(result)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.sampled_from([0, 0, 0, 1, 2, 3, 10, 11, 12, 20]), min_size=6, max_size=6),
    st.lists(st.integers(min_value=0, max_value=5), max_size=3, unique=True),
)
def test_table_three_digits_run_together_are_read_right_or_warned_at_their_row(
    tmp_path, cells, gone
):
    """A 本年新收 row whose digits ran together, up to three of its 0 cells blank and gone
    from the text: read as printed, or a warning or error at that row, never another
    number in silence."""
    gone = [i for i in gone if cells[i] == 0]
    printed = [*cells, sum(cells)]
    digits = "".join(str(n) for i, n in enumerate(printed) if i not in gone)
    result = imported(tmp_path, report_text({("received",): digits}))
    read = list(result.facts.requests.received.applicants())
    said = [p for p in result.problems if p.path[:2] == ("requests", "received")]
    assert read == cells or said, (digits, cells, read)


def test_table_four_with_a_vanished_blank_read_two_ways_is_unreadable(tmp_path):
    result = imported(tmp_path, report_text({}, reviews="3 2 0 5 0 0 0 0 0 0 0 0 0 0"))
    problems = errors_at(result, ("reviews",))
    assert [p.code for p in problems] == ["I5"]
    assert result.facts.reviews.reconsideration.upheld == 0  # not 3 placed by position


def test_table_four_with_a_blank_gone_among_zeros_is_read_with_it_said(tmp_path):
    result = imported(tmp_path, report_text({}, reviews="0 0 0 0 2 1 0 0 3 0 0 0 0 0"))
    direct = result.facts.reviews.litigation_direct
    assert (direct.upheld, direct.corrected, direct.other, direct.pending) == (2, 1, 0, 0)
    assert not errors_at(result, ("reviews",))
    assert [p.code for p in result.warnings if p.path == ("reviews",)] == ["I1"]


@st.composite
def review_rows_with_vanished_blanks(draw):
    """Table 四 as printed (each block's total its sum), up to three of its 0 outcome
    cells left blank and gone from the text, the rest spaced or run together."""
    cells: list[str] = []
    small = st.sampled_from([0, 0, 0, 1, 1, 2, 10, 11, 12, 20])  # where splits go astray
    for _ in range(3):
        four = [draw(small) for _ in range(4)]
        cells += [*map(str, four), str(sum(four))]
    zeros = [i for i, c in enumerate(cells) if c == "0" and i % 5 != 4]
    gone = set(draw(st.lists(st.sampled_from(zeros), max_size=3, unique=True))) if zeros else set()
    joiner = draw(st.sampled_from([" ", ""]))
    return cells, gone, joiner


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(review_rows_with_vanished_blanks())
def test_table_four_is_read_right_or_warned_never_misread_in_silence(tmp_path, case):
    cells, gone, joiner = case
    text = joiner.join(c for i, c in enumerate(cells) if i not in gone)
    result = imported(tmp_path, report_text({}, reviews=text))
    reviews = result.facts.reviews
    read = []
    for block in fmt.REVIEW_BLOCKS:
        counts_read = getattr(reviews, block.key)
        read += [getattr(counts_read, c.key) for c in fmt.REVIEW_OUTCOMES]
    printed = [int(c) for i, c in enumerate(cells) if i % 5 != 4]
    said = [p for p in result.problems if p.path and p.path[0] == "reviews"]
    assert read == printed or said, (text, printed, read)


# --------------------------------------------------------------------------- small misses


def test_a_fee_printed_straight_before_the_next_item_is_read(tmp_path):
    text = report_text({}).replace(
        "行政事业性收费 0\n三、收到和处理",
        "行政事业性收费5949.09(二)依申请公开情况\n三、收到和处理",
    )
    result = imported(tmp_path, text)
    assert result.facts.proactive.fees == Decimal("5949.09")


def test_a_typo_in_run_together_text_is_matched_as_in_a_cell(tmp_path):
    """One rule for typos: 其他法律行政止公开 glued to its row's digits is still its row."""
    text = report_text({}).replace(
        f"{ROWS[('results', 'withheld', 'state_secret')]} 0 0 0 0 0 0 0\n"
        f"{ROWS[('results', 'withheld', 'prohibited_by_law')]} 0 0 0 0 0 0 0",
        f"{ROWS[('results', 'withheld', 'state_secret')]}00000002.其他法律行政止公开1000001",
    )
    result = imported(tmp_path, text)
    row = result.facts.requests.results.withheld.prohibited_by_law
    assert row.applicants() == (1, 0, 0, 0, 0, 0)
    drifts = [p for p in result.warnings if p.code == "I2"]
    assert any(p.path == ("requests", "results", "withheld", "prohibited_by_law") for p in drifts)


def test_a_label_met_before_its_numbers_is_not_reported_unread(tmp_path):
    """An OCR'd table repeats a label (a merged cell) before the row with its numbers."""
    label = ROWS[("carried_over",)]
    text = report_text({("carried_over",): "1 0 0 0 0 0 1"})
    text = text.replace(f"{label} 1 0", f"{label}\n（备注）\n{label} 1 0")
    result = imported(tmp_path, text)
    assert not errors_at(result, ("requests", "carried_over"))
    assert result.facts.requests.carried_over.total == 1


def test_a_report_that_says_its_year_only_mid_sentence_never_takes_the_clocks(tmp_path):
    text = report_text({}).replace("某县统计局2023年政府信息公开工作年度报告\n", "")
    text = text.replace(
        "2023年，我局依法公开政府信息。", "我局依法公开。2019年，我局共主动公开信息227条。"
    )
    result = imported(tmp_path, text)
    assert result.facts.year == 2019
    assert [p.code for p in result.problems if p.path == ("year",)] == ["I6"]


def test_a_review_row_with_an_extra_empty_cell_is_read_in_table_four(tmp_path):
    text = report_text(
        {}, reviews="| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |"
    )
    result = imported(tmp_path, text)
    assert result.facts.reviews.reconsideration.upheld == 1
    assert not [p for p in result.errors if p.path[:1] == ("reviews",)]
