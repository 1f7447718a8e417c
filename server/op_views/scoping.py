"""Which operations the OP views show to whom (04 §6, rbac-operations-flow §2.3–§2.6).

A doctor sees only operations where they hold a team role — in ``op-stats/surgeons`` only
those where they are the primary surgeon — and in the resource calendar only their own
bookings, absences and breaks (``resource_calendar`` holds those SQL filters). The other
roles see every operation. The views are raw SQL over the alias ``o`` (``operations``), so
the rule is a condition plus its parameters.
"""

from __future__ import annotations

from typing import Any

from server.core.access import Principal
from server.operations import read
from server.users.scoping import own_rows_of

_PARAM = "me"


def visible_condition(principal: Principal) -> tuple[list[str], dict[str, Any]]:
    """The conditions (joined with AND) and parameters for the operations the caller sees."""
    own = own_rows_of(principal)
    if own is None:
        return [], {}
    return [read.team_member_sql(_PARAM)], {_PARAM: own}


def stats_condition(principal: Principal, scope: str) -> tuple[str | None, int | None]:
    """``stats.compute``'s ``member_sql`` and ``member_id`` (bound as ``:me``) for a panel."""
    own = own_rows_of(principal)
    if own is None:
        return None, None
    if scope == "surgeons":  # a doctor's surgeon ranking counts only the ops they led
        return f"o.primary_surgeon_id = :{_PARAM}", own
    return read.team_member_sql(_PARAM), own


def calendar_doctor(principal: Principal) -> int | None:
    """The doctor the resource calendar is restricted to, or None for the whole practice."""
    return own_rows_of(principal)
