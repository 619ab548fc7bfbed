"""Template sets: inheritance, resolution, ``templates new/check/list``, broken templates.

A set is built in ``tmp_path`` for each test; the rendered Word file is read
back with python-docx, so what is asserted is what a reader of the report sees.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import pytest
import yaml
from click.testing import CliRunner

from govreport import official as fmt
from govreport.cli.main import main
from govreport.errors import FactsError, TemplateError
from govreport.facts.loading import load
from govreport.rendering.report import render
from govreport.set_check import check_set
from govreport.template_sets.new_set import create_set
from govreport.template_sets.sets import builtin_root, builtin_sets, load_set, template_set_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NATIONAL_DOCX = builtin_root() / "national" / "report.docx"  # the installed copy, or the source
REVIEWS_SHANDONG = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"


def facts(**agency: str) -> dict:
    """A clean department's facts; ``agency`` adds keys such as ``province``."""
    return {
        "agency": {"name": "某某局", "short_name": "某局", **agency},
        "year": 2023,
        "published": dt.date(2024, 1, 20),
    }


def make_set(
    folder: Path,
    *,
    extends: str | None = "national",
    wording: dict | None = None,
    texts: dict[str, str] | None = None,
    name: str | None = None,
) -> Path:
    """A set folder: set.yaml, plus ``texts`` as ``text/<section>/<key>.j2`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"name": name or folder.name, "description": "测试模板", "extends": extends}
    if wording:
        meta["wording"] = wording
    (folder / "set.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    for relative, source in (texts or {}).items():
        path = folder / "text" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return folder


def with_word(folder: Path, edit: Callable[[python_docx.document.Document], None]) -> Path:
    """Give ``folder`` a copy of the national Word template changed by ``edit``."""
    document = python_docx.Document(str(NATIONAL_DOCX))
    edit(document)
    document.save(str(folder / "report.docx"))
    return folder


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph of a rendered report."""
    document = python_docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def everything(path: Path) -> list[str]:
    """Every paragraph and table cell text, in order: two reports equal here read the same."""
    document = python_docx.Document(str(path))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        found += [cell.text for row in table.rows for cell in row.cells]
    return found


def rendered(source: dict | Path, out: Path, template: str | Path | None = None) -> Path:
    return render(source, out, template=str(template) if template else None).outputs["docx"]


def set_cell(document: python_docx.document.Document, old: str, new: str) -> None:
    """Replace the text of the one table cell reading ``old``."""
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text == old:
                    cell.paragraphs[0].runs[0].text = new
                    return
    raise AssertionError(f"no cell {old!r}")


# --------------------------------------------------------------------------- inheritance


def test_override_one_heading_inherits_the_rest(tmp_path: Path) -> None:
    tset = make_set(tmp_path / "heading", wording={"headings": {"reviews": REVIEWS_SHANDONG}})
    report = paragraphs(rendered(facts(), tmp_path / "out.docx", tset))
    headings = [text for style, text in report if style == "Heading 1"]
    expected = list(fmt.SECTION_HEADINGS.values())
    expected[3] = REVIEWS_SHANDONG
    assert headings == expected
    national = paragraphs(rendered(facts(), tmp_path / "national.docx", "national"))
    assert [p for p in report if p[1] != REVIEWS_SHANDONG] == [
        p for p in national if p[1] != fmt.SECTION_HEADINGS["reviews"]
    ]


def test_override_one_text_inherits_the_rest(tmp_path: Path) -> None:
    tset = make_set(
        tmp_path / "summary", texts={"overview/summary.j2": "{{ short_name }}的自定义概述。\n"}
    )
    report = [text for _, text in paragraphs(rendered(facts(), tmp_path / "a.docx", tset))]
    national = [text for _, text in paragraphs(rendered(facts(), tmp_path / "b.docx", "national"))]
    assert report[2] == "某局的自定义概述。"
    assert national[2].startswith("2023年，某局认真贯彻落实")
    assert report[:2] + report[3:] == national[:2] + national[3:]


def test_override_the_word_file_keeps_wording_and_texts(tmp_path: Path) -> None:
    make_set(tmp_path / "parent", wording={"headings": {"reviews": REVIEWS_SHANDONG}})
    child = make_set(tmp_path / "child", extends="parent")

    def add_banner(document: python_docx.document.Document) -> None:
        document.paragraphs[0].insert_paragraph_before("某某市人民政府办公室 印发")

    with_word(child, add_banner)
    report = paragraphs(rendered(facts(), tmp_path / "out.docx", child))
    texts = [text for _, text in report]
    assert texts[0] == "某某市人民政府办公室 印发"
    assert texts[1] == "某某局2023年政府信息公开工作年度报告"
    assert REVIEWS_SHANDONG in texts  # the parent's wording, through the child's Word file
    assert any(t.startswith("2023年，某局认真贯彻落实") for t in texts)  # national's text


