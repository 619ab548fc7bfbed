"""Load on ``govreport serve``: many 填报员 filling in at once, a few 审核员 watching.

Run from the source folder::

    python benchmarks/load_service.py                        # SQLite, then PostgreSQL
    python benchmarks/load_service.py --db sqlite --fillers 200 --minutes 2

The benchmark makes a region (one government, N departments, an account each, five
审核员), starts ``govreport serve`` on 127.0.0.1 in a process of its own, and drives it
with httpx's async client: each 填报员 signs in and opens its report, then again and
again changes a cell, waits for the check (as the page does while typing) and saves,
with a pause before each step; it reopens the page after a conflict and after every
fifth save. One report in ten also has a second 填报员 saving into it, so conflicts
(refused with 409, by design) happen. The 审核员 reload the dashboard.

It prints the throughput, the p50/p95/p99 latency of each kind of request, the errors
(every answer other than 2xx/303 and the expected 409s) and the lost updates: a save
answered 200 whose value is not in the report's history, or two saves answered 200
with the same version. Both must be 0. Target: p95 of save-and-check under 300 ms with
SQLite. Exits 1 when a target is missed. PostgreSQL is started in a temporary folder
with Debian's initdb/pg_ctl (as the ``postgres`` user when run as root).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "负载测试的密码2025"
YEAR = 2025
CELLS = ("requests.received.business", "requests.results.disclosed.business")
META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
VERSION = re.compile(r'data-version="(\d+)"')
TARGET_P95 = 0.300
#: a 填报员 reopens the page after this many saves (and after every conflict)
REOPEN = 5


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    #: report id -> [(version answered, value saved)]
    saved: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))


def make_region(url: str | None, folder: Path, fillers: int, reviewers: int) -> dict[str, int]:
    """The region in the database; user name -> the report it fills in (0 for 审核员)."""
    from sqlalchemy import select

    from govreport.facts.skeleton import skeleton
    from govreport.service.accounts import hash_password
    from govreport.service.database import open_database
    from govreport.service.models import FILLER, REVIEWER, Agency, Report, User, Version
    from govreport.service.organisation import open_round

    database = open_database(None if url else folder, url)
    digest = hash_password(PASSWORD)  # one hash for all: hashing 200 times proves nothing
    users: dict[str, int] = {}
    with database.session() as session:
        top = Agency(name="负载市人民政府", short_name="负载市", level="government")
        session.add(top)
        session.flush()
        for number in range(fillers):
            session.add(Agency(name=f"负载市第{number:03d}局", short_name=f"第{number:03d}局",
                               level="department", parent_id=top.id))  # fmt: skip
        session.flush()
        open_round(session, YEAR)
        session.flush()
        reports = {r.agency_id: r for r in session.scalars(select(Report))}
        for agency in session.scalars(select(Agency).where(Agency.parent_id == top.id)):
            name = f"f{agency.short_name[1:4]}"
            user = User(username=name, display_name=name, role=FILLER, agency_id=agency.id,
                        password_hash=digest, active=True)  # fmt: skip
            session.add(user)
            session.flush()
            report = reports[agency.id]
            text = skeleton(agency.name, YEAR, "department")
            session.add(Version(report_id=report.id, number=1, text=text, author_id=user.id))
            report.version, report.status = 1, "填报中"
            users[name] = report.id
        for number in range(reviewers):
            session.add(User(username=f"r{number}", display_name=f"r{number}", role=REVIEWER,
                             agency_id=top.id, password_hash=digest, active=True))  # fmt: skip
            users[f"r{number}"] = 0
    database.engine.dispose()
    return users


@contextmanager
def server(url: str | None, folder: Path, workers: int) -> Iterator[tuple[str, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "govreport", "serve", "--port", str(port)]
    command += ["--db", url] if url else ["--data", str(folder)]
    command += ["--workers", str(workers)] if workers > 1 else []
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(address + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield address, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def timed(stats: Stats, kind: str, call) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as exc:
        stats.errors.append(f"{kind}: {type(exc).__name__}")
        return None
    stats.latencies[kind].append(time.perf_counter() - start)
    if response.status_code >= 400 and response.status_code != 409:
        stats.errors.append(f"{kind}: HTTP {response.status_code} {response.text[:120]}")
    return response


async def sign_in(client: httpx.AsyncClient, name: str, stats: Stats) -> str:
    page = await client.get("/login")
    token = META.search(page.text).group(1)  # type: ignore[union-attr]
    response = await timed(stats, "登录", client.post(
        f"/login?csrf={token}", data={"username": name, "password": PASSWORD}))  # fmt: skip
    if response is None or response.status_code != 303:
        raise SystemExit(f"{name} 登录失败：{response.status_code if response else '无响应'}")
    return META.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]


#: users arrive over time: at most this many sign in at once (argon2 is slow on purpose)
SIGNING_IN = 4


async def signed_in(
    address: str, name: str, stats: Stats, gate: asyncio.Semaphore
) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(base_url=address, timeout=60)
    async with gate:
        return client, await sign_in(client, name, stats)


async def filler(client: httpx.AsyncClient, token: str, report: int, until: float, think: float,
                 stats: Stats) -> None:  # fmt: skip
    """Open the report, then edit, check and save with pauses, as the page does; open it
    again after a conflict (the page's 重新载入) and after every ``REOPEN`` saves."""
    headers = {"X-CSRF-Token": token}
    version: int | None = None
    try:
        await asyncio.sleep(random.uniform(0, think))  # users do not all start at one moment
        for cycle in itertools.count(1):
            if time.monotonic() >= until:
                break
            if version is None:
                version = await _open(client, report, stats)
                if version is None:
                    await asyncio.sleep(think)
                    continue
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)
            value = random.randint(1, 10_000)
            body = {"file": str(report), "values": {cell: str(value) for cell in CELLS}}
            await timed(stats, "检查", client.post("/api/check", json=body, headers=headers))
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)
            saved = await timed(stats, "保存并检查", client.post(
                "/api/save", json={**body, "version": str(version)}, headers=headers))  # fmt: skip
            version = None
            if saved is not None and saved.status_code == 200:
                version = int(saved.json()["version"])
                stats.saved[report].append((version, value))
            elif saved is not None and saved.status_code == 409:
                stats.conflicts += 1
            if cycle % REOPEN == 0:
                version = None
    finally:
        await client.aclose()


