"""The rendered Word report, opened with python-docx and compared with the facts.

Every example is rendered once (module-scoped) and read back: the three tables
cell by cell, their labels against ``official``, the merged cells, the sections
and their numbering, the title, the 落款, and the page and table layout.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx.document import Document
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from render_support import (
    BUSY,
    EXAMPLE_FILES,
    EXAMPLES_DIR,
    REQUEST_HEADER_ROWS,
    REQUEST_LABEL_COLUMNS,
    TABLE_PROACTIVE,
    TABLE_REQUESTS,
    TABLE_REVIEWS,
    Cell,
    Para,
    body,
    chinese_date,
    digits,
    expected_proactive,
    expected_request_row,
    expected_review,
    fee_as_written,
    grid,
    open_docx,
    proactive_value,
    raw_facts,
    request_rows,
    review_value,
    section_of,
    texts,
    unique_cells,
)

from govreport import load, render
from govreport import official as fmt
from govreport.template_sets.environment import chinese_number
from govreport.template_sets.sets import TemplateSet, template_set_for

HEADINGS = list(fmt.SECTION_HEADINGS.values())
#: The built-in sets the examples use: national, or shandong by their province.
SETS = ("national", "shandong")


@dataclass
class Rendered:
    name: str
    facts_file: Path
    raw: dict
    docx: Path
    document: Document
    paras: list[Para]
    tables: list[list[list[Cell]]]
    tset: TemplateSet

    @property
    def headings(self) -> list[str]:
        """The six headings in this report's set (shandong rewords 四)."""
        return [self.tset.word("headings", k, default=t) for k, t in fmt.SECTION_HEADINGS.items()]


def _render(path: Path, out: Path, name: str, template: str | None = None) -> Rendered:
    result = render(path, out / f"{name}.docx", template=template)
    target = result.outputs["docx"]
    assert result.template is not None
    document = open_docx(target)
    return Rendered(
        name,
        path,
        raw_facts(path),
        target,
        document,
        body(document),
        [grid(table) for table in document.tables],
        result.template,
    )


