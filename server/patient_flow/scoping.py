"""Who may see and write which patient flows (05 §7, §8; rbac §3 "own flows").

A doctor's flows are those of their own appointments and of operations whose team they are
in; other flows are invisible to them (404 on read and write), and they may link a flow only
to an own appointment or operation (403, D-PF-08). The other roles see and link every flow.
The reads are raw SQL (``read``), so the rule is a condition over the alias ``f``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from server.core.access import Principal
from server.core.errors import not_found, permission_denied
from server.users.scoping import own_rows_of

OWN_FLOWS_SQL = """(
    EXISTS (SELECT 1 FROM appointments va
            WHERE va.id = f.appointment_id AND va.doctor_id = :own)
    OR EXISTS (SELECT 1 FROM operations vo
               WHERE vo.id = f.operation_id
                 AND (vo.primary_surgeon_id = :own OR vo.assistant_id = :own
                      OR vo.anesthesist_id = :own))
)"""
"""The appointment's doctor, or any member of the operation's team, is ``:own``."""


class Linked(Protocol):
    """A flow's appointment or operation, as far as ownership is concerned."""

    @property
    def members(self) -> tuple[int, ...]: ...


def visible_condition(principal: Principal) -> tuple[list[str], dict[str, Any]]:
    """The conditions (joined with AND) and their parameters for the flows the caller sees."""
    own = own_rows_of(principal)
    if own is None:
        return [], {}
    return [OWN_FLOWS_SQL], {"own": own}


def ensure_writable(principal: Principal, link_of_flow: Callable[[], Linked | None]) -> None:
    """404 when a doctor writes a flow whose appointment/operation is not theirs, as if the
    flow did not exist, exactly like the read. ``link_of_flow`` loads (and locks) the link;
    it is called only for doctors, the other roles' writes never needed it."""
    own = own_rows_of(principal)
    if own is None:
        return
    link = link_of_flow()
    if link is None or own not in link.members:
        raise not_found()


def ensure_may_link(principal: Principal, links: Iterable[Linked | None]) -> None:
    """403 when a doctor links a flow to someone else's appointment/operation (D-PF-08).

    ``links`` are the body's existing links (None: unknown, left to the validation's 400);
    it is consumed only for doctors, so other callers' links stay unloaded here.
    """
    own = own_rows_of(principal)
    if own is None:
        return
    for link in links:
        if link is not None and own not in link.members:
            raise permission_denied()
