"""The appointment validation pipeline of 03 §4.2–§4.4, in its contractual order.

Stage 1 reports every bad field at once; stage 2 runs object checks 2a–2g on the effective
values (stored values overlaid with the sent ones) and then, when §4.3 says so, the
scheduling checks 2h–2o of the pure engine. The first failing stage-2 check decides the
response. Nothing here writes; the caller decides what to do with a ``Verdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments import scoping
from server.appointments.models import APPOINTMENT_STATUSES, Appointment, AppointmentResource
from server.bookings import scheduling_data
from server.bookings.columns import Columns, write_fields
from server.bookings.writes import Rejection
from server.core.access import Principal
from server.core.errors import ValidationFailed
from server.core.fields import (
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType, Resource
from server.users.models import Role, User
from server.users.scoping import doctor_role, is_doctor
from shared.domain.statuses import AppointmentStatus
from shared.scheduling import (
    AppointmentCheck,
    CheckFailure,
    Interval,
    alternatives,
    check_appointment,
    local_date,
)

TIME_ORDER = "Endzeit muss nach der Startzeit liegen."
SAME_DAY = "Termin muss am selben Tag enden."
NOT_A_DOCTOR = 'Der Arzt muss die Rolle "doctor" haben.'
OWN_ONLY = "Ärzte dürfen nur eigene Termine anlegen/ändern."
TYPE_INACTIVE = "Terminart ist inaktiv."
BAD_RESOURCES = "resource_ids enthält unbekannte oder inaktive Ressource(n)."
PATIENT_CONFLICT = "Appointment conflict: patient already has an appointment in this time range."
ALTERNATIVES_HORIZON_DAYS = 31
COLUMNS = Columns.of(
    "patient_id", "start_time", "end_time", "status", "notes", doctor="doctor_id", type="type_id"
)


def write_serializer(tz: ZoneInfo) -> Serializer:
    # Defaults apply on create only; PUT keeps stored values for omitted fields (§4.1).
    references = {
        "doctor": PrimaryKeyField(),
        "type": PrimaryKeyField(allow_null=True, required=False),
        "resource_ids": ListField(child=IntegerField(), required=False),
    }
    fields = write_fields(
        tz,
        references,
        times=("start_time", "end_time"),
        statuses=APPOINTMENT_STATUSES,
        default_status=AppointmentStatus.SCHEDULED.value,
    )
    return Serializer("AppointmentWrite", fields)


@dataclass
class Draft:
    """The effective appointment a request asks for (stage-1 output)."""

    values: dict[str, Any]
    sent: dict[str, Any]
    resource_ids: list[int]
    current: Appointment | None = None
    current_resource_ids: list[int] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.current is not None

    def changed(self, name: str) -> bool:
        return COLUMNS.changed(self.current, self.sent, name)


def stored_values(row: Appointment) -> dict[str, Any]:
    return COLUMNS.stored(row)


def booked_resource_ids(session: Session, appointment_id: int) -> list[int]:
    return sorted(
        session.scalars(
            select(AppointmentResource.resource_id).where(
                AppointmentResource.appointment_id == appointment_id
            )
        )
    )


def stage_one(
    session: Session, raw: Any, tz: ZoneInfo, *, current: Appointment | None, partial: bool
) -> Draft:
    """Field checks: types, formats, choices, and the existence of ``doctor`` / ``type``."""
    cleaned, errors = write_serializer(tz).collect(
        raw, partial=partial, use_defaults=current is None
    )
    # Ids below 1 exist nowhere (and below bigint the database could not even compare them).
    if "doctor" in cleaned and (
        cleaned["doctor"] < 1 or session.get(User, cleaned["doctor"]) is None
    ):
        errors["doctor"] = [does_not_exist(cleaned["doctor"])]
    if cleaned.get("type") is not None and (
        cleaned["type"] < 1 or session.get(AppointmentType, cleaned["type"]) is None
    ):
        errors["type"] = [does_not_exist(cleaned["type"])]
    if errors:
        raise ValidationFailed(errors)
    resource_ids = sorted(set(cleaned.pop("resource_ids", []) or []))
    sent_resources = "resource_ids" in (raw if isinstance(raw, dict) else {})
    current_resources = booked_resource_ids(session, current.id) if current else []
    values = {**(stored_values(current) if current else {}), **cleaned}
    return Draft(
        values=values,
        sent=cleaned | ({"resource_ids": resource_ids} if sent_resources else {}),
        resource_ids=resource_ids if sent_resources else current_resources,
        current=current,
        current_resource_ids=current_resources,
    )


def scheduling_checks_apply(draft: Draft) -> bool:
    """03 §4.3: always on create; on update only for changes that affect the schedule."""
    if draft.current is None:
        return True
    if draft.values["status"] == AppointmentStatus.CANCELLED:
        return False
    return (
        any(draft.changed(name) for name in ("start_time", "end_time", "doctor", "patient_id"))
        or sorted(draft.resource_ids) != draft.current_resource_ids
        or (
            draft.current.status == AppointmentStatus.CANCELLED
            and draft.values["status"] != AppointmentStatus.CANCELLED
        )
    )


def _doctor_row(session: Session, doctor_id: int) -> User:
    user = session.get(User, doctor_id)
    assert user is not None  # stage 1 checked existence
    return user


def object_checks(
    session: Session, draft: Draft, principal: Principal, tz: ZoneInfo
) -> Rejection | None:
    """Checks 2a–2g (end after start, same day, doctor role and scope, active type,
    resources and doctor); the first failure's 400 body, or None."""
    values = draft.values
    start, end = values["start_time"], values["end_time"]
    if end <= start:  # 2a
        return Rejection({"end_time": [TIME_ORDER]})
    if local_date(start, tz) != local_date(end, tz):  # 2b
        return Rejection({"end_time": [SAME_DAY]})
    doctor = _doctor_row(session, values["doctor"])
    doctor_changes = draft.changed("doctor")
    if doctor_changes and not is_doctor(doctor):  # 2c
        return Rejection({"doctor": [NOT_A_DOCTOR]})
    if not scoping.may_book_for(principal, values["doctor"]):  # 2d
        return Rejection({"doctor": [OWN_ONLY]})
    if values.get("type") is not None and draft.changed("type"):  # 2e
        appointment_type = session.get(AppointmentType, values["type"])
        if appointment_type is None or not appointment_type.active:
            return Rejection({"type": [TYPE_INACTIVE]})
    added = sorted(set(draft.resource_ids) - set(draft.current_resource_ids))
    if added:  # 2f
        active = set(
            session.scalars(
                select(Resource.id).where(Resource.id.in_(added), Resource.active.is_(True))
            )
        )
        if active != set(added):
            return Rejection({"resource_ids": [BAD_RESOURCES]})
    if doctor_changes and not doctor.is_active:  # 2g
        return Rejection(
            {"detail": f"Doctor with ID {doctor.id} not found or inactive", "field": "doctor_id"}
        )
    return None


