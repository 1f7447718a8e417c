"""Appointment writes: create, update, delete, mark-no-show, dry-run validation (03 §4–§6).

Every write is one transaction: the appointment, its resource bookings, its occupancy rows,
the audit entry and the live event commit together. The occupancy exclusion constraint is
the guarantee against double booking; when it fires (a concurrent request won the race) the
transaction is rolled back and the checks re-run in a fresh one, which now see the winner
and answer with the same body as the application check (00 §9). If they pass, the write is
tried once more; a second violation answers 409.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from psycopg import errors as pg_errors
from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.appointments import pipeline, read
from server.appointments.models import Appointment, AppointmentResource, Occupancy
from server.audit.service import record
from server.core.access import DOCTOR, Principal
from server.core.body import RawBody
from server.core.errors import APIError, conflict, not_found, permission_denied
from server.core.events import publish
from server.core.fields import parse_int
from server.core.references import delete_unless_referenced

T = TypeVar("T")

NO_SHOW_NOT_PAST = "No-Show kann nur für vergangene Termine gesetzt werden."
NO_SHOW_WRONG_STATUS = (
    "Nur Termine im Status scheduled/confirmed können als No-Show markiert werden."
)
FLOW_REFERENCE = "Appointment is referenced by patient flow entries."


def _is_booking_race(exc: DBAPIError) -> bool:
    """The exclusion constraint fired, or two bookings deadlocked on it."""
    return isinstance(
        exc.orig,
        pg_errors.ExclusionViolation | pg_errors.DeadlockDetected | pg_errors.SerializationFailure,
    )


def with_booking_retry(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction; on an occupancy violation re-run it once (00 §9)."""
    for _ in range(2):
        with factory() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if not _is_booking_race(exc):
                    raise
    raise conflict("Concurrent booking conflict, please retry.")


