"""Who may create, see and revoke which calendar feed (issue 19, docs/calendar-feeds.md).

A doctor's feed: admins, and the doctor themself. A room's feed: admins only. The path
policies already keep every other role out (403); these are the per-object checks behind
them. A doctor asking about another doctor's feed gets 403, as for appointments.
"""

from __future__ import annotations

from server.core.access import ADMIN, Principal
from server.core.errors import permission_denied
from server.users.scoping import own_rows_of


def is_admin(principal: Principal) -> bool:
    return principal.role_name == ADMIN


def ensure_may_manage_doctor(principal: Principal, doctor_id: int) -> None:
    if is_admin(principal):
        return
    if own_rows_of(principal) != doctor_id:
        raise permission_denied()


def ensure_may_manage_room(principal: Principal) -> None:
    if not is_admin(principal):
        raise permission_denied()


def ensure_may_manage(principal: Principal, *, doctor_id: int | None) -> None:
    """A stored feed: its doctor's rule, or the room rule when it has no doctor."""
    if doctor_id is None:
        ensure_may_manage_room(principal)
    else:
        ensure_may_manage_doctor(principal, doctor_id)