#: Taierzhuang (山东) rendered with the national set too: there 六 lists only written items.
NATIONAL_TAIERZHUANG = "taierzhuang-keji-2022@national"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every example rendered once to .docx and opened."""
    out = tmp_path_factory.mktemp("examples")
    reports = {path.stem: _render(path, out, path.stem) for path in EXAMPLE_FILES}
    taierzhuang = next(p for p in EXAMPLE_FILES if p.stem == "taierzhuang-keji-2022")
    reports[NATIONAL_TAIERZHUANG] = _render(taierzhuang, out, "national", "national")
    return reports


EXAMPLES = [p.stem for p in EXAMPLE_FILES]
each_example = pytest.mark.parametrize("name", EXAMPLES)


def test_all_five_examples_are_here(rendered: dict[str, Rendered]) -> None:
    assert len(EXAMPLES) == 5
    assert set(BUSY) <= set(EXAMPLES)
    for name in EXAMPLES:  # the set chosen is the one rendering would choose
        report = rendered[name]
        assert report.tset.name == template_set_for(load(report.facts_file)).name
        assert report.tset.name in SETS
    assert rendered[NATIONAL_TAIERZHUANG].tset.name == "national"


# --------------------------------------------------------------------------- table 二


@each_example
def test_proactive_table_all_ten_cells(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    cells = report.tables[TABLE_PROACTIVE]
    assert len(fmt.PROACTIVE_CELLS) == 10
    seen = []
    for cell in fmt.PROACTIVE_CELLS:
        value, header = proactive_value(cells, cell)
        if cell.decimal:
            expected = fee_as_written(report.facts_file)
        else:
            expected = str(expected_proactive(report.raw, cell))
        assert value.text == expected, cell.full_label
        # a one-column block's number spans the block's width, like its header
        assert (value.left, value.colspan) == (header.left, header.colspan), cell.full_label
        seen.append(value)
    assert len({id(c) for c in seen}) == 10
    if name in BUSY:
        assert all(c.text not in ("", "0") for c in seen)


def test_fee_is_written_as_typed(rendered: dict[str, Rendered]) -> None:
    fees = rendered["busy-2023"].tables[TABLE_PROACTIVE]
    fee_cell = next(c for c in fmt.PROACTIVE_CELLS if c.decimal)
    assert proactive_value(fees, fee_cell)[0].text == "12.35"
    government = rendered["busy-government-2023"].tables[TABLE_PROACTIVE]
    assert proactive_value(government, fee_cell)[0].text == "286.74"


@pytest.mark.parametrize("typed", ["12.50", "0.1", "3", "1200.05"])
def test_fee_keeps_its_digits(tmp_path: Path, typed: str) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        f"agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\nproactive:\n  fees: {typed}\n",
        encoding="utf-8",
    )
    assert fee_as_written(facts) == typed
    cells = grid(open_docx(render(facts).outputs["docx"]).tables[TABLE_PROACTIVE])
    fee_cell = next(c for c in fmt.PROACTIVE_CELLS if c.decimal)
    assert proactive_value(cells, fee_cell)[0].text == typed


@each_example
def test_proactive_table_labels_and_merges(rendered: dict[str, Rendered], name: str) -> None:
    cells = rendered[name].tables[TABLE_PROACTIVE]
    width = len(cells[0])
    r = 0
    for block in fmt.PROACTIVE_BLOCKS:
        article = cells[r][0]
        assert (article.text, article.colspan) == (block.article, width)
        header = unique_cells([cells[r + 1]])
        assert [c.text for c in header] == [
            fmt.PROACTIVE_ITEM_HEADER,
            *(c.label for c in block.columns),
        ]
        labels = [cells[r + 2 + i][0] for i in range(len(block.rows))]
        assert [c.text for c in labels] == [row.label for row in block.rows]
        assert all(c.colspan == 1 for c in labels)
        r += 2 + len(block.rows)
    assert r == len(cells)


# --------------------------------------------------------------------------- table 三


@each_example
def test_requests_table_all_175_cells(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    rows = request_rows(report.tables[TABLE_REQUESTS])
    assert len(rows) == len(fmt.REQUEST_ROWS) == 25
    count = 0
    for row in fmt.REQUEST_ROWS:
        _, numbers = rows[row.path]
        expected = [str(n) for n in expected_request_row(report.raw, row)]
        assert numbers == expected, row.full_label
        count += len(numbers)
        if name in BUSY:
            assert "0" not in numbers, row.full_label
    assert count == 175


def test_busy_request_totals_spot_check(rendered: dict[str, Rendered]) -> None:
    """The sums stated in busy-2023's comments: 560, 19, 556, 23."""
    rows = request_rows(rendered["busy-2023"].tables[TABLE_REQUESTS])
    assert rows[("received",)][1][-1] == "560"
    assert rows[("carried_over",)][1][-1] == "19"
    assert rows[fmt.RESULT_TOTAL_PATH][1] == ["375", "73", "24", "22", "36", "26", "556"]
    assert rows[("carried_forward",)][1][-1] == "23"


@each_example
def test_requests_table_rows_in_official_order(rendered: dict[str, Rendered], name: str) -> None:
    cells = rendered[name].tables[TABLE_REQUESTS]
    assert len(cells) == REQUEST_HEADER_ROWS + len(fmt.REQUEST_ROWS)
    assert len(cells[0]) == REQUEST_LABEL_COLUMNS + len(fmt.REQUEST_COLUMNS)
    in_table = [
        cells[r][REQUEST_LABEL_COLUMNS - 1].text for r in range(REQUEST_HEADER_ROWS, len(cells))
    ]
    assert in_table == [row.label for row in fmt.REQUEST_ROWS]


