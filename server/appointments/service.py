"""Appointment writes: create, update, delete, mark-no-show, dry-run validation (03 §4–§6).

Every write is one transaction: the appointment, its resource bookings, its occupancy rows,
the audit entry and the live event commit together, and books through
``server.bookings``: advisory locks before the checks, occupancy rows under the exclusion
constraint, and one retry when a concurrent request won the race (00 §9).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from server.appointments import pipeline, read, scoping
from server.appointments.models import Appointment, AppointmentResource
from server.audit.service import record
from server.bookings import occupancy, writes
from server.bookings.locks import lock_subjects
from server.bookings.retry import with_booking_retry
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import APIError
from server.core.events import publish

NO_SHOW_NOT_PAST = "No-Show kann nur für vergangene Termine gesetzt werden."
NO_SHOW_WRONG_STATUS = (
    "Nur Termine im Status scheduled/confirmed können als No-Show markiert werden."
)
FLOW_REFERENCE = "Appointment is referenced by patient flow entries."
CONFLICT_ACTION = "resource_booking_conflict"


def load_for_write(session: Session, appointment_id: int, principal: Principal) -> Appointment:
    """404 for unknown ids, then 403 for a row the caller may not edit (00 §3)."""
    row = writes.lock_row(session, Appointment, appointment_id)
    scoping.ensure_writable(principal, row)
    return row


def _lock(session: Session, *states: dict[str, Any], resource_ids: list[int]) -> None:
    """Advisory locks on the doctor, patient and resources of every given state."""
    lock_subjects(
        session,
        doctor_ids=[values.get("doctor") for values in states],
        patient_ids=[values.get("patient_id") for values in states],
        resource_ids=resource_ids,
    )


def sync_occupancy(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    """Rewrite the appointment's occupancy rows (none while cancelled)."""
    occupancy.rewrite(
        session,
        "appointment",
        row.id,
        period=None if row.status == "cancelled" else (row.start_time, row.end_time),
        subjects=[
            ("doctor", row.doctor_id),
            ("patient", row.patient_id),
            *(("resource", resource_id) for resource_id in resource_ids),
        ],
    )


def _replace_bookings(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    writes.replace_links(
        session, AppointmentResource, AppointmentResource.appointment_id, row.id, resource_ids
    )


def _apply(row: Appointment, draft: pipeline.Draft) -> None:
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
        _lock(session, draft.values, resource_ids=draft.resource_ids)
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        if rejection is not None:
            session.rollback()
            writes.reject(rejection, factory, principal, raw, conflict_action=CONFLICT_ACTION)
        row = Appointment()
        _apply(row, draft)
        session.add(row)
        session.flush()
        _replace_bookings(session, row, draft.resource_ids)
        sync_occupancy(session, row, draft.resource_ids)
        writes.announce(session, principal, row, entity="appointment", action="created")
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def update(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    booking_id: int,
    body: RawBody,
    tz: ZoneInfo,
    now: datetime,
    partial: bool,
) -> str:
    def work(session: Session) -> str:
        row = load_for_write(session, booking_id, principal)
        raw = body.json()  # parsed after the lookup: 404/403 come before 400 (00 §3)
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=partial)
        _lock(
            session,
            draft.values,
            pipeline.stored_values(row),
            resource_ids=sorted(set(draft.resource_ids) | set(draft.current_resource_ids)),
        )
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        if rejection is not None:
            session.rollback()
            writes.reject(rejection, factory, principal, raw, conflict_action=CONFLICT_ACTION)
        schedule_changed = (
            any(
                draft.changed(n)
                for n in ("start_time", "end_time", "doctor", "patient_id", "status")
            )
            or draft.resource_ids != draft.current_resource_ids
        )
        _apply(row, draft)
        if "resource_ids" in draft.sent:
            _replace_bookings(session, row, draft.resource_ids)
        session.flush()
        if schedule_changed:
            sync_occupancy(session, row, draft.resource_ids)
        writes.announce(session, principal, row, entity="appointment", action="updated")
        session.flush()
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def dry_run(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    booking_id: int | None,
    raw: Any,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    """``POST /api/appointments/validate/``: the create/update verdict, nothing written."""
    with factory() as session:
        row = load_for_write(session, booking_id, principal) if booking_id else None
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=False)
        rejection = pipeline.stage_two(session, draft, principal, tz, now)
        session.rollback()
    if rejection is not None:
        writes.reject(rejection, factory, principal, raw, conflict_action=None)


def remove(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    booking_id: int,
) -> None:
    writes.remove(
        factory,
        principal=principal,
        load=lambda session: load_for_write(session, booking_id, principal),
        entity="appointment",
        referenced=FLOW_REFERENCE,
    )


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
