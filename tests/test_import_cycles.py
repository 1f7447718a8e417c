"""No import cycles between our own modules (server, shared, desktop, ci_agent).

Every ``.py`` file is parsed with ``ast`` (nothing is imported). An edge A → B means that
importing A executes an import of B at module level: top-level statements, class bodies and
``if``/``try``/``with`` blocks count; imports inside functions (run later, on call) and inside
``if TYPE_CHECKING:`` (never run) do not. ``from pkg import name`` points at ``pkg`` and, when
``pkg.name`` is a module of ours, at that module too. Parent packages that Python initialises
on the way to a submodule (``import a.b.c`` runs ``a/__init__`` and ``a/b/__init__``) are not
edges: a package ``__init__`` that imports its own submodules would otherwise form a cycle with
every submodule that imports a sibling.

The same check runs a second time with the imports inside functions counted as well: a deferred
import that closes a cycle hides the cycle instead of removing it (``desktop.app`` and
``desktop.selftest`` imported each other that way). Type-only imports stay exempt: a cycle that
exists only through ``if TYPE_CHECKING:`` never runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("server", "shared", "desktop", "ci_agent")

# Cycles that are known and accepted for now, as the exact set of modules in the cycle
# (a strongly connected component of the graph). Each entry needs a comment saying why it is
# still there; an entry whose cycle is gone fails the test so that the list only shrinks.
ALLOWED_CYCLES: list[frozenset[str]] = []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(
    tree: ast.Module, *, in_functions: bool = False
) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements executed when the module is imported (see the module docstring);
    with ``in_functions`` also those that run when one of its functions is called."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif not in_functions and isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def _resolve_from(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    package = current.split(".") if is_package else current.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(modules: dict[str, Path], *, in_functions: bool = False) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in module_level_imports(tree, in_functions=in_functions):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve_from(node, name, path.name == "__init__.py")
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; returns the components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A concrete cycle through the component's first module, e.g. ``a → b → a``."""
    members = set(component)
    start = component[0]
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a real component


def test_resolves_relative_imports() -> None:
    tree = ast.parse("from . import a\nfrom ..b import c\n")
    first, second = (n for n in tree.body if isinstance(n, ast.ImportFrom))
    assert _resolve_from(first, "pkg.sub.mod", is_package=False) == "pkg.sub"
    assert _resolve_from(second, "pkg.sub.mod", is_package=False) == "pkg.b"
    assert _resolve_from(first, "pkg.sub", is_package=True) == "pkg.sub"


def test_type_checking_and_function_imports_are_not_edges() -> None:
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import hidden_a\nelse:\n    import shown_b\n"
        "def f():\n    import hidden_c\n"
        "class C:\n    import shown_d\n"
        "try:\n    import shown_e\nexcept ImportError:\n    pass\n"
    )

    def names(in_functions: bool) -> set[str]:
        tree = ast.parse(source)
        return {
            alias.name
            for node in module_level_imports(tree, in_functions=in_functions)
            for alias in node.names
            if isinstance(node, ast.Import)
        }

    assert names(in_functions=False) == {"os", "shown_b", "shown_d", "shown_e"}
    assert names(in_functions=True) == {"os", "shown_b", "hidden_c", "shown_d", "shown_e"}


@pytest.mark.parametrize("in_functions", [False, True], ids=["module-level", "with-deferred"])
def test_no_import_cycles_between_our_modules(in_functions: bool) -> None:
    modules = our_modules()
    assert len(modules) > 100, "the packages were not found"
    graph = import_graph(modules, in_functions=in_functions)
    cycles = strongly_connected(graph)
    found = {frozenset(component) for component in cycles}
    unexpected = [c for c in cycles if frozenset(c) not in ALLOWED_CYCLES]
    report = "\n".join(" → ".join(one_cycle(graph, c)) for c in unexpected)
    assert not unexpected, f"import cycles between our modules:\n{report}"
    stale = [sorted(c) for c in ALLOWED_CYCLES if c not in found]
    assert not stale, f"allow-listed cycles that no longer exist (remove them): {stale}"
