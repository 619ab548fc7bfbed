"""``govreport next``: next year's draft continues this year's facts.

上年结转 must equal this year's 结转下年度继续办理 (R5) and 现行有效件数 carries on
(R6); everything else counted in the year starts at 0; texts stay, with a note on
each one that names a year. ``check NEXT --previous FACTS`` then passes R5, and a
changed 上年结转 fails R5 at its own cell.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import EXAMPLE_FILES, line_of

from govreport import check, load, roll_forward
from govreport import official as fmt
from govreport.cli.main import main
from govreport.facts.loading import validate
from govreport.facts.next_year import next_path, year_notes
from govreport.facts.reading import parse
from govreport.facts.writer import dump_facts

BUSY = next(p for p in EXAMPLE_FILES if p.stem == "busy-2023")


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def busy_copy(tmp_path) -> Path:
    return Path(shutil.copyfile(BUSY, tmp_path / BUSY.name))


# --------------------------------------------------------------------------- roll_forward


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_next_year_carries_what_continues_and_zeroes_the_rest(example):
    facts = load(example)
    following = roll_forward(facts)
    assert following.year == facts.year + 1
    assert following.published is None
    assert following.requests.carried_over == facts.requests.carried_forward
    for key in ("regulations", "normative_documents"):
        docs = getattr(following.proactive, key)
        assert (docs.issued, docs.repealed, docs.in_force) == (
            0,
            0,
            getattr(facts.proactive, key).in_force,
        )
    carried = {("requests", "carried_over", c.key) for c in fmt.APPLICANT_COLUMNS}
    in_force = {("proactive", k, "in_force") for k in ("regulations", "normative_documents")}
    for cell in fmt.table_cells():
        if cell.path not in carried | in_force:
            assert following.value(cell.path) == 0, cell.label
    assert dict(following.texts()) == dict(facts.texts())
    assert following.agency == facts.agency


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_next_year_passes_r5_and_r6_against_this_year(example):
    following = roll_forward(example)
    problems = check(following, previous=example).problems
    assert not [p for p in problems if p.code in ("R5", "R6", "P1")]


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_draft_file_loads_back_to_the_same_facts(example):
    following = roll_forward(example)
    text = dump_facts(following, notes=year_notes(following))
    assert validate(*parse(text)) == following


def test_texts_that_name_a_year_get_a_note():
    following = roll_forward(BUSY)
    notes = year_notes(following)
    assert notes[("overview", "summary")] == (
        "请修改：本段沿用2023年度的文字，提到了2023年，请按2024年度的实际情况改写"
    )
    assert ("overview", "platforms") not in notes  # no year in it
    lines = dump_facts(following, notes=notes).splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("  summary:"))
    assert lines[summary - 1].strip() == f"# {notes[('overview', 'summary')]}"


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        ("busy-2023.yaml", 2023, "busy-2024.yaml"),
        ("2023/某局2023年.yaml", 2023, "2023/某局2024年.yaml"),
        ("facts.yaml", 2023, "facts-2024.yaml"),
    ],
)
def test_the_next_file_is_named_after_the_year(name, year, expected):
    assert next_path(Path(name), year) == Path(expected)


# --------------------------------------------------------------------------- the command


def test_next_command_writes_next_years_draft(busy_copy):
    outcome = run("next", busy_copy)
    assert outcome.exit_code == 0, outcome.output
    written = busy_copy.with_name("busy-2024.yaml")
    assert load(written) == roll_forward(busy_copy)
    assert "请修改：本段沿用2023年度的文字，提到了2023年" in written.read_text(encoding="utf-8")
    again = run("next", busy_copy)
    assert again.exit_code == 1 and "已存在" in again.output
    assert run("next", busy_copy, "--force").exit_code == 0
    other = busy_copy.with_name("draft.yaml")
    assert run("next", busy_copy, "-o", other).exit_code == 0
    assert other.is_file()


def test_next_then_check_previous_passes_r5(busy_copy):
    assert run("next", busy_copy).exit_code == 0
    written = busy_copy.with_name("busy-2024.yaml")
    outcome = run("check", written, "--previous", busy_copy, "--format", "json")
    found = {p["code"] for p in json.loads(outcome.stdout)["problems"]}
    assert not found & {"R5", "R6", "P1"}


def test_a_draft_of_a_report_with_nothing_carried_passes_check(tmp_path):
    source = Path(shutil.copyfile(EXAMPLE_FILES[-1], tmp_path / EXAMPLE_FILES[-1].name))
    assert load(source).requests.carried_forward.total == 0
    assert run("next", source, "-o", tmp_path / "next.yaml").exit_code == 0
    outcome = run("check", tmp_path / "next.yaml", "--previous", source)
    assert outcome.exit_code == 0, outcome.output


def test_a_changed_carry_fails_r5_at_its_cell(busy_copy):
    assert run("next", busy_copy).exit_code == 0
    written = busy_copy.with_name("busy-2024.yaml")
    text = written.read_text(encoding="utf-8")
    carried = load(busy_copy).requests.carried_forward.applicants()
    row = "carried_over: [" + ", ".join(str(n) for n in carried) + "]"
    changed = "carried_over: [" + ", ".join(str(n) for n in (carried[0] + 1, *carried[1:])) + "]"
    assert text.count(row) == 1
    written.write_text(text.replace(row, changed), encoding="utf-8")
    outcome = run("check", written, "--previous", busy_copy, "--format", "json")
    assert outcome.exit_code == 1
    r5 = [p for p in json.loads(outcome.stdout)["problems"] if p["code"] == "R5"]
    assert len(r5) == 1
    assert r5[0]["path"] == "requests.carried_over.natural_person"
    assert r5[0]["line"] == line_of(text, "carried_over:")


def test_next_refuses_a_facts_file_with_errors(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("agency:\n  name: 某局\nyear: 二〇二三\n", encoding="utf-8")
    outcome = run("next", broken)
    assert outcome.exit_code == 1
    assert not list(tmp_path.glob("*-*.yaml"))


def test_next_refuses_a_file_whose_tables_do_not_add_up(tmp_path: Path) -> None:
    """A wrong 结转下年度 would be carried into next year: next refuses it."""
    text = next(p for p in EXAMPLE_FILES if p.name == "busy-2023.yaml").read_text(encoding="utf-8")
    source = tmp_path / "busy-2023.yaml"
    source.write_text(text.replace("published: 2024-01-20", "published: 2023-06-01"), "utf-8")
    result = CliRunner().invoke(main, ["next", str(source)])
    assert result.exit_code == 1
    assert "D1" in result.output and "未生成下一年度文件" in result.output
    assert not (tmp_path / "busy-2024.yaml").exists()
