"""HTML and Markdown against the Word file: milliseconds per report, and the ratio.

    python benchmarks/html_vs_docx.py [--rounds 7] [--repeat 20]

Two measurements, both warm (templates compiled, files cached) and both the
median of ``--rounds`` rounds of ``--repeat`` reports:

* end to end: ``render(facts_file, out, to=fmt)`` for every example, i.e. load,
  check, narrative, the template and the atomic write of the file;
* the template step alone, from the same context: ``render_word`` (docxtpl)
  against ``render_markup`` (Jinja) — the part that differs between formats.

For comparison it also times the path HTML and Markdown took before, pandoc
converting the rendered Word file (one pandoc process per report), called here
through pypandoc directly; it is skipped when pypandoc is not installed
(``pip install "govreport[pandoc]"``).
Nothing is asserted here; the test suite checks that the outputs are right.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport import check, load, render  # noqa: E402
from govreport.rendering.markup import render_markup  # noqa: E402
from govreport.rendering.report import word_context  # noqa: E402
from govreport.rendering.word import render_word  # noqa: E402
from govreport.template_sets.sets import template_set_for  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"
    )


def per_report_ms(work: Callable[[], None], rounds: int, repeat: int) -> float:
    """Median over rounds of the mean time of one call, in ms (one warm-up call first)."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            work()
        times.append((time.perf_counter() - start) / repeat)
    return statistics.median(times) * 1000


def pandoc_from_docx(docx: Path, target: Path, to: str) -> None:
    """What govreport did before: one pandoc process converting the Word file."""
    import pypandoc

    args = ["--wrap=none"]
    if to == "html5":
        args += ["--standalone", "--embed-resources", "--metadata", "pagetitle=t"]
    pypandoc.convert_file(str(docx), to, format="docx", outputfile=str(target), extra_args=args)


def have_pypandoc() -> bool:
    try:
        import pypandoc  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"{len(EXAMPLES)} example reports, median of {args.rounds} rounds × {args.repeat}")

    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as tmp:
        out = Path(tmp)
        end_to_end: dict[str, float] = {}
        for fmt in ("docx", "html", "md"):

            def whole(fmt: str = fmt) -> None:
                for path in EXAMPLES:
                    render(path, out / path.stem, to=fmt)

            ms = per_report_ms(whole, args.rounds, max(1, args.repeat // len(EXAMPLES)))
            end_to_end[fmt] = ms / len(EXAMPLES)

        contexts = []
        for path in EXAMPLES:
            facts = load(path)
            tset = template_set_for(facts)
            narrative = check(facts, template=tset).narrative
            assert narrative is not None
            contexts.append((tset, word_context(facts, narrative)))

        def step(fmt: str) -> Callable[[], None]:
            def run() -> None:
                for tset, context in contexts:
                    if fmt == "docx":
                        render_word(tset.word_template(), context)
                    else:
                        render_markup(tset, fmt, context)

            return run

        template_step = {
            fmt: per_report_ms(step(fmt), args.rounds, args.repeat) / len(EXAMPLES)
            for fmt in ("docx", "html", "md")
        }

        docx = out / "one.docx"
        render(EXAMPLES[0], docx, to="docx")
        pandoc: dict[str, float] = {}
        if have_pypandoc():
            pandoc = {
                fmt: per_report_ms(partial(pandoc_from_docx, docx, out / f"p.{fmt}", to), 3, 2)
                for fmt, to in (("html", "html5"), ("md", "gfm"))
            }

    print()
    print(f"{'':34}{'docx':>10}{'html':>10}{'md':>10}")
    for name, row in (
        ("render() end to end, ms/report", end_to_end),
        ("template step only, ms/report", template_step),
    ):
        print(f"{name:34}" + "".join(f"{row[f]:>10.2f}" for f in ("docx", "html", "md")))
    for name, row in (("  ratio to docx", end_to_end), ("  ratio to docx (step)", template_step)):
        print(
            f"{name:34}" + "".join(f"{row[f] / row['docx']:>10.2f}" for f in ("docx", "html", "md"))
        )
    print()
    if not pandoc:
        print(
            'before (pandoc): skipped, pypandoc is not installed (pip install "govreport[pandoc]")'
        )
        return
    print("before (pandoc converting the .docx, one process per report), ms/report:")
    for fmt, ms in pandoc.items():
        print(f"  {fmt:5} {ms:8.1f}   ({ms / end_to_end['docx']:.0f}× docx end to end)")


if __name__ == "__main__":
    main()
