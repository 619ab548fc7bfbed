"""The narrative in the rendered report: boilerplate from the tables, placeholders, B1.

Facts without texts are rendered once each (module-scoped); the boilerplate is
read back from the .docx and compared with the numbers read from the same
document's tables, so a text can never say something the table does not.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_support import (
    EXAMPLES_DIR,
    TABLE_REQUESTS,
    TABLE_REVIEWS,
    Para,
    body,
    grid,
    open_docx,
    raw_facts,
    request_rows,
    review_value,
)

from govreport import check, render
from govreport import official as fmt
from govreport.cli.main import main
from govreport.facts.loading import load
from govreport.narrative.writer import write_narrative
from govreport.template_sets.sets import template_set_for

YEAR = 2023
TEXT_SECTIONS = ("overview", "problems", "other_matters")


def facts_without_text(**tables: object) -> dict:
    """A department's facts with tables only: every text comes from boilerplate."""
    return {
        "agency": {"name": "某某局"},
        "year": YEAR,
        "published": dt.date(YEAR + 1, 1, 20),
        **tables,
    }


def busy_tables() -> dict:
    """busy-2023's three tables, without its texts."""
    raw = raw_facts(EXAMPLES_DIR / "busy-2023.yaml")
    return {key: copy.deepcopy(raw[key]) for key in ("proactive", "requests", "reviews")}


def _one(value: int) -> list[int]:
    return [value, 0, 0, 0, 0, 0]


VARIANTS: dict[str, dict] = {
    "zero": facts_without_text(),
    "busy": facts_without_text(**busy_tables()),
    # 3 requests, all refused for an unpaid fee
    "unpaid": facts_without_text(
        requests={"received": _one(3), "results": {"other": {"unpaid_fee": _one(3)}}}
    ),
    # only last year's 2 requests, both answered this year
    "carried": facts_without_text(
        requests={"carried_over": _one(2), "results": {"disclosed": _one(2)}}
    ),
    "placeholders": {
        **facts_without_text(**busy_tables()),
        "overview": {
            "on_request": (
                "本年共收到申请{{ requests.received.total }}件，"
                "其中自然人{{ requests.received.natural_person }}件；"
                "办结{{ requests.results.total.total }}件，"
                "不予公开{{ requests.results.withheld.total.total }}件；"
                "被申请行政复议{{ reviews.reconsideration.total }}件。\n"
                "**{{ year }}年收费情况。**收费{{ fees }}万元，{{ me }}已公开。"
            )
        },
    },
}


@dataclass
class Report:
    facts: dict
    paras: list[Para]
    requests: dict[tuple[str, ...], list[str]]
    reviews: dict[str, str]

    def total(self, *path: str) -> int:
        """The 总计 of a table 三 row as printed, or of a group (its rows summed)."""
        rows = [v for p, v in self.requests.items() if p[: len(path)] == path]
        return sum(int(numbers[-1]) for numbers in rows)

    def item(self, title: str) -> list[str]:
        """The paragraphs of the numbered item whose heading ends with ``title``."""
        start = next(
            i for i, p in enumerate(self.paras) if p.style == "Heading 2" and p.text.endswith(title)
        )
        texts = []
        for p in self.paras[start + 1 :]:
            if p.style != "Normal":
                break
            texts.append(p.text)
        return texts


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    out = tmp_path_factory.mktemp("narrative")
    found = {}
    for name, facts in VARIANTS.items():
        target = render(facts, out / f"{name}.docx").outputs["docx"]
        document = open_docx(target)
        tables = [grid(t) for t in document.tables]
        requests = {path: numbers for path, (_, numbers) in request_rows(tables[1]).items()}
        reviews = {
            block.key: review_value(tables[TABLE_REVIEWS], block, fmt.TOTAL)[0].text
            for block in fmt.REVIEW_BLOCKS
        }
        found[name] = Report(facts, body(document), requests, reviews)
    assert TABLE_REQUESTS == 1
    return found


# --------------------------------------------------------------------------- 依申请公开


def test_none_received(reports: dict[str, Report]) -> None:
    report = reports["zero"]
    assert report.total("received") == 0
    assert report.item("依申请公开") == [f"{YEAR}年，我局未收到政府信息公开申请。"]


def test_counts_from_table_three(reports: dict[str, Report]) -> None:
    report = reports["busy"]
    text = "".join(report.item("依申请公开"))
    t = report.total
    assert t("received") == 560  # busy-2023's numbers really are there
    expected = [
        f"收到政府信息公开申请{t('received')}件",
        f"上年结转{t('carried_over')}件",
        f"本年度办理完结{t('results', 'total')}件",
        f"予以公开{t('results', 'disclosed')}件",
        f"部分公开{t('results', 'partially_disclosed')}件",
        f"不予公开{t('results', 'withheld')}件",
        f"无法提供{t('results', 'unavailable')}件",
        f"不予处理{t('results', 'not_processed')}件",
        f"其他处理{t('results', 'other')}件",
        f"结转下年度继续办理{t('carried_forward')}件",
    ]
    for phrase in expected:
        assert phrase in text
    assert "未收到" not in text


