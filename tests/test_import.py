"""``govreport import``: published reports (.docx, .html, text, Markdown) read back into facts.

Round trips render every example and read each format back: every table number
must come back exactly and every text the example wrote paragraph by paragraph.
The three real reports in ``tests/data/seeds`` (copies of ``../shared/seeds``, flattened text) must import with
every number and every section. Then the hard cases: the 2019 trial format, blank
cells, drifted labels, a report whose own totals break, and the command itself.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import EXAMPLE_FILES, clean_facts_dict

from govreport import check, import_report, load, render
from govreport import official as fmt
from govreport.cli.main import main
from govreport.facts.loading import validate
from govreport.facts.model import Facts
from govreport.facts.reading import parse
from govreport.facts.writer import dump_facts
from govreport.narrative.writer import write_narrative
from govreport.template_sets.sets import template_set_for

FORMATS = ("docx", "html", "md")
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
DATA = Path(__file__).resolve().parent / "data"
TRIAL_REPORT = DATA / "trial-2019.html"
# 表三's grid in the rendered Word file: three label columns, then 自然人 … 总计.
FIRST_NUMBER_COLUMN = 3
TOTAL_COLUMN = FIRST_NUMBER_COLUMN + len(fmt.APPLICANT_COLUMNS)


# --------------------------------------------------------------------------- helpers


def numbers(facts: Facts) -> dict[tuple[str, ...], object]:
    """Every number of tables 二, 三 and 四, by its facts-file path."""
    return {cell.path: facts.value(cell.path) for cell in fmt.table_cells()}


def written_texts(facts: Facts) -> dict[tuple[str, ...], list[str]]:
    """The paragraphs of every text the facts give (placeholders filled, boilerplate left out)."""
    narrative = write_narrative(facts, template_set_for(facts))
    texts = {("overview", "summary"): [_plain(p) for p in narrative.summary]}
    for section, item in narrative.items():
        if not item.boilerplate:
            path = (section,) if item.key == "text" else (section, item.key)
            texts[path] = [_plain(p) for p in item.paragraphs]
    return {path: paras for path, paras in texts.items() if paras}


def _plain(paragraph) -> str:
    return f"**{paragraph.lead}**{paragraph.text}" if paragraph.lead else paragraph.text


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def imported_texts(facts: Facts) -> dict[tuple[str, ...], str]:
    return dict(facts.texts())


def reloaded(facts: Facts) -> Facts:
    """The facts after writing them as a facts file and loading that file."""
    return validate(*parse(dump_facts(facts)))


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# --------------------------------------------------------------------------- round trips


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Every example rendered once to Word, HTML and Markdown."""
    folder = tmp_path_factory.mktemp("rendered")
    return {
        path.stem: render(path, folder / path.stem, to=FORMATS).outputs for path in EXAMPLE_FILES
    }


def assert_imported_back(result, facts) -> None:
    """A report rendered from ``facts`` and imported: no problem, the same numbers, texts,
    agency, year, 落款 and contact lines."""
    assert result.problems == []
    got = result.facts
    assert numbers(got) == numbers(facts)
    for path, expected in written_texts(facts).items():
        assert paragraphs(imported_texts(got).get(path)) == expected, path
    assert (got.agency.name, got.year, got.published) == (
        facts.agency.name,
        facts.year,
        facts.published,
    )
    assert got.agency.contact == facts.agency.contact


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_rendered_example_imports_to_the_same_facts(rendered, example, kind):
    facts = load(example)
    result = import_report(rendered[example.stem][kind])
    assert_imported_back(result, facts)
    assert result.facts.agency.level == facts.agency.level


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_facts_file_written_back_loads_to_the_same_facts(example):
    facts = load(example)
    assert reloaded(facts) == facts


def _flatten_docx(docx: Path, target: Path, *, separator: str | None) -> Path:
    """The report as text the way copying leaves it: a row a line with its cells separated
    (tabs from Word, spaces from a PDF), or one cell a line with a blank line after each."""
    document = Document(str(docx))
    lines: list[str] = []
    body = document.element.body
    tables = iter(document.tables)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            lines += [text, ""] if separator is None else [text]
        elif tag == "tbl":
            for row in next(tables).rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        cells.append(cell.text.replace("\n", ""))
                if separator is not None:
                    lines.append(separator.join(cells))
                else:
                    lines += [line for cell in cells for line in (cell, "") if cell or not line]
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "separator", ["\t", " ", None], ids=["tab-rows", "space-rows", "cell-per-line"]
)
def test_a_flattened_text_report_imports_every_number(rendered, tmp_path, separator):
    facts = load(EXAMPLE_FILES[0])
    docx = rendered[EXAMPLE_FILES[0].stem]["docx"]
    text = _flatten_docx(docx, tmp_path / "r.txt", separator=separator)
    result = import_report(text)
    assert result.complete, result.errors
    assert numbers(result.facts) == numbers(facts)