def test_three_levels_nearest_wins(tmp_path: Path) -> None:
    make_set(
        tmp_path / "province",
        wording={"headings": {"reviews": REVIEWS_SHANDONG, "problems": "五、省级表述"}},
        texts={"problems/issues.j2": "省级模板的问题表述。"},
    )
    city = make_set(
        tmp_path / "city",
        extends="province",  # a sibling folder, by name
        wording={"headings": {"problems": "五、市级表述"}},
    )
    tset = load_set(city)
    assert [t.name for t in tset.chain] == ["city", "province", "national"]
    assert tset.word("headings", "problems") == "五、市级表述"
    assert tset.word("headings", "reviews") == REVIEWS_SHANDONG
    assert tset.text("problems", "issues") == "省级模板的问题表述。"
    assert tset.word_template() == NATIONAL_DOCX.resolve()


def test_user_folder_extends_a_builtin_set_by_name(tmp_path: Path) -> None:
    tset = load_set(make_set(tmp_path / "mine", extends="shandong"))
    assert [t.name for t in tset.chain] == ["mine", "shandong", "national"]
    assert tset.word("headings", "reviews") == REVIEWS_SHANDONG
    assert tset.parent.folder == builtin_sets()["shandong"]


def test_extends_by_relative_path(tmp_path: Path) -> None:
    make_set(tmp_path / "shared" / "base", wording={"title": "{{ agency.name }}报告"})
    tset = load_set(make_set(tmp_path / "offices" / "mine", extends="../../shared/base"))
    assert tset.parent.name == "base"
    assert tset.word("title") == "{{ agency.name }}报告"


@pytest.mark.parametrize("loop", [("a", "b"), ("a",)])
def test_extends_loop_is_an_error_in_chinese(tmp_path: Path, loop: tuple[str, ...]) -> None:
    for name, parent in zip(loop, [*loop[1:], loop[0]], strict=True):
        make_set(tmp_path / name, extends=parent)
    with pytest.raises(TemplateError, match="循环") as caught:
        load_set(tmp_path / "a")
    assert "a → " in caught.value.message
    result = CliRunner().invoke(main, ["templates", "check", str(tmp_path / "a")])
    assert result.exit_code == 1
    assert "循环" in result.output


def test_missing_parent_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="找不到模板“nowhere”"):
        load_set(make_set(tmp_path / "orphan", extends="nowhere"))