@each_example
def test_requests_table_labels_match_format(rendered: dict[str, Rendered], name: str) -> None:
    """Row labels, group labels and headers equal ``official`` character for character."""
    cells = rendered[name].tables[TABLE_REQUESTS]
    for row in fmt.REQUEST_ROWS:
        labels, _ = request_rows(cells)[row.path]
        expected = [p.label for p in row.parents]
        expected += [row.label] * (REQUEST_LABEL_COLUMNS - row.depth)
        assert [c.text for c in labels] == expected, row.full_label
    header = texts(cells[:REQUEST_HEADER_ROWS])
    first = REQUEST_LABEL_COLUMNS
    assert header[0][0] == fmt.REQUESTS_CORNER
    assert header[0][first:] == [fmt.APPLICANT_HEADER] * len(fmt.REQUEST_COLUMNS)
    legal = len(fmt.APPLICANT_COLUMNS) - 1
    assert header[1][first:] == [
        fmt.APPLICANT_COLUMNS[0].label,
        *[fmt.LEGAL_PERSON_HEADER] * legal,
        fmt.TOTAL.label,
    ]
    assert header[2][first:] == [c.label for c in fmt.REQUEST_COLUMNS]


@each_example
def test_requests_table_merged_cells(rendered: dict[str, Rendered], name: str) -> None:
    cells = rendered[name].tables[TABLE_REQUESTS]
    first = REQUEST_LABEL_COLUMNS
    width = len(fmt.REQUEST_COLUMNS)

    def span(cell: Cell) -> tuple[int, int, int, int]:
        return cell.top, cell.left, cell.rowspan, cell.colspan

    corner = cells[0][0]
    assert span(corner) == (0, 0, REQUEST_HEADER_ROWS, REQUEST_LABEL_COLUMNS)
    assert span(cells[0][first]) == (0, first, 1, width)  # 申请人情况
    assert span(cells[1][first]) == (1, first, 2, 1)  # 自然人
    assert cells[1][first + 1].text == fmt.LEGAL_PERSON_HEADER
    assert span(cells[1][first + 1]) == (1, first + 1, 1, len(fmt.APPLICANT_COLUMNS) - 1)
    assert span(cells[1][first + width - 1]) == (1, first + width - 1, 2, 1)  # 总计

    index = {row.path: r for r, row in enumerate(fmt.REQUEST_ROWS, start=REQUEST_HEADER_ROWS)}
    for group in (row for row in fmt.walk() if row.is_group):
        below = [r for path, r in index.items() if path[: len(group.path)] == group.path]
        cell = cells[min(below)][group.depth]
        assert cell.text == group.label
        assert span(cell) == (min(below), group.depth, len(below), 1), group.full_label
    for row in fmt.REQUEST_ROWS:
        cell = cells[index[row.path]][row.depth]
        assert span(cell) == (index[row.path], row.depth, 1, first - row.depth), row.full_label
        for c in range(first, first + width):  # number cells are never merged
            assert span(cells[index[row.path]][c]) == (index[row.path], c, 1, 1)


def test_merge_in_the_xml(rendered: dict[str, Rendered]) -> None:
    """The spans above come from w:gridSpan and w:vMerge in document.xml."""
    table = rendered["busy-2023"].document.tables[TABLE_REQUESTS]._tbl
    rows = table.findall(qn("w:tr"))
    first_cell = rows[0].findall(qn("w:tc"))[0].find(qn("w:tcPr"))
    assert first_cell.find(qn("w:gridSpan")).get(qn("w:val")) == str(REQUEST_LABEL_COLUMNS)
    assert first_cell.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    applicants = rows[0].findall(qn("w:tc"))[1].find(qn("w:tcPr"))
    assert applicants.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(fmt.REQUEST_COLUMNS))
    continued = rows[1].findall(qn("w:tc"))[0].find(qn("w:tcPr")).find(qn("w:vMerge"))
    assert continued is not None and continued.get(qn("w:val")) in (None, "continue")


# --------------------------------------------------------------------------- table 四


