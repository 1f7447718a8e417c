"""Doctors as the planning endpoints show them (01 §2, 03 §7).

A doctor is an active user with role ``doctor``. The doctor picker (``GET /api/doctors/``
and its alias ``GET /api/appointments/doctors/``) lists them by name; suggest and
availability need them by id together with the name and colour they print.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from server.bookings import scheduling_cache
from server.core.query import contains_pattern
from server.users.models import Role, User
from server.users.scoping import doctor_role


@dataclass(frozen=True)
class Doctor:
    id: int
    name: str
    color: str

    def ref(self) -> dict[str, object]:
        """``{"id", "name", "color"}`` — the doctor object of suggest (03 §9.5)."""
        return {"id": self.id, "name": self.name, "color": self.color}

    def picker_item(self) -> dict[str, object]:
        """``{"id", "name", "calendar_color"}`` — doctor lists and availability (03 §7, §8)."""
        return {"id": self.id, "name": self.name, "calendar_color": self.color}


DoctorRows = Select[int, str, str, str, str]


def _active_doctors() -> DoctorRows:
    # Plain columns, no ORM entities: the list is read on every suggest and availability call.
    return (
        select(User.id, User.first_name, User.last_name, User.username, User.calendar_color)
        .join(Role, Role.id == User.role_id)
        .where(doctor_role(), User.is_active.is_(True))
    )


def _doctors(session: Session, statement: DoctorRows) -> list[Doctor]:
    return [
        # 01 §2 display name (as ``User.display_name``): "first last" trimmed, else username.
        Doctor(
            row.id, f"{row.first_name} {row.last_name}".strip() or row.username, row.calendar_color
        )
        for row in session.execute(statement)
    ]


def _matches(q: str) -> ColumnElement[bool]:
    # praxi_casefold folds non-ASCII letters too (Ü/ü), which ILIKE does not under the
    # embedded cluster's C locale.
    pattern = func.praxi_casefold(contains_pattern(q))
    return or_(
        *(
            func.praxi_casefold(column).like(pattern)
            for column in (User.first_name, User.last_name, User.username, User.email)
        )
    )


def picker(session: Session, q: str = "") -> list[Doctor]:
    """Active doctors ordered by ``last_name, first_name, id``; ``q`` (already trimmed) keeps
    those whose first name, last name, username or email contains it, case-insensitively."""
    statement = _active_doctors().order_by(User.last_name, User.first_name, User.id)
    if q:
        statement = statement.where(_matches(q))
    return _doctors(session, statement)


def active_by_id(session: Session) -> list[Doctor]:
    """Every active doctor, ordered by id (suggest fallback, ``any_doctor``, availability)."""
    return _doctors(session, _active_doctors().order_by(User.id))


def active_doctors(session: Session) -> tuple[Doctor, ...]:
    """``active_by_id`` through the process's cache (``server.bookings.scheduling_cache``):
    suggest and availability read it on every call, and doctors rarely change."""
    return scheduling_cache.cached(
        session, ("active_doctors",), lambda: tuple(active_by_id(session))
    )
