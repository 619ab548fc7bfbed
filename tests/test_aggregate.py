"""汇总: sums against hand-computed totals, refusals, and the parent/children check."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govreport import check, load
from govreport.batch.aggregate import AggregateError, aggregate, compare_children, load_children
from govreport.cli.main import main
from govreport.official import table_cells

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def department(
    name: str,
    received: list[int],
    disclosed: list[int],
    forward: list[int],
    fees: str,
    licensing: int,
    upheld: int,
) -> dict:
    return {
        "agency": {"name": name},
        "year": 2023,
        "published": "2024-01-15",
        "proactive": {
            "licensing": licensing,
            "fees": fees,
            "normative_documents": {"issued": 2, "repealed": 1, "in_force": 9},
        },
        "requests": {
            "received": received,
            "results": {"disclosed": disclosed},
            "carried_forward": forward,
        },
        "reviews": {"reconsideration": {"upheld": upheld, "pending": 1}},
    }


@pytest.fixture
def departments(tmp_path: Path) -> Path:
    folder = tmp_path / "departments"
    folder.mkdir()
    write(
        folder / "a.yaml",
        department(
            "甲县教育局", [3, 1, 0, 0, 0, 2], [2, 1, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1], "1.10", 40, 1
        ),
    )
    write(
        folder / "b.yaml",
        department(
            "甲县民政局", [5, 0, 1, 0, 1, 0], [4, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 0], "0.25", 7, 0
        ),
    )
    return folder


def test_sums_against_hand_computed_totals(departments: Path) -> None:
    children = load_children([departments])
    facts = load(aggregate(children, name="甲县人民政府"))
    assert facts.agency.level == "government"
    assert facts.requests.received.applicants() == (8, 1, 1, 0, 1, 2)
    assert facts.requests.received.total == 13
    assert facts.requests.results.disclosed.total == 9
    assert facts.requests.carried_forward.total == 4
    assert facts.proactive.fees == Decimal("1.35")  # exact, no float noise
    assert facts.proactive.licensing == 47
    assert facts.proactive.normative_documents.in_force == 18
    assert facts.reviews.reconsideration.total == 1 + 1 + 0 + 1
    assert check(facts).errors == []  # the sum of consistent reports is consistent


def test_every_cell_is_the_sum_of_the_examples(tmp_path: Path) -> None:
    for name in ("busy-2023.yaml", "busy-government-2023.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    children = load_children([tmp_path])
    total = load(aggregate(children, name="某市"))
    for cell in table_cells():
        assert total.value(cell.path) == sum(c.value(cell.path) for c in children), cell.label


def test_same_agency_twice_is_an_error(departments: Path) -> None:
    shutil.copy(departments / "a.yaml", departments / "a-copy.yaml")
    with pytest.raises(AggregateError, match="甲县教育局2023年度的事实出现了两次"):
        load_children([departments])


def test_mixed_years_are_an_error(departments: Path) -> None:
    data = yaml.safe_load((departments / "b.yaml").read_text(encoding="utf-8"))
    data.update(year=2022, published="2023-01-15")
    write(departments / "b.yaml", data)
    with pytest.raises(AggregateError, match="年度不一致"):
        load_children([departments])


def test_inputs_must_pass_check(departments: Path) -> None:
    data = yaml.safe_load((departments / "b.yaml").read_text(encoding="utf-8"))
    data["requests"]["carried_forward"] = [9, 0, 0, 0, 0, 0]  # breaks R1
    write(departments / "b.yaml", data)
    with pytest.raises(AggregateError, match=r"b\.yaml：\d+ 处错误"):
        load_children([departments])


def test_cli_aggregate_writes_a_facts_file_that_checks(departments: Path, tmp_path: Path) -> None:
    target = tmp_path / "total.yaml"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "aggregate",
            str(departments),
            "-o",
            str(target),
            "--name",
            "甲县人民政府",
            "--level",
            "government",
        ],
    )
    assert result.exit_code == 0, result.output
    facts = load(target)
    assert facts.agency.name == "甲县人民政府"
    assert facts.requests.received.total == 13
    assert "甲县教育局" in target.read_text(encoding="utf-8")  # the header names the sources
    checked = check(target)
    assert checked.errors == []
    assert "B1" in checked.codes()  # the narrative is left for the author, and said so
    again = runner.invoke(
        main, ["aggregate", str(departments), "-o", str(target), "--name", "甲县人民政府"]
    )
    assert again.exit_code == 1 and "已存在" in again.output


def test_parent_matching_children_is_quiet(departments: Path, tmp_path: Path) -> None:
    parent = tmp_path / "parent.yaml"
    total = aggregate(load_children([departments]), name="甲县人民政府")
    total.update(published="2024-03-01")
    write(parent, _plain(total))
    assert compare_children(parent, departments) == []


def test_parent_with_one_changed_cell_is_reported_at_that_cell(
    departments: Path, tmp_path: Path
) -> None:
    total = _plain(aggregate(load_children([departments]), name="甲县人民政府"))
    total["published"] = "2024-03-01"
    total["requests"]["received"]["business"] += 2
    parent = write(tmp_path / "parent.yaml", total)
    problems = compare_children(parent, departments)
    assert [p.code for p in problems] == ["C1"]
    (found,) = problems
    assert found.path == ("requests", "received", "business")
    assert found.label == "一、本年新收政府信息公开申请数量 · 商业企业"
    assert "本报告填 3，下级单位合计 1" in found.message
    assert "教育局 1" in found.message  # the child that contributed
    lines = parent.read_text(encoding="utf-8").splitlines()
    assert "business: 3" in lines[found.line - 1]


def test_cli_check_children_warns_and_exits_0(departments: Path, tmp_path: Path) -> None:
    total = _plain(aggregate(load_children([departments]), name="甲县人民政府"))
    total["published"] = "2024-03-01"
    total["proactive"]["licensing"] += 5  # a cell no identity ties to others
    parent = write(tmp_path / "parent.yaml", total)
    result = CliRunner().invoke(main, ["check", str(parent), "--children", str(departments)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert "C1" in result.output and "本报告填 52，下级单位合计 47" in result.output


def _plain(data: dict) -> dict:
    """Decimals as strings, so yaml.safe_dump can write the dict."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    return str(data) if isinstance(data, Decimal) else data


def test_parent_in_the_children_folder_is_not_its_own_child(departments: Path) -> None:
    total = _plain(aggregate(load_children([departments]), name="甲县人民政府"))
    total["published"] = "2024-03-01"
    parent = write(departments / "county.yaml", total)  # beside its children
    assert compare_children(parent, departments) == []


def test_aggregate_rerun_into_the_input_folder_does_not_count_itself(departments: Path) -> None:
    target = departments / "total.yaml"
    runner = CliRunner()
    args = ["aggregate", str(departments), "-o", str(target), "--name", "甲县人民政府"]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert load(target).requests.received.total == 13  # not 26


def test_missing_children_folder_is_unreadable_input(departments: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", str(departments / "a.yaml"), "--children", str(tmp_path / "nowhere")]
    )
    assert result.exit_code == 2
    assert "找不到" in result.output
