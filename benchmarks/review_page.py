"""How long a 审核员's review page takes in ``govreport serve``, with the audit's findings.

Run from the source folder (it uses the service tests' set-up, ``tests/service_support``)::

    python benchmarks/review_page.py            # a round of 200 reports
    python benchmarks/review_page.py -n 500

It makes a round of N department reports under one city (each with its own narrative),
signs in as the city's 审核员 and opens reports as the page does: the page, then its
first check (``/api/check``), which now carries the audit's findings on the report
(``service.report_audit``). It prints the time of a page without the findings, the
first page after the service starts (every version read once, the round's similarity
index built), the next pages (warm) and the first page after a save elsewhere in the
round (the index rebuilt). Wall time in one process, no network between client and app.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import service_support as support  # noqa: E402
import tests_support  # noqa: E402
from sqlalchemy import select  # noqa: E402

import govreport.service.editor_api as api  # noqa: E402
from govreport.service.models import Agency, Report  # noqa: E402
from govreport.service.organisation import import_agencies, open_round  # noqa: E402

WORDS = "政府信息公开工作围绕中心服务大局持续推进主动公开依申请公开平台建设监督保障培训考核网站专栏政策解读回应关切"
SAMPLED = 20  # reports opened per measurement


def _sentence(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(length)) + "。"


def _department(n: int) -> str:
    return f"某市第{n}局"


def make_round(folder: Path, count: int) -> support.Region:
    """The service tests' region, with ``count`` more departments of the city, each with
    a report whose narrative is its own."""
    region = support.make_region(folder)
    with region.database.session() as session:
        rows = [
            {"name": _department(n), "short_name": "", "level": "department",
             "parent": "某市人民政府", "line": str(n)}
            for n in range(count)
        ]  # fmt: skip
        import_agencies(session, rows)
        open_round(session, support.YEAR)
        ids = {a.name: a.id for a in session.scalars(select(Agency))}
        for name, agency_id in ids.items():
            region.reports[name] = session.scalar(
                select(Report.id).where(
                    Report.agency_id == agency_id, Report.round_id == region.round_id
                )
            )
    rng = random.Random(1)
    for n in range(count):
        facts = tests_support.clean_facts_dict(support.YEAR)
        facts["agency"]["name"] = _department(n)
        for key in facts["overview"]:
            facts["overview"][key] = _sentence(rng, 200)
        support.put_text(region, _department(n), "admin", tests_support.dump_yaml(facts))
    return region


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="轮次中的报告数")
    count = parser.parse_args().n
    print(f"机器：{platform.node()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
          f"负载 {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        region = make_round(Path(tmp) / "data", count)
        browser = support.Browser(support.app_for(region), "city")
        reports = [
            region.reports[_department(n)] for n in range(0, count, max(1, count // SAMPLED))
        ]

        def opened(report: int) -> float:
            start = time.perf_counter()
            assert browser.get(f"/reports/{report}").status_code == 200
            answer = browser.post("/api/check", json={"file": str(report), "values": {}})
            assert answer.status_code == 200
            return (time.perf_counter() - start) * 1000

        findings: Callable[..., list] = api._findings
        api._findings = lambda *args, **kwargs: []  # the page as it was, without findings
        before = [opened(r) for r in reports]
        api._findings = findings
        first = opened(reports[0])
        warm = [opened(r) for r in reports[1:]]
        facts = tests_support.clean_facts_dict(support.YEAR)
        facts["agency"]["name"] = _department(1)
        support.put_text(region, _department(1), "admin", tests_support.dump_yaml(facts))
        rebuilt = opened(reports[2])
        browser.close()
        region.database.engine.dispose()
    print(f"轮次中 {count} 份报告（市审核员的范围），每项打开 {len(reports)} 份：")
    print(f"  不含审核发现：中位数 {statistics.median(before):.0f} ms，最长 {max(before):.0f} ms")
    print(f"  服务启动后第一次（读入全部版本、建相似度索引）：{first:.0f} ms")
    print(f"  之后（已缓存）：中位数 {statistics.median(warm):.0f} ms，最长 {max(warm):.0f} ms")
    print(f"  轮次中有人保存后第一次（重建索引）：{rebuilt:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
