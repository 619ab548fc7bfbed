"""The schema: defaults, rows, computed totals, unknown keys, types, blank cells, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govreport import Facts, FactsError, InputError, load
from govreport import official as fmt
from govreport.facts.model import ZERO_ROW, Row, RowGroup
from govreport.facts.schema import allowed_keys

HEAD = "agency:\n  name: 某某局\nyear: 2023\n"


def problems_of(write, text):
    """The schema problems of a facts file (which must fail to load)."""
    with pytest.raises(FactsError) as info:
        load(write(text))
    exc = info.value
    assert exc.exit_code == 1
    assert exc.problems
    return exc.problems


def only(problems, code=None):
    assert len(problems) == 1, problems
    if code is not None:
        assert problems[0].code == code
    return problems[0]


# --------------------------------------------------------------------------- defaults


def test_omitted_tables_are_all_zeros(write):
    facts = load(write(HEAD))
    for row in fmt.REQUEST_ROWS:
        value = facts.requests.row(row.path)
        assert value == ZERO_ROW, row.full_label
        assert value.total == 0
        for column in fmt.REQUEST_COLUMNS:
            assert value[column.key] == 0
    for cell in fmt.PROACTIVE_CELLS:
        node = facts
        for key in cell.path:
            node = getattr(node, key)
        assert node == 0, cell.full_label
    assert facts.proactive.fees == Decimal(0)
    for block in fmt.REVIEW_BLOCKS:
        counts = getattr(facts.reviews, block.key)
        for column in fmt.REVIEW_COLUMNS:
            assert getattr(counts, column.key) == 0
    assert facts.reviews.litigation_total == 0


def test_other_defaults(write):
    facts = load(write(HEAD))
    assert facts.format == fmt.FORMAT_VERSION
    assert facts.template is None
    assert facts.published is None
    assert facts.agency.level == "department"
    assert facts.agency.short_name == "某某局"
    assert facts.agency.province is None
    assert facts.agency.contact.items() == []
    assert list(facts.texts()) == []
    assert facts.problems.split is False
    assert facts.title == "某某局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "section", ["requests", "proactive", "reviews", "overview", "problems", "other_matters"]
)
def test_an_empty_section_takes_its_defaults(write, section):
    """``proactive:`` with every line commented out is the same as leaving it out."""
    text = HEAD + f"{section}:\n  # 全部注释掉了\n"
    assert load(write(text)) == load(write(HEAD))


def test_empty_groups_rows_and_cells_are_zero(write):
    text = HEAD + (
        "requests:\n  received:\n  results:\n    withheld:\n"
        "  carried_over: {natural_person: , business: 2}\n"
        "proactive:\n  regulations:\n  licensing:\n  fees:\n"
        "reviews:\n  reconsideration:\n"
    )
    facts = load(write(text))
    assert facts.requests.received == ZERO_ROW
    assert facts.requests.results.withheld.total == ZERO_ROW
    assert facts.requests.carried_over == Row(business=2)
    assert facts.proactive.licensing == 0
    assert facts.proactive.fees == Decimal(0)
    assert facts.reviews.reconsideration.total == 0


def test_all_zero_tables_written_out_equal_the_defaults(write):
    rows = "".join(
        f"{'  ' * (row.depth + 1)}{row.key}:\n"
        if row.is_group
        else f"{'  ' * (row.depth + 1)}{row.key}: [0, 0, 0, 0, 0, 0]\n"
        for row in fmt.walk()
        if not row.computed
    )
    facts = load(write(HEAD + "requests:\n" + rows))
    assert facts == load(write(HEAD))


# --------------------------------------------------------------------------- rows


def test_a_row_as_list_equals_the_row_as_mapping(write):
    numbers = list(range(1, len(fmt.APPLICANT_COLUMNS) + 1))
    mapping = ", ".join(
        f"{c.key}: {n}" for c, n in zip(fmt.APPLICANT_COLUMNS, numbers, strict=True)
    )
    as_list = load(write(HEAD + f"requests:\n  received: {numbers}\n"))
    as_map = load(write(HEAD + f"requests:\n  received: {{{mapping}}}\n"))
    assert as_list.requests.received == as_map.requests.received
    row = as_list.requests.received
    for column, number in zip(fmt.APPLICANT_COLUMNS, numbers, strict=True):
        assert row[column.key] == number
    assert row.total == sum(numbers) == row["total"]
    assert row.legal_persons == sum(numbers) - numbers[0]


def test_a_partial_mapping_row_fills_zeros(write):
    facts = load(write(HEAD + "requests:\n  received: {research: 4}\n"))
    assert facts.requests.received == Row(research=4)
    assert facts.requests.received.total == 4


def test_unknown_column_raises_key_error():
    with pytest.raises(KeyError):
        ZERO_ROW["nobody"]


# --------------------------------------------------------------------------- computed totals


def test_results_total_is_computed_from_every_result_row(write):
    lines = []
    expected = ZERO_ROW
    for n, row in enumerate(fmt.result_rows(), start=1):
        values = [n, 0, n % 3, 0, 1, n % 2]
        expected = expected + Row(*values)
        lines.append((row, values))
    text = HEAD + "requests:\n  results:\n"
    for group in fmt.REQUEST_ROW_BY_PATH[("results",)].children:
        if group.computed:
            continue
        if group.is_group:
            text += f"    {group.key}:\n"
            text += "".join(
                f"      {row.key}: {values}\n" for row, values in lines if row.parents[-1] == group
            )
        else:
            text += "".join(f"    {row.key}: {values}\n" for row, values in lines if row == group)
    facts = load(write(text))
    total = facts.requests.row(fmt.RESULT_TOTAL_PATH)
    assert total == expected
    assert total.total == sum(expected.applicants())
    assert facts.requests.results.total == expected
    assert facts.requests.results["total"] == expected
    withheld = [v for r, v in lines if r.path[1] == "withheld"]
    assert facts.requests.results.withheld.total == Row(*map(sum, zip(*withheld, strict=True)))
    assert facts.requests.row(("results", "withheld")) == Row(
        *map(sum, zip(*withheld, strict=True))
    )


def test_group_rows_are_reachable_by_key_and_attribute(write):
    facts = load(
        write(HEAD + "requests:\n  results:\n    withheld:\n      state_secret: [1,0,0,0,0,2]\n")
    )
    assert facts.requests["results"]["withheld"]["state_secret"] == Row(1, 0, 0, 0, 0, 2)
    assert facts.requests.results.withheld.state_secret.total == 3
    assert isinstance(facts.requests.results, RowGroup)
    assert set(facts.requests) == {r.key for r in fmt.REQUEST_TREE}
    with pytest.raises(AttributeError):
        _ = facts.requests.nonexistent


def test_a_typed_total_is_kept_apart_not_used(write):
    text = HEAD + (
        "requests:\n  received: {natural_person: 2, total: 9}\n"
        "  results:\n    total: [5, 0, 0, 0, 0, 0]\n"
        "reviews:\n  reconsideration: {upheld: 1, pending: 1, total: 7}\n"
    )
    facts = load(write(text))
    assert facts.requests.received.total == 2
    assert facts.requests.received.stated_total == 9
    assert facts.requests.results.total == ZERO_ROW
    assert facts.requests.results.stated_total == Row(5, 0, 0, 0, 0, 0)
    assert facts.reviews.reconsideration.total == 2
    assert facts.reviews.reconsideration.stated_total == 7


def test_review_totals(write):
    text = HEAD + (
        "reviews:\n"
        "  reconsideration: {upheld: 1, corrected: 2, other: 3, pending: 4}\n"
        "  litigation_direct: {upheld: 5}\n"
        "  litigation_after_reconsideration: {pending: 6}\n"
    )
    reviews = load(write(text)).reviews
    assert reviews.reconsideration.total == 10
    assert reviews.litigation_total == 11


# --------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("text", "typo", "suggestion", "parent"),
    [
        (HEAD + "yaer: 2023\n", "yaer", "year", ()),
        (
            "agency:\n  name: 某某局\n  levle: department\nyear: 2023\n",
            "levle",
            "level",
            ("agency",),
        ),
        (HEAD + "requests:\n  recieved: [1,2,3,4,5,6]\n", "recieved", "received", ("requests",)),
        (
            HEAD + "requests:\n  results:\n    withheld:\n      state_secrets: [0,0,0,0,0,1]\n",
            "state_secrets",
            "state_secret",
            ("requests", "results", "withheld"),
        ),
        (
            HEAD + "requests:\n  received: {natral_person: 1}\n",
            "natral_person",
            "natural_person",
            ("requests", "received"),
        ),
        (
            HEAD + "proactive:\n  regulations: {isued: 1}\n",
            "isued",
            "issued",
            ("proactive", "regulations"),
        ),
        (
            HEAD + "reviews:\n  reconsideration: {uphold: 1}\n",
            "uphold",
            "upheld",
            ("reviews", "reconsideration"),
        ),
        (HEAD + "problems:\n  issue: 文字\n", "issue", "issues", ("problems",)),
        (
            "agency:\n  name: 某某局\n  contact:\n    phnoe: '1'\nyear: 2023\n",
            "phnoe",
            "phone",
            ("agency", "contact"),
        ),
    ],
)
def test_unknown_key_suggests_the_nearest_valid_key(write, line_of, text, typo, suggestion, parent):
    problem = only(problems_of(write, text), "F1")
    assert problem.severity == "error"
    assert problem.path == (*parent, typo)
    assert problem.line == line_of(text, typo + ":")
    assert problem.column == text.splitlines()[problem.line - 1].index(typo) + 1
    assert f"“{typo}”" in problem.message
    assert f"是否应为“{suggestion}”" in problem.message
    assert suggestion in allowed_keys(parent)
    assert problem.label == fmt.describe(parent)


def test_unknown_key_without_a_near_match_lists_the_valid_keys(write):
    problem = only(problems_of(write, HEAD + "proactive:\n  zzzzzz: 1\n"), "F1")
    assert "是否应为" not in problem.message
    for key in allowed_keys(("proactive",)):
        assert key in problem.message
    assert problem.label == fmt.FIELD_LABELS[("proactive",)]


def test_allowed_keys_come_from_the_format():
    assert allowed_keys(("requests",)) == [r.key for r in fmt.REQUEST_TREE]
    assert allowed_keys(("requests", "received")) == [c.key for c in fmt.REQUEST_COLUMNS]
    assert allowed_keys(("reviews", "reconsideration")) == [c.key for c in fmt.REVIEW_COLUMNS]
    withheld = fmt.REQUEST_ROW_BY_PATH[("results", "withheld")]
    assert allowed_keys(("requests", "results", "withheld")) == [r.key for r in withheld.children]
    assert allowed_keys(("year",)) == []


def test_every_problem_is_reported_at_once_in_file_order(write, line_of):
    text = (
        "yaer: 2023\n"
        "agency:\n  name: 某某局\n  level: city\n"
        "proactive:\n  licensing: -3\n  fees: '/'\n"
        "requests:\n  received: [1, 2, 3, 4, 5]\n"
        "reviews:\n  reconsideration: {upheld: 1.5}\n"
    )
    path = write(text)
    with pytest.raises(FactsError) as info:
        load(path)
    problems = info.value.problems
    assert [(p.code, p.line) for p in problems] == [
        ("F1", line_of(text, "yaer")),
        ("F2", line_of(text, "level")),
        ("F2", line_of(text, "licensing")),
        ("R9", line_of(text, "fees")),
        ("F2", line_of(text, "received")),
        ("F2", line_of(text, "upheld")),
        ("F3", None),  # ``year`` is missing (the misspelt ``yaer`` does not count): no line
    ]
    assert problems[-1].path == ("year",)
    assert all(p.file == str(path) for p in problems)
    assert all(p.severity == "error" for p in problems)


def test_facts_error_message_counts_the_errors(write):
    text = HEAD + "proactive:\n  licensing: -1\n  punishment: x\n"
    with pytest.raises(FactsError) as info:
        load(write(text))
    assert "2 处错误" in info.value.message
    formatted = info.value.format_message()
    assert formatted.count("\n") == 2
    assert info.value.file.endswith("facts.yaml")


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "不能为负数"),
        ("1.5", "整数"),
        ("abc", "整数"),
        ("true", "整数"),
        ("[1]", "整数"),
        (".inf", "整数"),
        (".nan", "整数"),
        ("1e3", "整数"),
    ],
)
def test_bad_counts(write, line_of, value, message):
    text = HEAD + f"proactive:\n  licensing: {value}\n"
    problem = only(problems_of(write, text), "F2")
    assert message in problem.message
    assert problem.path == ("proactive", "licensing")
    assert problem.line == line_of(text, "licensing")
    cell = next(c for c in fmt.PROACTIVE_CELLS if c.path == ("proactive", "licensing"))
    assert problem.label == cell.full_label


def test_whole_decimals_and_numeric_strings_are_counts(write):
    facts = load(write(HEAD + "proactive:\n  licensing: 3.0\n  punishment: '4'\n"))
    assert facts.proactive.licensing == 3
    assert isinstance(facts.proactive.licensing, int)
    assert facts.proactive.punishment == 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12.35", Decimal("12.35")), ("0", Decimal(0)), ("'7.10'", Decimal("7.10")), ("3", 3)],
)
def test_fees_are_exact_decimals(write, value, expected):
    fees = load(write(HEAD + f"proactive:\n  fees: {value}\n")).proactive.fees
    assert fees == expected
    assert isinstance(fees, Decimal)


@pytest.mark.parametrize(
    ("value", "message"), [("-1.5", "负数"), ("abc", "金额"), (".inf", "有限"), (".nan", "有限")]
)
def test_bad_fees(write, value, message):
    problem = only(problems_of(write, HEAD + f"proactive:\n  fees: {value}\n"), "F2")
    assert message in problem.message
    assert problem.path == ("proactive", "fees")


def test_row_with_five_numbers(write, line_of):
    text = HEAD + "requests:\n  carried_over: [1, 2, 3, 4, 5]\n"
    problem = only(problems_of(write, text), "F2")
    assert problem.path == ("requests", "carried_over")
    assert "实际有 5 个" in problem.message
    for column in fmt.APPLICANT_COLUMNS:
        assert column.label in problem.message
    assert problem.line == line_of(text, "carried_over")
    assert problem.label == fmt.REQUEST_ROW_BY_PATH[("carried_over",)].full_label


@pytest.mark.parametrize("value", ["5", "abc", "true"])
def test_row_that_is_neither_list_nor_mapping(write, value):
    problem = only(problems_of(write, HEAD + f"requests:\n  received: {value}\n"), "F2")
    assert problem.path == ("requests", "received")
    assert "映射" in problem.message


def test_bad_cell_inside_a_list_row_points_at_the_cell(write, line_of):
    text = HEAD + "requests:\n  received: [1, 2, -3, 4, 5, 6]\n"
    problem = only(problems_of(write, text), "F2")
    column = fmt.APPLICANT_COLUMNS[2]
    assert problem.path == ("requests", "received", column.key)
    assert problem.line == line_of(text, "received")
    assert problem.column == text.splitlines()[problem.line - 1].index("-3") + 1
    row = fmt.REQUEST_ROW_BY_PATH[("received",)]
    assert problem.label == f"{row.full_label} · {column.label}"


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        ("agency:\n  name: 某某局\n", ("year",), "缺少必填项“year”"),
        ("year: 2023\n", ("agency",), "缺少必填项“agency”"),
        ("agency:\n  short_name: 某局\nyear: 2023\n", ("agency", "name"), "缺少必填项“name”"),
        ("agency:\nyear: 2023\n", ("agency",), "缺少必填项“agency”"),
    ],
)
def test_missing_required_keys(write, text, path, message):
    problem = only(problems_of(write, text), "F3")
    assert problem.path == path
    assert problem.message == message


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        ("agency:\n  name: 某某局\nyear: '2023'\n", ("year",), "四位数年份"),
        ("agency:\n  name: 某某局\nyear: 1999\n", ("year",), "2008 到 2100"),
        ("agency:\n  name: 某某局\nyear: 2023.5\n", ("year",), "四位数年份"),
        ("agency:\n  name: 某某局\n  level: city\nyear: 2023\n", ("agency", "level"), "government"),
        ("agency:\n  name: ''\nyear: 2023\n", ("agency", "name"), "不能为空"),
        ("agency:\n  name: [1]\nyear: 2023\n", ("agency", "name"), "文字"),
        ("agency: 某某局\nyear: 2023\n", ("agency",), "映射"),
        (HEAD + "format: '2019'\n", ("format",), fmt.FORMAT_SOURCE),
        (HEAD + "overview: 一段话\n", ("overview",), "映射"),
        (HEAD + "overview:\n  summary: [a, b]\n", ("overview", "summary"), "文字"),
        (HEAD + "problems: [a]\n", ("problems",), "issues"),
        (HEAD + "requests:\n  results: [1, 2, 3, 4, 5, 6]\n", ("requests", "results"), "映射"),
    ],
)
def test_wrong_types(write, text, path, message):
    problem = only(problems_of(write, text), "F2")
    assert problem.path == path
    assert message in problem.message
    assert problem.line is not None


def test_format_may_be_written_as_a_number(write):
    assert load(write(HEAD + "format: 2021\n")).format == fmt.FORMAT_VERSION


def test_numbers_in_text_fields_become_text(write):
    facts = load(write(HEAD + "overview:\n  summary: 2023\n  proactive: '  '\n"))
    assert facts.overview.summary == "2023"
    assert facts.overview.proactive is None


def test_problems_as_one_text_or_two(write):
    single = load(write(HEAD + "problems: 一段文字\n")).problems
    assert single.text == "一段文字"
    assert not single.split
    split = load(write(HEAD + "problems:\n  issues: 问题\n  improvements: 改进\n")).problems
    assert split.split
    assert (split.issues, split.improvements) == ("问题", "改进")


# --------------------------------------------------------------------------- blank cells (R9)


@pytest.mark.parametrize("blank", ["'/'", "'—'", "'／'", "'-'", "无", "'  /  '"])
def test_placeholder_in_a_count_is_r9(write, line_of, blank):
    text = HEAD + f"proactive:\n  punishment: {blank}\n"
    problem = only(problems_of(write, text), "R9")
    assert problem.severity == "error"
    assert problem.path == ("proactive", "punishment")
    assert problem.line == line_of(text, "punishment")
    assert "没有就填 0" in problem.message
    assert blank.strip("'").strip() in problem.message


def test_slash_in_a_list_row_is_r9_at_that_cell(write, line_of):
    text = HEAD + "requests:\n  carried_forward: [0, 0, 0, '/', 0, 0]\n"
    problem = only(problems_of(write, text), "R9")
    column = fmt.APPLICANT_COLUMNS[3]
    assert problem.path == ("requests", "carried_forward", column.key)
    assert problem.line == line_of(text, "carried_forward")
    assert problem.column == text.splitlines()[problem.line - 1].index("'/'") + 1
    assert problem.label.endswith(column.label)


def test_slash_in_mapping_rows_tables_and_fees(write, line_of):
    text = HEAD + (
        "proactive:\n  regulations: {issued: '/', repealed: 0, in_force: 0}\n  fees: '—'\n"
        "requests:\n  results:\n    disclosed: {natural_person: '/'}\n"
        "reviews:\n  litigation_direct: {pending: '/'}\n"
    )
    problems = problems_of(write, text)
    assert [p.code for p in problems] == ["R9"] * 4
    assert [p.path for p in problems] == [
        ("proactive", "regulations", "issued"),
        ("proactive", "fees"),
        ("requests", "results", "disclosed", "natural_person"),
        ("reviews", "litigation_direct", "pending"),
    ]
    assert [p.line for p in problems] == [
        line_of(text, "regulations"),
        line_of(text, "fees"),
        line_of(text, "disclosed"),
        line_of(text, "litigation_direct"),
    ]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "written", ["2024-01-20", "'2024-01-20'", "2024年1月20日", "2024/1/20", "2024 年 01 月 20 日"]
)
def test_accepted_dates(write, written):
    facts = load(write(HEAD + f"published: {written}\n"))
    assert facts.published == dt.date(2024, 1, 20)


def test_a_yaml_datetime_keeps_its_date(write):
    facts = load(write(HEAD + "published: 2024-01-20 10:30:00\n"))
    assert facts.published == dt.date(2024, 1, 20)


@pytest.mark.parametrize(
    "written", ["2024-02-30", "2024-13-01", "2024年2月30日", "明天", "20240120", "2024年1月"]
)
def test_bad_dates_are_reported_at_their_line(write, line_of, written):
    text = HEAD + f"published: {written}\nreviews: {{}}\n"
    problem = only(problems_of(write, text), "F2")
    assert problem.path == ("published",)
    assert problem.line == line_of(text, "published")
    assert problem.label == fmt.FIELD_LABELS[("published",)]
    assert "2024年1月20日" in problem.message


# --------------------------------------------------------------------------- agency


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("台儿庄区科学技术局", "我局"),
        ("某市自然资源管理局", "我局"),
        ("某市发展和改革委员会", "我委"),
        ("某市人民政府外事办公室", "我办"),
        ("某市人民政府", "本机关"),
        ("某市人民政府办公室", "本机关"),
        ("某省教育厅", "我厅"),
        ("某市政务服务中心", "我中心"),
        ("某某公司", fmt.DEFAULT_SELF_REFERENCE),
    ],
)
def test_self_reference_is_derived_from_the_name(write, name, reference):
    agency = load(write(f"agency:\n  name: {name}\nyear: 2023\n")).agency
    assert agency.self_reference == reference
    assert fmt.self_reference_for(name) == reference
    assert agency.short_name == name


def test_written_self_reference_and_short_name_win(write):
    text = "agency:\n  name: ' 某市人民政府 '\n  short_name: 市政府\n  self_reference: 我市\nyear: 2023\n"
    agency = load(write(text)).agency
    assert agency.name == "某市人民政府"
    assert agency.short_name == "市政府"
    assert agency.self_reference == "我市"


def test_contact_items_keep_the_official_order(write):
    text = "agency:\n  name: 某某局\n  contact:\n    phone: '123'\n    department: 办公室\nyear: 2023\n"
    items = load(write(text)).agency.contact.items()
    titles = {t.key: t.title for t in fmt.CONTACT_FIELDS}
    assert items == [(titles["department"], "办公室"), (titles["phone"], "123")]


# --------------------------------------------------------------------------- load's inputs


def test_load_accepts_a_dict_and_facts():
    facts = load({"agency": {"name": "某某局"}, "year": 2023, "proactive": {"fees": "1.10"}})
    assert isinstance(facts, Facts)
    assert facts.proactive.fees == Decimal("1.10")
    assert load(facts) is facts


def test_load_from_a_dict_reports_problems_without_lines():
    with pytest.raises(FactsError) as info:
        load({"agency": {"name": "某某局"}, "year": 2023, "proactiv": {}})
    problem = only(info.value.problems, "F1")
    assert problem.line is None
    assert problem.file is None
    assert "proactive" in problem.message


def test_load_refuses_other_types():
    with pytest.raises(InputError):
        load(42)