async def _open(client: httpx.AsyncClient, report: int, stats: Stats) -> int | None:
    opened = await timed(stats, "打开报告", client.get(f"/reports/{report}"))
    if opened is None or opened.status_code != 200:
        return None
    found = VERSION.search(opened.text)
    return int(found.group(1)) if found else None


async def reviewer(client: httpx.AsyncClient, until: float, stats: Stats) -> None:
    try:
        while time.monotonic() < until:
            await timed(stats, "审核看板", client.get("/dashboard"))
            await asyncio.sleep(random.uniform(1, 3))
    finally:
        await client.aclose()


async def drive(
    address: str, users: dict[str, int], seconds: float, think: float, cpu: Callable[[], float]
) -> tuple[Stats, float, float]:
    stats = Stats()
    fillers = [(n, r) for n, r in users.items() if r]
    # one report in ten has a second 填报员 (the same account in another browser)
    fillers += fillers[::10]
    reviewers = [n for n, r in users.items() if not r]
    gate = asyncio.Semaphore(SIGNING_IN)
    sessions = await asyncio.gather(*(signed_in(address, n, stats, gate) for n, _ in fillers))
    watching = await asyncio.gather(*(signed_in(address, n, stats, gate) for n in reviewers))
    signing = stats.latencies.pop("登录")
    print(
        f"登录 {len(signing)} 次（argon2 校验密码），p50 {percentile(signing, 0.5) * 1000:.0f} ms"
    )
    until = time.monotonic() + seconds
    tasks = [
        filler(c, t, r, until, think, stats)
        for (c, t), (_, r) in zip(sessions, fillers, strict=True)
    ]
    tasks += [reviewer(client, until, stats) for client, _ in watching]
    start, used = time.monotonic(), cpu()
    await asyncio.gather(*tasks)
    return stats, time.monotonic() - start, cpu() - used


