"""The package's layout holds: stages import downwards only, no circles, small modules.

The imports are read from the source with ``ast`` (every ``import`` and ``from``
statement, at module level, inside functions and under ``TYPE_CHECKING``), so a
lazy import made for speed still counts as an arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "govreport"

#: The stages from the ground up (``docs/structure.md`` says what each holds). A module may
#: import from its own stage and from those below it, never from one above. ``""`` is the
#: package's ``__init__``: the public API, which names what the stages below it define.
STAGES = (
    "official",
    "diagnostics",
    "errors",
    "console",
    "files",
    "facts",
    "template_sets",
    "narrative",
    "checks",
    "pdf",
    "rendering",
    "set_check",
    "batch",
    "workbook",
    "importing",
    "auditing",
    "web",
    "service",
    "",
    "cli",
    "__main__",
)

#: Modules allowed past ``MAX_LINES``: none today. A pure data table would be named here.
LONG_DATA_MODULES: frozenset[str] = frozenset()
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (``govreport.facts.reading``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["govreport", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _target(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` statement reads from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if path.name != "__init__.py":
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str, path: Path) -> set[str]:
    """The package's own modules that ``module`` imports, wherever the statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            target = _target(module, path, node)
            for alias in node.names:
                named = f"{target}.{alias.name}"
                if named in MODULES:
                    found.add(named)
                elif target in MODULES:
                    found.add(target)
    found.discard(module)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_every_module_belongs_to_a_stage():
    strays = sorted(m for m in MODULES if _stage(m) not in STAGES)
    assert not strays, (
        f"modules outside the stages (add the stage to STAGES and the docs): {strays}"
    )


def test_no_import_circles():
    assert _circles(GRAPH) == []


def test_no_import_runs_against_the_order_of_the_stages():
    rank = {stage: number for number, stage in enumerate(STAGES)}
    upwards = sorted(
        f"{module} -> {imported}"
        for module, imported_modules in GRAPH.items()
        for imported in imported_modules
        if rank[_stage(imported)] > rank[_stage(module)]
    )
    assert upwards == []


def test_the_walk_sees_lazy_and_type_only_imports():
    """The checks above would pass vacuously if the walk missed imports inside functions."""
    assert "govreport.rendering.report" in GRAPH["govreport"]  # PEP 562 and TYPE_CHECKING
    assert "govreport.web.server" in GRAPH["govreport.cli.edit"]  # imported when run
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(circle) == [["a", "b", "c"]]


def test_modules_stay_small():
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    long = {m: n for m, n in sizes.items() if n > MAX_LINES and m not in LONG_DATA_MODULES}
    assert long == {}, "split these by concept"


def test_the_built_in_template_sets_live_in_the_package():
    builtin = PACKAGE / "template_sets" / "builtin"
    assert (builtin / "national" / "report.docx").is_file()
    assert (builtin / "shandong" / "set.yaml").is_file()
    pyproject = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert "force-include" not in pyproject


def test_the_package_is_typed():
    assert (PACKAGE / "py.typed").is_file()
