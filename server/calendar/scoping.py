"""Whose rows the calendar views show (03 §10, rbac-appointments §4).

A doctor sees only their own appointments, absences, breaks (plus practice-wide ones) and
operations of their team, and only themself in ``available_doctors``; for a doctor the own
scope replaces ``doctor_id`` (which still narrows the appointments, 03 §6.1). The other
roles see the whole practice, narrowed by ``doctor_id`` if given. ``CalendarScope`` carries
the outcome to every part of the response (and to the operations loader).
"""

from __future__ import annotations

from server.core.access import Principal
from server.users.scoping import own_rows_of


def doctor_scope(principal: Principal, requested: int | None) -> tuple[int | None, int | None]:
    """``(own_doctor_id, doctor_id)`` of the ``CalendarScope``: a doctor's own id and no
    requested doctor, or no own restriction and the requested ``doctor_id``."""
    own = own_rows_of(principal)
    return (own, None) if own is not None else (None, requested)