# --------------------------------------------------------------------------- generated facts

counts = st.integers(min_value=0, max_value=60)
rows = st.lists(counts, min_size=6, max_size=6)


@st.composite
def consistent_facts(draw) -> dict:
    """Facts whose every identity holds, with random numbers in every table."""
    data = clean_facts_dict(2023)
    requests: dict = {"results": {}}
    handled = [0] * 6
    for row in fmt.result_rows():
        numbers_ = draw(rows)
        handled = [a + b for a, b in zip(handled, numbers_, strict=True)]
        node = requests
        for key in row.path[:-1]:
            node = node.setdefault(key, {})
        node[row.path[-1]] = numbers_
    carried_over = draw(rows)
    carried_forward = [
        min(c, h + o) for c, h, o in zip(draw(rows), handled, carried_over, strict=True)
    ]
    requests["carried_over"] = carried_over
    requests["carried_forward"] = carried_forward
    requests["received"] = [
        h + f - o for h, f, o in zip(handled, carried_forward, carried_over, strict=True)
    ]
    data["requests"] = requests
    data["proactive"] = {
        "regulations": {c.key: draw(counts) for c in fmt.DOCUMENT_COLUMNS},
        "normative_documents": {c.key: draw(counts) for c in fmt.DOCUMENT_COLUMNS},
        "licensing": draw(st.integers(0, 5000)),
        "punishment": draw(st.integers(0, 5000)),
        "coercion": draw(st.integers(0, 5000)),
        "fees": str(draw(st.decimals(min_value=0, max_value=99999, places=2))),
    }
    data["reviews"] = {
        b.key: {c.key: draw(st.integers(0, 20)) for c in fmt.REVIEW_OUTCOMES}
        for b in fmt.REVIEW_BLOCKS
    }
    return data


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(consistent_facts())
def test_generated_facts_come_back_with_the_same_numbers(tmp_path, data):
    facts = load(data)
    for kind, path in render(facts, tmp_path / "report", to=FORMATS).outputs.items():
        got = import_report(path).facts
        assert numbers(got) == numbers(facts), kind


# --------------------------------------------------------------------------- the seed reports

SEED_SENTENCES = {
    "taierzhuang-keji-2022": {
        ("overview", "summary"): "本报告中所列数据的统计期限自2022年1月1日起",
        ("overview", "proactive"): "及时更新机构概况、班子领导",
        ("overview", "on_request"): "共受理政府信息公开申请0件",
        ("overview", "management"): "健全完善政府信息公开审查机制",
        ("overview", "platforms"): "微信号上发布37条",
        ("overview", "supervision"): "明确专人负责政务公开工作。",
        ("problems", "issues"): "主动公开的意识还不够强",
        ("problems", "improvements"): "二是优化审批办事服务",
        ("other_matters", "processing_fees"): "区科技全年没有收取信息公开处理费",
        ("other_matters", "work_points"): "科学制定工作要点",
        ("other_matters", "statistics_notes"): "统计期限为2022年1月1日至2022年12月31日",
        ("other_matters", "other"): "区科技局本年度没有其他需要报告的事项",
        ("other_matters", "required_by_documents"): "无其他有关文件专门要求",
    },
    "taishan-gongxin-2023": {
        ("overview", "summary"): "特向社会公布2023年本机关",
        ("overview", "proactive"): "工信局党组高度重视政务公开相关工作",
        ("overview", "on_request"): "2023年工信局无依申请公开相关内容。",
        ("overview", "management"): "建立完善政务公开领导小组",
        ("overview", "platforms"): "设专人负责信息公开相关工作和平台维护工作",
        ("overview", "supervision"): "设立政务信息公开监督领导小组",
        ("problems",): "信息公开的载体和形式还需要进一步丰富",
        ("other_matters", "processing_fees"): "无",
        ("other_matters", "work_points"): "多次组织集中学习",
        ("other_matters", "proposals"): "无",
        ("other_matters", "innovation"): "层层有人管、层层抓落实",
    },
    "dingcheng-gongxin-2023": {
        ("overview", "summary"): "有效地促进了政府信息及时、安全、有序公开",
        ("overview", "proactive"): "2023年度无相关规章、规范性文件等信息需主动公开",
        ("overview", "on_request"): "2023年未收到依申请公开申请。",
        ("overview", "management"): "由局办公室牵头",
        ("overview", "platforms"): "鼎城区人民政府门户网站公开",
        ("overview", "supervision"): "处理满意度100%",
        ("problems",): "四是增强业务能力",
        ("other_matters", "other"): "2023年我局无其它需要报告事项。",
    },
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, object]:
    return {name: import_report(SEEDS / f"{name}.txt") for name in SEED_SENTENCES}


