"""HTML and Markdown rendered straight from the facts: the same report as the Word file.

The Word file is read back with python-docx, the HTML with the stdlib parser, the
Markdown through markdown-it (CommonMark with GitHub's tables), and the page is
laid out by a real Chromium: what is compared is what a reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt
from render_support import EXAMPLE_FILES, EXAMPLES_DIR, Element, Page, body, grid, open_docx
from tests_support import clean_facts_dict

from govreport import TemplateError, render
from govreport import official as fmt
from govreport.cli.main import main
from govreport.rendering.markup import escape_markdown, title_parts

TAIERZHUANG = EXAMPLES_DIR / "taierzhuang-keji-2022.yaml"
HOSTILE_NAME = '<script>alert("局")</script>A&B|*局*'
HOSTILE_TEXT = (
    "**<b>加粗</b>**正文 <img src=x onerror=alert(1)> # 不是标题 | 竖线 [链接](javascript:x)"
)


# --------------------------------------------------------------------------- reading HTML


@dataclass(eq=False)
class HtmlCell:
    """A table cell at its grid place, the shape of ``render_support.Cell``."""

    text: str
    top: int
    left: int
    rowspan: int
    colspan: int


def html_grid(rows: list[list[Element]]) -> list[list[HtmlCell]]:
    """The table's grid places, ``rowspan``/``colspan`` honoured (as a browser lays it out)."""
    places: dict[tuple[int, int], HtmlCell] = {}
    for r, row in enumerate(rows):
        column = 0
        for node in row:
            while (r, column) in places:
                column += 1
            span = int(node.attrs.get("rowspan", 1)), int(node.attrs.get("colspan", 1))
            cell = HtmlCell(node.text, r, column, *span)
            for dr in range(span[0]):
                for dc in range(span[1]):
                    places[r + dr, column + dc] = cell
            column += span[1]
    height = 1 + max(r for r, _ in places)
    width = 1 + max(c for _, c in places)
    assert len(places) == height * width, "the table has holes or overlaps"
    return [[places[r, c] for c in range(width)] for r in range(height)]


def layout(cells: list[list[Any]]) -> set[tuple[str, int, int, int, int]]:
    """Every cell as (text, top, left, rowspan, colspan): labels, numbers and merges."""
    return {(c.text, c.top, c.left, c.rowspan, c.colspan) for row in cells for c in row}


def headings(page: Page) -> list[tuple[str, str]]:
    return [(n.tag, n.text) for n in page.all("h1", "h2", "h3")]


# --------------------------------------------------------------------------- every example


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("examples")
    return {
        path.stem: render(path, folder / path.stem, to="docx,html,md").outputs
        for path in EXAMPLE_FILES
    }


