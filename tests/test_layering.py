"""The server's layers, checked on the source (``ast``; nothing is imported).

* ``server/core`` is the base every domain builds on, so it imports no domain package: what
  it needs of them (the principal loader, the auditor) the app factory passes in
  (``server.core.ports``). Only ``server.settings``, the configuration every layer reads,
  is allowed besides ``server.core`` itself.
* Appointments and operations do not import each other: what they share lives in
  ``server/bookings``, which imports neither of them.

Every import counts, also inside functions and under ``if TYPE_CHECKING:``: a deferred import
hides a dependency, it does not remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "server"

# Not a domain: the settings object that the app factory hands to every layer.
CORE_MAY_IMPORT = frozenset({"server.core", "server.settings"})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, module: str | None = None) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every import statement in the file, wherever it stands.

    ``module`` is the file's dotted name (default: from its place under the repository),
    against which relative imports are resolved."""
    current = (module or _module_name(path)).split(".")
    package = current if path.name == "__init__.py" else current[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, target
            for alias in node.names:  # ``from server import appointments`` names a package
                yield node.lineno, f"{target}.{alias.name}"


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offending_imports(package: str, forbidden: tuple[str, ...]) -> list[str]:
    folder = ROOT.joinpath(*package.split("."))
    found = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in imported_modules(path):
            if any(_within(module, target) for target in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return sorted(set(found))


def test_core_imports_no_domain_package() -> None:
    found = []
    for path in sorted((SERVER / "core").rglob("*.py")):
        for line, module in imported_modules(path):
            if not _within(module, "server") or module == "server":
                continue
            if not any(_within(module, allowed) for allowed in CORE_MAY_IMPORT):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("server.appointments", ("server.operations",)),
        ("server.operations", ("server.appointments",)),
        ("server.bookings", ("server.appointments", "server.operations")),
    ],
)
def test_booking_domains_meet_only_in_bookings(package: str, forbidden: tuple[str, ...]) -> None:
    assert offending_imports(package, forbidden) == []


def test_the_walker_sees_deferred_and_relative_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import server.users.models\n"
        "def f() -> None:\n    from server.auth import tokens\n"
        "from ..operations import read\n",
        encoding="utf-8",
    )
    found = {module for _, module in imported_modules(sample, "server.appointments.sample")}
    assert {"server.users.models", "server.auth.tokens", "server.operations.read"} <= found
