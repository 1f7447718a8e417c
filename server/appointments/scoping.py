"""Who may see and edit which appointments (rbac §3, 03 §3, §6, §9.1).

A doctor sees, books and edits only their own appointments (``doctor_id``); every other
role with access to the path sees all. Foreign rows answer 403 (not 404): the contract
says so for appointments. The list is raw SQL over the alias ``a`` (``appointments``), so
the read rule is a condition plus its parameters.
"""

from __future__ import annotations

from typing import Any

from server.appointments.models import Appointment
from server.core.access import Principal
from server.core.errors import permission_denied
from server.core.fields import parse_int
from server.users.scoping import own_rows_of

_PARAM = "own"


def visible_condition(principal: Principal) -> tuple[str | None, dict[str, Any]]:
    """The SQL condition (over ``a``) and its parameters for what the caller may list."""
    own = own_rows_of(principal)
    if own is None:
        return None, {}
    return f"a.doctor_id = :{_PARAM}", {_PARAM: own}


def ensure_readable(principal: Principal, row: Appointment) -> None:
    own = own_rows_of(principal)
    if own is not None and row.doctor_id != own:
        raise permission_denied()


def ensure_writable(principal: Principal, row: Appointment) -> None:
    ensure_readable(principal, row)


def may_book_for(principal: Principal, doctor_id: int) -> bool:
    """Check 2d: a doctor books (and moves appointments) only for themself."""
    own = own_rows_of(principal)
    return own is None or doctor_id == own


def ensure_may_suggest(principal: Principal, *, any_doctor: bool, doctor_id: str | None) -> None:
    """A doctor asks only for themself: a missing, non-integer or foreign ``doctor_id``,
    or ``any_doctor=true``, is 403 before any validation (03 §9.1)."""
    own = own_rows_of(principal)
    if own is None:
        return
    if any_doctor:
        raise permission_denied()
    try:
        requested = parse_int(doctor_id)
    except ValueError as exc:
        raise permission_denied() from exc
    if requested != own:
        raise permission_denied()