def lost_updates(url: str | None, folder: Path, stats: Stats) -> int:
    """Saves answered 200 whose version was answered twice or whose value is not kept."""
    from sqlalchemy import select

    from govreport.service.database import open_database
    from govreport.service.models import Version
    from govreport.service.texts import check_text

    database = open_database(None if url else folder, url)
    lost = 0
    path = tuple(CELLS[0].split("."))
    with database.session() as session:
        for report, saves in stats.saved.items():
            versions = [v for v, _ in saves]
            lost += len(versions) - len(set(versions))
            for version, value in saves:
                text = session.scalar(select(Version.text).where(
                    Version.report_id == report, Version.number == version))  # fmt: skip
                facts = check_text(text or "", "x.yaml").facts
                lost += facts is None or facts.value(path) != value
    database.engine.dispose()
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(label: str, stats: Stats, wall: float, lost: int) -> bool:
    total = sum(len(v) for v in stats.latencies.values())
    print(f"\n== {label}: {total} 个请求，{wall:.0f} 秒，{total / wall:.1f} 请求/秒")
    print(f"{'请求':<10}{'次数':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in stats.latencies.items():
        p50, p95, p99 = (percentile(values, s) * 1000 for s in (0.5, 0.95, 0.99))
        print(f"{kind:<10}{len(values):>8}{p50:>10.0f}{p95:>10.0f}{p99:>10.0f}")
    saves = stats.latencies.get("保存并检查", [0.0])
    print(
        f"保存冲突（409，按设计拒绝）：{stats.conflicts}；错误：{len(stats.errors)}；丢失的修改：{lost}"
    )
    for line in stats.errors[:10]:
        print("  ", line)
    return (
        not stats.errors
        and lost == 0
        and (label != "SQLite" or percentile(saves, 0.95) < TARGET_P95)
    )


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (Debian's initdb and pg_ctl) in a temporary folder."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("未安装 PostgreSQL（Debian 软件包 postgresql）")
    folder = Path(tempfile.mkdtemp(prefix="govreport-pg-"))
    root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if root else []
    if root:
        shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pg_ctl, data = str(found[-1].with_name("pg_ctl")), folder / "data"
    try:
        subprocess.run([*prefix, str(found[-1]), "-D", str(data), "-A", "trust", "-U", "govreport",
                        "-E", "UTF8", "--no-locale"], check=True, capture_output=True)  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"),
                        "-w", "start"], check=True, capture_output=True)  # fmt: skip
        yield f"postgresql://govreport@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def run(label: str, url: str | None, args: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory(prefix="govreport-load-") as work:
        folder = Path(work) / "年报数据"
        users = make_region(url, folder, args.fillers, args.reviewers)
        with server(url, folder, args.workers) as (address, pid):
            stats, wall, cpu = asyncio.run(
                drive(address, users, args.minutes * 60, args.think, lambda: server_cpu(pid))
            )
        total = sum(len(v) for v in stats.latencies.values())
        print(
            f"\n服务进程在负载期间用 CPU {cpu:.0f} 秒，平均每个请求 {cpu / max(total, 1) * 1000:.0f} ms"
        )
        return report(label, stats, wall, lost_updates(url, folder, stats))


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its descendants (the worker processes)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    family, grew = {pid}, True
    while grew:
        more = {c for c, p in parents.items() if p in family} - family
        family |= more
        grew = bool(more)
    return sum(times.get(p, 0.0) for p in family)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--fillers", type=int, default=200)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--think", type=float, default=10.0, help="平均停顿（秒）")
    parser.add_argument("--workers", type=int, default=1, help="服务进程数")
    args = parser.parse_args()
    print(
        f"机器：{platform.node()}，{os.cpu_count()} 核，{platform.platform()}，Python {platform.python_version()}"
    )
    print(f"{args.fillers} 个填报员（其中每 10 个有一人在两处同时保存），{args.reviewers} 个审核员，"
          f"{args.minutes} 分钟，平均停顿 {args.think} 秒，{args.workers} 个服务进程")  # fmt: skip
    ok = True
    if args.db in ("sqlite", "both"):
        ok &= run("SQLite", None, args)
    if args.db in ("postgresql", "both"):
        with postgres() as url:
            ok &= run("PostgreSQL", url, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
