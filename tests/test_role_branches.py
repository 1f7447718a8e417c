"""No "a doctor sees only their own" branch outside the scoping modules (issue 21).

Each domain decides who may see and edit what in its ``scoping.py``; a role comparison
anywhere else is a hand-written scoping rule that the route-table test
(``tests/server/test_doctor_scoping.py``) would check only by luck. This test parses every
module of ``server/`` and fails on comparisons (``==``, ``!=``, ``in``, ``not in``, ``is``,
``is not``, ``match``) against the doctor role (``DOCTOR``, ``"doctor"``) or against a
``role_name``, outside files named ``scoping.py``. The few comparisons that are not about
scoping are listed in ``ALLOWED`` with their reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"
_COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)

# (path below server/, the comparison as ``ast.unparse`` writes it) → why it is no scoping.
ALLOWED: dict[tuple[str, str], str] = {
    ("core/access.py", "role_name is None"): "the access policy: a user without a role",
    ("core/access.py", "role_name in role_set"): "the access policy: may this role use the path",
    ("users/service.py", "'role' in data and data['role'] != user.role_name"): (
        "a user's role change (revokes the sessions), not visibility"
    ),
    ("audit/router.py", "AuditLog.role_name == text"): (
        "the audit log's filter by the role recorded in an entry"
    ),
}


def _is_role_operand(node: ast.expr) -> bool:
    """``DOCTOR`` (also ``access.DOCTOR``) or a ``role_name``."""
    if isinstance(node, ast.Name):
        return node.id in ("DOCTOR", "role_name")
    return isinstance(node, ast.Attribute) and node.attr in ("DOCTOR", "role_name")


def _is_doctor_literal(node: ast.expr, other: ast.expr) -> bool:
    """``"doctor"`` against a role's name (``Role.name``, ``user.role.name``); the same word
    is also an API field and a dictionary key, which are no role test."""
    return (
        isinstance(node, ast.Constant)
        and node.value == "doctor"
        and isinstance(other, ast.Attribute)
        and other.attr in ("name", "role")
    )


def _compares_role(left: ast.expr, right: ast.expr) -> bool:
    return (
        _is_role_operand(left)
        or _is_role_operand(right)
        or _is_doctor_literal(left, right)
        or _is_doctor_literal(right, left)
    )


def _role_comparisons(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                if isinstance(op, _COMPARISONS) and _compares_role(left, right):
                    yield node
                    break
        elif isinstance(node, ast.Match) and _is_role_operand(node.subject):
            yield node


def _enclosing_statement(tree: ast.AST, target: ast.AST) -> ast.AST:
    """The boolean expression around a comparison (``a and b != c``), for a stable key."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp) and target in node.values:
            return node
    return target


def role_branches() -> list[tuple[str, int, str]]:
    """``(path below server/, line, source)`` of every role comparison outside scoping.py."""
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        if path.name == "scoping.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _role_comparisons(tree):
            key = node if isinstance(node, ast.Match) else _enclosing_statement(tree, node)
            source = ast.unparse(key.subject if isinstance(key, ast.Match) else key)
            found.append((path.relative_to(SERVER).as_posix(), node.lineno, source))  # type: ignore[attr-defined]
    return found


def test_no_role_branch_outside_the_scoping_modules() -> None:
    unexpected = [
        f"server/{path}:{line}: {source}"
        for path, line, source in role_branches()
        if (path, source) not in ALLOWED
    ]
    assert not unexpected, (
        "role comparisons outside a scoping.py (move them into the domain's scoping module, "
        "or use server.users.scoping.is_doctor / doctor_role for 'is this user a doctor'):\n"
        + "\n".join(unexpected)
    )


def test_every_allowed_comparison_still_exists() -> None:
    """A stale entry would silently allow the next comparison of the same text."""
    present = {(path, source) for path, _, source in role_branches()}
    assert not ALLOWED.keys() - present, sorted(ALLOWED.keys() - present)


def test_the_scan_finds_a_hand_written_doctor_branch() -> None:
    """The detector itself: the usual spellings are found, unrelated comparisons are not."""
    flagged = [
        "principal.role_name == DOCTOR",
        "user.role_name != access.DOCTOR",
        "p.role_name in {'doctor', 'admin'}",
        "Role.name == DOCTOR",
        "user.role.name == 'doctor'",
        "match principal.role_name:\n    case 'doctor':\n        pass",
    ]
    ignored = [
        "row.doctor_id == principal.id",
        "Role.name == name",
        "roles(ADMIN, DOCTOR)",
        "'doctor' in cleaned",
        "key[0] != 'doctor'",
    ]
    for source in flagged:
        assert list(_role_comparisons(ast.parse(source))), source
    for source in ignored:
        assert not list(_role_comparisons(ast.parse(source))), source