@pytest.mark.parametrize("name", sorted(SEED_SENTENCES))
def test_a_seed_report_imports_every_number(seeds, name):
    result = seeds[name]
    assert result.complete, result.errors
    assert set(numbers(result.facts).values()) == {0}
    assert not check(result.facts).errors


@pytest.mark.parametrize("name", sorted(SEED_SENTENCES))
def test_a_seed_report_keeps_each_section_under_its_key(seeds, name):
    texts = imported_texts(seeds[name].facts)
    for path, sentence in SEED_SENTENCES[name].items():
        assert sentence in texts.get(path, ""), path
    assert set(texts) == set(SEED_SENTENCES[name]), "a text landed under an unexpected key"
    assert not any("扫一扫" in text or "字号" in text for text in texts.values())


@pytest.mark.parametrize("name", sorted(SEED_SENTENCES))
def test_a_seed_report_reloads_from_its_facts_file(seeds, name):
    assert reloaded(seeds[name].facts) == seeds[name].facts


def test_taierzhuang_title_date_and_contact(seeds):
    facts = seeds["taierzhuang-keji-2022"].facts
    assert (facts.agency.name, facts.year) == ("台儿庄区科技局", 2022)
    assert facts.published == dt.date(2023, 1, 26)
    contact = facts.agency.contact
    assert (contact.person, contact.department, contact.phone) == (
        "郑新宇",
        "台儿庄区科技局",
        "0632-6611541",
    )


def test_a_title_over_two_lines_and_one_without_a_date(seeds):
    facts = seeds["taishan-gongxin-2023"].facts
    assert (facts.agency.name, facts.year, facts.published) == ("泰山区工信局", 2023, None)


def test_a_web_page_without_a_date_takes_the_page_date_and_says_so(seeds):
    result = seeds["dingcheng-gongxin-2023"]
    assert (result.facts.agency.name, result.facts.year) == ("鼎城区工信局", 2023)
    assert result.facts.published == dt.date(2024, 1, 22)
    assert [p.path for p in result.problems if p.code == "I6"] == [("published",)]


def test_blank_cells_of_a_seed_are_zeros_with_a_warning_per_row(seeds):
    result = seeds["dingcheng-gongxin-2023"]
    blanks = {p.label: p.message for p in result.warnings if p.code == "I1"}
    assert len(blanks) == len(fmt.REQUEST_ROWS)
    assert "自然人、商业企业" in blanks["三、（三）1.属于国家秘密"]
    assert all(p.severity == "warning" for p in result.problems)


# --------------------------------------------------------------------------- edited reports


def _edit_docx(source: Path, target: Path, edits: list[tuple[int, str | int, int, str]]) -> Path:
    """Change cells of a rendered report: (table, row label or index, grid column, text)."""
    document = Document(str(source))
    for table_index, row, column, text in edits:
        table = document.tables[table_index]
        if isinstance(row, str):
            row = next(
                i for i, r in enumerate(table.rows) if any(c.text.strip() == row for c in r.cells)
            )
        table.rows[row].cells[column].text = text
    document.save(str(target))
    return target


@pytest.fixture
def busy(rendered) -> tuple[Facts, dict[str, Path]]:
    return load(EXAMPLE_FILES[0]), rendered[EXAMPLE_FILES[0].stem]


