"""The audit on real published reports (``tests/data/real``, copies of ``../shared/real-reports``).

Each ``*.expected.json`` lists the report's ``known_defects``, checked by hand. The audit
must find every one that is a matter of numbers or dates, and must not raise a numeric
error on a report whose tables (as ``expected.json`` reads them) are consistent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govreport import official as fmt
from govreport.auditing import audit
from govreport.cli.main import main

REAL = Path(__file__).resolve().parent / "data" / "real"
EXPECTED = sorted(REAL.glob("*.expected.json"))
#: Findings about the numbers: an error among these on a consistent report is a false alarm.
NUMERIC = {"R1", "R2", "R3", "R4", "R5", "R6", "R8", "R9", "C1"}
DATE_CODES = {"D1", "D2", "D3", "D4"}
#: A narrative number quoted in a known defect: narrative '…75件…'.
_QUOTED = re.compile(r"narrative '([^']*)'")


def reports() -> list[tuple[Path, dict]]:
    """Every report with an expected.json: the text, and the original PDF where there is one."""
    found = []
    for expected in EXPECTED:
        stem = expected.name.removesuffix(".expected.json")
        data = json.loads(expected.read_text(encoding="utf-8"))
        found += [(path, data) for path in sorted(REAL.glob(f"{stem}.*")) if path != expected]
    return found


REPORTS = reports()


@pytest.fixture(scope="module")
def run():
    return audit([REAL])


def audited(run, path: Path):
    (report,) = [r for r in run.reports if r.source.name == path.name]
    assert report.unreadable is None, report.unreadable
    return report


def consistent(expected: dict) -> bool:
    """Whether the tables as expected.json reads them satisfy R1, R2 and R4."""
    table3, table4 = expected.get("table3", {}), expected.get("table4")
    rows = [table3[k] for k in ("received", "carried_over", "total_results", "carried_forward")]
    if len(rows) != 4 or table4 is None:
        return False
    if any(sum(row[:6]) != row[6] for row in table3.values()):
        return False
    received, carried_over, handled, carried_forward = rows
    if any(
        a + b != c + d
        for a, b, c, d in zip(received, carried_over, handled, carried_forward, strict=True)
    ):
        return False
    blocks = [table4[i : i + 5] for i in range(0, 15, 5)]
    return all(sum(block[:4]) == block[4] for block in blocks)


def test_the_sample_is_here():
    assert len(EXPECTED) >= 6 and any(p.suffix == ".pdf" for p, _ in REPORTS)


@pytest.mark.parametrize("path, expected", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_known_date_defects_are_found(run, path, expected):
    report = audited(run, path)
    date_defects = [d for d in expected["known_defects"] if "落款" in d or "date" in d]
    dates = [f for f in report.findings if f.code in DATE_CODES]
    if date_defects:
        assert dates, date_defects
        assert all(f.place == fmt.describe(("published",)) for f in dates)


@pytest.mark.parametrize("path, expected", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_known_narrative_number_defects_are_found(run, path, expected):
    report = audited(run, path)
    for defect in expected["known_defects"]:
        for quoted in _QUOTED.findall(defect):
            number = re.search(r"(\d+)件", quoted).group(1)
            r8 = [f for f in report.findings if f.code == "R8" and f"{number} 件" in f.message]
            assert r8, (defect, [f.message for f in report.findings if f.code == "R8"])


@pytest.mark.parametrize("path, expected", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_digits_that_cannot_be_split_are_reported_not_guessed(run, path, expected):
    """A 2021-format cell printed as a run of digits with no unique split is named, quoted,
    as unread (the 2019 format's extra blocks have no 2021 cell to name)."""
    report = audited(run, path)
    for defect in expected["known_defects"]:
        if "2019 trial format" in defect:
            continue
        for digits in re.findall(r"'(\d{5,})' (?:cannot be split|is ambiguous)", defect):
            unread = [f for f in report.findings if f.code == "U1" and digits in f.message]
            assert unread, (defect, digits)


@pytest.mark.parametrize("path, expected", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_a_missing_section_heading_is_found(run, path, expected):
    report = audited(run, path)
    for defect in expected["known_defects"]:
        if match := re.search(r"section (\S) heading missing", defect):
            number = match.group(1)
            heading = next(h for h in fmt.SECTION_HEADINGS.values() if h.startswith(number))
            assert heading in [f.place for f in report.findings if f.code == "M1"]


@pytest.mark.parametrize("path, expected", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_no_numeric_error_on_consistent_tables(run, path, expected):
    if not consistent(expected):
        pytest.fail(f"{path.name}: expected.json's tables are not consistent; test needs a rule")
    report = audited(run, path)
    errors = [f"{f.code} {f.place} {f.message}" for f in report.findings if f.severity == "error"]
    assert not [e for e in errors if e.split()[0] in NUMERIC], errors


def test_the_command_on_the_sample(tmp_path):
    target = tmp_path / "sample.json"
    result = CliRunner().invoke(main, ["audit", str(REAL), "-o", str(target)])
    data = json.loads(target.read_text(encoding="utf-8"))
    assert result.exit_code == data["exit_status"]
    assert {Path(r["file"]).name for r in data["reports"]} == {p.name for p, _ in REPORTS}
    assert data["unreadable"] == 0
