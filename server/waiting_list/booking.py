"""Book a waiting-list entry: the appointment and the entry's ``booked`` in one transaction.

The appointment goes through the appointment rules of ``server.appointments`` unchanged —
``pipeline.stage_one`` (fields), advisory locks on doctor, patient and resources,
``pipeline.stage_two`` (every check 2a–2o), the occupancy rows under the exclusion
constraint, the retry of ``with_booking_retry`` — and the entry row is locked first
(``FOR UPDATE``), so two workstations booking the same slot or the same entry serialise:
exactly one commits, the other sees the winner and answers 409 with the next candidates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments import pipeline, service
from server.appointments.models import Appointment, AppointmentResource
from server.audit.service import record
from server.bookings import writes
from server.bookings.locks import lock_subjects
from server.bookings.retry import CONCURRENT_BOOKING, with_booking_retry
from server.bookings.writes import BookingRequest
from server.core.body import RawBody
from server.core.errors import APIError, ValidationFailed
from server.core.events import publish
from server.core.fields import (
    DateTimeField,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
    notes_field,
)
from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType, Resource
from server.waiting_list import entries, matching, render
from server.waiting_list.models import FreedSlot, WaitingListEntry
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus
from shared.domain.waiting_list import EntryStatus
from shared.scheduling import Interval, local_date
from shared.scheduling.waitlist import fits_entry

ENTRY_CLOSED = "Der Eintrag ist nicht mehr offen."
SLOT_TAKEN = "Der Termin ist nicht mehr frei."
DOCTOR_NOT_WANTED = "Dieser Arzt ist für den Eintrag nicht gewünscht."
OUTSIDE_WINDOWS = "Der Termin liegt außerhalb der gewünschten Zeitfenster."
OUTSIDE_DATES = "Der Termin liegt außerhalb des gewünschten Zeitraums."
IN_THE_PAST = "Der Termin liegt in der Vergangenheit."
TYPE_UNUSABLE = "Die Terminart des Eintrags ist inaktiv oder hat keine Dauer."


def book_serializer(request: BookingRequest) -> Serializer:
    return Serializer(
        "WaitingListBook",
        {
            "doctor": PrimaryKeyField(),
            "start_time": DateTimeField(tz=request.tz),
            "freed_slot": PrimaryKeyField(required=False, allow_null=True),
            "resource_ids": ListField(child=IntegerField(), required=False, default=list),
            "notes": notes_field(default=""),
        },
    )


@dataclass
class Refused(Exception):
    """Someone was faster: answer 409 with the next candidates (after the rollback)."""

    body: dict[str, Any]
    period: Interval
    doctor_ids: list[int]


def _validate(
    session: Session, request: BookingRequest, entry: WaitingListEntry, raw: Any
) -> tuple[dict[str, Any], AppointmentType, FreedSlot | None]:
    cleaned, errors = book_serializer(request).collect(raw)
    if errors:
        raise ValidationFailed(errors)
    appointment_type = session.get(AppointmentType, entry.type_id)
    assert appointment_type is not None  # RESTRICT foreign key
    if not appointment_type.active or not (appointment_type.duration_minutes or 0) > 0:
        raise ValidationFailed({"type": [TYPE_UNUSABLE]})
    doctor = cleaned["doctor"]
    if not matching.active_doctor_ids(session, [doctor] if doctor >= 1 else []):
        errors["doctor"] = [does_not_exist(doctor)]
    slot = None
    slot_id = cleaned.get("freed_slot")
    if slot_id is not None:
        slot = session.get(FreedSlot, slot_id) if slot_id >= 1 else None
        if slot is None:
            errors["freed_slot"] = [does_not_exist(slot_id)]
    resource_ids = sorted(set(cleaned["resource_ids"]))
    if resource_ids:
        active = set(
            session.scalars(
                select(Resource.id).where(Resource.id.in_(resource_ids), Resource.active.is_(True))
            )
        )
        if active != set(resource_ids):
            errors["resource_ids"] = [pipeline.BAD_RESOURCES]
    if errors:
        raise ValidationFailed(errors)
    cleaned["resource_ids"] = resource_ids
    return cleaned, appointment_type, slot


def _check_wishes(
    request: BookingRequest, entry: WaitingListEntry, doctor: int, interval: Interval, minutes: int
) -> None:
    """400 when the requested appointment is not what the entry asked for."""
    wishes = matching.waiting_entry(entry, minutes)
    if not wishes.accepts_doctor(doctor):
        raise ValidationFailed({"doctor": [DOCTOR_NOT_WANTED]})
    if interval.start < request.now:
        raise ValidationFailed({"start_time": [IN_THE_PAST]})
    if not wishes.accepts_day(local_date(interval.start, request.tz)):
        raise ValidationFailed({"start_time": [OUTSIDE_DATES]})
    if not fits_entry(wishes, interval, doctor, request.tz):
        raise ValidationFailed({"start_time": [OUTSIDE_WINDOWS]})


def _appointment_body(
    entry: WaitingListEntry, cleaned: dict[str, Any], interval: Interval, request: BookingRequest
) -> dict[str, Any]:
    """The body ``POST /api/appointments/`` would get for this booking."""
    return {
        "patient_id": entry.patient_id,
        "doctor": cleaned["doctor"],
        "type": entry.type_id,
        "start_time": format_datetime(interval.start, request.tz),
        "end_time": format_datetime(interval.end, request.tz),
        "resource_ids": cleaned["resource_ids"],
        "notes": cleaned["notes"] or "",
    }


def _insert_appointment(
    session: Session, request: BookingRequest, draft: pipeline.Draft
) -> tuple[Appointment, str]:
    row = Appointment()
    pipeline.COLUMNS.apply(row, draft.values, status=AppointmentStatus.SCHEDULED.value, notes="")

    def attach() -> None:
        writes.replace_links(
            session,
            AppointmentResource,
            AppointmentResource.appointment_id,
            row.id,
            draft.resource_ids,
        )
        service.sync_occupancy(session, row, draft.resource_ids)

    text = writes.insert(session, request, service.KIND, row, attach)
    return row, text


def _refusal_period(
    session: Session,
    slot: FreedSlot | None,
    interval: Interval,
    doctor: int,
    request: BookingRequest,
) -> tuple[Interval, list[int]]:
    """Where the next candidates are looked for: the freed slot, else the asked period."""
    if slot is not None:
        period = matching.slot_period(slot, request.now, request.tz)
        if period is not None:
            return period, matching.slot_doctors(session, slot)
    return interval, [doctor]


def book(request: BookingRequest, entry_id: int, body: RawBody) -> dict[str, Any]:
    def work(session: Session) -> dict[str, Any]:
        entry = entries.load_for_write(session, entry_id)
        raw = body.json()  # after the lookup: 404 before 400 (00 §3)
        cleaned, appointment_type, slot = _validate(session, request, entry, raw)
        minutes = appointment_type.duration_minutes or 0
        doctor = cleaned["doctor"]
        interval = Interval.of_length(cleaned["start_time"], timedelta(minutes=minutes))
        period, doctors = _refusal_period(session, slot, interval, doctor, request)
        if not EntryStatus(entry.status).is_open:
            closed = {"detail": ENTRY_CLOSED, "code": "entry_closed", "status": entry.status}
            raise Refused(closed, period, doctors)
        _check_wishes(request, entry, doctor, interval, minutes)
        appointment_raw = _appointment_body(entry, cleaned, interval, request)
        draft = pipeline.stage_one(
            session, appointment_raw, request.tz, current=None, partial=False
        )
        lock_subjects(
            session,
            doctor_ids=[doctor],
            patient_ids=[entry.patient_id],
            resource_ids=draft.resource_ids,
        )
        rejection = pipeline.stage_two(session, draft, request.principal, request.tz, request.now)
        if rejection is not None:
            taken = {"detail": SLOT_TAKEN, "code": "slot_taken", "reason": rejection.body}
            raise Refused(taken, period, doctors)
        appointment, text = _insert_appointment(session, request, draft)
        entry.status = EntryStatus.BOOKED.value
        entry.booked_appointment_id = appointment.id
        entry.freed_slot_id = slot.id if slot is not None else None
        entry.booked_at = request.now
        entry.updated_at = request.now
        entry.removal_reason = None
        record(
            session,
            request.principal,
            "waiting_list_entry_book",
            patient_id=entry.patient_id,
            meta={
                "entry_id": entry.id,
                "appointment_id": appointment.id,
                "freed_slot_id": entry.freed_slot_id,
            },
        )
        publish(session, LiveEntity.WAITING_LIST_ENTRY, entry.id, "updated")
        if slot is not None:
            publish(session, LiveEntity.WAITING_LIST_SLOT, slot.id, "updated")
        session.flush()
        return {
            "entry": render.entry_json(session, entry, request.tz),
            "appointment": json.loads(text),
        }

    try:
        return with_booking_retry(request.factory, work)
    except Refused as refused:
        raise APIError(409, {**refused.body, "candidates": _next(request, refused)}) from None
    except APIError as exc:
        if exc.status != 409 or exc.body.get("detail") != CONCURRENT_BOOKING:
            raise
        raise APIError(
            409, {"detail": SLOT_TAKEN, "code": "slot_taken", "reason": exc.body, "candidates": []}
        ) from None


def _next(request: BookingRequest, refused: Refused) -> list[dict[str, Any]]:
    with request.factory() as session:
        found, rows = matching.candidates_for(
            session, refused.period, refused.doctor_ids, now=request.now, tz=request.tz
        )
        return matching.candidates_json(session, found, rows, request.tz)
