"""The printed pages: every example and the inputs users bring, printed to PDF and read back.

Each report is printed by both PDF engines: typeset by Typst straight from the facts
(the default), and rendered to Word and printed by LibreOffice. Its pages are read back
with pdfplumber to check what a 公文 reviewer checks by eye: table 三 on one page,
no table row split across pages, no heading at the foot of a page, the 落款 with
body text above it, the title broken between words, GB/T 9704 page numbers
("— 1 —", odd pages right and even pages left, one character in), and every
character of the narrative printed, in order.
LibreOffice prints them all in one LibreOffice kept running (about 0.5 s a report).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import consistent_facts
from tests_support import EXAMPLE_FILES, EXAMPLES_DIR, clean_facts_dict

from govreport import official as fmt
from govreport import render
from govreport.narrative.title import break_points

pytestmark = pytest.mark.pdf
#: The PDF engines every layout test runs for.
ENGINES = ("typst", "libreoffice")

MM = 72 / 25.4
#: GB/T 9704 page: 版心 from 37 mm below the top to 35 mm above the bottom; margins 28 / 26 mm.
BODY_BOTTOM = (297 - 35) * MM
LEFT, RIGHT = 28 * MM, 26 * MM
PAGE_NUMBER_SIZE = 14.0  # 4号
TITLE_SIZE = 22.0  # 2号

#: An agency name of 30 characters: place, place, place, office.
LONG_NAME = "新疆维吾尔自治区乌鲁木齐市沙依巴克区人民政府办公室信息化中心"
#: The name of the issue: broken today inside 乡村; its body must break between words.
VILLAGE_NAME = "某某省某某市某某区农业农村和乡村振兴综合行政执法局"
#: Where a title line may end: a name's part or word, 年 / 年度, 政府信息公开, 工作.
WORD_ENDS = ("局", "年", "年度", "政府信息公开", "工作", "区", "市", "省", "县", "室", "中心", "和")


def squeeze(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- labels


def _table_labels() -> set[str]:
    """Every label cell of the three tables, as printed without whitespace."""
    labels = {fmt.REQUESTS_CORNER, fmt.APPLICANT_HEADER, fmt.LEGAL_PERSON_HEADER, fmt.TOTAL.label}
    labels |= {c.label for c in fmt.APPLICANT_COLUMNS}
    labels |= {r.label for r in fmt.walk()}
    for block in fmt.PROACTIVE_BLOCKS:
        labels |= {block.article, fmt.PROACTIVE_ITEM_HEADER}
        labels |= {c.label for c in block.columns} | {r.label for r in block.rows}
    for block in fmt.REVIEW_BLOCKS:
        labels |= {block.header, block.label}
    labels |= {c.label for c in fmt.REVIEW_COLUMNS}
    return {squeeze(label) for label in labels}


LABELS = _table_labels()
NUMBER = re.compile(r"^\d+(\.\d+)?$")
FIRST_REQUEST_ROW = squeeze(fmt.REQUEST_ROWS[0].label)  # 一、本年新收…
LAST_REQUEST_ROW = squeeze(fmt.REQUEST_ROWS[-1].label)  # 四、结转下年度继续办理
PROACTIVE_ROWS = sum(2 + len(block.rows) for block in fmt.PROACTIVE_BLOCKS)


# --------------------------------------------------------------------------- reading pages


@dataclass
class Page:
    number: int
    width: float
    text: str  # the 版心's text without whitespace
    lines: list[dict]
    footer: list[dict]  # lines below the 版心 (the page number)
    tables: list[list[list[str | None]]]


@dataclass
class Printed:
    """A report as printed: its pages, and what the Word file says should be on them."""

    name: str
    pages: list[Page]
    title: str  # the Word title, line breaks as \n
    agency: str
    headings: list[str]  # 一、… and （一）… as rendered
    closing: str  # agency name, date and contact lines, without whitespace
    paragraphs: list[str]  # the narrative's paragraphs as in the Word file, without whitespace


def read_pdf(pdf: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            body = page.crop((0, 0, page.width, BODY_BOTTOM))
            lines = page.extract_text_lines()
            pages.append(
                Page(
                    number,
                    page.width,
                    squeeze(body.extract_text() or ""),
                    [line for line in lines if line["bottom"] <= BODY_BOTTOM],
                    [line for line in lines if line["top"] > BODY_BOTTOM],
                    [table.extract() for table in page.find_tables()],
                )
            )
    return pages


def read_word(docx: Path) -> tuple[str, list[str], str, list[str]]:
    """The title, the headings, the 落款 block and the narrative paragraphs of the Word file."""
    paragraphs = Document(str(docx)).paragraphs
    title = paragraphs[0].text
    headings = [p.text for p in paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    closing = "".join(
        p.text
        for p in paragraphs
        if p.style.name in ("Closing Agency", "Closing Date", "Contact Line")
    )
    body = [squeeze(p.text) for p in paragraphs[1:] if p.style.name == "Normal" and p.text.strip()]
    return title, headings, squeeze(closing), body


def print_all(
    cases: dict[str, dict | Path],
    folder: Path,
    template: Path | None = None,
    engine: str = "libreoffice",
) -> dict[str, Printed]:
    """Render every case to Word and PDF (Typst typesets each PDF from the facts;
    LibreOffice prints the Word file, in the one LibreOffice kept running)."""
    words: dict[str, tuple[Path, str]] = {}
    for name, source in cases.items():
        to = ["docx", "pdf"]  # LibreOffice: the one kept running prints them all
        result = render(source, folder / name, to=to, template=template, pdf_engine=engine)
        words[name] = (result.outputs["docx"], result.facts.agency.name)
    printed = {}
    for name, (docx, agency) in words.items():
        title, headings, closing, body = read_word(docx)
        pages = read_pdf(docx.with_suffix(".pdf"))
        printed[name] = Printed(
            f"{name}（{engine}）", pages, title, agency, headings, closing, body
        )
    return printed


# --------------------------------------------------------------------------- inputs


def long_narrative() -> dict:
    """A government whose every narrative text is three times as long."""
    data = yaml.safe_load((EXAMPLES_DIR / "busy-government-2023.yaml").read_text("utf-8"))

    def triple(node: object) -> object:
        if isinstance(node, dict):
            return {k: triple(v) for k, v in node.items()}
        if isinstance(node, str) and len(node) > 40:
            return "\n\n".join([node.strip()] * 3)
        return node

    for section in ("overview", "problems", "other_matters"):
        data[section] = triple(data.get(section) or {})
    return data


def long_name(name: str = LONG_NAME) -> dict:
    data = clean_facts_dict()
    data["agency"]["name"] = name
    data["agency"]["contact"] = {"department": name, "phone": "0991-0000000"}
    return data


def empty_narrative() -> dict:
    return {"agency": {"name": "某县林业局"}, "year": 2023, "published": dt.date(2024, 1, 20)}


def big_numbers() -> dict:
    """Every table cell 4 to 6 digits, every identity holding."""
    data = clean_facts_dict()
    columns = len(fmt.APPLICANT_COLUMNS)
    requests: dict = {}
    handled = [0] * columns
    for i, row in enumerate(fmt.result_rows()):
        numbers = [1000 + 397 * (i + c) % 4000 for c in range(columns)]
        handled = [a + b for a, b in zip(handled, numbers, strict=True)]
        node = requests
        for key in row.path[:-1]:
            node = node.setdefault(key, {})
        node[row.path[-1]] = numbers
    over, forward = [9876] * columns, [5432] * columns
    requests["carried_over"] = over
    requests["carried_forward"] = forward
    requests["received"] = [h + f - o for h, f, o in zip(handled, forward, over, strict=True)]
    data["requests"] = requests
    data["proactive"] = {
        "regulations": {"issued": 1234, "repealed": 2345, "in_force": 345678},
        "normative_documents": {"issued": 45678, "repealed": 5678, "in_force": 987654},
        "licensing": 123456,
        "punishment": 98765,
        "coercion": 4321,
        "fees": "123456.78",
    }
    data["reviews"] = {
        block.key: {"upheld": 1234, "corrected": 5678, "other": 9012, "pending": 3456}
        for block in fmt.REVIEW_BLOCKS
    }
    return data


CASES: dict[str, dict | Path] = {
    **{path.stem: path for path in EXAMPLE_FILES},
    "long-narrative": long_narrative(),
    "long-name": long_name(),
    "village-name": long_name(VILLAGE_NAME),
    "empty-narrative": empty_narrative(),
    "big-numbers": big_numbers(),
}


@pytest.fixture(scope="module", params=ENGINES)
def printed(
    request: pytest.FixtureRequest, pdf_tools: object, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Printed]:
    return print_all(CASES, tmp_path_factory.mktemp("layout"), engine=request.param)


@pytest.fixture(scope="module", params=ENGINES)
def hunan(
    request: pytest.FixtureRequest, pdf_tools: object, tmp_path_factory: pytest.TempPathFactory
) -> Printed:
    """鼎城 with the Hunan title set: a title worded differently."""
    folder = tmp_path_factory.mktemp("hunan")
    source = EXAMPLES_DIR / "dingcheng-gongxin-2023.yaml"
    result = render(
        source,
        f"{folder}/",
        to=["docx", "pdf"],
        template=EXAMPLES_DIR / "hunan-title",
        pdf_engine=request.param,
    )
    docx = result.outputs["docx"]
    assert docx.name == "常德市鼎城区工业和信息化局2023年度政府信息公开工作报告.docx"
    title, headings, closing, body = read_word(docx)
    pages = read_pdf(result.outputs["pdf"])
    agency = result.facts.agency.name
    return Printed(f"hunan（{request.param}）", pages, title, agency, headings, closing, body)


# --------------------------------------------------------------------------- the assertions


def assert_print_ready(report: Printed) -> None:
    assert_requests_table_on_one_page(report)
    assert_no_row_split(report)
    assert_small_tables_whole(report)
    assert_headings_keep_with_next(report)
    assert_closing_with_body(report)
    assert_title_breaks_between_words(report)
    assert_page_numbers(report)
    assert_narrative_in_order(report)


def tables(report: Printed) -> Iterator[tuple[Page, list[list[str | None]]]]:
    for page in report.pages:
        for table in page.tables:
            yield page, table


def cells(table: list[list[str | None]]) -> list[str]:
    return [squeeze(cell) for row in table for cell in row if cell]


def assert_requests_table_on_one_page(report: Printed) -> None:
    """Table 三 from 一、本年新收 to 四、结转下年度 in one printed table, 自然人 on one line."""
    found = [t for _, t in tables(report) if FIRST_REQUEST_ROW in cells(t)]
    assert len(found) == 1, f"{report.name}: 表三 第一行出现 {len(found)} 次"
    assert LAST_REQUEST_ROW in cells(found[0]), f"{report.name}: 表三 跨页"
    raw = [cell for row in found[0] for cell in row if cell]
    assert "自然人" in raw, f"{report.name}: “自然人”在单元格中折行"


def assert_no_row_split(report: Printed) -> None:
    """Every label cell printed whole: a row split across pages leaves part of a label."""
    for page, table in tables(report):
        for text in cells(table):
            assert text in LABELS or NUMBER.match(text), (
                f"{report.name} 第 {page.number} 页：表格单元格“{text}”不完整（行被拆到两页）"
            )


def assert_small_tables_whole(report: Printed) -> None:
    """Tables 二 and 四 are never split: each prints as one table with all its rows."""
    article = squeeze(fmt.PROACTIVE_BLOCKS[0].article)
    proactive = [t for _, t in tables(report) if article in cells(t)]
    assert len(proactive) == 1 and len(proactive[0]) == PROACTIVE_ROWS, report.name
    header = squeeze(fmt.REVIEW_BLOCKS[0].header)
    reviews = [t for _, t in tables(report) if header in cells(t)[:1]]
    assert len(reviews) == 1 and len(reviews[0]) == 4, report.name


def assert_headings_keep_with_next(report: Printed) -> None:
    """No page ends with a heading; a table's heading is on the page where the table starts."""
    for page in report.pages[:-1]:
        for heading in map(squeeze, report.headings):
            assert not page.text.endswith(heading), (
                f"{report.name} 第 {page.number} 页以标题“{heading}”结尾"
            )
    followers = {
        1: squeeze(fmt.PROACTIVE_BLOCKS[0].article),
        2: squeeze(fmt.REQUESTS_CORNER)[:8],
        3: squeeze(fmt.REVIEW_BLOCKS[0].header),
    }
    sections = [h for h in report.headings if re.match(r"^[一二三四五六]、", h)]
    for index, follower in followers.items():
        heading = squeeze(sections[index])
        page = next(p for p in report.pages if heading in p.text)
        assert follower in page.text[page.text.index(heading) :], (
            f"{report.name}: “{heading}”与其下的表格不在同一页"
        )