def test_blank_cells_read_as_zero_with_warnings_naming_them(busy, tmp_path):
    _, outputs = busy
    report = _edit_docx(
        outputs["docx"],
        tmp_path / "blank.docx",
        [
            (1, "1.属于国家秘密", FIRST_NUMBER_COLUMN, ""),
            (1, "1.属于国家秘密", FIRST_NUMBER_COLUMN + 1, "/"),
            (2, 3, 1, "—"),
        ],
    )
    result = import_report(report)
    secret = result.facts.requests.results.withheld.state_secret
    assert (secret.natural_person, secret.business) == (0, 0)
    assert result.facts.reviews.reconsideration.corrected == 0
    blanks = {p.label: p.message for p in result.warnings if p.code == "I1"}
    assert "自然人、商业企业" in blanks["三、（三）1.属于国家秘密"]
    assert "结果纠正" in blanks["四、行政复议"]
    assert result.complete


def test_drifted_labels_are_read_as_the_official_rows(busy, tmp_path):
    facts, outputs = busy
    text = outputs["md"].read_text(encoding="utf-8")
    text = text.replace("不计其他情形", "不计其他情况").replace("内部事务", "内容事务")
    text = text.replace("3.危及", "3、危及").replace("（一）予以公开", "(一)予以公开")
    report = tmp_path / "drift.md"
    report.write_text(text, encoding="utf-8")
    result = import_report(report)
    assert numbers(result.facts) == numbers(facts)
    drift = {p.label for p in result.warnings if p.code == "I2"}
    assert drift == {
        "三、（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三、（三）5.属于三类内部事务信息",
    }


def test_drifted_labels_in_flattened_text(tmp_path):
    text = (SEEDS / "taierzhuang-keji-2022.txt").read_text(encoding="utf-8")
    text = text.replace("内部事务", "内容事务").replace("其他情形", "其他情况")
    report = tmp_path / "drift.txt"
    report.write_text(text, encoding="utf-8")
    result = import_report(report)
    assert result.complete
    assert {p.label for p in result.warnings if p.code == "I2"} == {
        "三、（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三、（三）5.属于三类内部事务信息",
    }


def test_a_report_with_broken_totals_is_imported_as_it_stands(busy, tmp_path):
    facts, outputs = busy
    received = facts.requests.received
    report = _edit_docx(
        outputs["docx"],
        tmp_path / "broken.docx",
        [
            (1, "一、本年新收政府信息公开申请数量", TOTAL_COLUMN, str(received.total + 1)),
            (1, "（七）总计", FIRST_NUMBER_COLUMN, "999"),
            (1, "四、结转下年度继续办理", FIRST_NUMBER_COLUMN, "0"),
            (2, 3, 4, "99"),
        ],
    )
    result = import_report(report)
    assert result.complete
    assert result.facts.requests.received.stated_total == received.total + 1
    assert result.facts.requests.carried_forward.natural_person == 0
    found = set(codes(check(result.facts).errors))
    assert {"R1", "R2", "R3", "R4"} <= found
    written = tmp_path / "broken.yaml"
    outcome = run("import", report, "-o", written)
    assert outcome.exit_code == 1, outcome.output
    assert written.is_file()
    assert "原报告本身" in outcome.output
    assert {"R1", "R2", "R3", "R4"} <= set(codes(check(written).errors))


# --------------------------------------------------------------------------- the 2019 trial format


@pytest.fixture(scope="module")
def trial():
    return import_report(TRIAL_REPORT)


def test_a_2019_report_maps_what_maps(trial):
    facts = trial.facts
    assert trial.trial_format and trial.complete
    assert (facts.agency.name, facts.year, facts.published) == (
        "某县水利局",
        2020,
        dt.date(2021, 1, 28),
    )
    assert facts.proactive.normative_documents.issued == 3
    assert (facts.proactive.licensing, facts.proactive.punishment, facts.proactive.coercion) == (
        230,
        17,
        3,
    )
    assert facts.proactive.fees == Decimal(0)
    assert facts.requests.results.other.other.natural_person == 1
    assert facts.requests.results.total.total == 5
    assert facts.reviews.reconsideration.upheld == 1
    assert facts.agency.contact.phone == "0000-1234567"
    assert not check(facts).errors


def test_a_2019_report_says_what_does_not_map(trial):
    messages = " ".join(p.message for p in trial.warnings)
    for words in ("对外公开总数量 15", "其他对外管理服务事项", "政府集中采购", "（六）其他处理"):
        assert words in messages
    assert "现行有效件数" in messages  # 2019 had no such column: filled 0, flagged
    assert set(codes(trial.warnings)) == {"I3", "I4"}


