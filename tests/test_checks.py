"""The checks: each rule firing where it should, and not firing on consistent facts."""

from __future__ import annotations

import datetime as dt

import pytest
from tests_support import EXAMPLE_FILES, NARRATIVE_CODES

from govreport import CheckResult, InputError, Problem, check
from govreport import official as fmt

EXAMPLES = EXAMPLE_FILES
COLUMNS = fmt.APPLICANT_COLUMNS


def codes(result: CheckResult, code: str) -> list[Problem]:
    return [p for p in result.problems if p.code == code]


def set_path(data: dict, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def balanced_requests() -> dict:
    """Table 三 with every column balanced: 一 + 二 = （七） + 四."""
    requests: dict = {}
    set_path(requests, ("received",), [10, 5, 4, 3, 2, 1])
    set_path(requests, ("carried_over",), [2, 1, 0, 0, 1, 0])
    set_path(requests, ("results", "disclosed"), [6, 2, 1, 1, 1, 1])
    set_path(requests, ("results", "withheld", "state_secret"), [1, 1, 1, 0, 0, 0])
    set_path(requests, ("results", "unavailable", "not_held"), [2, 1, 1, 1, 0, 0])
    set_path(requests, ("results", "other", "other"), [1, 1, 1, 1, 1, 0])
    set_path(requests, ("carried_forward",), [2, 1, 0, 0, 1, 0])
    return requests


# --------------------------------------------------------------------------- clean input


def test_clean_facts_have_no_problems(clean_facts):
    result = check(clean_facts())
    assert result.problems == []
    assert result.ok
    assert result.facts is not None


def test_balanced_tables_have_no_problems(clean_facts):
    data = clean_facts()
    data["requests"] = balanced_requests()
    assert check(data).problems == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_have_no_errors(path):
    result = check(path)
    assert result.errors == []
    assert result.ok
    assert {p.code for p in result.problems} <= {"Y1", "D3"} | NARRATIVE_CODES


@pytest.mark.parametrize("name", ["busy-2023", "busy-government-2023"])
def test_busy_examples_pass_every_data_check(name):
    path = EXAMPLES[0].parent / f"{name}.yaml"
    assert [p for p in check(path).problems if p.code not in NARRATIVE_CODES] == []


# --------------------------------------------------------------------------- R1


@pytest.mark.parametrize("index", range(len(COLUMNS)))
def test_r1_fires_for_the_broken_column_only(clean_facts, index):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["requests"]["received"][index] += 3
    result = check(data)
    (problem,) = result.problems
    column = COLUMNS[index]
    assert problem.code == "R1"
    assert problem.severity == "error"
    assert problem.path == ("requests", "received", column.key)
    assert problem.label == f"{fmt.APPLICANT_HEADER} · {column.label}"
    assert "相差 3" in problem.message
    assert fmt.IDENTITIES["R1"].text in problem.message
    assert not result.ok


def test_r1_message_gives_both_sides(clean_facts):
    data = clean_facts()
    data["requests"] = {"received": [5, 0, 0, 0, 0, 0], "carried_over": [2, 0, 0, 0, 0, 0]}
    data["requests"]["results"] = {"disclosed": [3, 0, 0, 0, 0, 0]}
    data["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0]
    (problem,) = codes(check(data), "R1")
    assert "一、本年新收 5 + 二、上年结转 2 = 7" in problem.message
    assert "（七）总计 3 + 四、结转下年度 1 = 4" in problem.message
    assert "相差 3" in problem.message


def test_r1_line_is_the_received_row(clean_facts, to_yaml, write, line_of):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["requests"]["results"]["disclosed"] = {c.key: 0 for c in COLUMNS}
    text = to_yaml(data)
    result = check(write(text))
    assert [p.path[-1] for p in codes(result, "R1")] == [c.key for c in COLUMNS]
    received = line_of(text, "received:")
    # received is a block list: one item per line, in column order.
    assert [p.line for p in codes(result, "R1")] == [received + 1 + i for i in range(len(COLUMNS))]


# --------------------------------------------------------------------------- R2


def test_r2_fires_for_a_wrong_typed_row_total(clean_facts, write, to_yaml, line_of):
    data = clean_facts()
    data["requests"] = balanced_requests()
    row = fmt.REQUEST_ROW_BY_PATH[("results", "disclosed")]
    numbers = data["requests"]["results"]["disclosed"]
    data["requests"]["results"]["disclosed"] = {
        **{c.key: n for c, n in zip(COLUMNS, numbers, strict=True)},
        "total": sum(numbers) + 1,
    }
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "R2"
    assert problem.path == ("requests", *row.path, "total")
    assert problem.label == f"{row.full_label} · {fmt.TOTAL.label}"
    assert (
        f"填写的总计 {sum(numbers) + 1} 与六类申请人之和 {sum(numbers)} 不一致" in problem.message
    )
    lines = text.splitlines()
    disclosed = line_of(text, "disclosed:")
    total = next(n for n in range(disclosed, len(lines)) if lines[n].strip().startswith("total:"))
    assert problem.line == total + 1


def test_r2_quiet_for_a_right_typed_total(clean_facts):
    data = clean_facts()
    data["requests"] = {"received": {"natural_person": 2, "other": 3, "total": 5}}
    data["requests"]["results"] = {"disclosed": [2, 0, 0, 0, 0, 3]}
    assert check(data).problems == []


# --------------------------------------------------------------------------- R3


def test_r3_fires_for_the_wrong_column_of_a_typed_results_total(clean_facts):
    data = clean_facts()
    data["requests"] = balanced_requests()
    right = [10, 5, 4, 3, 2, 1]  # the computed （七）总计 of balanced_requests
    wrong = list(right)
    wrong[1] += 2
    data["requests"]["results"]["total"] = wrong
    result = check(data)
    (problem,) = result.problems
    assert problem.code == "R3"
    path = ("requests", *fmt.RESULT_TOTAL_PATH, COLUMNS[1].key)
    assert problem.path == path
    total_row = fmt.REQUEST_ROW_BY_PATH[fmt.RESULT_TOTAL_PATH]
    assert problem.label == f"{total_row.full_label} · {COLUMNS[1].label}"
    assert (
        f"填写的（七）总计 {wrong[1]} 与（一）至（六）各项之和 {right[1]} 不一致" in problem.message
    )


def test_r3_checks_the_stated_grand_total_and_only_written_columns(
    clean_facts, write, to_yaml, line_of
):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["requests"]["results"]["total"] = {"natural_person": 10, "total": 99}
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "R3"
    assert problem.path == ("requests", *fmt.RESULT_TOTAL_PATH, "total")
    assert "填写的（七）总计 99 与（一）至（六）各项之和 25 不一致" in problem.message
    assert problem.line == line_of(text, "total: 99")


def test_r3_quiet_for_a_right_results_total(clean_facts):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["requests"]["results"]["total"] = [10, 5, 4, 3, 2, 1]
    assert check(data).problems == []


# --------------------------------------------------------------------------- R4


@pytest.mark.parametrize("block", fmt.REVIEW_BLOCKS, ids=lambda b: b.key)
def test_r4_fires_for_a_wrong_review_total(clean_facts, write, to_yaml, line_of, block):
    data = clean_facts()
    data["reviews"] = {
        block.key: {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 5}
    }
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "R4"
    assert problem.severity == "error"
    assert problem.path == ("reviews", block.key, "total")
    assert problem.label == f"四、{block.full_label} · {fmt.TOTAL.label}"
    assert "填写的总计 5 与各项之和 4 不一致" in problem.message
    assert problem.line == line_of(text, "total: 5")


def test_r4_quiet_for_a_right_review_total(clean_facts):
    data = clean_facts()
    data["reviews"] = {
        b.key: {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
        for b in fmt.REVIEW_BLOCKS
    }
    assert check(data).problems == []


# --------------------------------------------------------------------------- R5, R6, P1


def with_carry(clean_facts, year, carried_over=None, carried_forward=None, docs=None):
    data = clean_facts(year)
    data["requests"] = {}
    if carried_over:
        data["requests"]["carried_over"] = carried_over
        data["requests"]["results"] = {"disclosed": carried_over}
    if carried_forward:
        data["requests"]["received"] = carried_forward
        data["requests"]["carried_forward"] = carried_forward
    if docs:
        data["proactive"] = {"regulations": docs}
    return data


def test_r5_fires_per_column_against_last_year(clean_facts):
    last = with_carry(clean_facts, 2022, carried_forward=[3, 1, 0, 0, 0, 2])
    now = with_carry(clean_facts, 2023, carried_over=[3, 2, 0, 0, 0, 1])
    assert check(now).problems == []
    result = check(now, previous=last)
    assert [p.code for p in result.problems] == ["R5", "R5"]
    assert [p.path for p in result.problems] == [
        ("requests", "carried_over", COLUMNS[1].key),
        ("requests", "carried_over", COLUMNS[5].key),
    ]
    assert (
        "本年上年结转 2 件，但2022年报告的结转下年度继续办理是 1 件" in result.problems[0].message
    )
    assert result.problems[0].label.endswith(COLUMNS[1].label)


def test_r5_quiet_when_the_carry_matches(clean_facts):
    last = with_carry(clean_facts, 2022, carried_forward=[3, 1, 0, 0, 0, 2])
    now = with_carry(clean_facts, 2023, carried_over=[3, 1, 0, 0, 0, 2])
    assert check(now, previous=last).problems == []


def test_r6_warns_when_documents_in_force_do_not_follow(clean_facts):
    last = with_carry(clean_facts, 2022, docs={"issued": 1, "repealed": 0, "in_force": 10})
    now = with_carry(clean_facts, 2023, docs={"issued": 3, "repealed": 1, "in_force": 11})
    (problem,) = check(now, previous=last).problems
    assert problem.code == "R6"
    assert problem.severity == "warning"
    assert problem.path == ("proactive", "regulations", "in_force")
    assert "应为 12" in problem.message
    cell = next(c for c in fmt.PROACTIVE_CELLS if c.path == problem.path)
    assert problem.label == cell.full_label


def test_r6_quiet_when_documents_follow(clean_facts):
    last = with_carry(clean_facts, 2022, docs={"issued": 1, "repealed": 0, "in_force": 10})
    now = with_carry(clean_facts, 2023, docs={"issued": 3, "repealed": 1, "in_force": 12})
    assert check(now, previous=last).problems == []


def test_previous_of_the_wrong_year(clean_facts):
    (problem,) = check(clean_facts(2023), previous=clean_facts(2021)).problems
    assert problem.code == "P1"
    assert problem.path == ("year",)
    assert "2022" in problem.message


def test_previous_with_schema_errors_reports_them(clean_facts, write, to_yaml):
    last = clean_facts(2022)
    last["requests"] = {"carried_forwad": [0] * 6}
    path = write(to_yaml(last), "last.yaml")
    (problem,) = check(clean_facts(2023), previous=path).problems
    assert problem.code == "F1"
    assert problem.file == str(path)


def test_unreadable_previous_raises(clean_facts, tmp_path):
    with pytest.raises(InputError):
        check(clean_facts(), previous=tmp_path / "missing.yaml")


# --------------------------------------------------------------------------- R8


@pytest.mark.parametrize(
    ("sentence", "what"),
    [
        ("本年共收到政府信息公开申请26件。", "本年新收政府信息公开申请"),
        ("上年结转3件。", "上年结转"),
        ("其中予以公开9件。", "予以公开"),
        ("结转下年度继续办理1件。", "结转下年度继续办理"),
        ("被申请行政复议2件。", "行政复议"),
        ("被提起行政诉讼4件。", "行政诉讼"),
    ],
)
def test_r8_warns_when_the_text_quotes_another_number(
    clean_facts, write, to_yaml, line_of, sentence, what
):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["overview"]["on_request"] = sentence
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "R8"
    assert problem.severity == "warning"
    assert problem.path == ("overview", "on_request")
    assert what in problem.message
    assert problem.line == line_of(text, sentence)
    assert problem.label == fmt.describe(("overview", "on_request"))


def test_r8_quiet_when_the_text_quotes_the_table(clean_facts):
    data = clean_facts()
    data["requests"] = balanced_requests()
    data["reviews"] = {
        "reconsideration": {"upheld": 1, "pending": 1},
        "litigation_direct": {"other": 1},
        "litigation_after_reconsideration": {"corrected": 2},
    }
    data["overview"]["on_request"] = (
        "本年共收到政府信息公开申请25件，上年结转4件。其中予以公开12件，"
        "结转下年度继续办理4件。被申请行政复议2件，被提起行政诉讼3件。"
    )
    assert check(data).problems == []


def test_r8_reads_disclosed_and_partly_disclosed_together_as_one_number(clean_facts):
    """ "予以公开及部分公开42件" counts both rows; it is no claim about 部分公开 alone."""
    data = clean_facts()
    data["requests"] = balanced_requests()
    results = check(data).facts.requests.results
    disclosed, partial = results.disclosed.total, results.partially_disclosed.total
    data["overview"]["on_request"] = f"其中予以公开及部分公开{disclosed + partial}件。"
    assert check(data).problems == []
    data["overview"]["on_request"] = f"其中予以公开{disclosed}件、部分公开{partial + 1}件。"
    assert [p.code for p in check(data).problems] == ["R8"]


def test_r8_warns_when_the_text_says_none_were_received(clean_facts):
    data = clean_facts()
    data["requests"] = {"received": [1, 0, 0, 0, 0, 0], "carried_forward": [1, 0, 0, 0, 0, 0]}
    data["overview"]["on_request"] = "本年度未收到政府信息公开申请。"
    (problem,) = check(data).problems
    assert problem.code == "R8"
    assert "未收到政府信息公开申请" in problem.message
    data["requests"] = {}
    assert check(data).problems == []


# --------------------------------------------------------------------------- dates


def deadline(year: int, level: str) -> dt.date:
    month, day = fmt.DEADLINES[level]
    return dt.date(year + 1, month, day)


def test_d1_date_before_the_year_ends(clean_facts, write, to_yaml, line_of):
    data = clean_facts(2023)
    data["published"] = dt.date(2023, 12, 31)
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "D1"
    assert problem.severity == "error"
    assert problem.path == ("published",)
    assert problem.label == fmt.FIELD_LABELS[("published",)]
    assert "2023年12月31日" in problem.message
    assert problem.line == line_of(text, "published:")


def test_d1_quiet_on_the_first_day_of_next_year(clean_facts):
    data = clean_facts(2023)
    data["published"] = dt.date(2024, 1, 1)
    assert check(data).problems == []


@pytest.mark.parametrize("level", list(fmt.DEADLINES))
def test_d2_on_the_deadline_is_fine_and_a_day_later_warns(clean_facts, level):
    data = clean_facts(2023, level)
    data["published"] = deadline(2023, level)
    assert check(data).problems == []
    data["published"] = deadline(2023, level) + dt.timedelta(days=1)
    (problem,) = check(data).problems
    assert problem.code == "D2"
    assert problem.severity == "warning"
    assert fmt.LEVELS[level] in problem.message
    due = deadline(2023, level)
    assert f"{due.year}年{due.month}月{due.day}日" in problem.message


def test_d2_department_and_government_deadlines_differ(clean_facts):
    between = deadline(2023, "department") + dt.timedelta(days=1)
    assert between <= deadline(2023, "government")
    department = clean_facts(2023, "department")
    government = clean_facts(2023, "government")
    department["published"] = government["published"] = between
    assert check(department).codes() == ["D2"]
    assert check(government).codes() == []


def test_d3_missing_date(clean_facts):
    data = clean_facts()
    del data["published"]
    (problem,) = check(data).problems
    assert problem.code == "D3"
    assert problem.severity == "warning"
    assert problem.path == ("published",)
    assert check(data).ok


def test_d3_in_a_file_without_date_has_no_line(clean_facts, write, to_yaml):
    data = clean_facts()
    del data["published"]
    (problem,) = check(write(to_yaml(data))).problems
    assert problem.code == "D3"
    assert problem.line is None


# --------------------------------------------------------------------------- Y1


def test_y1_taierzhuang_plans_for_the_report_year(line_of):
    path = EXAMPLES[0].parent / "taierzhuang-keji-2022.yaml"
    text = path.read_text(encoding="utf-8")
    (problem,) = codes(check(path), "Y1")
    assert problem.severity == "warning"
    assert problem.path == ("problems", "improvements")
    assert problem.label == fmt.describe(("problems", "improvements"))
    assert "2022年…将…" in problem.message
    assert "2023年" in problem.message
    assert problem.line == line_of(text, "improvements:")
    assert problem.file == str(path)


def test_y1_copied_statistics_period(clean_facts, write, to_yaml, line_of):
    data = clean_facts(2023)
    sentence = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"
    data["overview"]["summary"] = sentence
    text = to_yaml(data)
    (problem,) = check(write(text)).problems
    assert problem.code == "Y1"
    assert problem.path == ("overview", "summary")
    assert "统计期限写的是2022年" in problem.message
    assert problem.line == line_of(text, sentence)


def test_y1_sentence_starting_with_last_year(clean_facts):
    data = clean_facts(2023)
    data["overview"]["management"] = "2022年，我局进一步规范政府信息管理。"
    (problem,) = check(data).problems
    assert problem.code == "Y1"
    assert "句首写的是2022年" in problem.message


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        (("overview", "summary"), "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"),
        (("problems", "improvements"), "2024年，我局将进一步完善工作机制。"),
        (("problems", "issues"), "2023年我局将要解决的问题仍然较多。"),
        (("overview", "management"), "2023年，我局进一步规范政府信息管理。"),
        (("overview", "management"), "2019年制定的制度继续执行。"),
    ],
)
def test_y1_quiet_on_correct_years(clean_facts, key, sentence):
    data = clean_facts(2023)
    set_path(data, key, sentence)
    assert check(data).problems == []


# --------------------------------------------------------------------------- G1


def test_g1_government_without_assessment(clean_facts):
    data = clean_facts(2023, "government")
    del data["overview"]["assessment"]
    (problem,) = codes(check(data), "G1")
    assert problem.severity == "warning"
    assert problem.path == ("overview", "assessment")
    assert problem.label == fmt.describe(("overview", "assessment"))


def test_g1_quiet_with_assessment_or_for_a_department(clean_facts):
    assert check(clean_facts(2023, "government")).problems == []
    data = clean_facts(2023, "department")
    del data["overview"]["assessment"]
    assert "G1" not in check(data).codes()


# --------------------------------------------------------------------------- check itself


def test_schema_errors_are_returned_not_raised(write, line_of):
    text = "agency:\n  name: 某某局\nyear: 2023\nproactive:\n  licensing: -1\n"
    result = check(write(text))
    (problem,) = result.problems
    assert problem.code == "F2"
    assert problem.line == line_of(text, "licensing")
    assert result.facts is None
    assert not result.ok


def test_unreadable_file_raises(tmp_path):
    with pytest.raises(InputError):
        check(tmp_path / "missing.yaml")


def test_problems_from_several_checks_come_in_file_order(clean_facts, write, to_yaml):
    data = clean_facts(2023)
    data["published"] = dt.date(2023, 6, 1)
    data["requests"] = balanced_requests()
    data["requests"]["carried_forward"][0] += 1
    data["reviews"] = {"reconsideration": {"upheld": 1, "total": 2}}
    data["problems"]["improvements"] = "2023年我局将继续努力。"
    result = check(write(to_yaml(data)))
    assert sorted(result.codes()) == ["D1", "R1", "R4", "Y1"]
    lines = [p.line for p in result.problems]
    assert None not in lines
    assert lines == sorted(lines)
    assert [p.severity for p in result.errors] == ["error"] * 3
    assert [p.code for p in result.warnings] == ["Y1"]


def test_problem_format_and_dict(clean_facts, write, to_yaml):
    data = clean_facts(2023)
    data["published"] = dt.date(2023, 6, 1)
    path = write(to_yaml(data))
    (problem,) = check(path).problems
    text = problem.format()
    assert text.startswith(f"{path} 第 {problem.line} 行 错误 D1 【{problem.label}】")
    assert str(path) not in problem.format(with_file=False)
    as_dict = problem.to_dict()
    assert as_dict["path"] == "published"
    assert as_dict["line"] == problem.line
    assert set(as_dict) >= {"code", "severity", "path", "line", "column", "label", "message"}


# --------------------------------------------------------------------------- structured values


def test_an_identity_that_fails_carries_the_numbers_it_compared(clean_facts):
    """Programs (the audit) read the compared numbers from ``values``, not the message."""
    data = clean_facts()
    data["requests"] = {"received": [5, 0, 0, 0, 0, 0], "carried_over": [2, 0, 0, 0, 0, 0]}
    data["requests"]["results"] = {
        "disclosed": {"natural_person": 3, "total": 4},
        "total": {"natural_person": 3, "total": 9},
    }
    data["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0]
    data["reviews"] = {"litigation_direct": {"upheld": 2, "pending": 1, "total": 5}}
    result = check(data)
    (r1,) = codes(result, "R1")
    assert r1.values == {
        "received": 5,
        "carried_over": 2,
        "left": 7,
        "handled": 3,
        "carried_forward": 1,
        "right": 4,
    }
    (r2,) = codes(result, "R2")
    assert r2.values == {"stated": 4, "computed": 3}
    (r3,) = codes(result, "R3")
    assert r3.path[-1] == "total" and r3.values == {"stated": 9, "computed": 3}
    (r4,) = codes(result, "R4")
    assert r4.values == {"stated": 5, "computed": 3}


def test_across_years_and_dates_carry_their_values(clean_facts):
    last = with_carry(clean_facts, 2022, carried_forward=[3, 1, 0, 0, 0, 0])
    last["proactive"] = {"regulations": {"in_force": 10}}
    now = with_carry(clean_facts, 2023, carried_over=[3, 2, 0, 0, 0, 0])
    now["proactive"] = {"regulations": {"issued": 2, "repealed": 1, "in_force": 12}}
    now["published"] = dt.date(2023, 12, 20)
    result = check(now, previous=last)
    (r5,) = codes(result, "R5")
    assert r5.values == {"carried_over": 2, "carried_forward": 1}
    (r6,) = codes(result, "R6")
    assert r6.values == {
        "in_force": 12,
        "expected": 11,
        "last_in_force": 10,
        "issued": 2,
        "repealed": 1,
    }
    (d1,) = codes(result, "D1")
    assert d1.values == {"published": dt.date(2023, 12, 20), "year_end": dt.date(2023, 12, 31)}
    (p1,) = codes(check(now, previous=with_carry(clean_facts, 2021)), "P1")
    assert p1.values == {"year": 2023, "previous_year": 2021}


def test_narrative_findings_carry_the_words_they_quote(clean_facts):
    data = clean_facts(2023)
    data["requests"] = balanced_requests()
    data["overview"]["on_request"] = "本年共收到政府信息公开申请26件。"
    data["overview"]["management"] = "2022年，我局进一步规范政府信息管理。"
    result = check(data)
    (r8,) = codes(result, "R8")
    assert r8.values == {"quote": "收到政府信息公开申请26件", "said": 26, "table": 25}
    assert r8.reader_message and "{{" not in r8.reader_message and "{{" in r8.message
    (y1,) = codes(result, "Y1")
    assert y1.values == {"quote": "2022年，我局进一步规范政府信息管理", "years": [2022]}


def test_structured_fields_leave_identity_format_and_dict_alone(clean_facts):
    data = clean_facts(2023)
    data["published"] = dt.date(2023, 6, 1)
    (problem,) = check(data).problems
    plain = Problem(problem.code, problem.severity, problem.message, problem.path, problem.label)
    assert problem == plain and hash(problem) == hash(plain)
    assert problem.format() == plain.format()
    assert problem.to_dict() == plain.to_dict()
    assert list(problem.to_dict()) == [
        "code",
        "severity",
        "message",
        "path",
        "label",
        "line",
        "column",
        "file",
    ]
