"""Placeholders checked against the facts model: every name a template's syntax tree reads.

A placeholder that names nothing renders as an empty string, silently; walking the
tree with the model's shapes finds each such name, and the nearest real one, before
anyone renders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from jinja2 import nodes

from ..template_sets.environment import make_environment
from ..template_sets.set_files import guess
from .shapes import ANY, Shape

_GLOBALS = frozenset(make_environment().globals)
_INCLUDES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


class NameChecker:
    """Walks a template's syntax tree and reports every name the context cannot answer.

    Scopes follow Jinja: a ``for`` binds its target and ``loop`` inside the loop, a
    ``set`` binds from that point on, macros bind their arguments.
    """

    def __init__(self, context: Mapping[str, Shape], report: Callable[[int, str], None]) -> None:
        self.context = context
        self.report = report

    def template(self, tree: nodes.Template) -> None:
        """Check a whole template; it starts with nothing bound but the context."""
        self.body(tree.body, {})

    def body(self, statements: list[nodes.Node], scope: dict[str, Shape]) -> None:
        for statement in statements:
            self.stmt(statement, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        """A statement that binds names has its own handler; the rest are walked through."""
        handler = getattr(self, f"_{type(node).__name__}", None)
        if handler is not None:
            handler(node, scope)
        elif isinstance(node, _INCLUDES):
            self.report(node.lineno, "模板中不能引用其他模板（include、import、extends）")
        else:
            self.generic(node, scope)

    def generic(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        """Children in order, so a name is reported at the line it is used."""
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.stmt(child, scope)

    def _For(self, node: nodes.For, scope: dict[str, Shape]) -> None:
        iterated = self.expr(node.iter, scope)
        inner = {**scope, "loop": ANY}
        self.bind(node.target, iterated.item or ANY, inner)
        if node.test is not None:
            self.expr(node.test, inner)
        self.body(node.body, inner)
        self.body(node.else_, dict(scope))

    def _If(self, node: nodes.If, scope: dict[str, Shape]) -> None:
        self.expr(node.test, scope)
        self.body(node.body, scope)
        for branch in node.elif_:
            self._If(branch, scope)
        self.body(node.else_, scope)

    def _Assign(self, node: nodes.Assign, scope: dict[str, Shape]) -> None:
        self.bind(node.target, self.expr(node.node, scope), scope)

    def _AssignBlock(self, node: nodes.AssignBlock, scope: dict[str, Shape]) -> None:
        self.body(node.body, dict(scope))
        self.bind(node.target, ANY, scope)

    def _Macro(self, node: nodes.Macro, scope: dict[str, Shape]) -> None:
        scope[node.name] = ANY
        self._callable(node, scope)

    def _CallBlock(self, node: nodes.CallBlock, scope: dict[str, Shape]) -> None:
        self.expr(node.call, scope)
        self._callable(node, scope)

    def _callable(self, node: nodes.Macro | nodes.CallBlock, scope: dict[str, Shape]) -> None:
        for default in node.defaults:
            self.expr(default, scope)
        inner = {**scope, "caller": ANY, "varargs": ANY, "kwargs": ANY}
        for arg in node.args:
            self.bind(arg, ANY, inner)
        self.body(node.body, inner)

    def _With(self, node: nodes.With, scope: dict[str, Shape]) -> None:
        inner = dict(scope)
        for target, value in zip(node.targets, node.values, strict=True):
            self.bind(target, self.expr(value, scope), inner)
        self.body(node.body, inner)

    def bind(self, target: nodes.Node, shape: Shape, scope: dict[str, Shape]) -> None:
        """A name a template sets itself is known from then on, with the value's shape."""
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)
        elif isinstance(target, nodes.NSRef):
            self.expr(nodes.Name(target.name, "load", lineno=target.lineno), scope)

    def expr(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        """Check an expression; its shape, so a chain is checked link by link."""
        if isinstance(node, nodes.Name):
            return self._name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self._attribute(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
            if isinstance(key, str):
                return self._attribute(node, base, key)
            self.expr(node.arg, scope)
            return (base.item or ANY) if isinstance(key, int) else ANY
        if isinstance(node, nodes.Const):
            return ANY if node.value is None else Shape(pytype=type(node.value))
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            return ANY
        self.generic(node, scope)
        return ANY

    def _name(self, node: nodes.Name, scope: dict[str, Shape]) -> Shape:
        """A bare name: the template's own, the context's, or Jinja's globals."""
        if node.ctx != "load":
            return ANY
        if node.name in scope:
            return scope[node.name]
        if node.name in self.context:
            return self.context[node.name]
        if node.name not in _GLOBALS:
            known = [*scope, *self.context]
            self.report(node.lineno, f"占位符“{node.name}”无法识别" + guess(node.name, known))
        return ANY

    def _attribute(self, node: nodes.Getattr | nodes.Getitem, base: Shape, name: str) -> Shape:
        """One link of a chain; ``_`` names are refused as the sandbox would refuse them."""
        path = dotted(node)
        if name.startswith("_"):
            self.report(
                node.lineno,
                f"占位符“{path}”试图访问 Python 内部属性“{name}”：模板中不允许，渲染时会被拒绝",
            )
            return ANY
        found = base.lookup(name)
        if found is None:
            owner = dotted(node.node)
            self.report(
                node.lineno,
                f"占位符“{path}”无法识别：“{owner}”没有“{name}”" + guess(name, base.names()),
            )
            return ANY
        return found


def dotted(node: nodes.Node) -> str:
    """``requests.results.withheld`` for the chain of names a placeholder writes."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
        return (
            f"{dotted(node.node)}.{key}" if isinstance(key, str) else f"{dotted(node.node)}[{key}]"
        )
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"