@each_example
def test_reviews_table_all_15_cells(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    cells = report.tables[TABLE_REVIEWS]
    values = []
    for block in fmt.REVIEW_BLOCKS:
        for column in fmt.REVIEW_COLUMNS:
            value, _ = review_value(cells, block, column)
            assert value.text == str(expected_review(report.raw, block, column)), (
                f"{block.full_label} · {column.label}"
            )
            values.append(value)
    assert len({id(v) for v in values}) == 15
    assert len(cells) == 4 and len(cells[0]) == 15
    if name in BUSY:
        assert all(v.text != "0" for v in values)


@each_example
def test_reviews_table_merged_headers(rendered: dict[str, Rendered], name: str) -> None:
    cells = rendered[name].tables[TABLE_REVIEWS]
    per_block = len(fmt.REVIEW_COLUMNS)
    top = unique_cells([cells[0]])
    headers = [b.header for b in fmt.REVIEW_BLOCKS]
    assert [c.text for c in top] == list(dict.fromkeys(headers))
    for cell in top:
        assert cell.rowspan == 1
        assert cell.colspan == per_block * headers.count(cell.text)
    litigation = next(c for c in top if c.text == fmt.LITIGATION_HEADER)
    assert litigation.colspan == 2 * per_block  # 行政诉讼 over its two blocks
    for block in fmt.REVIEW_BLOCKS:
        if block.label == block.header:  # 行政复议: its outcome labels merge down two rows
            for column in fmt.REVIEW_COLUMNS:
                _, label = review_value(cells, block, column)
                assert (label.top, label.rowspan) == (1, 2)
        else:
            head = next(c for c in unique_cells([cells[1]]) if c.text == block.label)
            assert head.colspan == per_block
            for column in fmt.REVIEW_COLUMNS:
                _, label = review_value(cells, block, column)
                assert (label.top, label.rowspan) == (2, 1)


# --------------------------------------------------------------------------- every cell


@each_example
def test_no_blank_numeric_cell(rendered: dict[str, Rendered], name: str) -> None:
    """R9: every number cell holds a number (0 when the facts leave it out)."""
    report = rendered[name]
    numbers: list[str] = []
    cells = report.tables[TABLE_PROACTIVE]
    numbers += [proactive_value(cells, c)[0].text for c in fmt.PROACTIVE_CELLS]
    numbers += [n for _, ns in request_rows(report.tables[TABLE_REQUESTS]).values() for n in ns]
    cells = report.tables[TABLE_REVIEWS]
    numbers += [
        review_value(cells, b, c)[0].text for b in fmt.REVIEW_BLOCKS for c in fmt.REVIEW_COLUMNS
    ]
    assert len(numbers) == 10 + 175 + 15
    assert all(digits(n) for n in numbers), [n for n in numbers if not digits(n)]
    if name not in BUSY and "proactive" not in report.raw:
        assert set(numbers) == {"0"}
    for table in report.tables:  # and no cell at all is blank
        assert all(cell.text.strip() for cell in unique_cells(table))


@each_example
def test_no_template_tags_left(rendered: dict[str, Rendered], name: str) -> None:
    document = rendered[name].document
    xml = document.element.xml
    for part in (document.sections[0].footer, document.sections[0].header):
        xml += part._element.xml
    for tag in ("{{", "}}", "{%", "%}"):
        assert tag not in xml


@each_example
def test_tables_follow_their_headings(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    headings = report.headings
    order = []
    for child in report.document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            order.append("TABLE")
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text in headings:
                order.append(text)
    assert order == [
        headings[0],
        headings[1],
        "TABLE",
        headings[2],
        "TABLE",
        headings[3],
        "TABLE",
        headings[4],
        headings[5],
    ]


# --------------------------------------------------------------------------- text


@each_example
def test_title(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    agency, year = report.raw["agency"]["name"], report.raw["year"]
    first = report.paras[0]
    # one line break, at a word boundary (see test_layout for where it falls on the page)
    assert first.text.replace("\n", "") == f"{agency}{year}年政府信息公开工作年度报告"
    assert first.text.count("\n") == 1
    assert first.style == "Title"
    assert first.alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    assert [p.text for p in report.paras].count(first.text) == 1


@each_example
def test_six_section_headings(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    assert [p.text for p in report.paras if p.style == "Heading 1"] == report.headings
    if report.tset.name == "national":
        assert report.headings == HEADINGS
    else:  # shandong's wording for 四 (FORMAT.md: the Shandong variant)
        assert report.headings[3] == "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
        assert report.headings[:3] + report.headings[4:] == HEADINGS[:3] + HEADINGS[4:]
    assert HEADINGS == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def _items(paras: list[Para]) -> list[str]:
    return [p.text for p in paras if p.style == "Heading 2"]


def _numbered(titles: list[str]) -> list[str]:
    return [f"（{chinese_number(n)}）{t}" for n, t in enumerate(titles, start=1)]


@each_example
def test_overview_items_numbered_without_gaps(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    overview = section_of(report.paras, report.headings[0], report.headings[1])
    titles = [t.title for t in fmt.OVERVIEW_TOPICS[:5]]
    assessment = report.raw.get("overview", {}).get("assessment")
    national_government = (
        report.tset.name == "national" and report.raw["agency"].get("level") == "government"
    )
    if assessment or national_government:
        titles.append(fmt.OVERVIEW_TOPICS[5].title)  # 工作考核、社会评议和责任追究结果情况
    assert _items(overview) == _numbered(titles)
    assert _items(overview)[:5] == [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ]
    # the lead-in comes before （一）, each item has at least one paragraph after it
    assert overview[0].style == "Normal"
    for before, after in itertools.pairwise(overview):
        if before.style == "Heading 2":
            assert after.style == "Normal"
    assert overview[-1].style == "Normal"


@each_example
def test_problems_one_text_or_split(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    section = section_of(report.paras, report.headings[4], report.headings[5])
    problems = report.raw["problems"]
    if isinstance(problems, str):
        assert _items(section) == []
        written = [line.strip() for line in problems.splitlines() if line.strip()]
        assert [p.text for p in section] == written
    else:
        assert _items(section) == ["（一）存在的主要问题", "（二）改进情况"]
        assert section[0].text == "（一）存在的主要问题"
        assert section[1].text == problems["issues"].strip()


def test_problems_kinds_are_both_exercised(rendered: dict[str, Rendered]) -> None:
    kinds = {isinstance(r.raw["problems"], str) for r in rendered.values()}
    assert kinds == {True, False}


@pytest.mark.parametrize("name", [*EXAMPLES, NATIONAL_TAIERZHUANG])
def test_other_matters_numbered_without_gaps(rendered: dict[str, Rendered], name: str) -> None:
    """national: only the items written, and 信息处理费 always (boilerplate when missing);
    shandong: its seven fixed items, boilerplate where the facts leave one out."""
    report = rendered[name]
    section = section_of(report.paras, report.headings[5], None)
    written = report.raw.get("other_matters") or {}
    if report.tset.name == "national":
        keys = {t.key for t in fmt.OTHER_MATTER_TOPICS if written.get(t.key)}
        keys.add("processing_fees")
    else:
        keys = {t.key for t in fmt.OTHER_MATTER_TOPICS}
    titles = [t.title for t in fmt.OTHER_MATTER_TOPICS if t.key in keys]
    assert _items(section) == _numbered(titles)
    assert _items(section)[0] == "（一）收取信息处理费情况"
    fees = section[1].text
    if written.get("processing_fees"):
        assert fees == written["processing_fees"].strip().splitlines()[0].strip()
    else:  # the set's boilerplate stands in
        assert "未收取信息处理费" in fees


def test_taierzhuang_other_matters_renumbered(rendered: dict[str, Rendered]) -> None:
    """The original report numbered 1, 2, 3, 4, 6; ours has no gap (national set:
    人大代表建议 and 创新情况 are not written, so they are left out)."""
    section = section_of(rendered[NATIONAL_TAIERZHUANG].paras, HEADINGS[5], None)
    assert _items(section) == [
        "（一）收取信息处理费情况",
        "（二）落实上级年度政务公开工作要点情况",
        "（三）年度报告数据统计需要说明的事项",
        "（四）本机关认为需要报告的其他事项",
        "（五）其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项",
    ]
    shandong = section_of(rendered["taierzhuang-keji-2022"].paras, HEADINGS[5], None)
    assert _items(shandong) == _numbered([t.title for t in fmt.OTHER_MATTER_TOPICS])


def test_dingcheng_processing_fees_boilerplate(rendered: dict[str, Rendered]) -> None:
    section = section_of(rendered["dingcheng-gongxin-2023"].paras, HEADINGS[5], None)
    assert _items(section) == ["（一）收取信息处理费情况", "（二）本机关认为需要报告的其他事项"]
    assert section[1].text == (
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），我局2023年未收取信息处理费。"
    )


def test_bold_lead_in(rendered: dict[str, Rendered]) -> None:
    paragraph = next(
        p.paragraph
        for p in rendered["busy-2023"].paras
        if p.text.startswith("一是抓好政策文件公开。")
    )
    runs = [r for r in paragraph.runs if r.text]
    assert runs[0].text == "一是抓好政策文件公开。" and runs[0].bold
    assert not runs[1].bold and runs[1].text.startswith("本年制发行政规范性文件8件")


@each_example
def test_no_empty_paragraphs(rendered: dict[str, Rendered], name: str) -> None:
    """docxtpl's {%p %} tags leave nothing behind."""
    assert all(p.text.strip() for p in rendered[name].paras)


# --------------------------------------------------------------------------- 落款


def _closing(report: Rendered) -> list[Para]:
    start = next(i for i, p in enumerate(report.paras) if p.style.startswith("Closing"))
    return report.paras[start:]


@each_example
def test_closing_agency_date_and_contacts(rendered: dict[str, Rendered], name: str) -> None:
    report = rendered[name]
    closing = _closing(report)
    raw = report.raw
    expected = [raw["agency"]["name"]]
    if raw.get("published"):
        assert isinstance(raw["published"], dt.date)
        expected.append(chinese_date(raw["published"]))
    contact = raw["agency"].get("contact") or {}
    lines = [f"{t.title}：{contact[t.key]}" for t in fmt.CONTACT_FIELDS if contact.get(t.key)]
    assert [p.text for p in closing] == expected + lines
    right = closing[: len(expected)]
    assert all(p.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT for p in right)
    assert all(p.alignment != WD_PARAGRAPH_ALIGNMENT.RIGHT for p in closing[len(expected) :])
    # after the last section's text
    before = report.paras[report.paras.index(closing[0]) - 1]
    assert before.style == "Normal"


def test_closing_date_written_in_chinese(rendered: dict[str, Rendered]) -> None:
    closing = _closing(rendered["busy-2023"])
    assert [p.text for p in closing[:2]] == ["某市自然资源和规划局", "2024年1月20日"]


def test_closing_taierzhuang_contact(rendered: dict[str, Rendered]) -> None:
    closing = _closing(rendered["taierzhuang-keji-2022"])
    assert [p.text for p in closing] == [
        "台儿庄区科学技术局",
        "2023年1月26日",
        "咨询部门：台儿庄区科技局",
        "联系人：郑新宇",
        "咨询电话：0632-6611541",
    ]
    assert closing[-1].paragraph._p is rendered["taierzhuang-keji-2022"].document.paragraphs[-1]._p


def test_closing_without_date_or_contact(rendered: dict[str, Rendered]) -> None:
    """泰山区 has no 落款 date: the agency line stands alone, no empty date line."""
    assert [p.text for p in _closing(rendered["taishan-gongxin-2023"])] == ["泰山区工业和信息化局"]
    assert [p.text for p in _closing(rendered["dingcheng-gongxin-2023"])] == [
        "常德市鼎城区工业和信息化局",
        "2024年1月22日",
    ]


# --------------------------------------------------------------------------- layout


@each_example
def test_rows_never_split_and_headers_repeat(rendered: dict[str, Rendered], name: str) -> None:
    document = rendered[name].document
    for index, table in enumerate(document.tables):
        rows = table._tbl.findall(qn("w:tr"))
        for r, tr in enumerate(rows):
            tr_pr = tr.find(qn("w:trPr"))
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, (index, r)
            header = tr_pr.find(qn("w:tblHeader")) is not None
            if index == TABLE_REQUESTS:
                assert header == (r < REQUEST_HEADER_ROWS), r


def test_page_setup_a4_and_margins(rendered: dict[str, Rendered]) -> None:
    document = rendered["busy-2023"].document
    assert len(document.sections) == 1
    section = document.sections[0]
    measured = [
        section.page_width.mm,
        section.page_height.mm,
        section.top_margin.mm,
        section.bottom_margin.mm,
        section.left_margin.mm,
        section.right_margin.mm,
    ]
    assert [round(v) for v in measured] == [210, 297, 37, 35, 28, 26]
    assert all(abs(v - round(v)) < 0.1 for v in measured)


def test_east_asian_fonts_named_in_styles(rendered: dict[str, Rendered]) -> None:
    document = rendered["busy-2023"].document
    styles = document.styles

    def east_asia(name: str) -> str | None:
        rpr = styles[name].element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    assert "仿宋" in east_asia("Normal")
    assert "小标宋" in east_asia("Title")
    assert "黑体" in east_asia("Heading 1")
    assert "楷体" in east_asia("Heading 2")
    used = {p.style for p in rendered["busy-2023"].paras} | {"Table Text"}
    for name in used:
        assert east_asia(name), name
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
    # no theme font may override the named ones
    for name in used:
        fonts = styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_table_cells_use_table_text_style(rendered: dict[str, Rendered]) -> None:
    document = rendered["busy-2023"].document
    style_id = document.styles["Table Text"].style_id
    for table in document.tables:
        for p in table._tbl.iter(qn("w:p")):
            assert p.pPr is not None and p.pPr.style == style_id


def test_footer_page_number_field(rendered: dict[str, Rendered]) -> None:
    footer = rendered["busy-2023"].document.sections[0].footer
    assert not footer.is_linked_to_previous
    xml = footer._element
    instructions = [t.text.strip() for t in xml.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr")).strip() for f in xml.iter(qn("w:fldSimple"))]
    assert "PAGE" in instructions + simple
    if instructions:
        kinds = [c.get(qn("w:fldCharType")) for c in xml.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]


# --------------------------------------------------------------------------- justified body


def test_body_is_justified_and_libreoffice_gets_a_left_aligned_copy(tmp_path: Path) -> None:
    """The Word file's body is justified (两端对齐); only the copy LibreOffice prints is
    aligned left, where LibreOffice would lose a comma ending a justified line."""
    import io

    from docx import Document as open_docx

    from govreport import render
    from govreport.rendering.office_copy import for_libreoffice

    example = EXAMPLES_DIR / "busy-2023.yaml"
    docx = render(example, tmp_path / "r", to=["docx"]).outputs["docx"]
    data = docx.read_bytes()
    styles = open_docx(io.BytesIO(data)).styles
    for name in ("Normal", "Heading 1", "Heading 2"):
        assert styles[name].paragraph_format.alignment == WD_PARAGRAPH_ALIGNMENT.JUSTIFY, name
    printed = open_docx(io.BytesIO(for_libreoffice(data)))
    for name in ("Normal", "Heading 1", "Heading 2"):
        assert printed.styles[name].paragraph_format.alignment == WD_PARAGRAPH_ALIGNMENT.LEFT
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    assert [p.text for p in printed.paragraphs] == texts  # nothing else changes
    assert for_libreoffice(for_libreoffice(data)) == for_libreoffice(data)


def test_word_properties_are_the_reports(tmp_path: Path) -> None:
    """Title and author of the Word file (and of the PDF LibreOffice prints from it)."""
    from docx import Document as open_docx

    from govreport import render

    example = EXAMPLES_DIR / "busy-2023.yaml"
    docx = render(example, tmp_path / "r", to=["docx"]).outputs["docx"]
    properties = open_docx(str(docx)).core_properties
    assert properties.title == "某市自然资源和规划局2023年政府信息公开工作年度报告"
    assert properties.author == "某市自然资源和规划局"
