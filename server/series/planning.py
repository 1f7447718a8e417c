"""What a series is checked against, loaded once for its whole span.

The doctor's bookings and those of the requested resources come from the shared loader
(``server.bookings.scheduling_data``, narrowed to the doctor and resources, so a year of
the whole practice is not converted); the patient's own appointments and operations — the
only other bookings that can block an occurrence (2n, 2o) — are added by one more query.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.bookings import scheduling_data
from server.bookings.limits import APPOINTMENT_LOOKBACK_HOURS, MAX_OPERATION_HOURS
from shared.scheduling import (
    BookedAppointment,
    BookedOperation,
    Interval,
    SchedulingData,
    day_bounds,
)

_PATIENT_SQL = text(
    f"""
SELECT json_build_array(
  (SELECT coalesce(json_agg(json_build_array(
            a.id, a.doctor_id, a.start_time, a.end_time, a.status,
            (SELECT array_agg(ar.resource_id) FROM appointment_resources ar
              WHERE ar.appointment_id = a.id))), '[]')
     FROM appointments a
    WHERE a.patient_id = :patient AND a.status <> 'cancelled'
      AND a.start_time < :range_end AND a.end_time > :range_start
      AND a.start_time > :range_start - interval '{APPOINTMENT_LOOKBACK_HOURS} hours'),
  (SELECT coalesce(json_agg(json_build_array(
            o.id, o.primary_surgeon_id, o.assistant_id, o.anesthesist_id, o.op_room_id,
            o.start_time, o.end_time, o.status,
            (SELECT array_agg(od.resource_id) FROM operation_devices od
              WHERE od.operation_id = o.id))), '[]')
     FROM operations o
    WHERE o.patient_id = :patient AND o.status <> 'cancelled'
      AND o.start_time < :range_end AND o.end_time > :range_start
      AND o.start_time > :range_start - interval '{MAX_OPERATION_HOURS + 1} hours')
)::text
"""  # noqa: S608 — constants only; values are bound
)


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _patient_bookings(
    session: Session, patient_id: int, start: datetime, end: datetime
) -> tuple[list[BookedAppointment], list[BookedOperation]]:
    raw = session.execute(
        _PATIENT_SQL, {"patient": patient_id, "range_start": start, "range_end": end}
    ).scalar_one()
    appointments_raw, operations_raw = orjson.loads(raw)
    appointments = [
        BookedAppointment(
            id=r[0],
            doctor_id=r[1],
            patient_id=patient_id,
            interval=Interval(_utc(r[2]), _utc(r[3])),
            status=r[4],
            resource_ids=frozenset(r[5] or ()),
        )
        for r in appointments_raw
    ]
    operations = [_operation(r, patient_id) for r in operations_raw]
    return appointments, operations


def _operation(r: list[Any], patient_id: int) -> BookedOperation:
    return BookedOperation(
        id=r[0],
        patient_id=patient_id,
        primary_surgeon_id=r[1],
        assistant_id=r[2],
        anesthesist_id=r[3],
        room_id=r[4],
        interval=Interval(_utc(r[5]), _utc(r[6])),
        status=r[7],
        device_ids=frozenset(r[8] or ()),
    )


def load_for(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int],
    patient_id: int,
    resource_ids: Collection[int],
) -> SchedulingData:
    """Everything that can block an appointment of these doctors, this patient and these
    resources on the local days ``first_day`` … ``last_day``."""
    data = scheduling_data.load(
        session,
        tz,
        first_day,
        last_day,
        doctor_ids=sorted(set(doctor_ids)),
        only_doctors_bookings=True,
        resource_ids=sorted(set(resource_ids)),
    )
    start, end = day_bounds(first_day, tz)[0], day_bounds(last_day, tz)[1]
    appointments, operations = _patient_bookings(session, patient_id, start, end)
    known_appointments = {item.id for item in data.appointments}
    known_operations = {item.id for item in data.operations}
    return replace(
        data,
        appointments=data.appointments
        + tuple(item for item in appointments if item.id not in known_appointments),
        operations=data.operations
        + tuple(item for item in operations if item.id not in known_operations),
    )
