"""Print details that need no PDF: title breaks, the page-number option, fonts, doctor."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from tests_support import EXAMPLES_DIR, clean_facts_dict

from govreport import TemplateError, render
from govreport.cli.main import main
from govreport.narrative.title import break_points, title_lines, width
from govreport.pdf import fonts as _fonts
from govreport.set_check import check_set

TEMPLATE = (
    Path(__file__).resolve().parent.parent
    / "govreport"
    / "template_sets"
    / "builtin"
    / "national"
    / "report.docx"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --------------------------------------------------------------------------- the title


@pytest.mark.parametrize(
    ("agency", "suffix", "lines"),
    [
        (
            "台儿庄区科学技术局",
            "2022年政府信息公开工作年度报告",
            ["台儿庄区科学技术局2022年", "政府信息公开工作年度报告"],
        ),
        (
            "常德市鼎城区工业和信息化局",
            "2023年度政府信息公开工作报告",
            ["常德市鼎城区工业和信息化局", "2023年度政府信息公开工作报告"],
        ),
        ("某局", "2023年政府信息公开工作年度报告", ["某局2023年政府信息公开工作年度报告"]),
        (
            "新疆维吾尔自治区乌鲁木齐市沙依巴克区人民政府办公室信息化中心",
            "2023年政府信息公开工作年度报告",
            [
                "新疆维吾尔自治区乌鲁木齐市",
                "沙依巴克区人民政府办公室信息化中心",
                "2023年政府信息公开工作年度报告",
            ],
        ),
    ],
)
def test_title_lines(agency: str, suffix: str, lines: list[str]) -> None:
    assert title_lines(agency + suffix, agency) == lines


def test_title_never_breaks_inside_a_word() -> None:
    """市场监督管理局: 市 ends a place only when no word goes on (市场, 市委 …)."""
    agency = "某省某市市场监督管理局"
    points = break_points(agency + "2023年政府信息公开工作年度报告", agency)
    assert 3 not in points and 5 not in points  # 某省某市|市场…: not after 市 of 市场
    assert 2 in points and 4 in points  # after 某省, after 某市
    assert len(agency) in points


def test_title_lines_fit_and_balance() -> None:
    title = "泰安市泰山区工业和信息化局2023年政府信息公开工作年度报告"
    lines = title_lines(title, "泰安市泰山区工业和信息化局")
    assert "".join(lines) == title and all(width(line) <= 19 for line in lines)
    widths = [width(line) for line in lines]
    assert max(widths) - min(widths) <= 3  # 梯形: nearly equal lines


def test_a_title_without_break_points_stays_whole() -> None:
    assert title_lines("啊" * 30) == ["啊" * 30]


# --------------------------------------------------------------------------- the template


def test_template_names_fonts_in_every_style() -> None:
    styles = Document(str(TEMPLATE)).styles
    for style in styles:
        if style.type in (1, 2):  # paragraph and character styles
            fonts = style.element.rPr.find(qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), style.name
    east_asia = {
        name: styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Title", "Normal", "Heading 1", "Heading 2", "Table Text", "Footer")
    }
    assert east_asia == {
        "Title": "方正小标宋简体",
        "Normal": "仿宋_GB2312",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Table Text": "宋体",
        "Footer": "宋体",
    }


def test_template_rows_never_split_and_headers_repeat() -> None:
    body = Document(str(TEMPLATE)).element.body
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == 3
    for table in tables:
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in table.findall(qn("w:tr")))
    requests = tables[1].findall(qn("w:tr"))
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in requests[:4]] == [True] * 3 + [
        False
    ]


def _footers(docx: Path) -> tuple[bytes, list[str]]:
    with zipfile.ZipFile(docx) as package:
        settings = package.read("word/settings.xml")
        footers = [
            package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")
        ]
    return settings, footers


def test_page_numbers_odd_right_even_left(tmp_path: Path) -> None:
    docx = render(clean_facts_dict(), f"{tmp_path}/").outputs["docx"]
    settings, footers = _footers(docx)
    assert b"evenAndOddHeaders" in settings
    sides = sorted('w:jc w:val="right"' in f or 'w:jc w:val="left"' in f for f in footers)
    assert sides == [True, True] and "— " in footers[0]


def _set(tmp_path: Path, page_numbers: str) -> Path:
    folder = tmp_path / "居中页码"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        f"name: 居中页码\nextends: national\npage_numbers: {page_numbers}\n", encoding="utf-8"
    )
    return folder


def test_centred_page_numbers_option(tmp_path: Path) -> None:
    docx = render(clean_facts_dict(), f"{tmp_path}/", template=_set(tmp_path, "centred")).outputs[
        "docx"
    ]
    settings, footers = _footers(docx)
    assert b"evenAndOddHeaders" not in settings
    numbered = [f for f in footers if "PAGE" in f]
    assert numbered and all('w:jc w:val="center"' in f and "w:ind" not in f for f in numbered)
    Document(str(docx))  # still a valid Word file


def test_unknown_page_number_style_is_refused(tmp_path: Path) -> None:
    folder = _set(tmp_path, "左边")
    with pytest.raises(TemplateError, match="page_numbers"):
        render(clean_facts_dict(), f"{tmp_path}/out/", template=folder)
    assert not (tmp_path / "out").exists()
    assert [p.where.split(" ")[-1] for p in check_set(folder)] == ["page_numbers"]


def test_hunan_title_names_the_file(tmp_path: Path) -> None:
    result = render(
        EXAMPLES_DIR / "dingcheng-gongxin-2023.yaml",
        f"{tmp_path}/",
        template=EXAMPLES_DIR / "hunan-title",
    )
    assert (
        result.outputs["docx"].name == "常德市鼎城区工业和信息化局2023年度政府信息公开工作报告.docx"
    )


# --------------------------------------------------------------------------- fonts and doctor


def test_doctor_lists_fonts_libreoffice_and_pandoc() -> None:
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    for name in _fonts.OFFICIAL_FONTS:
        assert name in result.output
    assert "LibreOffice" in result.output and "pandoc" in result.output
    if _fonts.have_fontconfig():
        for status in _fonts.font_report():
            assert status.describe() in result.output


def test_doctor_without_fontconfig_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fonts.shutil, "which", lambda name: None)
    monkeypatch.setattr("govreport.cli.doctor.have_libreoffice", lambda: None)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0
    assert "无法检查" in result.output and "未找到" in result.output


def test_font_substitutions_said_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = _fonts.FontStatus("仿宋_GB2312", "正文", False, "Noto Serif CJK SC")
    here = _fonts.FontStatus("黑体", "一级标题", True, None)
    monkeypatch.setattr(_fonts, "font_report", lambda: (missing, here))
    monkeypatch.setattr(_fonts, "_warned", False)
    _fonts.warn_substitutions_once()
    _fonts.warn_substitutions_once()
    said = capsys.readouterr().err
    assert said.count("提示") == 1
    assert "仿宋_GB2312 → Noto Serif CJK SC" in said and "黑体 →" not in said
