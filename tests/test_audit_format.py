"""Defects of form in text reports the audit finds as it finds them in PDFs: label drift
(in table rows run together, a 2019 label in a 2021 table, a heading's typo), the 2019
layout's single （六） row in a 2021 report, a count printed negative, a 第五部分 that says
only 无, a 第六部分 that says nothing was charged beside fees in table 二."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_guess import ROWS, report_text

from govreport import official as fmt
from govreport.auditing import audit


def _audited(tmp_path: Path, text: str):
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    (report,) = audit([source], jobs=1).reports
    assert report.unreadable is None
    return report


def _codes(report, code: str) -> list:
    return [f for f in report.findings if f.code == code]


def test_a_typo_in_a_label_run_together_with_its_digits_is_l1(tmp_path):
    text = report_text({}).replace(
        f"{ROWS[('results', 'withheld', 'state_secret')]} 0 0 0 0 0 0 0\n"
        f"{ROWS[('results', 'withheld', 'prohibited_by_law')]} 0 0 0 0 0 0 0",
        f"{ROWS[('results', 'withheld', 'state_secret')]}00000002.其他法律行政止公开0000000",
    )
    report = _audited(tmp_path, text)
    assert any("其他法律行政止公开" in f.message for f in _codes(report, "L1"))
    assert not _codes(report, "U1")


def test_a_2019_row_label_in_a_2021_table_is_l1(tmp_path):
    report = _audited(tmp_path, report_text({}).replace("行政规范性文件 2 1 5", "规范性文件 2 1 5"))
    drift = _codes(report, "L1")
    assert drift and "规范性文件" in drift[0].message and "行政规范性文件" in drift[0].message


def test_a_heading_with_a_typo_is_l1(tmp_path):
    text = report_text({}).replace("四、政府信息公开行政复议", "四、政府信息公开行政法复议")
    report = _audited(tmp_path, text)
    assert any(f.path == "reviews" and "行政法复议" in f.message for f in _codes(report, "L1"))
    assert not [f for f in _codes(report, "M1") if f.path == "reviews"]


def test_the_single_other_row_of_2019_in_a_2023_report_is_a_defect_of_form(tmp_path):
    text = report_text({})
    for path in [r.path for r in fmt.REQUEST_ROWS if r.path[:2] == ("results", "other")]:
        text = text.replace(f"{ROWS[path]} 0 0 0 0 0 0 0\n", "")
    text = text.replace("（七）总计", "（六）其他 1 0 0 0 0 0 1\n（七）总计")
    text = text.replace("（七）总计 0 0 0 0 0 0 0", "（七）总计 1 0 0 0 0 0 1")
    text = text.replace(
        "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0",
        "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1",
    )
    report = _audited(tmp_path, text)
    single = [f for f in _codes(report, "L1") if f.path == "requests.results.other"]
    assert single and "2023年度报告应分行填写" in single[0].message
    assert not [f for f in _codes(report, "U1") if f.path.startswith("requests.results.other")]
    assert report.facts.requests.results.other.other.total == 1


def test_a_negative_count_is_the_reports_error_not_unreadable(tmp_path):
    report = _audited(tmp_path, report_text({("carried_over",): "-1 0 0 0 0 0 -1"}))
    wrong = _codes(report, "V1")
    assert wrong and wrong[0].severity == "error" and "-1" in wrong[0].message
    assert not [f for f in _codes(report, "U1") if f.path.startswith("requests.carried_over")]


@pytest.mark.parametrize("said", ["无。", "无", "暂无。"])
def test_a_fifth_section_that_says_only_none_is_g2(tmp_path, said):
    report = _audited(tmp_path, report_text({}).replace("问题不少。", said))
    assert _codes(report, "G2")


def test_a_sixth_section_that_denies_fees_table_two_shows_is_g3(tmp_path):
    text = report_text({}).replace("行政事业性收费 0", "行政事业性收费 12.5")
    text = text.replace(
        "六、其他需要报告的事项\n无。", "六、其他需要报告的事项\n本机关未收取任何费用。"
    )
    report = _audited(tmp_path, text)
    (conflict,) = _codes(report, "G3")
    assert "12.5" in conflict.message
    fine = text.replace("本机关未收取任何费用。", "本机关未收取信息处理费。")
    assert not _codes(_audited(tmp_path, fine), "G3")
