"""How many cells of real published reports ``govreport import`` reads right, honestly.

Imports every report in the shared sample (``<repo>/../shared/real-reports``, or
``GOVREPORT_REAL_REPORTS``, or the folder given as argument) that has an
``NNN.expected.json`` — the ``.txt`` and, where there is one, the original
``.pdf`` — and compares what import read with what a careful person reads:
agency, year, table 二's 10 cells, the table 三 rows given (7 cells each) and
table 四's 15 cells. A cell that is not right is either *unreadable* (import said
so: an error naming that cell or its table), *wrong with a warning* (a warning at the
cell or its row, such as I9 "split by assumption", tells the user to check it), or
*guessed wrong* (a number given as if read: the failure that matters most).

The rules were written against this sample, so one total flatters them. The printout
also gives: each family of layout (PDF text, a crawler's one-line text, Markdown/pipe
tables …) on its own; a per-report figure where each report counts once (002's text
and PDF are one report); and, leaving each family out in turn, the figure on the
others, which shows how much of the total one layout carries. The score counts a
right cell +1, an unreadable one 0 and a guessed-wrong one -3: a number that is wrong
and looks right is worse than a cell marked unreadable. Cells read right but with an
assumed split (I9) or another warning at them are counted apart.

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


WRONG_PENALTY = 3  # a guessed-wrong cell costs this many right ones in the score


@dataclass
class Score:
    right: int = 0
    unreadable: int = 0
    wrong: int = 0
    warned_wrong: int = 0  # wrong, but a warning at the cell or its row says to check it
    assumed: int = 0  # right, read from digits split by assumption (I9)
    warned: int = 0  # right, with another warning at the cell or its row
    misses: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return self.right + self.unreadable + self.wrong + self.warned_wrong

    @property
    def share(self) -> float:
        return self.right / self.expected if self.expected else 0.0

    @property
    def score(self) -> float:
        """Right +1, unreadable 0, wrong with a warning -1, guessed wrong -3, per cell."""
        if not self.expected:
            return 0.0
        points = self.right - self.warned_wrong - WRONG_PENALTY * self.wrong
        return points / self.expected

    def add(self, other: Score) -> None:
        for name in ("right", "unreadable", "wrong", "warned_wrong", "assumed", "warned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


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


def _at(paths: list[tuple], path: tuple[str, ...]) -> bool:
    return any(tuple(path[: len(f)]) == tuple(f) for f in paths if f)


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
    # a warning at the cell or its row (not one about a whole table, nor a blank cell's R9)
    warned = [p.path for p in imported.warnings if p.code != "I1" and len(p.path) > 1]
    assumed = [p.path for p in imported.warnings if p.code == "I9"]
    for path, wanted in cells:
        found = imported_value(imported.facts, path)
        if same(found, wanted):
            result.right += 1
            if _at(assumed, path):
                result.assumed += 1
            elif _at(warned, path):
                result.warned += 1
        elif _at(flagged, path):
            result.unreadable += 1
            result.misses.append(f"{'.'.join(path)}: 报告无法读取（应为 {wanted}）")
        elif _at(warned, path):
            result.warned_wrong += 1
            result.misses.append(f"{'.'.join(path)}: 读成 {found}（有提示），应为 {wanted}")
        else:
            result.wrong += 1
            result.misses.append(f"{'.'.join(path)}: 读成 {found}，应为 {wanted}")
    return result


def family(report: Path) -> str:
    """The layout a report arrived in, as far as its file tells: what the rules for one
    family of sources are tried on."""
    suffix = report.suffix.lower()
    if suffix in (".pdf", ".docx", ".html", ".htm"):
        return {".pdf": "PDF", ".docx": "Word", ".html": "web page", ".htm": "web page"}[suffix]
    lines = report.read_text(encoding="utf-8", errors="replace").splitlines()
    if sum(1 for line in lines if line.count("|") >= 3) >= 5:
        return "pipe/Markdown"
    if max((len(line) for line in lines), default=0) > 2000:
        return "one-line crawl"
    return "text rows"


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


HEADER = (
    f"{'':<24} {'right':>12} {'unread':>7} {'wrong!':>7} {'wrong,warned':>12} "
    f"{'assumed':>8} {'warned':>7} {'right%':>7} {'score':>7}"
)


def line(name: str, one: Score) -> str:
    return (
        f"{name:<24} {one.right:>5}/{one.expected:<6} {one.unreadable:>7} {one.wrong:>7} "
        f"{one.warned_wrong:>12} {one.assumed:>8} {one.warned:>7} "
        f"{100 * one.share:>6.1f}% {one.score:>7.3f}"
    )


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
    families: dict[str, Score] = {}
    reports: dict[str, list[Score]] = {}
    print(HEADER)
    for report, expected in pairs:
        one = score(report, json.loads(expected.read_text(encoding="utf-8")))
        total.add(one)
        families.setdefault(family(report), Score()).add(one)
        reports.setdefault(expected.name, []).append(one)
        print(line(f"{report.name} ({family(report)})"[:24], one))
        if args.verbose:
            for miss in one.misses:
                print(f"    {miss}")
    print(line("total", total))
    print("\nby family of layout")
    for name, one in sorted(families.items()):
        print(line(name, one))
    print("\nleaving one family out: the figure on the others")
    for name in sorted(families):
        rest = Score()
        for other, one in families.items():
            if other != name:
                rest.add(one)
        print(line(f"without {name}"[:24], rest))
    shares = [sum(s.share for s in scores) / len(scores) for scores in reports.values()]
    marks = [sum(s.score for s in scores) / len(scores) for scores in reports.values()]
    print(
        f"\neach report once ({len(reports)} reports, their sources averaged): "
        f"{100 * sum(shares) / len(shares):.1f}% right, score {sum(marks) / len(marks):.3f}; "
        f"worst report {100 * min(shares):.1f}% right"
    )
    return 1 if total.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