def test_a_web_page_keeps_bold_leads_and_drops_its_furniture(trial):
    overview = trial.facts.overview
    assert (
        overview.proactive
        == "**一是加强水利信息公开。**全年主动公开水利工程建设信息86条，防汛抗旱信息42条。"
    )
    assert "统计期限" in overview.summary
    assert "首页" not in overview.summary


# --------------------------------------------------------------------------- the command


def test_import_command_writes_a_facts_file_that_passes_check(tmp_path):
    source = tmp_path / "taierzhuang.txt"
    shutil.copyfile(SEEDS / "taierzhuang-keji-2022.txt", source)
    outcome = run("import", source)
    assert outcome.exit_code == 0, outcome.output
    written = tmp_path / "taierzhuang.yaml"
    assert written.is_file()
    assert run("check", written).exit_code == 0
    again = run("import", source)
    assert again.exit_code == 1 and "已存在" in again.output
    assert run("import", source, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.docx", None), ("report.pdf", b"%PDF-1.4"), ("notes.txt", "今天天气很好。\n")],
)
def test_import_command_exit_2_when_unreadable(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    outcome = run("import", path, "-o", tmp_path / "out.yaml")
    assert outcome.exit_code == 2, outcome.output
    assert not (tmp_path / "out.yaml").exists()


def test_a_broken_docx_is_unreadable(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip file")
    outcome = run("import", path, "-o", tmp_path / "out.yaml")
    assert outcome.exit_code == 2
    assert ".docx" in outcome.output


# --------------------------------------------------------------------------- reading labels and lines


def test_official_labels_stay_distinct_after_drift_is_undone():
    keys = [_label_key(row.label) for row in fmt.walk()]
    assert len(keys) == len(set(keys))


def _label_key(label: str):
    from govreport.importing.labels import canon, norm, split_number

    number, title = split_number(norm(label))
    return number, canon(title)


@pytest.mark.parametrize(
    "written",
    [
        "1.属于国家秘密",
        "1、属于国家秘密",
        "1．属于 国家秘密",
        "（1）属于国家秘密",
        "1.属于\n国家秘密",
    ],
)
def test_a_label_reads_however_it_was_typed(written):
    from govreport.importing.tables.requests import _request_index

    match = _request_index().match(written)
    assert match is not None
    assert match.target.path == ("results", "withheld", "state_secret")
    assert not match.drift


@pytest.mark.parametrize("row", [r for r in fmt.walk() if r.depth == 0], ids=lambda r: r.label)
def test_table_rows_numbered_like_sections_are_not_sections(row):
    from govreport.importing.labels import section_heading

    assert section_heading(row.label) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        *((heading, key) for key, heading in fmt.SECTION_HEADINGS.items()),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "reviews"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("**六、其他需要报告的事项**", "other_matters"),
        ("一．总体情况", "overview"),
    ],
)
def test_section_headings_in_their_variants(text, key):
    from govreport.importing.labels import section_heading

    assert section_heading(text) == (key, "")


def test_a_heading_with_its_first_sentence_on_the_same_line():
    from govreport.importing.labels import section_heading

    assert section_heading("六、其他需要报告的事项：无。") == ("other_matters", "无。")


def test_contact_lines_with_several_fields():
    from govreport.importing.closing import contact_fields

    assert contact_fields("联系人：张三  联系电话：0632-1234567") == {
        "person": "张三",
        "phone": "0632-1234567",
    }
    assert contact_fields("如有疑问，请拨打电话：123") == {}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024年1月20日", dt.date(2024, 1, 20)),
        ("2024 年 1 月 20 日", dt.date(2024, 1, 20)),
        ("二〇二四年一月二十日", dt.date(2024, 1, 20)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("2024年2月30日", None),
    ],
)
def test_closing_dates(text, date):
    from govreport.importing.closing import parse_date

    assert parse_date(text) == date


def test_a_gbk_text_file_reads_like_utf8(tmp_path, seeds):
    text = (SEEDS / "taierzhuang-keji-2022.txt").read_text(encoding="utf-8")
    report = tmp_path / "gbk.txt"
    report.write_bytes(text.encode("gb18030"))
    assert import_report(report).facts == seeds["taierzhuang-keji-2022"].facts