def test_carried_over_only(reports: dict[str, Report]) -> None:
    report = reports["carried"]
    text = "".join(report.item("依申请公开"))
    assert "收到政府信息公开申请0件，上年结转2件" in text
    assert "本年度办理完结2件，其中予以公开2件" in text
    assert "未收到" not in text and "结转下年度" not in text


def test_reviews_counted_when_non_zero(reports: dict[str, Report]) -> None:
    report = reports["busy"]
    text = "".join(report.item("依申请公开"))
    litigation = int(report.reviews["litigation_direct"]) + int(
        report.reviews["litigation_after_reconsideration"]
    )
    assert litigation == 13
    assert (
        f"被申请行政复议{report.reviews['reconsideration']}件、提起行政诉讼{litigation}件" in text
    )


@pytest.mark.parametrize("name", ["zero", "unpaid", "carried"])
def test_no_review_sentence_when_zero(reports: dict[str, Report], name: str) -> None:
    assert set(reports[name].reviews.values()) == {"0"}
    text = "".join(reports[name].item("依申请公开"))
    assert "行政复议" not in text and "行政诉讼" not in text


# --------------------------------------------------------------------------- 信息处理费


@pytest.mark.parametrize("name", ["zero", "carried"])
def test_processing_fees_none_collected(reports: dict[str, Report], name: str) -> None:
    assert reports[name].item("收取信息处理费情况") == [
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        f"我局{YEAR}年未收取信息处理费。"
    ]


@pytest.mark.parametrize(("name", "count"), [("unpaid", 3), ("busy", 7)])
def test_processing_fees_unpaid(reports: dict[str, Report], name: str, count: int) -> None:
    report = reports[name]
    unpaid = int(report.requests[("results", "other", "unpaid_fee")][-1])
    assert unpaid == count
    (text,) = report.item("收取信息处理费情况")
    assert f"不再处理的申请{unpaid}件" in text
    assert "未收取" not in text


# --------------------------------------------------------------------------- other boilerplate


def test_every_slot_filled_with_the_right_year(reports: dict[str, Report]) -> None:
    paras = reports["zero"].paras
    items = [p.text for p in paras if p.style == "Heading 2"]
    assert items == [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
        "（一）存在的主要问题",
        "（二）改进情况",
        "（一）收取信息处理费情况",
    ]
    summary = paras[paras.index(next(p for p in paras if p.text == "一、总体情况")) + 1]
    assert summary.style == "Normal"
    assert f"自{YEAR}年1月1日起至{YEAR}年12月31日止" in summary.text
    improvements = reports["zero"].item("改进情况")
    assert improvements[0].startswith(f"{YEAR + 1}年，我局将")


def test_proactive_boilerplate_quotes_table_two(reports: dict[str, Report]) -> None:
    text = "".join(reports["busy"].item("主动公开"))
    assert "本年制发规章1件、行政规范性文件8件" in text
    assert "现行有效规章6件、行政规范性文件42件" in text
    assert "公开行政许可处理决定1268件、行政处罚处理决定97件、行政强制处理决定12件" in text
    zero = "".join(reports["zero"].item("主动公开"))
    assert "本年未制发规章和行政规范性文件" in zero and "行政许可" not in zero


# --------------------------------------------------------------------------- placeholders


def test_placeholders_in_the_authors_text(reports: dict[str, Report]) -> None:
    report = reports["placeholders"]
    t = report.total
    natural = report.requests[("received",)][0]
    first, second = report.item("依申请公开")
    assert first == (
        f"本年共收到申请{t('received')}件，其中自然人{natural}件；"
        f"办结{t('results', 'total')}件，不予公开{t('results', 'withheld')}件；"
        f"被申请行政复议{report.reviews['reconsideration']}件。"
    )
    assert first == (
        "本年共收到申请560件，其中自然人378件；办结556件，不予公开88件；被申请行政复议14件。"
    )
    assert second == f"{YEAR}年收费情况。收费12.35万元，我局已公开。"
    lead = next(p.paragraph for p in report.paras if p.text == second)
    runs = [r for r in lead.runs if r.text]
    assert runs[0].text == f"{YEAR}年收费情况。" and runs[0].bold
    assert "{{" not in "".join(p.text for p in report.paras)


# --------------------------------------------------------------------------- R8