def _active_doctor_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(User.id)
            .join(Role)
            .where(doctor_role(), User.is_active.is_(True))
            .order_by(User.id)
        )
    )


def _doctor_unavailable(
    session: Session,
    failure: CheckFailure,
    interval: Interval,
    doctor_id: int,
    tz: ZoneInfo,
    now: datetime,
) -> Rejection:
    first_day = local_date(interval.start, tz)
    last_day = first_day + timedelta(days=ALTERNATIVES_HORIZON_DAYS - 1)
    doctor_ids = _active_doctor_ids(session)
    data = scheduling_data.load(session, tz, first_day, last_day, doctor_ids=doctor_ids)
    found = alternatives(
        data, interval, requested_doctor_id=doctor_id, doctor_ids=doctor_ids, now=now
    )
    names = {
        user.id: user.display_name
        for user in session.scalars(select(User).where(User.id.in_([a.doctor_id for a in found])))
    }
    return Rejection(
        {
            "detail": [DOCTOR_UNAVAILABLE],
            "reason": [failure.value],
            "alternatives": [
                {
                    "doctor": {"id": item.doctor_id, "name": names[item.doctor_id]},
                    "next_available": format_datetime(item.next_available, tz),
                }
                for item in found
            ],
        }
    )


_OPERATION_MESSAGES = {
    "doctor_operation": ("doctor_conflict", "Doctor is involved in operation #{id}"),
    "patient_operation": (
        "patient_conflict",
        "Patient already has operation #{id} in this time range",
    ),
}


DOCTOR_UNAVAILABLE = "Doctor unavailable."
RESOURCE_CONFLICT = "Resource conflict"
OPERATION_CONFLICTS = "Scheduling conflicts detected"


def operation_conflicts(verdict: AppointmentCheck) -> list[dict[str, Any]]:
    """The ``conflicts`` list of an ``operation_conflict`` (03 §4.4)."""
    conflicts = []
    for item in verdict.conflicts:
        kind, message = _OPERATION_MESSAGES[item.kind.value]
        conflicts.append(
            {
                "type": kind,
                "model": "Operation",
                "id": item.source_id,
                "message": message.format(id=item.source_id),
            }
        )
    return conflicts


def conflict_reason(verdict: AppointmentCheck) -> dict[str, Any]:
    """A failed scheduling check as ``{"code", "message"[, "conflicts"]}`` with the texts of
    the single appointment's 400 bodies (for series previews and multi-booking 409s)."""
    failure = verdict.failure
    assert failure is not None
    if failure.doctor_unavailable:
        return {"code": failure.value, "message": DOCTOR_UNAVAILABLE}
    if failure is CheckFailure.RESOURCE_CONFLICT:
        return {"code": failure.value, "message": RESOURCE_CONFLICT}
    if failure is CheckFailure.PATIENT_CONFLICT:
        return {"code": failure.value, "message": PATIENT_CONFLICT}
    return {
        "code": failure.value,
        "message": OPERATION_CONFLICTS,
        "conflicts": operation_conflicts(verdict),
    }


def _scheduling_checks(
    session: Session, draft: Draft, tz: ZoneInfo, now: datetime
) -> Rejection | None:
    values = draft.values
    interval = Interval(values["start_time"], values["end_time"])
    day = local_date(interval.start, tz)
    data = scheduling_data.load(session, tz, day, day, doctor_ids=[values["doctor"]])
    verdict = check_appointment(
        data,
        interval,
        doctor_id=values["doctor"],
        patient_id=values["patient_id"],
        resource_ids=draft.resource_ids,
        exclude_appointment_id=draft.current.id if draft.current else None,
    )
    if verdict.failure is None:
        return None
    if verdict.failure.doctor_unavailable:
        return _doctor_unavailable(session, verdict.failure, interval, values["doctor"], tz, now)
    if verdict.failure is CheckFailure.RESOURCE_CONFLICT:
        return Rejection({"non_field_errors": [RESOURCE_CONFLICT]}, conflict=True)
    if verdict.failure is CheckFailure.PATIENT_CONFLICT:
        return Rejection({"detail": [PATIENT_CONFLICT]})
    return Rejection({"detail": OPERATION_CONFLICTS, "conflicts": operation_conflicts(verdict)})


def stage_two(
    session: Session, draft: Draft, principal: Principal, tz: ZoneInfo, now: datetime
) -> Rejection | None:
    rejection = object_checks(session, draft, principal, tz)
    if rejection is None and scheduling_checks_apply(draft):
        rejection = _scheduling_checks(session, draft, tz, now)
    return rejection