def _subject_key(kind: str, subject_id: int) -> int:
    digest = hashlib.blake2b(f"{kind}:{subject_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_subjects(session: Session, *drafts: dict[str, Any], resource_ids: list[int]) -> None:
    """Serialise bookings that touch the same doctor, patient or resource.

    Transaction-level advisory locks, taken in one global order (so two bookings never
    deadlock), before the checks run: a competing booking either committed before (the
    checks see it and answer with their friendly error) or waits for this one. The
    exclusion constraint stays the guarantee; this makes its violations rare.
    """
    keys = {_subject_key("resource", r) for r in resource_ids}
    for values in drafts:
        if values.get("doctor") is not None:
            keys.add(_subject_key("doctor", values["doctor"]))
        if values.get("patient_id") is not None:
            keys.add(_subject_key("patient", values["patient_id"]))
    for key in sorted(keys):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def load_for_write(session: Session, appointment_id: int, principal: Principal) -> Appointment:
    """404 for unknown ids, then 403 for a doctor on someone else's appointment (00 §3)."""
    row = session.scalar(
        select(Appointment).where(Appointment.id == appointment_id).with_for_update()
    )
    if row is None:
        raise not_found()
    if principal.role_name == DOCTOR and row.doctor_id != principal.id:
        raise permission_denied()
    return row


def sync_occupancy(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    """Rewrite the appointment's occupancy rows (none while cancelled)."""
    session.execute(delete(Occupancy).where(Occupancy.appointment_id == row.id))
    if row.status == "cancelled":
        return
    period = Range(row.start_time, row.end_time, bounds="[)")
    subjects = [("doctor", row.doctor_id), ("patient", row.patient_id)]
    subjects += [("resource", resource_id) for resource_id in resource_ids]
    session.add_all(
        Occupancy(appointment_id=row.id, kind=kind, subject_id=subject, period=period)
        for kind, subject in subjects
    )
    session.flush()


def _replace_bookings(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    session.execute(delete(AppointmentResource).where(AppointmentResource.appointment_id == row.id))
    session.add_all(
        AppointmentResource(appointment_id=row.id, resource_id=resource_id)
        for resource_id in resource_ids
    )


def _record_resource_conflict(
    factory: sessionmaker[Session], principal: Principal, raw: Any
) -> None:
    """The conflict audit survives the rejected write (01 §5.2: own transaction)."""
    patient_id = None
    if isinstance(raw, dict):
        try:
            patient_id = parse_int(raw.get("patient_id"))
        except ValueError:
            patient_id = None
        if patient_id is not None and not 1 <= patient_id <= 2**63 - 1:
            patient_id = None
    with factory() as session, session.begin():
        record(session, principal, "resource_booking_conflict", patient_id=patient_id)


def _reject(
    rejection: pipeline.Rejection,
    factory: sessionmaker[Session],
    principal: Principal,
    raw: Any,
    *,
    audit: bool,
) -> None:
    if rejection.resource_conflict and audit:
        _record_resource_conflict(factory, principal, raw)
    raise APIError(400, rejection.body)


def _apply(session: Session, row: Appointment, draft: pipeline.Draft) -> None:
    values = draft.values
    row.patient_id = values["patient_id"]
    row.doctor_id = values["doctor"]
    row.type_id = values.get("type")
    row.start_time = values["start_time"]
    row.end_time = values["end_time"]
    row.status = values.get("status", "scheduled")
    row.notes = values.get("notes", "")


def create(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    raw: Any,
    tz: ZoneInfo,
    now: datetime,
) -> str:
    def work(session: Session) -> str:
        draft = pipeline.stage_one(session, raw, tz, current=None, partial=False)
        lock_subjects(session, draft.values, resource_ids=draft.resource_ids)
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        if rejection is not None:
            session.rollback()
            _reject(rejection, factory, principal, raw, audit=True)
        row = Appointment()
        _apply(session, row, draft)
        session.add(row)
        session.flush()
        _replace_bookings(session, row, draft.resource_ids)
        sync_occupancy(session, row, draft.resource_ids)
        record(session, principal, "appointment_create", patient_id=row.patient_id)
        publish(session, "appointment", row.id, "created")
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def update(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    appointment_id: int,
    body: RawBody,
    tz: ZoneInfo,
    now: datetime,
    partial: bool,
) -> str:
    def work(session: Session) -> str:
        row = load_for_write(session, appointment_id, principal)
        raw = body.json()  # parsed after the lookup: 404/403 come before 400 (00 §3)
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=partial)
        lock_subjects(
            session,
            draft.values,
            pipeline.stored_values(row),
            resource_ids=sorted(set(draft.resource_ids) | set(draft.current_resource_ids)),
        )
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        if rejection is not None:
            session.rollback()
            _reject(rejection, factory, principal, raw, audit=True)
        schedule_changed = (
            any(
                draft.changed(n)
                for n in ("start_time", "end_time", "doctor", "patient_id", "status")
            )
            or draft.resource_ids != draft.current_resource_ids
        )
        _apply(session, row, draft)
        if "resource_ids" in draft.sent:
            _replace_bookings(session, row, draft.resource_ids)
        session.flush()
        if schedule_changed:
            sync_occupancy(session, row, draft.resource_ids)
        record(session, principal, "appointment_update", patient_id=row.patient_id)
        publish(session, "appointment", row.id, "updated")
        session.flush()
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def dry_run(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    appointment_id: int | None,
    raw: Any,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    """``POST /api/appointments/validate/``: the create/update verdict, nothing written."""
    with factory() as session:
        row = load_for_write(session, appointment_id, principal) if appointment_id else None
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=False)
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        session.rollback()
    if rejection is not None:
        _reject(rejection, factory, principal, raw, audit=False)


def remove(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    appointment_id: int,
) -> None:
    with factory() as session, session.begin():
        row = load_for_write(session, appointment_id, principal)
        patient_id = row.patient_id
        # Bookings and occupancy rows are owned children (cascade); a patient flow pointing
        # at the appointment refuses the delete (03 §6.5).
        delete_unless_referenced(session, row, detail=FLOW_REFERENCE)
        record(session, principal, "appointment_delete", patient_id=patient_id)
        publish(session, "appointment", appointment_id, "deleted")


def mark_no_show(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    appointment_id: int,
    now: datetime,
) -> str:
    with factory() as session, session.begin():
        row = load_for_write(session, appointment_id, principal)
        if not row.end_time < now:
            raise APIError(400, {"detail": NO_SHOW_NOT_PAST})
        if row.status not in ("scheduled", "confirmed"):
            raise APIError(400, {"detail": NO_SHOW_WRONG_STATUS})
        if not row.is_no_show:
            row.is_no_show = True
            record(
                session,
                principal,
                "appointment_mark_no_show",
                patient_id=row.patient_id,
                meta={"appointment_id": row.id},
            )
            publish(session, "appointment", row.id, "updated")
            session.flush()
        return read.object_json(session, row.id)