def assert_closing_with_body(report: Printed) -> None:
    """The last page ends with the whole 落款 block, and body text stands above it."""
    last = report.pages[-1]
    assert last.text.endswith(report.closing), f"{report.name}: 落款不完整或不在最后一页"
    body = last.text[: -len(report.closing)]
    assert len(body) >= 10, f"{report.name}: 落款所在页没有正文（“{body}”）"


def assert_title_breaks_between_words(report: Printed) -> None:
    expected = report.title.split("\n")
    printed = [squeeze(line["text"]) for line in report.pages[0].lines if _size(line) == TITLE_SIZE]
    assert printed == [squeeze(line) for line in expected], report.name
    whole = "".join(expected)
    points = break_points(whole, report.agency)
    offset = 0
    for line in expected[:-1]:
        offset += len(line)
        assert offset in points and line.endswith(WORD_ENDS), f"{report.name}: 标题在“{line}”后断行"


def assert_page_numbers(report: Printed) -> None:
    """ "— n —" in 4号, odd pages right and even pages left, one character in (§7.5)."""
    for page in report.pages:
        assert len(page.footer) == 1, f"{report.name} 第 {page.number} 页页脚：{page.footer}"
        line = page.footer[0]
        assert squeeze(line["text"]) == f"—{page.number}—"
        assert _size(line) == PAGE_NUMBER_SIZE
        if page.number % 2:
            assert abs(line["x1"] - (page.width - RIGHT - PAGE_NUMBER_SIZE)) < 2, page.number
        else:
            assert abs(line["x0"] - (LEFT + PAGE_NUMBER_SIZE)) < 2, page.number