# --------------------------------------------------------------------------- resolution


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--template, then the facts file's template:, then the province's set, then national."""
    make_set(tmp_path / "mine")
    make_set(tmp_path / "cli")
    facts_file = tmp_path / "facts.yaml"
    data = facts(province="山东省")
    monkeypatch.chdir(tmp_path)
    assert template_set_for(load(facts(province="湖南省"))).name == "national"
    assert template_set_for(load(facts())).name == "national"
    assert template_set_for(load(data)).name == "shandong"
    facts_file.write_text(
        yaml.safe_dump({**data, "template": "mine"}, allow_unicode=True), encoding="utf-8"
    )
    assert template_set_for(load(facts_file)).name == "mine"
    assert template_set_for(load(facts_file), "cli").name == "cli"
    assert template_set_for(load(facts_file), "national").name == "national"


def test_facts_template_is_taken_from_the_facts_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_set(tmp_path / "project" / "sets" / "mine")
    facts_file = tmp_path / "project" / "facts.yaml"
    facts_file.write_text(
        yaml.safe_dump({**facts(), "template": "sets/mine"}, allow_unicode=True), encoding="utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    tset = template_set_for(load(facts_file))
    assert tset.folder == (tmp_path / "project" / "sets" / "mine").resolve()


def test_builtin_sets_ship_with_the_package() -> None:
    assert {"national", "shandong"} <= set(builtin_sets())
    for folder in builtin_sets().values():
        assert folder.parent == builtin_root()
    assert load_set("shandong").province == "山东省"


# --------------------------------------------------------------------------- the Hunan example


def test_hunan_title_example(tmp_path: Path) -> None:
    source = EXAMPLES / "dingcheng-gongxin-2023.yaml"
    report = paragraphs(rendered(source, tmp_path / "out.docx", EXAMPLES / "hunan-title"))
    # the title breaks between words: after the agency's name (Word shows \n as a line break)
    assert report[0] == ("Title", "常德市鼎城区工业和信息化局\n2023年度政府信息公开工作报告")
    national = paragraphs(rendered(source, tmp_path / "national.docx"))
    assert national[0][1] == "常德市鼎城区工业和信息化局\n2023年政府信息公开工作年度报告"
    assert report[1:] == national[1:]


# --------------------------------------------------------------------------- the commands


@pytest.mark.parametrize("parent", ["national", "shandong"])
def test_new_check_render_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parent: str
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["templates", "new", "city", "--from", parent, "-o", "sets/city"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "sets" / "city"
    assert (folder / "report.docx").is_file()
    assert (folder / "text" / "overview" / "summary.j2").is_file()
    meta = yaml.safe_load((folder / "set.yaml").read_text(encoding="utf-8"))
    assert meta["extends"] == parent and meta["name"] == "city"
    check = runner.invoke(main, ["templates", "check", "sets/city"])
    assert check.exit_code == 0, check.output
    assert "未发现问题" in check.output
    source = EXAMPLES / "taishan-gongxin-2023.yaml"
    mine = rendered(source, tmp_path / "mine.docx", "sets/city")
    theirs = rendered(source, tmp_path / "theirs.docx", parent)
    assert everything(mine) == everything(theirs)


def test_new_set_wording_is_ready_to_uncomment(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    create_set("mine", "shandong", folder, bare=True)
    assert sorted(p.name for p in folder.iterdir()) == ["set.yaml"]
    text = (folder / "set.yaml").read_text(encoding="utf-8")
    assert f"  #   reviews: {REVIEWS_SHANDONG}" in text
    uncommented = text.replace("  # headings:", "  headings:").replace(
        f"  #   reviews: {REVIEWS_SHANDONG}", "    reviews: 四、复议诉讼"
    )
    (folder / "set.yaml").write_text(uncommented, encoding="utf-8")
    tset = load_set(folder)
    assert tset.word("headings", "reviews") == "四、复议诉讼"
    assert tset.wording_defaults()["headings"]["overview"] == "一、总体情况"
    assert check_set(folder) == []


def test_new_from_a_user_folder_extends_it_by_path(tmp_path: Path) -> None:
    base = make_set(tmp_path / "province", wording={"headings": {"reviews": REVIEWS_SHANDONG}})
    create_set("city", base, tmp_path / "cities" / "city", bare=True)
    tset = load_set(tmp_path / "cities" / "city")
    assert tset.parent.folder == base.resolve()
    assert tset.word("headings", "reviews") == REVIEWS_SHANDONG


def test_new_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    result = CliRunner().invoke(main, ["templates", "new", "x", "-o", str(tmp_path / "busy")])
    assert result.exit_code == TemplateError.exit_code
    assert "已存在" in result.output
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_list_shows_builtin_and_user_sets(tmp_path: Path) -> None:
    make_set(tmp_path / "mine", extends="shandong")
    result = CliRunner().invoke(main, ["templates", "list", "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for text in ("national", "shandong", "山东省", "mine", "内置"):
        assert text in result.output


@pytest.mark.parametrize(
    "template",
    [
        "national",
        "shandong",
        str(ROOT / "govreport" / "template_sets" / "builtin" / "shandong"),
        str(EXAMPLES / "hunan-title"),
    ],
)
def test_shipped_sets_are_clean(template: str) -> None:
    assert check_set(template) == []
    result = CliRunner().invoke(main, ["templates", "check", template])
    assert result.exit_code == 0, result.output


def test_check_of_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "check", str(tmp_path / "nothing")])
    assert result.exit_code == TemplateError.exit_code
    assert "找不到模板" in result.output


# --------------------------------------------------------------------------- broken Word templates


def broken(tmp_path: Path, edit: Callable[[python_docx.document.Document], None]) -> Path:
    return with_word(make_set(tmp_path / "broken"), edit)


def check_output(folder: Path) -> str:
    result = CliRunner().invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1, result.output
    return result.output


def one_problem(folder: Path, needle: str) -> str:
    """The one problem whose text contains ``needle``, as ``templates check`` words it."""
    found = [p.format() for p in check_set(folder) if needle in p.format()]
    assert len(found) == 1, [p.format() for p in check_set(folder)]
    return found[0]


def test_syntax_error_in_a_table_cell(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        lambda d: set_cell(
            d,
            "{{ requests.received.natural_person }}",
            "{{ requests.received.natural_person + }}",
        ),
    )
    problem = one_problem(folder, "语法错误")
    assert problem.startswith("report.docx 正文表格 2 第 4 行第 4 列")
    assert "{{ requests.received.natural_person + }}" in problem
    assert "report.docx" in check_output(folder)
    with pytest.raises(TemplateError, match="语法错误") as caught:
        rendered(facts(), tmp_path / "out.docx", folder)
    assert "，位置：正文表格 2 第 4 行第 4 列" in str(caught.value)  # not a line of XML


def test_unknown_placeholder_in_a_paragraph(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        document.add_paragraph("联系地址：{{ agency.adress }}")

    folder = broken(tmp_path, edit)
    problem = one_problem(folder, "agency.adress")
    assert "正文第" in problem and "段" in problem
    assert "联系地址：{{ agency.adress }}" in problem  # the text around it
    assert "“agency”没有“adress”" in problem
    with pytest.raises(TemplateError, match="adress") as caught:
        rendered(facts(), tmp_path / "out.docx", folder)
    assert "，位置：正文第" in str(caught.value)
    assert "检查占位符拼写" in caught.value.format_message()


def test_deep_placeholders_are_checked_link_by_link(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        set_cell(
            document,
            "{{ requests.results.withheld.state_secret.natural_person }}",
            "{{ requests.results.withheld.state_secrt.natural_person }}",
        )

    problem = one_problem(broken(tmp_path, edit), "state_secrt")
    assert "表格 2" in problem
    assert "“requests.results.withheld”没有“state_secrt”" in problem
    assert "是不是“state_secret”" in problem


@pytest.mark.parametrize(
    "placeholder", ["{{ agency.__class__ }}", "{{ ''.__class__.__mro__ }}", "{{ title.__doc__ }}"]
)
def test_python_internals_are_reported_and_refused(tmp_path: Path, placeholder: str) -> None:
    def edit(document: python_docx.document.Document) -> None:
        document.add_paragraph(f"版本：{placeholder}")

    folder = broken(tmp_path, edit)
    problems = [p.format() for p in check_set(folder)]
    assert problems and all("内部属性" in p for p in problems)
    assert all(f"版本：{placeholder}" in p for p in problems)
    with pytest.raises(TemplateError, match="不允许"):
        rendered(facts(), tmp_path / "out.docx", folder)


def test_tag_split_across_runs(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        paragraph = document.add_paragraph()
        paragraph.add_run("{{ agency.")
        paragraph.add_run("name }}").bold = True

    problem = one_problem(broken(tmp_path, edit), "拆成")
    assert "{{ agency.|name }}" in problem


def test_paragraph_and_row_tags_misused(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        document.add_paragraph("{%p if year %}附注")
        document.add_paragraph("{%p endif %}")
        document.add_paragraph("{%tr for line in contact_lines %}")
        document.add_paragraph("{%tr endfor %}")

    folder = broken(tmp_path, edit)
    assert "附注" in one_problem(folder, "必须单独占一段")
    misplaced = [p.format() for p in check_set(folder) if "只能写在表格的行中" in p.format()]
    assert len(misplaced) == 2


def test_block_across_table_cells(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        set_cell(document, "规章", "{% if year %}规章")
        set_cell(document, "行政规范性文件", "行政规范性文件{% endif %}")

    assert "不在同一个单元格" in one_problem(broken(tmp_path, edit), "{% endif %}")


def test_unclosed_block_is_located_at_its_start(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        document.add_paragraph("{%p for line in contact_lines %}")

    problem = one_problem(broken(tmp_path, edit), "没有对应的")
    assert "{%p for line in contact_lines %}" in problem


def test_table_three_label_drift(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        set_cell(document, "5.属于三类内部事务信息", "5.属于三类内容事务信息")

    problem = one_problem(broken(tmp_path, edit), "内容事务")
    assert "表格 2 第 12 行第 3 列" in problem
    assert "官方表述为“5.属于三类内部事务信息”" in problem


def test_every_problem_is_listed(tmp_path: Path) -> None:
    def edit(document: python_docx.document.Document) -> None:
        set_cell(document, "{{ requests.received.total }}", "{{ requests.received.total + }}")
        set_cell(document, "5.属于三类内部事务信息", "5.属于三类内容事务信息")
        document.add_paragraph("{{ agency.nmae }}")
        document.sections[0].footer.paragraphs[0].add_run("{{ pagee }}")

    folder = make_set(
        tmp_path / "broken",
        wording={"headings": {"review": "四、复议"}},
        texts={"overview/summary.j2": "{{ year }}年\n{{ me.foo }}\n", "overview/sumary.j2": "x"},
    )
    output = check_output(with_word(folder, edit))
    for needle in (
        "语法错误",
        "内容事务",
        "agency.nmae",
        "页脚",
        "pagee",
        "wording.headings.review",
        "text/overview/summary.j2",
        "第 2 行",
        "me.foo",
        "sumary",
    ):
        assert needle in output, needle
    assert "发现 7 处问题" in output


# --------------------------------------------------------------------------- broken texts


def test_text_problems_are_located_by_line(tmp_path: Path) -> None:
    folder = make_set(
        tmp_path / "texts",
        texts={
            "overview/summary.j2": "{{ year }}年。\n{{ requests.received.totl }}件\n",
            "problems/issues.j2": "问题\n{% if year %}\n",
            "problems/improvements.j2": "{{ next_year }}年，{{ me }}将……\n",
        },
    )
    problems = [p.format() for p in check_set(folder)]
    assert problems == [
        "text/overview/summary.j2 第 2 行：“{{ requests.received.totl }}件”：占位符"
        "“requests.received.totl”无法识别：“requests.received”没有“totl”（是不是“total”？）",
        "text/problems/issues.j2 第 2 行：“{% if year %}”：“{% if year %}”没有对应的 {% endif %}",
    ]


def test_text_reaching_python_internals_is_refused(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "texts", texts={"overview/summary.j2": "{{ agency.__class__ }}"})
    assert "内部属性" in one_problem(folder, "__class__")
    with pytest.raises((FactsError, TemplateError)) as caught:  # refused by check or render
        rendered(facts(), tmp_path / "out.docx", folder)
    assert "不允许" in caught.value.format_message()


def test_title_wording_is_checked(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "title", wording={"title": "{{ agency.nam }}{{ year }}年度报告"})
    assert "set.yaml wording.title" in one_problem(folder, "agency.nam")


def test_loops_and_sets_know_their_names(tmp_path: Path) -> None:
    folder = make_set(
        tmp_path / "scopes",
        texts={
            "overview/summary.j2": (
                "{% set r = requests.results %}{{ r.withheld.total.total }}"
                "{% for c in agency.contact.items() %}{{ c }}{{ loop.index }}{% endfor %}"
                "{{ reviews.litigation_total }}{{ proactive.regulations.in_force }}"
                "{{ requests['received']['natural_person'] }}{{ year|cn }}{{ fees }}"
            )
        },
    )
    assert check_set(folder) == []


def test_unknown_wording_keys(tmp_path: Path) -> None:
    folder = make_set(
        tmp_path / "wording",
        wording={
            "headings": {"reviews": "四、复议", "reveiws": "x"},
            "topics": {"other_matters": {"fees": "收费"}},
            "numbering": {"overview": "第N项"},
            "colour": "red",
        },
    )
    problems = [p.format() for p in check_set(folder)]
    assert len(problems) == 4
    assert any("wording.headings.reveiws" in p and "reviews" in p for p in problems)
    assert any("wording.topics.other_matters.fees" in p for p in problems)
    assert any("wording.numbering.overview" in p for p in problems)
    assert any("wording.colour" in p for p in problems)


def test_renamed_copy_of_a_builtin_set_checks_clean(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "govreport" / "template_sets" / "builtin" / "shandong", copy)
    assert check_set(copy) == []


def test_files_that_would_never_be_read(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "stray", texts={"overview/summary.txt": "x", "notes.md": "x"})
    (folder / "text" / "overview" / "platforms.j2").write_bytes(
        "依托门户网站发布信息。".encode("gbk")
    )
    problems = [p.format() for p in check_set(folder)]
    assert problems == [
        "text/notes.md：不会被使用：通用表述文件应放在 text/<部分>/<键>.j2",
        "text/overview/summary.txt：不会被使用：通用表述文件应放在 text/<部分>/<键>.j2",
        "text/overview/platforms.j2：不是 UTF-8 编码，请用 UTF-8 另存",
    ]
    with pytest.raises(TemplateError, match="UTF-8"):
        load_set(folder).text("overview", "platforms")


def test_not_a_word_file(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "fake")
    (folder / "report.docx").write_text("这不是 Word 文件")
    assert "不是 Word 文档（.docx）" in one_problem(folder, "report.docx")
