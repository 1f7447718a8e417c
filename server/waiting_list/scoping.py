"""Who may see which waiting-list entries (docs/waiting-list.md §6).

Admins and assistants see every entry. A doctor sees the entries that name them among
``doctor_ids`` — not "any doctor" entries and not other doctors' (404, as if they did not
exist). Billing reads counts only (the router's policy keeps it off every other path).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import BigInteger

from server.core.access import Principal
from server.users.scoping import own_rows_of
from server.waiting_list.models import WaitingListEntry


def visible_condition(principal: Principal) -> ColumnElement[bool]:
    own = own_rows_of(principal)
    if own is None:
        return true()
    return WaitingListEntry.doctor_ids.contains(literal([own], ARRAY(BigInteger)))


def may_read(principal: Principal, row: WaitingListEntry) -> bool:
    own = own_rows_of(principal)
    return own is None or own in row.doctor_ids


def own_doctor(principal: Principal) -> int | None:
    """The doctor whose entries and slots alone the caller sees (None: all)."""
    return own_rows_of(principal)
