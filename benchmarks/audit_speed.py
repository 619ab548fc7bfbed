"""How long ``govreport audit`` takes: the real-report sample, then a region of hundreds.

Run from the source folder::

    python benchmarks/audit_speed.py                    # the sample, then 500 reports
    python benchmarks/audit_speed.py -n 200 --sample ../shared/real-reports

It prints the wall and CPU time (best of 3 rounds) of the command-line ``govreport
audit`` over the sample folder (process start included), then of ``audit()`` over N
reports: the sample's texts copied under N different agency names, so every copy shares
its text with the other copies of the same report — the worst case for the 内容雷同
comparison, which must stay bounded. Targets are judged on CPU seconds (the machine's
other load changes wall time, not the work done): the sample in at most 5 s, 500
reports in at most 30 s. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govreport import GovReportError, import_report
from govreport.auditing import audit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = (
    ROOT.parent / "shared" / "real-reports",  # beside /work/main
    ROOT.parent.parent / "shared" / "real-reports",  # beside a worktree in /work/wt
    ROOT / "tests" / "data" / "real",
)
DEFAULT_SAMPLE = next((p for p in SAMPLES if p.is_dir()), SAMPLES[-1])
ROUNDS = 3
SAMPLE_TARGET = 5.0  # CPU seconds
REGION_TARGET_PER_500 = 30.0  # CPU seconds
DISTRICTS = ("东城", "西城", "南湖", "北山", "清河", "云溪", "石桥", "松林", "金沙", "白塔")


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (workers, commands)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def best_of(rounds: int, run) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``rounds`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        best = min(best, (time.perf_counter() - wall, cpu_seconds() - cpu))
    return best


def region(sample: Path, count: int, folder: Path) -> int:
    """``count`` copies of the sample's reports, each under another agency name."""
    agencies = {}
    for path in sorted(sample.glob("*.txt")):
        try:
            agencies[path] = import_report(path).facts.agency.name
        except GovReportError:
            continue
    sources = list(agencies)
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        name = agencies[source]
        district = f"{DISTRICTS[n % len(DISTRICTS)]}{n // len(DISTRICTS)}区"
        text = text.replace(name, f"{district}{name}", 1)
        (folder / f"{n:04d}-{source.name}").write_text(text, encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=500, help="reports in the region")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE, help="real-reports folder")
    args = parser.parse_args()
    command = [sys.executable, "-m", "govreport", "audit", str(args.sample)]
    wall, cpu = best_of(ROUNDS, lambda: subprocess.run(command, capture_output=True, check=False))
    print(f"govreport audit {args.sample}: {wall:.2f} s wall, {cpu:.2f} s CPU (best of {ROUNDS})")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        region(args.sample, args.count, folder)
        holder: dict = {}
        region_wall, region_cpu = best_of(1, lambda: holder.update(run=audit([folder])))
        run = holder["run"]
        copied = sum(1 for r in run.reports for f in r.findings if f.code == "S2")
        print(
            f"audit() over {args.count} reports: {region_wall:.2f} s wall, {region_cpu:.2f} s CPU "
            f"({len(run.reports)} reports, {copied} S2 findings)"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    ok = cpu <= SAMPLE_TARGET
    ok &= region_cpu <= REGION_TARGET_PER_500 * args.count / 500
    print("targets met" if ok else "target missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
