"""PDF through Typst beside PDF through the LibreOffice kept running, in the same run.

Run with the project's dependencies installed (the LibreOffice figures need LibreOffice
and a Python with ``uno``; without them only Typst is measured)::

    python benchmarks/typst_pdf.py            # 1,000 PDFs with -j 2, -j 1 vs -j 2 over 300
    python benchmarks/typst_pdf.py --quick    # 200 PDFs, -j 1 vs -j 2 over 100

Measured:

  * one PDF, warm, through the public ``render(…, to=["pdf"])`` (load, check, narrative,
    typesetting, the atomic write with its fsync) with Typst, and with the LibreOffice
    kept running (``pdf_engine="libreoffice"``: the Word file, then its conversion);
    and Typst's typesetting alone (``render_typst_pdf``: data, compile, no file). Typst
    remembers what it laid out before, so the same report again costs a third of a new
    one: the Typst figures take a different report each call (60 generated facts files
    in turn), and the same example again is printed beside them;
  * ``govreport render FOLDER --to pdf -j 2`` over 1,000 facts files: wall time and the
    peak memory of the largest worker (``ru_maxrss`` of the children);
  * ``-j 1`` vs ``-j 2`` (paired runs, as ``bench.py`` takes them).

The script exits 1 when a target of issue 22 is missed: one PDF warm <= 50 ms and >= 10x
the kept LibreOffice, 1,000 PDFs with -j 2 in under a minute, -j 2 >= 1.8x -j 1
(with ``--quick`` the batch targets are printed, not checked).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from bench import EXAMPLE, best_ms, generate, govreport_cli, paired_runs

from govreport import render
from govreport.checks import check
from govreport.pdf.soffice import have_libreoffice
from govreport.pdf.uno_finder import uno_python
from govreport.rendering.report import word_context
from govreport.rendering.typst_pdf import render_typst_pdf
from govreport.template_sets.sets import template_set_for


def one_pdf(work: Path, rounds: int, round_s: float) -> dict[str, float | None]:
    """Milliseconds for one PDF, warm: Typst end to end, Typst typesetting, kept LibreOffice."""
    files = generate(work / "warm", 60, start=50_000)
    contexts = []
    for path in files:
        result = check(path)
        assert result.narrative is not None
        context = word_context(result.facts, result.narrative)
        contexts.append((template_set_for(result.facts), context))
    sources, settings = itertools.cycle(files), itertools.cycle(contexts)
    found: dict[str, float | None] = {
        "typst_render": best_ms(
            lambda: render(next(sources), work / "t", to=["pdf"]), rounds, round_s
        ),
        "typst_typeset": best_ms(lambda: render_typst_pdf(*next(settings)), rounds, round_s),
        "typst_same": best_ms(lambda: render(EXAMPLE, work / "s", to=["pdf"]), rounds, round_s),
        "office_render": None,
    }
    if have_libreoffice() is not None and uno_python() is not None:

        def office() -> None:
            render(EXAMPLE, work / "l", to=["pdf"], pdf_engine="libreoffice")

        found["office_render"] = best_ms(office, max(2, rounds // 2), round_s)
    return found


def batch(work: Path, count: int, pairs_of: int) -> dict:
    """1,000 PDFs with -j 2; -j 1 vs -j 2 over ``pairs_of`` files."""
    facts = work / "facts"
    generate(facts, count)
    big = govreport_cli(
        ["render", str(facts), "--out", str(work / "out"), "--to", "pdf", "-j", "2"]
    )
    big["written"] = len(list((work / "out").glob("*.pdf")))
    few = work / "few"
    few.mkdir()
    for path in sorted(facts.glob("*.yaml"))[:pairs_of]:
        shutil.copy(path, few / path.name)
    runs = {
        j: ["render", str(few), "--out", str(work / f"j{j}"), "--to", "pdf", "-j", str(j)]
        for j in (1, 2)
    }
    return {
        "big": big,
        "count": count,
        "pairs_of": pairs_of,
        **paired_runs("pdf", runs[1], runs[2]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="小规模：200 份，轮数减少")
    args = parser.parse_args()
    count, pairs_of, rounds, round_s = (200, 100, 3, 0.5) if args.quick else (1000, 300, 5, 1.0)
    print(
        f"机器：{platform.node()}，{platform.processor() or platform.machine()}，Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="govreport-bench-typst-") as folder:
        work = Path(folder)
        one = one_pdf(work, rounds, round_s)
        runs = batch(work, count, pairs_of)
    missed = report(one, runs, checked=not args.quick)
    return 1 if missed else 0


def report(one: dict, runs: dict, *, checked: bool) -> list[str]:
    """Print the figures; the targets missed."""
    missed: list[str] = []
    typst_ms, office_ms = one["typst_render"], one["office_render"]
    print(
        f"一份 PDF（热，每次换一份报告）：Typst render {typst_ms:.1f} ms"
        f"（其中排版 {one['typst_typeset']:.1f} ms）；同一份再排一次 {one['typst_same']:.1f} ms"
    )
    if typst_ms > 50:
        missed.append("一份 PDF ≤ 50 ms")
    if office_ms is not None:
        ratio = office_ms / typst_ms
        print(
            f"一份 PDF（热）：常驻 LibreOffice render {office_ms:.1f} ms，Typst 快 {ratio:.1f} 倍"
        )
        if ratio < 10:
            missed.append("Typst ≥ 10× 常驻 LibreOffice")
    big = runs["big"]
    print(
        f"{runs['count']} 份 PDF -j 2：{big['s']:.1f} s（写出 {big['written']} 份），"
        f"每个工作进程内存峰值 {big['worker_mb']:.0f} MB，主进程 {big['main_mb']:.0f} MB"
    )
    j1, j2 = runs["pdf-j1"], runs["pdf-j2"]
    ratios = "、".join(f"{r:.2f}" for r in runs["pdf-ratios"])
    print(
        f"{runs['pairs_of']} 份 PDF：-j 1 {j1['s']:.1f} s，-j 2 {j2['s']:.1f} s，"
        f"-j 2 快 {j1['s'] / j2['s']:.2f} 倍（三组：{ratios}）"
    )
    if checked:
        if big["s"] >= 60 or big["written"] != runs["count"]:
            missed.append(f"{runs['count']} 份 PDF -j 2 < 60 s")
        if j1["s"] / j2["s"] < 1.8:
            missed.append("-j 2 ≥ 1.8× -j 1")
    for target in missed:
        print(f"未达到：{target}", file=sys.stderr)
    return missed


if __name__ == "__main__":
    sys.exit(main())
