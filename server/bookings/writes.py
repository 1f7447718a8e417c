"""The write plumbing that every kind of booking repeats: lock, reject, link, announce.

A booking write is one transaction: the row, its links to resources, its occupancy rows,
the audit entry and the live event commit together (00 §8, §11). What differs per kind —
the fields, the checks, the occupied subjects — stays with the domain; what is the same
lives here, so that a new kind of booking writes the same way by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from server.audit.service import record
from server.core.access import Principal
from server.core.errors import APIError, not_found
from server.core.events import Action, publish
from server.core.fields import BIGINT_MAX, parse_int
from server.core.references import delete_unless_referenced
from server.models import Base


class Booking(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def patient_id(self) -> int: ...


B = TypeVar("B", bound=Booking)


@dataclass(frozen=True)
class BookingRequest:
    """Who writes, through which sessions, in which practice zone, at which time."""

    factory: sessionmaker[Session]
    principal: Principal
    tz: ZoneInfo
    now: datetime


@dataclass(frozen=True)
class Kind:
    """How one kind of booking is named, audited and rendered."""

    entity: str  # live events and audit actions: ``<entity>_create`` …
    conflict_action: str  # the audit action of a refused conflicting booking
    render: Callable[[Session, int], str]  # the booking's JSON


@dataclass(frozen=True)
class Rejection:
    """A failed check: the 400 body, and whether it is a conflict (audited when refused)."""

    body: dict[str, Any]
    conflict: bool = False


def lock_row(session: Session, model: type[B], row_id: int) -> B:
    """The booking, locked for this transaction; 404 for unknown ids (00 §3)."""
    # ``with_for_update`` also bypasses the identity map: the row is always read (and locked).
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise not_found()
    return row


def request_patient_id(raw: Any) -> int | None:
    """``patient_id`` of the request body for the conflict audit (null if unusable)."""
    if not isinstance(raw, dict):
        return None
    try:
        patient_id = parse_int(raw.get("patient_id"))
    except ValueError:
        return None
    return patient_id if 1 <= patient_id <= BIGINT_MAX else None


def reject(
    rejection: Rejection,
    factory: sessionmaker[Session],
    principal: Principal | None,
    raw: Any,
    *,
    conflict_action: str | None,
) -> NoReturn:
    """Answer 400; a conflict is first audited as ``conflict_action`` (None: not at all).

    The audit row has its own transaction, so it survives the rejected write (01 §5.2).
    """
    if rejection.conflict and conflict_action is not None:
        with factory() as session, session.begin():
            record(session, principal, conflict_action, patient_id=request_patient_id(raw))
    raise APIError(400, rejection.body)


def refuse(
    session: Session, request: BookingRequest, kind: Kind, rejection: Rejection | None, raw: Any
) -> None:
    """Inside a write: roll back and answer 400 when a check failed (else nothing)."""
    if rejection is not None:
        session.rollback()
        reject(
            rejection, request.factory, request.principal, raw, conflict_action=kind.conflict_action
        )


def insert(
    session: Session, request: BookingRequest, kind: Kind, row: Booking, attach: Callable[[], None]
) -> str:
    """Add a new booking; ``attach`` writes its links and occupancy rows; announce it."""
    session.add(row)
    session.flush()
    attach()
    announce(session, request.principal, row, entity=kind.entity, action="created")
    return kind.render(session, row.id)


def replace_links(
    session: Session,
    model: type[Base],
    owner: InstrumentedAttribute[int],
    owner_id: int,
    resource_ids: Iterable[int],
) -> None:
    """Replace the booking's resource links (``model`` rows of ``owner`` → ``resource_id``)."""
    session.execute(delete(model).where(owner == owner_id))
    session.add_all(model(**{owner.key: owner_id, "resource_id": r}) for r in resource_ids)


def announce(
    session: Session, principal: Principal, row: Booking, *, entity: str, action: Action
) -> None:
    """The audit entry ``<entity>_create``/``_update`` and the live event of a write."""
    verb = "create" if action == "created" else "update"
    record(session, principal, f"{entity}_{verb}", patient_id=row.patient_id)
    publish(session, entity, row.id, action)


def remove(
    request: BookingRequest,
    *,
    load: Callable[[Session], Booking],
    entity: str,
    referenced: str,
) -> None:
    """Delete a booking with its owned children (links and occupancy rows cascade).

    A row that something still references (a patient flow) refuses with 409 ``referenced``.
    """
    with request.factory() as session, session.begin():
        row = load(session)
        row_id, patient_id = row.id, row.patient_id
        delete_unless_referenced(session, row, detail=referenced)
        record(session, request.principal, f"{entity}_delete", patient_id=patient_id)
        publish(session, entity, row_id, "deleted")
