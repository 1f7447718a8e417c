"""Who may see and edit which operations (04 §6, rbac-operations-flow §2.2, §5).

A doctor sees only the operations where they hold a team role (primary surgeon, assistant
or anesthesist) and asks for suggestions only as the primary surgeon; foreign rows answer
403. The other roles see every operation. Writes are refused to doctors by the path policy
(``WRITE_ROLES``), so whoever reaches a write may edit every operation. The list is raw SQL
over the alias ``o`` (``operations``), so the read rule is a condition plus its parameters.
"""

from __future__ import annotations

from typing import Any

from server.core.access import Principal
from server.core.errors import permission_denied
from server.core.fields import parse_int
from server.operations import read
from server.operations.models import Operation
from server.users.scoping import own_rows_of

_PARAM = "own"


def visible_condition(principal: Principal) -> tuple[str | None, dict[str, Any]]:
    """The SQL condition (over ``o``) and its parameters for what the caller may list."""
    own = own_rows_of(principal)
    if own is None:
        return None, {}
    return read.team_member_sql(_PARAM), {_PARAM: own}


def ensure_readable(principal: Principal, row: Operation) -> None:
    own = own_rows_of(principal)
    if own is not None and own not in row.team:
        raise permission_denied()


def ensure_writable(principal: Principal, row: Operation) -> None:
    """Nothing beyond the path policy: the write roles edit every operation."""


def ensure_may_suggest(principal: Principal, *, primary_surgeon_id: str | None) -> None:
    """A doctor may only ask for own slots (403 before any 400, rbac §3)."""
    own = own_rows_of(principal)
    if own is None:
        return
    try:
        surgeon = parse_int(primary_surgeon_id)
    except ValueError:
        surgeon = None
    if surgeon != own:
        raise permission_denied()
