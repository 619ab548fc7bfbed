"""How many cells of real published reports ``govreport import`` reads right.

Imports every report in the shared sample (``<repo>/../shared/real-reports``, or
``GOVREPORT_REAL_REPORTS``, or the folder given as argument) that has an
``NNN.expected.json`` — the ``.txt`` and, where there is one, the original
``.pdf`` — and compares what import read with what a careful person reads:
agency, year, table 二's 10 cells, the table 三 rows given (7 cells each) and
table 四's 15 cells. A cell that is wrong is either *unreadable* (import said
so: an error naming that cell or its table) or *guessed wrong* (import gave a
number without saying it could not read it — the failure that matters most).

    python benchmarks/import_accuracy.py [FOLDER] [-v]

Exits 1 when any cell was guessed wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from govreport import official as fmt
from govreport.errors import GovReportError
from govreport.importing import import_report

ROOT = Path(__file__).resolve().parent.parent
ENV = "GOVREPORT_REAL_REPORTS"
TABLE3_ROWS = {
    "received": ("received",),
    "carried_over": ("carried_over",),
    "disclosed": ("results", "disclosed"),
    "total_results": ("results", "total"),
    "carried_forward": ("carried_forward",),
}


@dataclass
class Score:
    right: int = 0
    unreadable: int = 0
    wrong: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return self.right + self.unreadable + self.wrong

    def add(self, other: Score) -> None:
        self.right += other.right
        self.unreadable += other.unreadable
        self.wrong += other.wrong


def expected_cells(expected: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    """(facts path, expected value) for every cell the expected file gives."""
    cells: list[tuple[tuple[str, ...], Any]] = []
    for key in ("agency", "year"):
        if key in expected:
            cells.append((("agency", "name") if key == "agency" else ("year",), expected[key]))
    table2 = expected.get("table2", {})
    for key in ("regulations", "normative_documents"):
        for column, value in zip(fmt.DOCUMENT_COLUMNS, table2.get(key, []), strict=False):
            cells.append((("proactive", key, column.key), value))
    for key in ("licensing", "punishment", "coercion", "fees"):
        if key in table2:
            cells.append((("proactive", key), table2[key]))
    for name, path in TABLE3_ROWS.items():
        for column, value in zip(
            fmt.REQUEST_COLUMNS, expected.get("table3", {}).get(name, []), strict=False
        ):
            cells.append((("requests", *path, column.key), value))
    reviews = [(b.key, c.key) for b in fmt.REVIEW_BLOCKS for c in fmt.REVIEW_COLUMNS]
    for (block, column), value in zip(reviews, expected.get("table4", []), strict=False):
        cells.append((("reviews", block, column), value))
    return cells


def imported_value(facts: Any, path: tuple[str, ...]) -> Any:
    """The value import read, as printed (a row's stated 总计, not the recomputed one)."""
    if path[0] == "requests":
        row = facts.requests.row(path[1:-1])
        if path[1:-1] == fmt.RESULT_TOTAL_PATH:
            row = facts.requests["results"].stated_total or row
        if path[-1] == "total":
            return row.stated_total if row.stated_total is not None else row.total
        return row[path[-1]]
    if path[0] == "reviews" and path[-1] == "total":
        counts = facts.value(path[:-1])
        return counts.stated_total if getattr(counts, "stated_total", None) else counts.total
    return facts.value(path)


def same(found: Any, wanted: Any) -> bool:
    if isinstance(wanted, str) and isinstance(found, (int, Decimal)):
        try:
            return Decimal(str(found)) == Decimal(wanted)
        except ArithmeticError:
            return False
    return found == wanted


def score(source: Path, expected: dict[str, Any]) -> Score:
    result = Score()
    cells = expected_cells(expected)
    try:
        imported = import_report(source)
    except GovReportError as exc:
        result.unreadable = len(cells)
        result.misses.append(f"无法导入：{exc}")
        return result
    flagged = [p.path for p in imported.errors]
    for path, wanted in cells:
        found = imported_value(imported.facts, path)
        if same(found, wanted):
            result.right += 1
        elif any(tuple(path[: len(f)]) == tuple(f) for f in flagged if f):
            result.unreadable += 1
            result.misses.append(f"{'.'.join(path)}: 报告无法读取（应为 {wanted}）")
        else:
            result.wrong += 1
            result.misses.append(f"{'.'.join(path)}: 读成 {found}，应为 {wanted}")
    return result


def sources(folder: Path) -> list[tuple[Path, Path]]:
    found = []
    for expected in sorted(folder.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        for suffix in (".txt", ".pdf", ".html", ".md", ".docx"):
            report = folder / f"{stem}{suffix}"
            if report.is_file():
                found.append((report, expected))
    return found


def default_folder() -> Path:
    """``$GOVREPORT_REAL_REPORTS``, else ``../shared/real-reports`` beside the repository
    (or beside a parent folder, for a git worktree kept below the main checkout's parent)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    for parent in ROOT.parents:
        if (parent / "shared" / "real-reports").is_dir():
            return parent / "shared" / "real-reports"
    return ROOT.parent / "shared" / "real-reports"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=default_folder(), type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong cell")
    args = parser.parse_args(argv)
    pairs = sources(args.folder)
    if not pairs:
        print(f"{args.folder}: no report with an expected.json", file=sys.stderr)
        return 2
    total = Score()
    print(f"{'report':<12} {'right':>12} {'unreadable':>10} {'guessed wrong':>13}")
    for report, expected in pairs:
        one = score(report, json.loads(expected.read_text(encoding="utf-8")))
        total.add(one)
        print(
            f"{report.name:<12} {one.right:>5}/{one.expected:<6} {one.unreadable:>10} "
            f"{one.wrong:>13}"
        )
        if args.verbose:
            for miss in one.misses:
                print(f"    {miss}")
    share = 100 * total.right / total.expected
    print(
        f"{'total':<12} {total.right:>5}/{total.expected:<6} {total.unreadable:>10} "
        f"{total.wrong:>13}   {share:.1f}% right"
    )
    return 1 if total.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
