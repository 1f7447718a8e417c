"""Who may see and edit which working-time rows (02 §6–§8, rbac §3).

Doctor hours, absences and breaks belong to a doctor: a doctor reads only their own (foreign
rows are 404, practice-wide breaks are not listed) and may not hand an own row to someone
else; the other roles see every row. Practice hours belong to nobody and are not scoped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.core.access import Principal
from server.core.errors import ValidationFailed, permission_denied
from server.users.models import Role, User
from server.users.scoping import doctor_role, own_rows_of

OWN_ROWS_ONLY_MESSAGE = "Ärzte dürfen nur eigene Einträge bearbeiten."


Scope = Callable[[Select[Any], Principal], Select[Any]]


def scope(column: InstrumentedAttribute[Any]) -> Scope:
    """``CrudSpec.scope`` of a table whose ``column`` names the owning doctor: the CRUD list
    and detail (and so every update and delete, which look the row up first) read through it."""

    def restrict(statement: Select[Any], principal: Principal) -> Select[Any]:
        own = own_rows_of(principal)
        return statement if own is None else statement.where(column == own)

    return restrict


def ensure_writable(principal: Principal, data: dict[str, Any], row: Any | None) -> None:
    """A doctor's update keeps the row theirs (02 §7.2, §8.2); creating is not theirs at all
    (refused by the path policy), and foreign rows never reach here (404 via ``scope``)."""
    own = own_rows_of(principal)
    if own is not None and row is not None and data.get("doctor") != own:
        raise ValidationFailed({"doctor": [OWN_ROWS_ONLY_MESSAGE]})


def previewed_doctor(session: Session, principal: Principal, requested: int | None) -> int | None:
    """The doctor whose absence ``/doctor-absences/preview/`` computes (02 §7.4).

    A doctor previews only their own (any other ``doctor_id`` is 403); the other roles get
    the requested user if it is a doctor, else no doctor (an empty preview, never an error).
    """
    own = own_rows_of(principal)
    if own is not None:
        if requested is None or requested == own:
            return own
        raise permission_denied()
    if requested is None or not 1 <= requested <= 2**63 - 1:
        return None
    return session.scalar(select(User.id).join(Role).where(User.id == requested, doctor_role()))
