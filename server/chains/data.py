"""Everything a chain question needs, loaded once per request.

``server.bookings.scheduling_data.load`` narrowed to the doctors and resources of the
chain's steps (their hours, absences, breaks, bookings and operations), plus the patient's
own appointments and operations in the range — the narrow load leaves out those with other
doctors and resources, and a patient is never in two places at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.orm import Session

from server.appointments.models import Appointment
from server.bookings import scheduling_data
from server.operations.models import Operation
from shared.domain.statuses import AppointmentStatus, OperationStatus
from shared.scheduling import (
    Absence,
    BookedAppointment,
    BookedOperation,
    Break,
    DoctorHours,
    Interval,
    IntervalSet,
    PracticeHours,
    SchedulingData,
    day_bounds,
)
from shared.scheduling.chains import BookedTime


def load(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int],
    resource_ids: Collection[int],
    patient_id: int,
) -> SchedulingData:
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
    known_appointments = {a.id for a in data.appointments}
    known_operations = {o.id for o in data.operations}
    appointments = [
        BookedAppointment(
            id=row.id,
            doctor_id=row.doctor_id,
            patient_id=row.patient_id,
            interval=Interval(row.start_time, row.end_time),
            status=AppointmentStatus(row.status),
        )
        for row in session.scalars(
            select(Appointment).where(
                Appointment.patient_id == patient_id,
                Appointment.status != AppointmentStatus.CANCELLED.value,
                Appointment.start_time < end,
                Appointment.end_time > start,
            )
        )
        if row.id not in known_appointments
    ]
    operations = [
        BookedOperation(
            id=row.id,
            patient_id=row.patient_id,
            primary_surgeon_id=row.primary_surgeon_id,
            interval=Interval(row.start_time, row.end_time),
            assistant_id=row.assistant_id,
            anesthesist_id=row.anesthesist_id,
            room_id=row.op_room_id,
            status=OperationStatus(row.status),
        )
        for row in session.scalars(
            select(Operation).where(
                Operation.patient_id == patient_id,
                Operation.status != OperationStatus.CANCELLED.value,
                Operation.start_time < end,
                Operation.end_time > start,
            )
        )
        if row.id not in known_operations
    ]
    if not appointments and not operations:
        return data
    return replace(
        data,
        appointments=data.appointments + tuple(appointments),
        operations=data.operations + tuple(operations),
    )


# -- the suggestion's load: hours from their tables, booked time from the occupancy rows --

_HOURS_SQL = text(
    """
SELECT json_build_array(
  (SELECT coalesce(json_agg(json_build_array(id, weekday, start_time, end_time)), '[]')
     FROM practice_hours WHERE active),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, weekday, start_time, end_time)),
                   '[]')
     FROM doctor_hours WHERE active AND doctor_id = ANY(:doctors)),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, start_date, end_date)), '[]')
     FROM doctor_absences
    WHERE active AND start_date <= :last_day AND end_date >= :first_day
      AND doctor_id = ANY(:doctors)),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, date, start_time, end_time)), '[]')
     FROM doctor_breaks
    WHERE active AND date >= :first_day AND date <= :last_day
      AND (doctor_id IS NULL OR doctor_id = ANY(:doctors)))
)::text
"""
).bindparams(bindparam("doctors", type_=ARRAY(BIGINT)))

# Merged booked time per subject, straight from the occupancy rows (one per blocking
# booking and doctor/team member, patient, resource; none while cancelled).
_BOOKED_SQL = text(
    """
SELECT kind, subject_id, extract(epoch FROM lower(piece)), extract(epoch FROM upper(piece))
  FROM (SELECT kind, subject_id, unnest(range_agg(period)) AS piece
          FROM occupancies
         WHERE period && tstzrange(:range_start, :range_end)
           AND ((kind = 'doctor' AND subject_id = ANY(:doctors))
                OR (kind = 'resource' AND subject_id = ANY(:resources))
                OR (kind = 'patient' AND subject_id = :patient))
         GROUP BY kind, subject_id) merged
 ORDER BY kind, subject_id, 3
"""
).bindparams(
    bindparam("doctors", type_=ARRAY(BIGINT)),
    bindparam("resources", type_=ARRAY(BIGINT)),
)


def load_for_search(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int],
    resource_ids: Collection[int],
    patient_id: int,
) -> tuple[SchedulingData, BookedTime]:
    """Hours, absences and breaks of the doctors, and the merged booked time of the
    doctors, the resources and the patient, for the local days ``first_day … last_day``.

    Two statements whatever the number of bookings: the database merges the booked time
    (``range_agg``), so a full schedule arrives as a few blocks per doctor and day.
    """
    doctors = sorted(set(doctor_ids))
    raw = session.execute(
        _HOURS_SQL, {"doctors": doctors, "first_day": first_day, "last_day": last_day}
    ).scalar_one()
    practice, hours, absences, breaks = orjson.loads(raw)
    data = SchedulingData(
        tz=tz,
        practice_hours=tuple(
            PracticeHours(r[1], time.fromisoformat(r[2]), time.fromisoformat(r[3]), id=r[0])
            for r in practice
        ),
        doctor_hours=tuple(
            DoctorHours(r[1], r[2], time.fromisoformat(r[3]), time.fromisoformat(r[4]), id=r[0])
            for r in hours
        ),
        absences=tuple(
            Absence(r[1], date.fromisoformat(r[2]), date.fromisoformat(r[3]), id=r[0])
            for r in absences
        ),
        breaks=tuple(
            Break(
                r[1],
                date.fromisoformat(r[2]),
                time.fromisoformat(r[3]),
                time.fromisoformat(r[4]),
                id=r[0],
            )
            for r in breaks
        ),
    )
    rows = session.execute(
        _BOOKED_SQL,
        {
            "doctors": doctors,
            "resources": sorted(set(resource_ids)),
            "patient": patient_id,
            "range_start": day_bounds(first_day, tz)[0],
            "range_end": day_bounds(last_day, tz)[1],
        },
    ).all()
    pieces: dict[tuple[str, int], list[Interval]] = defaultdict(list)
    for kind, subject, start, end in rows:
        pieces[kind, subject].append(
            Interval(
                datetime.fromtimestamp(float(start), UTC), datetime.fromtimestamp(float(end), UTC)
            )
        )
    booked = BookedTime(
        doctors={s: IntervalSet.of(p) for (k, s), p in pieces.items() if k == "doctor"},
        resources={s: IntervalSet.of(p) for (k, s), p in pieces.items() if k == "resource"},
        patient=IntervalSet.of(pieces.get(("patient", patient_id), ())),
    )
    return data, booked
