"""Appointment writes: create, update, delete, mark-no-show, dry-run validation (03 §4–§6).

Every write is one transaction: the appointment, its resource bookings, its occupancy rows,
the audit entry and the live event commit together, and books through
``server.bookings``: advisory locks before the checks, occupancy rows under the exclusion
constraint, and one retry when a concurrent request won the race (00 §9).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from server.appointments import pipeline, read, scoping
from server.appointments.models import Appointment, AppointmentResource
from server.audit.service import record
from server.bookings import occupancy, writes
from server.bookings.locks import lock_subjects
from server.bookings.retry import with_booking_retry
from server.bookings.writes import BookingRequest
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import APIError
from server.core.events import publish
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus

NO_SHOW_NOT_PAST = "No-Show kann nur für vergangene Termine gesetzt werden."
NO_SHOW_WRONG_STATUS = (
    "Nur Termine im Status scheduled/confirmed können als No-Show markiert werden."
)
FLOW_REFERENCE = "Appointment is referenced by patient flow entries."
KIND = writes.Kind(LiveEntity.APPOINTMENT, "resource_booking_conflict", read.object_json)


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
    """Rewrite the appointment's occupancy rows: its doctor, patient and resources."""
    subjects: list[occupancy.Subject] = [("doctor", row.doctor_id), ("patient", row.patient_id)]
    subjects += [("resource", resource_id) for resource_id in resource_ids]
    occupancy.rewrite(session, "appointment", row, subjects)


def _replace_bookings(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    writes.replace_links(
        session, AppointmentResource, AppointmentResource.appointment_id, row.id, resource_ids
    )


def _new_row(draft: pipeline.Draft) -> Appointment:
    row = Appointment()
    pipeline.COLUMNS.apply(row, draft.values, status=AppointmentStatus.SCHEDULED.value, notes="")
    return row


def _attach(session: Session, row: Appointment, resource_ids: list[int]) -> None:
    _replace_bookings(session, row, resource_ids)
    sync_occupancy(session, row, resource_ids)


# --- building blocks for bookings made of many appointments (series, chains) -------------
# Each takes the caller's session and writes nothing outside it; the caller owns the
# transaction (``with_booking_retry``), takes the locks first and runs the checks.


def lock_drafts(
    session: Session,
    drafts: Iterable[pipeline.Draft],
    *,
    rows: Iterable[Appointment] = (),
    extra_resource_ids: Iterable[int] = (),
) -> None:
    """Advisory locks on every doctor, patient and resource of ``drafts`` (and of the
    stored ``rows`` they change), in the one global order: no two multi-appointment
    bookings deadlock, and single bookings of the same subjects wait for them."""
    drafts = list(drafts)
    states = [draft.values for draft in drafts] + [pipeline.stored_values(row) for row in rows]
    resource_ids = set(extra_resource_ids)
    for draft in drafts:
        resource_ids.update(draft.resource_ids)
        resource_ids.update(draft.current_resource_ids)
    _lock(session, *states, resource_ids=sorted(resource_ids))


def insert_appointment(
    session: Session, principal: Principal, draft: pipeline.Draft
) -> Appointment:
    """A checked new appointment: its row, resource links, occupancy rows, the audit entry
    ``appointment_create`` and the live event — exactly what ``POST /api/appointments/``
    writes after its checks pass."""
    row = _new_row(draft)
    session.add(row)
    session.flush()
    _attach(session, row, draft.resource_ids)
    writes.announce(session, principal, row, entity=KIND.entity, action="created")
    return row


def apply_update(
    session: Session, principal: Principal, row: Appointment, draft: pipeline.Draft
) -> None:
    """A checked change of ``row`` (``draft`` from ``pipeline.stage_one(current=row)``):
    columns, links, occupancy rows, audit ``appointment_update`` and the live event — what
    ``PUT/PATCH /api/appointments/{id}/`` writes after its checks pass."""
    schedule_changed = _schedule_changed(draft)
    pipeline.COLUMNS.apply(row, draft.values, status=AppointmentStatus.SCHEDULED.value, notes="")
    if "resource_ids" in draft.sent:
        _replace_bookings(session, row, draft.resource_ids)
    session.flush()
    if schedule_changed:
        sync_occupancy(session, row, draft.resource_ids)
    writes.announce(session, principal, row, entity=KIND.entity, action="updated")
    session.flush()


def cancel_appointment(session: Session, principal: Principal, row: Appointment) -> None:
    """Status ``cancelled``: the occupancy rows go (03 §5.3); audit and live event as for
    an update that sets the status."""
    row.status = AppointmentStatus.CANCELLED.value
    session.flush()
    sync_occupancy(session, row, pipeline.booked_resource_ids(session, row.id))
    writes.announce(session, principal, row, entity=KIND.entity, action="updated")
    session.flush()


def render(session: Session, appointment_id: int) -> str:
    """The appointment's JSON (AppointmentRead)."""
    return KIND.render(session, appointment_id)


# --- the endpoints ---------------------------------------------------------------------


def create(request: BookingRequest, *, raw: Any) -> str:
    def work(session: Session) -> str:
        draft = pipeline.stage_one(session, raw, request.tz, current=None, partial=False)
        _lock(session, draft.values, resource_ids=draft.resource_ids)
        rejection = pipeline.stage_two(session, draft, request.principal, request.tz, request.now)
        writes.refuse(session, request, KIND, rejection, raw)
        row = insert_appointment(session, request.principal, draft)
        return KIND.render(session, row.id)

    return with_booking_retry(request.factory, work)


def _schedule_changed(draft: pipeline.Draft) -> bool:
    """Whether the occupancy rows must follow (schedule, people, resources or status)."""
    return (
        any(draft.changed(n) for n in ("start_time", "end_time", "doctor", "patient_id", "status"))
        or draft.resource_ids != draft.current_resource_ids
    )


def update(request: BookingRequest, *, booking_id: int, body: RawBody, partial: bool) -> str:
    principal, tz = request.principal, request.tz

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
        rejection = pipeline.stage_two(session, draft, principal, tz, request.now)
        writes.refuse(session, request, KIND, rejection, raw)
        apply_update(session, principal, row, draft)
        return read.object_json(session, row.id)

    return with_booking_retry(request.factory, work)


def dry_run(request: BookingRequest, *, booking_id: int | None, raw: Any) -> None:
    """``POST /api/appointments/validate/``: the create/update verdict, nothing written."""
    principal, tz = request.principal, request.tz
    with request.factory() as session:
        row = load_for_write(session, booking_id, principal) if booking_id else None
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=False)
        rejection = pipeline.stage_two(session, draft, principal, tz, request.now)
        session.rollback()
    if rejection is not None:
        writes.reject(rejection, request.factory, principal, raw, conflict_action=None)


def remove(request: BookingRequest, *, booking_id: int) -> None:
    writes.remove(
        request,
        load=lambda session: load_for_write(session, booking_id, request.principal),
        entity=KIND.entity,
        referenced=FLOW_REFERENCE,
    )


def mark_no_show(request: BookingRequest, *, appointment_id: int) -> str:
    principal = request.principal
    with request.factory() as session, session.begin():
        row = load_for_write(session, appointment_id, principal)
        if not row.end_time < request.now:
            raise APIError(400, {"detail": NO_SHOW_NOT_PAST})
        if row.status not in (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED):
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
            publish(session, LiveEntity.APPOINTMENT, row.id, "updated")
            session.flush()
        return read.object_json(session, row.id)
