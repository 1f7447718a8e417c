"""Who counts as a doctor: the one role test behind every domain's ``scoping`` module.

A doctor sees and edits only their own rows (rbac §3); every other role sees every doctor's.
The domains' scoping modules ask ``own_rows_of(principal)`` instead of comparing role names
themselves, and the checks that a chosen user *is* a doctor (``Der Arzt muss die Rolle
doctor haben``, the doctor pickers) use ``is_doctor`` / ``doctor_role()``, so the role name
is compared in this one place.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement

from server.core.access import DOCTOR
from server.users.models import Role


class HasRole(Protocol):
    """A signed-in ``Principal`` or a ``User`` row."""

    @property
    def role_name(self) -> str | None: ...


class Identified(HasRole, Protocol):
    @property
    def id(self) -> int: ...


def is_doctor(subject: HasRole) -> bool:
    return subject.role_name == DOCTOR


def own_rows_of(principal: Identified) -> int | None:
    """The doctor whose rows alone the caller may see, or None when the caller sees all."""
    return principal.id if is_doctor(principal) else None


def doctor_role() -> ColumnElement[bool]:
    """SQL condition "the user has the role doctor" (the query must join ``Role``)."""
    return Role.name == DOCTOR