def assert_narrative_in_order(report: Printed) -> None:
    """Every character of every narrative paragraph is printed, the paragraphs in order
    (a justified line must not lose the comma at its end)."""
    printed = "".join(page.text for page in report.pages)
    position = 0
    for paragraph in report.paragraphs:
        found = printed.find(paragraph, position)
        assert found >= 0, f"{report.name}: 正文“{paragraph[:30]}…”在 PDF 中不完整或顺序不对"
        position = found + len(paragraph)


def _size(line: dict) -> float:
    return round(line["chars"][0]["size"], 1)


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("name", list(CASES))
def test_print_ready(printed: dict[str, Printed], name: str) -> None:
    assert_print_ready(printed[name])


def test_hunan_title_set(hunan: Printed) -> None:
    assert hunan.title == "常德市鼎城区工业和信息化局\n2023年度政府信息公开工作报告"
    assert_print_ready(hunan)


def test_long_name_title_in_three_lines(printed: dict[str, Printed]) -> None:
    lines = printed["long-name"].title.split("\n")
    assert len(lines) == 3 and lines[-1] == "2023年政府信息公开工作年度报告"


def test_village_name_breaks_between_words(printed: dict[str, Printed]) -> None:
    lines = printed["village-name"].title.split("\n")
    assert "乡村" in "".join(lines) and not any(line.endswith("乡") for line in lines)
    assert lines[0] == "某某省某某市某某区农业农村和"


