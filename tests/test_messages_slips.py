"""Full-width slips typed on a Chinese keyboard are named: the character, its line and
column, and what to type instead, in place of the symptom YAML or the schema saw."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govreport.cli.main import main
from govreport.errors import FactsError, InputError
from govreport.facts.loading import load
from govreport.facts.slips import find_slip

HEAD = "agency:\n  name: 某某局\nyear: 2023\npublished: 2024-01-20\n"


def check(tmp_path: Path, body: str) -> tuple[int, str]:
    path = tmp_path / "2023.yaml"
    path.write_text(HEAD + body, "utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    return result.exit_code, result.output


# (the file after HEAD, the slip, its line, its column, what to type, the exit status)
CASES = [
    ("requests:\n  received: [5，1, 0, 0, 0, 0]\n", "，", 6, 15, "半角逗号“,”", 1),
    ("requests:\n  received: [5, 1, 0, 0, 0, 0，]\n", "，", 6, 30, "半角逗号“,”", 1),
    ("requests:\n  received: [5、1、0、0、0、0]\n", "、", 6, 15, "半角逗号“,”", 1),
    ("requests:\n  received: {natural_person: 5，business: 1}\n", "，", 6, 31, "半角逗号“,”", 2),
    ("requests:\n  received: 【5, 1, 0, 0, 0, 0】\n", "【", 6, 13, "半角方括号“[”", 1),
    ("requests:\n  received: ［5, 1, 0, 0, 0, 0］\n", "［", 6, 13, "半角方括号“[”", 1),
    ("requests:\n  received: [５, 1, 0, 0, 0, 0]\n", "５", 6, 14, "半角数字“5”", 1),
    ("requests:\n  received:\n    natural_person： 5\n", "：", 7, 19, "半角冒号“:”", 1),
    ("requests:\n  received:\n    natural_person: “5”\n", "“", 7, 21, "半角引号", 1),
    ("requests:\n  carried_over： 3\n  received: [5, 1, 0, 0, 0, 0]\n", "：", 6, 15, "半角冒号", 2),
    ("proactive:\n  fees: 12。35\n", "。", 6, 11, "半角小数点“.”", 1),
    ("requests:\n  received: [5, 1, 0, 0, 0, 0] ＃ 合计\n", "＃", 6, 32, "半角“#”", 2),
    ("ｒｅｑｕｅｓｔｓ:\n  received: [5, 1, 0, 0, 0, 0]\n", "ｒ", 5, 1, "半角字母“r”", 1),
]


@pytest.mark.parametrize(("body", "char", "line", "column", "fix", "code"), CASES)
def test_a_slip_is_named_with_its_place_and_fix(
    tmp_path: Path, body: str, char: str, line: int, column: int, fix: str, code: int
) -> None:
    status, output = check(tmp_path, body)
    assert status == code, output
    assert f"“{char}”" in output or f"「{char}」" in output, output
    assert fix in output and "英文输入法" in output, output
    if code == 2:  # YAML could not be read: the place heads the message
        assert f"（第 {line} 行第 {column} 列）" in output, output
    else:
        assert f"2023.yaml:{line} " in output and f"第 {line} 行第 {column} 列的" in output, output
    assert "Traceback" not in output


def test_the_commonest_two_from_the_issue(tmp_path: Path) -> None:
    """The list one number short and the colon YAML did not find, as reported."""
    status, output = check(tmp_path, "requests:\n  received: [5，1, 0, 0, 0, 0]\n")
    assert status == 1
    assert "第 6 行第 15 列的“，”是全角逗号，请在英文输入法下改为半角逗号“,”" in output
    assert "实际有 5 个" in output  # the symptom stays, after the cause
    path = tmp_path / "colon.yaml"
    path.write_text("agency:\n  name: 某某局\nyear： 2023\npublished: 2024-01-20\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    assert (caught.value.line, caught.value.column) == (3, 5)
    assert "“：”是全角冒号，请在英文输入法下改为半角冒号“:”" in caught.value.message


def test_a_slip_in_a_key_of_a_mapping_value(tmp_path: Path) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text("agency:\n  name： 某某局\nyear: 2023\n", "utf-8")
    with pytest.raises(FactsError) as caught:
        load(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 7)
    assert problem.message.startswith("第 2 行第 7 列的“：”是全角冒号")


def test_full_width_digits_in_the_year_and_a_dash_in_the_date(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("agency:\n  name: 某某局\nyear: ２０２３\npublished: 2024－01－20\n", "utf-8")
    with pytest.raises(FactsError) as caught:
        load(path)
    messages = {p.yaml_path: p.message for p in caught.value.problems}
    assert "第 3 行第 7 列的“２”是全角数字，请在英文输入法下改为半角数字“2”" in messages["year"]
    assert "第 4 行第 16 列的“－”是全角减号" in messages["published"]


def test_a_full_width_space_in_the_indentation(tmp_path: Path) -> None:
    status, output = check(tmp_path, "requests:\n\u3000 received: [5, 1, 0, 0, 0, 0]\n")
    assert status in (1, 2)
    assert "全角空格" in output and "缩进只能用半角空格" in output and "第 6 行" in output


def test_chinese_punctuation_in_text_is_not_a_slip(tmp_path: Path) -> None:
    body = "overview:\n  summary: 本年，我局收到申请5件：其中1，2月份各2件。\n"
    status, output = check(tmp_path, body)
    assert status == 0, output
    assert "全角" not in output
    for text in ("本年，我局", "（一）主动公开", "某某局：", "“放管服”改革"):
        assert find_slip(text) is None, text
    # a real YAML mistake on a line of Chinese text is not blamed on its punctuation
    status, output = check(tmp_path, "overview:\n  summary: 本年1，2月：共收到: 5件\n")
    assert status == 2 and "此处不能出现“键: 值”" in output and "全角" not in output, output


def test_a_slip_in_set_yaml_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "set.yaml").write_text(
        "name: 我省\nextends: national\nwording：\n  title: x\n", "utf-8"
    )
    result = CliRunner().invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    assert "（第 3 行）" in result.output and "第 8 列的“：”是全角冒号" in result.output
