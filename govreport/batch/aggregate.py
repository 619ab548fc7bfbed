"""汇总: a government's totals from its departments' facts, and the check that they add up.

A county 政务公开办 sums its departments' tables into the government-level
report, and reviewers check that a parent report equals the sum of its
children. Both walk the same list of cells (``official.table_cells``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard

from .. import official as fmt
from ..checks import check
from ..diagnostics import WARNING, Problem, problem
from ..errors import GovReportError, InputError
from ..facts.loading import FactsInput, load
from ..facts.model import Facts
from .discovery import find_facts

CODE_CHILDREN = "C1"


class AggregateError(GovReportError):
    """The inputs cannot be summed (errors in them, duplicates, mixed years)."""

    exit_code = 1


def load_children(
    paths: Iterable[str | Path],
    *,
    exclude: Iterable[Path] = (),
    parent_name: str | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> list[Facts]:
    """Load and check every input; any with errors stops the sum, all listed at once.

    The parent's own file is kept out of its children when it sits among them,
    which would double every cell: a file at one of the ``exclude`` paths (the
    sum being rewritten), or one whose agency is ``parent_name``. Each file left
    out is said through ``on_skip``.
    """
    roots = [Path(p) for p in paths]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise InputError("找不到：" + "、".join(missing))
    skip = {Path(p).resolve() for p in exclude}
    files = []
    for found in find_facts(roots):
        if found.resolve() in skip:
            _say(on_skip, f"{found} 是汇总结果本身，不计入下级单位")
        else:
            files.append(found)
    if not files:
        raise AggregateError("没有找到要汇总的事实文件（.yaml）")
    loaded: list[Facts] = []
    failures: list[str] = []
    for path in files:
        try:
            result = check(path)
        except GovReportError as exc:
            failures.append(f"{path}：{exc.format_message()}")
            continue
        if result.errors:
            failures.append(f"{path}：{len(result.errors)} 处错误（先运行 govreport check {path}）")
            continue
        child = result.facts
        assert child is not None  # a file that loads has facts; one that does not has errors
        if parent_name and child.agency.name == parent_name:
            _say(on_skip, f"{path} 是“{parent_name}”本身的事实文件，不计入下级单位")
        else:
            loaded.append(child)
    if failures:
        raise AggregateError("以下事实文件未通过校验，无法汇总：\n  " + "\n  ".join(failures))
    if not loaded:
        raise AggregateError("没有找到要汇总的下级单位事实文件（.yaml）")
    _refuse_duplicates_and_mixed_years(loaded)
    return loaded


def _say(on_skip: Callable[[str], None] | None, message: str) -> None:
    if on_skip is not None:
        on_skip(message)


def _refuse_duplicates_and_mixed_years(children: list[Facts]) -> None:
    seen: dict[tuple[str, int], str] = {}
    for facts in children:
        key = (facts.agency.name, facts.year)
        where = _file(facts)
        if key in seen:
            raise AggregateError(
                f"{facts.agency.name}{facts.year}年度的事实出现了两次：{seen[key]} 和 {where}"
            )
        seen[key] = where
    years = sorted({facts.year for facts in children})
    if len(years) > 1:
        raise AggregateError(
            "汇总的事实文件年度不一致：" + "、".join(f"{y}年" for y in years),
            hint="一次只汇总同一年度的报告",
        )


def _is_path(source: FactsInput) -> TypeGuard[str | Path]:
    return isinstance(source, (str, Path))


def _file(facts: Facts) -> str:
    return (facts.source.file if facts.source is not None else None) or facts.agency.name


def sum_cells(children: list[Facts]) -> dict[tuple[str, ...], Any]:
    """Each table cell summed over ``children`` (fees as exact decimals)."""
    totals: dict[tuple[str, ...], Any] = {}
    for cell in fmt.table_cells():
        zero: Any = Decimal(0) if cell.decimal else 0
        totals[cell.path] = sum((facts.value(cell.path) for facts in children), zero)
    return totals


def aggregate(
    children: list[Facts], *, name: str, level: str = "government", year: int | None = None
) -> dict[str, Any]:
    """A facts dict for the parent: summed tables, the agency, and no narrative."""
    data: dict[str, Any] = {
        "agency": {"name": name, "level": level},
        "year": year or children[0].year,
    }
    provinces = {c.agency.province for c in children if c.agency.province}
    if len(provinces) == 1:
        data["agency"]["province"] = provinces.pop()
    for path, value in sum_cells(children).items():
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return data


def compare_children(
    parent: FactsInput, children_dir: str | Path, *, on_skip: Callable[[str], None] | None = None
) -> list[Problem]:
    """C1 warnings: each cell where the parent differs from the sum of its children
    (the parent's own file, if it sits among them, left out)."""
    facts = load(parent)
    children = load_children(
        [children_dir],
        exclude=[Path(parent)] if _is_path(parent) else [],
        parent_name=facts.agency.name,
        on_skip=on_skip,
    )
    return compare_to_children(facts, children)


def compare_to_children(facts: Facts, children: list[Facts]) -> list[Problem]:
    """C1 warnings for ``facts`` against children already loaded (the audit reads them
    from published reports, not facts files)."""
    totals = sum_cells(children)
    found = []
    for cell in fmt.table_cells():
        mine, theirs = facts.value(cell.path), totals[cell.path]
        if mine != theirs:
            contributors = [
                f"{c.agency.short_name} {c.value(cell.path)}"
                for c in children
                if c.value(cell.path)
            ]
            who = "、".join(contributors) if contributors else "各下级均为 0"
            found.append(
                problem(
                    facts,
                    CODE_CHILDREN,
                    WARNING,
                    f"本报告填 {mine}，下级单位合计 {theirs}（{who}）",
                    cell.path,
                    label=cell.label,
                )
            )
    return found