def test_table_three_moves_to_a_new_page_rather_than_split(printed: dict[str, Printed]) -> None:
    """Somewhere table 三 did not fit below table 二: it starts a page (with its heading)."""
    starts = []
    for report in printed.values():
        heading = squeeze(next(h for h in report.headings if h.startswith("三、")))
        page = next(p for p in report.pages if FIRST_REQUEST_ROW in p.text)
        starts.append(page.text.startswith(heading))
    assert any(starts)


@pytest.mark.parametrize("engine", ENGINES)
def test_centred_page_numbers(pdf_tools: object, tmp_path: Path, engine: str) -> None:
    """A set with ``page_numbers: centred`` prints every page number in the middle."""
    folder = tmp_path / "centred"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        "name: centred\nextends: national\npage_numbers: centred\n", encoding="utf-8"
    )
    report = print_all({"centred": long_name()}, tmp_path, template=folder, engine=engine)
    report = report["centred"]
    assert len(report.pages) >= 2
    for page in report.pages:
        (line,) = page.footer
        assert squeeze(line["text"]) == f"—{page.number}—"
        middle = LEFT + (page.width - LEFT - RIGHT) / 2
        assert abs((line["x0"] + line["x1"]) / 2 - middle) < 2, page.number


# --------------------------------------------------------------------------- hypothesis

NAME_PARTS = st.tuples(
    st.sampled_from(["", "山东省", "内蒙古自治区", "湖南省"]),
    st.sampled_from(["", "泰安市", "呼和浩特市", "常德市"]),
    st.sampled_from(["", "泰山区", "新城区", "鼎城区", "某县"]),
    st.sampled_from(
        ["工业和信息化局", "人民政府", "人民政府办公室", "市场监督管理局", "科学技术局"]
    ),
).map("".join)
TEXT = st.text(alphabet="政府信息公开工作申请办理答复平台制度规范，。", min_size=0, max_size=700)


@st.composite
def random_reports(draw: st.DrawFn) -> dict:
    data = draw(consistent_facts())
    data["agency"]["name"] = draw(NAME_PARTS)
    for section in ("overview", "problems", "other_matters"):
        data[section] = {key: draw(TEXT) or "无。" for key in data[section]}
    return data


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,  # the same three reports in every CI run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facts=random_reports())
def test_random_reports_print_ready(pdf_tools: object, tmp_path: Path, facts: dict) -> None:
    for engine in ENGINES:
        folder = tmp_path / f"r{abs(hash(repr(facts)))}-{engine}"
        folder.mkdir()
        report = print_all({"random": copy.deepcopy(facts)}, folder, engine=engine)["random"]
        assert_print_ready(report)
