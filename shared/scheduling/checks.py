"""Scheduling checks for one concrete interval (spec 03 §4.2 checks 2h–2o, §8).

* :func:`check_appointment` runs 2h–2o in the contract's order and reports the first
  failure plus the rows that caused it. Field and object checks 2a–2g (end after start,
  same local day, roles, active type/resources/doctor) need the database and stay in the
  server; so does the decision *whether* to run these checks on an update (03 §4.3).
* :func:`available_doctor_ids`, :func:`free_room_ids` and :func:`busy_patient_ids` are
  the pure parts of ``GET /api/availability/`` (03 §8).

Hours containment is inclusive at both edges and needs *one* window (03 §5.1); adjacent
windows are not merged. Only windows of the local start date's weekday count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum

from shared.scheduling.bookings import Busy, ConflictKind, SchedulingData, find_conflicts
from shared.scheduling.hours import WeeklyHours, has_hours_on, windows_on
from shared.scheduling.intervals import Interval
from shared.scheduling.wallclock import day_bounds, local_date, local_days

__all__ = [
    "AppointmentCheck",
    "CheckFailure",
    "available_doctor_ids",
    "busy_patient_ids",
    "check_appointment",
    "check_hours",
    "day_segments",
    "free_room_ids",
]


class CheckFailure(StrEnum):
    """First failing scheduling check. The first seven are "Doctor unavailable." (03 §4.4)
    and their value is the ``reason`` code; the rest name the other error payloads."""

    NO_PRACTICE_HOURS = "no_practice_hours"  # 2h
    OUTSIDE_PRACTICE_HOURS = "outside_practice_hours"  # 2h
    NO_DOCTOR_HOURS = "no_doctor_hours"  # 2i
    OUTSIDE_DOCTOR_HOURS = "outside_doctor_hours"  # 2i
    ABSENCE = "absence"  # 2j
    BREAK = "break"  # 2k
    DOCTOR_BUSY = "doctor_busy"  # 2l
    RESOURCE_CONFLICT = "resource_conflict"  # 2m  {"non_field_errors": ["Resource conflict"]}
    PATIENT_CONFLICT = "patient_conflict"  # 2n
    OPERATION_CONFLICT = "operation_conflict"  # 2o  "Scheduling conflicts detected"

    @property
    def doctor_unavailable(self) -> bool:
        return self in _DOCTOR_UNAVAILABLE


_DOCTOR_UNAVAILABLE = frozenset(
    {
        CheckFailure.NO_PRACTICE_HOURS,
        CheckFailure.OUTSIDE_PRACTICE_HOURS,
        CheckFailure.NO_DOCTOR_HOURS,
        CheckFailure.OUTSIDE_DOCTOR_HOURS,
        CheckFailure.ABSENCE,
        CheckFailure.BREAK,
        CheckFailure.DOCTOR_BUSY,
    }
)

_FAILURE_OF_KIND = {
    ConflictKind.ABSENCE: CheckFailure.ABSENCE,
    ConflictKind.BREAK: CheckFailure.BREAK,
    ConflictKind.DOCTOR_APPOINTMENT: CheckFailure.DOCTOR_BUSY,
    ConflictKind.RESOURCE: CheckFailure.RESOURCE_CONFLICT,
    ConflictKind.PATIENT_APPOINTMENT: CheckFailure.PATIENT_CONFLICT,
    ConflictKind.DOCTOR_OPERATION: CheckFailure.OPERATION_CONFLICT,
    ConflictKind.PATIENT_OPERATION: CheckFailure.OPERATION_CONFLICT,
}


@dataclass(frozen=True)
class AppointmentCheck:
    """Outcome of :func:`check_appointment`.

    ``conflicts`` holds the busy items behind the failure: for ``operation_conflict`` all
    doctor conflicts (operation id ascending) then all patient conflicts — exactly the
    ``conflicts`` list of 03 §4.4; for the other busy-based failures the clashing rows of
    that kind; empty for hours failures and on success.
    """

    failure: CheckFailure | None = None
    conflicts: tuple[Busy, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failure is None


def check_hours(interval: Interval, hours: Iterable[WeeklyHours], tz: tzinfo) -> bool | None:
    """``None`` if the start date's weekday has no active row, else whether one window
    contains ``interval`` (inclusive edges, no merging)."""
    rows = list(hours)
    day = local_date(interval.start, tz)
    if not has_hours_on(day, rows):
        return None
    return any(window.interval.contains(interval) for window in windows_on(day, rows, tz))


def check_appointment(
    data: SchedulingData,
    interval: Interval,
    *,
    doctor_id: int,
    patient_id: int,
    resource_ids: Iterable[int] = (),
    exclude_appointment_id: int | None = None,
) -> AppointmentCheck:
    """Checks 2h–2o of 03 §4.2 for a booking; the first failing check wins."""
    practice = check_hours(interval, data.practice_hours, data.tz)
    if practice is None:
        return AppointmentCheck(CheckFailure.NO_PRACTICE_HOURS)
    if not practice:
        return AppointmentCheck(CheckFailure.OUTSIDE_PRACTICE_HOURS)
    doctor = check_hours(interval, data.hours_of(doctor_id), data.tz)
    if doctor is None:
        return AppointmentCheck(CheckFailure.NO_DOCTOR_HOURS)
    if not doctor:
        return AppointmentCheck(CheckFailure.OUTSIDE_DOCTOR_HOURS)
    conflicts = find_conflicts(
        interval,
        data.busy_for(
            doctor_id,
            patient_id=patient_id,
            resource_ids=resource_ids,
            exclude_appointment_id=exclude_appointment_id,
        ),
    )
    if not conflicts:
        return AppointmentCheck()
    failure = _FAILURE_OF_KIND[conflicts[0].kind]
    return AppointmentCheck(
        failure, tuple(item for item in conflicts if _FAILURE_OF_KIND[item.kind] is failure)
    )


def day_segments(interval: Interval, data: SchedulingData) -> list[Interval]:
    """``interval`` cut at local midnights: one piece per local day it touches."""
    first = local_date(interval.start, data.tz)
    last = local_date(interval.end, data.tz)
    pieces: list[Interval] = []
    for day in local_days(first, last):
        start, end = day_bounds(day, data.tz)
        piece = interval & Interval(start, end)
        if piece is not None:
            pieces.append(piece)
    return pieces


def available_doctor_ids(
    data: SchedulingData,
    doctor_ids: Iterable[int],
    interval: Interval,
    *,
    exclude_appointment_id: int | None = None,
) -> list[int]:
    """Doctors free for the whole ``interval`` (03 §8 ``available_doctors``), by id.

    Each local-day segment must pass 2h–2l and the doctor part of 2o against that day's
    hours, absences and breaks. A segment ending at the next local midnight cannot fit a
    window (the latest window end is 23:59:59.999999), as in 04 §3.2 17a.
    """
    segments = day_segments(interval, data)
    available: list[int] = []
    for doctor_id in sorted(set(doctor_ids)):
        hours = data.hours_of(doctor_id)
        busy = data.busy_for(doctor_id, exclude_appointment_id=exclude_appointment_id)
        if all(
            check_hours(segment, data.practice_hours, data.tz)
            and check_hours(segment, hours, data.tz)
            and not find_conflicts(segment, busy)
            for segment in segments
        ):
            available.append(doctor_id)
    return available


def free_room_ids(
    data: SchedulingData,
    room_ids: Iterable[int],
    interval: Interval,
    *,
    exclude_appointment_id: int | None = None,
) -> list[int]:
    """The given rooms (order kept) without a blocking booking or operation in ``interval``.

    The caller passes the active rooms ordered by ``name, id`` (03 §8 ``available_rooms``).
    """
    return [
        room_id
        for room_id in room_ids
        if not find_conflicts(
            interval,
            data.busy_for(resource_ids=(room_id,), exclude_appointment_id=exclude_appointment_id),
        )
    ]


def busy_patient_ids(
    data: SchedulingData,
    interval: Interval,
    *,
    exclude_appointment_id: int | None = None,
) -> frozenset[int]:
    """Patients with a blocking appointment or operation overlapping ``interval`` (03 §8).

    ``available_patients`` = all patients minus these (the server does that in SQL).
    """
    busy = {
        item.patient_id
        for item in data.appointments
        if item.blocks and item.id != exclude_appointment_id and item.interval.overlaps(interval)
    }
    busy.update(
        item.patient_id
        for item in data.operations
        if item.blocks and item.interval.overlaps(interval)
    )
    return frozenset(busy)