def _markdown_html(path: Path) -> Page:
    engine = MarkdownIt("commonmark", {"html": True}).enable("table")
    return Page(engine.render(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_html_tables_are_the_word_tables(rendered, example: str) -> None:
    """Same labels, same numbers, same merged cells in the same places."""
    word = open_docx(rendered[example]["docx"])
    page = Page(rendered[example]["html"].read_text(encoding="utf-8"))
    assert len(page.tables) == len(word.tables) == 3
    for table, rows in zip(word.tables, page.tables, strict=True):
        assert layout(html_grid(rows)) == layout(grid(table))


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_html_text_is_the_word_text(rendered, example: str) -> None:
    """Title, headings, paragraphs (with their bold lead-ins), 落款 and contacts, in order."""
    word = body(open_docx(rendered[example]["docx"]))
    page = Page(rendered[example]["html"].read_text(encoding="utf-8"))
    blocks = page.all("h1", "h2", "h3", "p")
    # Word's title carries its computed line break; the page breaks it at <wbr> instead
    texts = [p.text.replace("\n", "") for p in word if p.text]
    assert [b.text for b in blocks] == texts
    tags = {"Title": "h1", "Heading 1": "h2", "Heading 2": "h3"}
    expected = [(tags[p.style], p.text.replace("\n", "")) for p in word if p.style in tags]
    assert headings(page) == expected
    leads = [n.text for n in page.all("strong")]
    assert leads == [r.text for p in word for r in p.paragraph.runs if r.bold and r.text]


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_markdown_tables_parse_to_the_word_numbers(rendered, example: str) -> None:
    word = [grid(t) for t in open_docx(rendered[example]["docx"]).tables]
    page = _markdown_html(rendered[example]["md"])
    texts = [[[cell.text for cell in row] for row in table] for table in page.tables]
    # 表二: one pipe table per 第二十条 block, numbers by row label.
    proactive = {row[0]: row[1:] for table in texts[:4] for row in table[1:]}
    for block in fmt.PROACTIVE_BLOCKS:
        for label in (r.label for r in block.rows):
            word_row = next(r for r in word[0] if r[0].text == label)
            numbers = [c.text for c in _unique(word_row[1:])]
            assert proactive[label] == numbers, label
    # 表三: each row's own label stands next to its seven numbers; group labels repeat.
    requests = texts[4]
    label_columns = max(r.depth for r in fmt.REQUEST_ROWS) + 1
    for row in fmt.REQUEST_ROWS:
        found = [r for r in requests[1:] if r[label_columns - 1] == row.label]
        assert len(found) == 1, row.full_label
        word_row = next(r for r in word[1] if r[label_columns - 1].text == row.label)
        assert found[0][label_columns:] == [c.text for c in word_row[label_columns:]]
        assert found[0][: row.depth] == [p.label for p in row.parents]
    header = requests[0]
    assert header[label_columns] == f"{fmt.APPLICANT_HEADER} · {fmt.APPLICANT_COLUMNS[0].label}"
    # 表四: one row of fifteen numbers under headers that name their block.
    reviews = texts[5]
    assert reviews[1] == [c.text for c in word[2][3]]
    assert reviews[0][5] == f"{fmt.LITIGATION_HEADER} · 未经复议直接起诉 · 结果维持"
    assert len(page.tables) == 6


def _unique(cells: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for cell in cells:
        if not any(cell is s for s in seen):
            seen.append(cell)
    return seen


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_markdown_text_is_the_word_text(rendered, example: str) -> None:
    word = body(open_docx(rendered[example]["docx"]))
    page = _markdown_html(rendered[example]["md"])
    tags = {"Title": "h1", "Heading 1": "h2", "Heading 2": "h3"}
    expected = [(tags[p.style], p.text.replace("\n", "")) for p in word if p.style in tags]
    assert headings(page) == expected
    paragraphs = [n.text for n in page.all("p") if not n.text.startswith("第二十条")]
    assert paragraphs == [p.text for p in word if p.text and p.style not in tags]


# --------------------------------------------------------------------------- escaping


def _hostile(tmp_path: Path) -> Path:
    data = clean_facts_dict()
    data["agency"]["name"] = HOSTILE_NAME
    data["overview"] = {"summary": HOSTILE_TEXT}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_html_escapes_hostile_names_and_texts(tmp_path: Path) -> None:
    outputs = render(_hostile(tmp_path), tmp_path / "r", to="html").outputs
    text = outputs["html"].read_text(encoding="utf-8")
    page = Page(text)
    assert not page.all("script", "img", "b", "a")
    assert "<script" not in text and "<img" not in text
    title = f"{HOSTILE_NAME}2023年政府信息公开工作年度报告"
    assert [n.text for n in page.all("title", "h1")] == [title, title]
    assert page.all("strong")[0].text == "<b>加粗</b>"
    paragraphs = [n.text for n in page.all("p")]
    assert "<b>加粗</b>" + HOSTILE_TEXT.split("**")[2] in paragraphs
    assert HOSTILE_NAME in paragraphs  # the 落款


def test_markdown_escapes_hostile_names_and_texts(tmp_path: Path) -> None:
    outputs = render(_hostile(tmp_path), tmp_path / "r", to="md").outputs
    page = _markdown_html(outputs["md"])
    assert not page.all("script", "img", "b", "a")
    assert page.all("h1")[0].text == f"{HOSTILE_NAME}2023年政府信息公开工作年度报告"
    assert next(h.text for h in page.all("h2")) == fmt.SECTION_HEADINGS["overview"]
    paragraphs = [n.text for n in page.all("p")]
    assert "<b>加粗</b>" + HOSTILE_TEXT.split("**")[2] in paragraphs
    assert HOSTILE_NAME in paragraphs


def test_markdown_escape_comes_back_unchanged() -> None:
    engine = MarkdownIt("commonmark")
    for text in (HOSTILE_NAME, HOSTILE_TEXT, "a\\b `c` ~d~ _e_ [f] #g", "12.35"):
        assert Page(engine.render(escape_markdown(text))).all("p")[0].text == text


# --------------------------------------------------------------------------- fragment, CLI, sets


def test_fragment_has_no_page_around_it(tmp_path: Path, rendered) -> None:
    outputs = render(TAIERZHUANG, tmp_path / "f", to="html", fragment=True).outputs
    text = outputs["html"].read_text(encoding="utf-8")
    page = Page(text)
    assert not page.all("html", "head", "body", "style", "title", "meta")
    assert "<!DOCTYPE" not in text and text.startswith("<div")
    for node in page.all("div", "h1", "h2", "h3", "p", "table", "td", "th"):
        assert node.attrs.get("style"), f"<{node.tag}> without an inline style"
    full = Page(rendered[TAIERZHUANG.stem]["html"].read_text(encoding="utf-8"))
    assert [html_grid(t) and layout(html_grid(t)) for t in page.tables] == [
        layout(html_grid(t)) for t in full.tables
    ]
    assert [n.text for n in page.all("p")] == [n.text for n in full.all("p")]


def test_cli_fragment(tmp_path: Path) -> None:
    facts = tmp_path / "f.yaml"
    facts.write_text(TAIERZHUANG.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(facts), "--to", "html", "--fragment", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.html").read_text(encoding="utf-8").startswith("<div")
    batch = CliRunner().invoke(
        main, ["render", str(facts), str(facts), "--fragment", "--out", str(tmp_path / "b")]
    )
    assert batch.exit_code != 0
    assert "--fragment 只能用于单个事实文件" in batch.output
    assert not (tmp_path / "b").exists()


def _set(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "set.yaml").write_text(f"name: {name}\nextends: national\n", encoding="utf-8")
    for relative, text in files.items():
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def test_a_set_inherits_or_overrides_the_web_templates(tmp_path: Path) -> None:
    inherit = _set(tmp_path, "inherit", {})
    result = render(TAIERZHUANG, tmp_path / "a", to="html,md", template=inherit)
    assert result.template is not None
    assert result.template.markup_template("html").parent.name == "national"
    assert Page(result.outputs["html"].read_text(encoding="utf-8")).tables
    own = _set(
        tmp_path,
        "own",
        {
            "report.html.j2": "<h1>{{ title }}</h1><p>{{ agency.name }}</p>",
            "report.md.j2": "# {{ title }}\n\n{{ tables.reviews }}\n",
        },
    )
    result = render(TAIERZHUANG, tmp_path / "b", to="html,md", template=own)
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert (
        html
        == "<h1>台儿庄区科学技术局2022年政府信息公开工作年度报告</h1><p>台儿庄区科学技术局</p>\n"
    )
    markdown = result.outputs["md"].read_text(encoding="utf-8")
    assert (
        markdown.startswith("# 台儿庄区科学技术局2022年") and "| 行政复议 · 结果维持 |" in markdown
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<h1>{{ title }</h1>", "语法错误"),
        ("<h1>{{ titel }}</h1>", "占位符“titel”无法识别"),
        ("{{ title.__class__.__mro__ }}", "不允许"),
    ],
    ids=["syntax", "undefined", "sandbox"],
)
def test_a_broken_web_template_writes_nothing(tmp_path: Path, source: str, message: str) -> None:
    broken = _set(tmp_path, "broken", {"report.html.j2": source})
    out = tmp_path / "out"
    with pytest.raises(TemplateError, match=message) as caught:
        render(TAIERZHUANG, out / "r", to="docx,html", template=broken)
    assert "HTML 模板 broken/report.html.j2" in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "year", "parts"),
    [
        (
            "台儿庄区科学技术局",
            2022,
            ["台儿庄区", "科学技术局", "2022年", "政府信息公开", "工作", "年度报告"],
        ),
        ("某局", 2023, ["某局", "2023年", "政府信息公开", "工作", "年度报告"]),
    ],
)
def test_title_parts_keep_words_whole(name: str, year: int, parts: list[str]) -> None:
    assert title_parts(f"{name}{year}年政府信息公开工作年度报告", name) == parts
    hunan = f"{name}{year}年度政府信息公开工作报告"
    assert title_parts(hunan, name) == [*parts[:-4], f"{year}年度", "政府信息公开", "工作", "报告"]
    assert title_parts("年报", name) == ["年报"]


# --------------------------------------------------------------------------- in a browser

LAYOUT_JS = """() => {
  const rect = (el) => el.getBoundingClientRect();
  const textRects = (el) => {  // one box per line (a line may hold several text nodes)
    const r = document.createRange(); r.selectNodeContents(el);
    const lines = new Map();
    for (const b of r.getClientRects()) {
      if (!b.width) continue;
      const key = Math.round(b.top), line = lines.get(key);
      lines.set(key, line ? {top: b.top, left: Math.min(line.left, b.left),
                             right: Math.max(line.right, b.right)}
                          : {top: b.top, left: b.left, right: b.right});
    }
    return Array.from(lines.values()).map(l => ({...l, width: l.right - l.left}));
  };
  const report = document.querySelector('h1').parentElement;
  const title = document.querySelector('h1');
  const paras = Array.from(report.querySelectorAll(':scope > p'));
  const agency = paras.find(p => p.textContent === AGENCY);
  const body = paras.filter(p => p.textContent.length > 40);
  const chars = [];
  const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
  let offset = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      chars.push({index: offset + i, top: Math.round(r.getBoundingClientRect().top)});
    }
    offset += node.length;
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    report: rect(report).toJSON(),
    reportPadding: parseFloat(getComputedStyle(report).paddingRight),
    title: rect(title).toJSON(),
    titleLines: textRects(title),
    titleAlign: getComputedStyle(title).textAlign,
    titleChars: chars,
    agency: textRects(agency),
    agencyFont: parseFloat(getComputedStyle(agency).fontSize),
    indents: body.map(p => [getComputedStyle(p).textIndent, getComputedStyle(p).fontSize,
                            textRects(p)[0].left - rect(p).left]),
    tables: Array.from(document.querySelectorAll('table')).map(t => ({
      table: rect(t).toJSON(), wrapper: rect(t.parentElement).toJSON(),
      wrapperScroll: t.parentElement.scrollWidth, wrapperClient: t.parentElement.clientWidth})),
    h2: parseFloat(getComputedStyle(document.querySelector('h2')).fontSize),
    h1: parseFloat(getComputedStyle(title).fontSize),
  };
}"""


def _measure(page: Any, html: Path, agency: str, width: int) -> dict[str, Any]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(html.as_uri())
    return page.evaluate(LAYOUT_JS.replace("AGENCY", repr(agency)))


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_layout_in_chromium(page: Any, rendered, tmp_path: Path, width: int) -> None:
    html = rendered[TAIERZHUANG.stem]["html"]
    agency = "台儿庄区科学技术局"
    got = _measure(page, html, agency, width)
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
    # The page never scrolls sideways; a wide table scrolls inside its own box.
    assert got["scrollWidth"] <= got["clientWidth"] == width
    for table in got["tables"]:
        assert table["wrapper"]["left"] >= 0 and table["wrapper"]["right"] <= width
        if width == 1280:  # on a desktop the tables fit the report's width
            assert table["wrapperScroll"] <= table["wrapperClient"]
            assert table["table"]["right"] <= got["report"]["right"]
    # Title: centred, larger than the headings, broken only between words.
    assert got["titleAlign"] == "center"
    middle = got["report"]["left"] + got["report"]["width"] / 2
    for line in got["titleLines"]:
        assert abs(line["left"] + line["width"] / 2 - middle) < 3
    assert got["h1"] > got["h2"] * 1.3
    tops = [c["top"] for c in got["titleChars"]]
    breaks = {got["titleChars"][i]["index"] for i in range(1, len(tops)) if tops[i] != tops[i - 1]}
    title = "台儿庄区科学技术局2022年政府信息公开工作年度报告"
    allowed = set()
    for part in title_parts(title, agency)[:-1]:
        allowed.add(title.index(part) + len(part))
    assert breaks <= allowed, (breaks, allowed)
    if width == 375:
        assert breaks  # too long for one line on a phone
    # 落款: right-aligned, two characters in from the right edge.
    edge = got["report"]["right"] - got["reportPadding"]
    line = got["agency"][-1]
    assert abs(line["right"] - (edge - 2 * got["agencyFont"])) < 3
    start = got["report"]["left"] + got["reportPadding"]
    assert line["left"] - start > 2 * got["agencyFont"]  # not flush left like body text
    # Body paragraphs: first line indented two characters.
    assert got["indents"]
    for indent, size, shift in got["indents"]:
        em = float(size.removesuffix("px"))
        assert float(indent.removesuffix("px")) == pytest.approx(2 * em, abs=0.01)
        assert shift == pytest.approx(2 * em, abs=2)


@pytest.mark.browser
def test_fragment_in_chromium(page: Any, tmp_path: Path) -> None:
    """Pasted into a bare page (no stylesheet at all), the fragment still looks like the report."""
    fragment = render(TAIERZHUANG, tmp_path / "f", to="html", fragment=True).outputs["html"]
    shell = tmp_path / "cms.html"
    shell.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width"><main>' + fragment.read_text(encoding="utf-8") + "</main>",
        encoding="utf-8",
    )
    for width in (1280, 375):
        got = _measure(page, shell, "台儿庄区科学技术局", width)
        assert got["scrollWidth"] <= got["clientWidth"]
        assert got["titleAlign"] == "center"
        edge = got["report"]["right"] - got["reportPadding"]
        assert abs(got["agency"][-1]["right"] - (edge - 2 * got["agencyFont"])) < 3
    page.screenshot(path=str(tmp_path / "fragment.png"), full_page=True)


def test_no_external_resources(rendered) -> None:
    for outputs in rendered.values():
        text = outputs["html"].read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=|url\(|@import""", text)


def test_templates_check_tries_the_web_templates(tmp_path: Path) -> None:
    broken = _set(
        tmp_path,
        "broken",
        {"report.html.j2": "<h1>{{ titel }}</h1>", "report.md.j2": "# {{ title }\n"},
    )
    result = CliRunner().invoke(main, ["templates", "check", str(broken)])
    assert result.exit_code == 1
    assert "HTML 模板 broken/report.html.j2 中的占位符“titel”无法识别" in result.output
    assert "Markdown 模板 broken/report.md.j2 第 1 行有语法错误" in result.output
    fine = CliRunner().invoke(main, ["templates", "check", str(_set(tmp_path, "fine", {}))])
    assert fine.exit_code == 0, fine.output