def _as_author_text(report: Report) -> dict:
    """The rendered texts typed back into a facts file, as if the author had written them."""
    paras = report.paras
    headings = [i for i, p in enumerate(paras) if p.style == "Heading 1"] + [
        next(i for i, p in enumerate(paras) if p.style.startswith("Closing"))
    ]
    texts: dict = {}
    for section, start, end in zip(
        ("overview", None, None, None, "problems", "other_matters"),
        headings[:-1],
        headings[1:],
        strict=True,
    ):
        if section is None:
            continue
        topics = {t.title: t.key for t in fmt.OVERVIEW_TOPICS + fmt.PROBLEM_TOPICS}
        topics |= {t.title: t.key for t in fmt.OTHER_MATTER_TOPICS}
        key = "summary" if section == "overview" else None
        for p in paras[start + 1 : end]:
            if p.style == "Heading 2":
                key = topics[p.text[p.text.index("）") + 1 :]]
            else:
                assert key is not None
                texts.setdefault(section, {}).setdefault(key, []).append(p.text)
    return {
        section: {key: "\n".join(lines) for key, lines in items.items()}
        for section, items in texts.items()
    }


@pytest.mark.parametrize("name", ["zero", "busy", "unpaid", "carried"])
def test_boilerplate_passes_the_r8_check(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    written = {**report.facts, **_as_author_text(report)}
    assert "on_request" in written["overview"]
    result = check(written)
    assert [p.format() for p in result.problems if p.code == "R8"] == []
    assert not result.errors


def test_r8_would_catch_a_drifted_number(reports: dict[str, Report]) -> None:
    """The check above is not vacuous: the same text with one number changed warns."""
    report = reports["busy"]
    written = {**report.facts, **_as_author_text(report)}
    text = written["overview"]["on_request"]
    assert text.count("收到政府信息公开申请560件") == 1
    written["overview"]["on_request"] = text.replace("申请560件", "申请561件")
    r8 = [p for p in check(written).problems if p.code == "R8"]
    assert len(r8) == 1 and "561" in r8[0].message


# --------------------------------------------------------------------------- B1


def _check_cli(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(path)])
    return result.exit_code, [line for line in result.stdout.splitlines() if " B1 " in line]


def _write(tmp_path: Path, facts: dict, name: str = "facts.yaml") -> Path:
    import yaml

    path = tmp_path / name
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_b1_per_section_where_boilerplate_stands_in(tmp_path: Path) -> None:
    status, lines = _check_cli(_write(tmp_path, facts_without_text()))
    assert status == 0  # a warning, not an error
    headings = [fmt.SECTION_HEADINGS[s] for s in TEXT_SECTIONS]
    assert len(lines) == 3
    for line, heading in zip(lines, headings, strict=True):
        assert f"【{heading}】" in line
    assert "监督保障" in lines[0] and "总体情况概述" in lines[0]
    assert "存在的主要问题、改进情况" in lines[1]
    assert "收取信息处理费情况" in lines[2]


def test_b1_not_where_the_author_wrote(tmp_path: Path) -> None:
    facts = facts_without_text(
        overview={key: "认真做好相关工作。" for key in fmt.OVERVIEW_KEYS[:6]},
        problems="认真查找不足。",
    )
    status, lines = _check_cli(_write(tmp_path, facts))
    assert status == 0
    assert len(lines) == 1
    assert f"【{fmt.SECTION_HEADINGS['other_matters']}】" in lines[0]
    assert "收取信息处理费情况未填写" in lines[0]


def test_b1_only_the_missing_item(tmp_path: Path) -> None:
    facts = facts_without_text(
        overview={key: "认真做好相关工作。" for key in fmt.OVERVIEW_KEYS[:6] if key != "platforms"},
        problems="认真查找不足。",
        other_matters={"processing_fees": "未收取信息处理费。"},
    )
    _, lines = _check_cli(_write(tmp_path, facts))
    assert len(lines) == 1
    assert f"【{fmt.SECTION_HEADINGS['overview']}】政府信息公开平台建设未填写" in lines[0]


def test_b1_on_the_examples() -> None:
    # busy-2023 writes every item of 一 and 五 itself
    lines = _check_cli(EXAMPLES_DIR / "busy-2023.yaml")[1]
    assert not [line for line in lines if "【一、" in line or "【五、" in line]
    status, lines = _check_cli(EXAMPLES_DIR / "dingcheng-gongxin-2023.yaml")
    assert status == 0 and len(lines) == 1
    assert "【六、其他需要报告的事项】收取信息处理费情况未填写" in lines[0]


def test_b1_matches_what_is_rendered() -> None:
    """Each B1 names exactly the items the narrative filled from boilerplate."""
    facts = load(EXAMPLES_DIR / "dingcheng-gongxin-2023.yaml")
    narrative = write_narrative(facts, template_set_for(facts))
    boiler = [(s, i.key) for s, i in narrative.items() if i.boilerplate]
    assert boiler == narrative.boilerplate == [("other_matters", "processing_fees")]
    b1 = [p for p in check(facts).problems if p.code == "B1"]
    assert len(b1) == 1 and "收取信息处理费情况" in b1[0].message
