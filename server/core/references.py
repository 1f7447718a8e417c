"""Refusing to delete rows that other records still reference (README "Deleting", 02 §9).

Referencing tables declare ordinary foreign keys with ``ON DELETE RESTRICT`` (or NO ACTION,
even deferrable ones); nothing is deleted in cascade. ``delete_unless_referenced`` deletes a
row inside a savepoint and turns the database's foreign-key violation into
``409 {"detail": "…"}``, so a table added later plugs in without any change here: its
constraint alone makes the delete fail, and the message names it by its table (or by the
label it registered with ``register_referrer``). The database check also covers a
referencing row inserted concurrently, which an application-level ``EXISTS`` would miss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psycopg import errors as pg_errors
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.core.errors import conflict

_LABELS: dict[str, str] = {}


def register_referrer(table: str, label: str) -> None:
    """Name a referencing table in 409 messages, e.g. ``("operations", "operations")``."""
    _LABELS[table] = label


@dataclass(frozen=True)
class Reference:
    """What refused a delete: the referencing table and its foreign-key constraint."""

    table: str | None
    constraint: str | None

    @property
    def label(self) -> str:
        if self.table is None:
            return "other records"
        return _LABELS.get(self.table, self.table.replace("_", " "))


Detail = str | Callable[[Reference], str]


def still_referenced(thing: str) -> Callable[[Reference], str]:
    """The generic message for deletes whose text the spec does not fix."""

    def message(reference: Reference) -> str:
        return f"{thing} is still referenced by {reference.label} and cannot be deleted."

    return message


def reference_of(exc: IntegrityError) -> Reference | None:
    """The referencing table of a foreign-key violation, or None for other errors.

    ``ON DELETE RESTRICT`` raises ``restrict_violation`` (23001), NO ACTION (also deferred)
    ``foreign_key_violation`` (23503); both carry the referencing table and constraint.
    """
    if not isinstance(exc.orig, pg_errors.ForeignKeyViolation | pg_errors.RestrictViolation):
        return None
    diag = exc.orig.diag
    return Reference(table=diag.table_name, constraint=diag.constraint_name)


def delete_unless_referenced(session: Session, row: object, *, detail: Detail) -> None:
    """Delete ``row`` now, or raise 409 with ``detail`` if any foreign key still points to it.

    Runs in a savepoint, so the caller's transaction stays usable either way; deferred
    constraints are checked immediately so that the answer never waits for the commit.
    """
    try:
        with session.begin_nested():
            session.delete(row)
            session.flush()
            session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    except IntegrityError as exc:
        reference = reference_of(exc)
        if reference is None:
            raise
        raise conflict(detail if isinstance(detail, str) else detail(reference)) from exc
