"""Load what the scheduling engine needs for a local date range, in ONE query.

Practice hours, doctor hours, absences, breaks, appointments (with their resource ids) and
operations (with their device ids) come back as one JSON document that PostgreSQL builds,
whatever the number of doctors, days or rows; the engine (``shared.scheduling``) then
answers without touching the database again. One statement instead of six because these
loads sit on the hot path of suggest, availability and every appointment write, and each
round trip through SQLAlchemy and psycopg cost about a millisecond of CPU.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.orm import Session

from server.bookings import scheduling_cache
from server.bookings.limits import APPOINTMENT_LOOKBACK_HOURS, MAX_OPERATION_HOURS
from shared.scheduling import (
    Absence,
    BookedAppointment,
    BookedOperation,
    Break,
    DoctorHours,
    Interval,
    PracticeHours,
    SchedulingData,
    day_bounds,
)

# An appointment lasts less than APPOINTMENT_LOOKBACK_HOURS, an operation at most
# MAX_OPERATION_HOURS: the look-back lets the start_time indexes bound the scans.
_APPOINTMENT_LOOKBACK = timedelta(hours=APPOINTMENT_LOOKBACK_HOURS)
_OPERATION_LOOKBACK = timedelta(hours=MAX_OPERATION_HOURS + 1)

# :doctors NULL = every doctor. :narrow = only the bookings of :doctors plus those that use
# one of :resources (resource and patient conflicts otherwise cross doctors).
_LOAD_SQL = text(
    """
SELECT json_build_array(
  (SELECT coalesce(json_agg(json_build_array(id, weekday, start_time, end_time)), '[]')
     FROM practice_hours WHERE active),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, weekday, start_time, end_time)),
                   '[]')
     FROM doctor_hours
    WHERE active AND (CAST(:doctors AS bigint[]) IS NULL OR doctor_id = ANY(:doctors))),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, start_date, end_date)), '[]')
     FROM doctor_absences
    WHERE active AND start_date <= :last_day AND end_date >= :first_day
      AND (CAST(:doctors AS bigint[]) IS NULL OR doctor_id = ANY(:doctors))),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, date, start_time, end_time)), '[]')
     FROM doctor_breaks
    WHERE active AND date >= :first_day AND date <= :last_day),
  (SELECT coalesce(json_agg(json_build_array(
            a.id, a.doctor_id, a.patient_id, a.start_time, a.end_time, a.status,
            (SELECT array_agg(ar.resource_id) FROM appointment_resources ar
              WHERE ar.appointment_id = a.id))), '[]')
     FROM appointments a
    WHERE a.status <> 'cancelled'
      AND a.start_time < :range_end AND a.end_time > :range_start
      AND a.start_time > :appointments_from
      AND (NOT :narrow OR a.doctor_id = ANY(:doctors)
           OR EXISTS (SELECT 1 FROM appointment_resources ar
                       WHERE ar.appointment_id = a.id AND ar.resource_id = ANY(:resources)))),
  (SELECT coalesce(json_agg(json_build_array(
            o.id, o.patient_id, o.primary_surgeon_id, o.assistant_id, o.anesthesist_id,
            o.op_room_id, o.start_time, o.end_time, o.status,
            (SELECT array_agg(od.resource_id) FROM operation_devices od
              WHERE od.operation_id = o.id))), '[]')
     FROM operations o
    WHERE o.status <> 'cancelled'
      AND o.start_time < :range_end AND o.end_time > :range_start
      AND o.start_time > :operations_from
      AND (NOT :narrow
           OR o.primary_surgeon_id = ANY(:doctors) OR o.assistant_id = ANY(:doctors)
           OR o.anesthesist_id = ANY(:doctors) OR o.op_room_id = ANY(:resources)
           OR EXISTS (SELECT 1 FROM operation_devices od
                       WHERE od.operation_id = o.id AND od.resource_id = ANY(:resources))))
)::text
"""
).bindparams(
    bindparam("doctors", type_=ARRAY(BIGINT)),
    bindparam("resources", type_=ARRAY(BIGINT)),
)


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def load(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int] | None = None,
    only_doctors_bookings: bool = False,
    resource_ids: Collection[int] = (),
) -> SchedulingData:
    """Everything touching the local days ``first_day``…``last_day``.

    ``doctor_ids`` limits hours and absences to those doctors (None = all); bookings are
    loaded for everybody in the range because resource and patient conflicts cross doctors.
    ``only_doctors_bookings`` (with ``doctor_ids``) loads just those doctors' appointments and
    the operations they work in, plus every booking that uses one of ``resource_ids`` — for
    questions about the doctors' own time and those resources (calendar availability
    summary, suggestions), which then convert a fraction of the rows.
    """
    narrow = only_doctors_bookings and doctor_ids is not None
    range_start = day_bounds(first_day, tz)[0]
    range_end = day_bounds(last_day, tz)[1]
    raw = session.execute(
        _LOAD_SQL,
        {
            "doctors": None if doctor_ids is None else list(doctor_ids),
            "resources": list(resource_ids),
            "narrow": narrow,
            "first_day": first_day,
            "last_day": last_day,
            "range_start": range_start,
            "range_end": range_end,
            "appointments_from": range_start - _APPOINTMENT_LOOKBACK,
            "operations_from": range_start - _OPERATION_LOOKBACK,
        },
    ).scalar_one()
    return from_json_rows(raw, tz)


def load_cached(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int] | None = None,
    only_doctors_bookings: bool = False,
    resource_ids: Collection[int] = (),
) -> SchedulingData:
    """``load`` through the process's cache (``server.bookings.scheduling_cache``): for the
    questions that only read (suggest, the calendar's availability). Writes check their
    conflicts against ``load`` inside their own locked transaction, never against this."""
    key = (
        "scheduling_data",
        tz.key,
        first_day,
        last_day,
        None if doctor_ids is None else tuple(sorted(set(doctor_ids))),
        only_doctors_bookings,
        tuple(sorted(set(resource_ids))),
    )
    return scheduling_cache.cached(
        session,
        key,
        lambda: load(
            session,
            tz,
            first_day,
            last_day,
            doctor_ids=doctor_ids,
            only_doctors_bookings=only_doctors_bookings,
            resource_ids=resource_ids,
        ),
    )


def from_json_rows(raw: str | bytes, tz: ZoneInfo) -> SchedulingData:
    """The scheduling data from the loader's one JSON answer: practice hours, doctor hours,
    absences, breaks, appointments and operations as arrays of rows (also read by series
    previews, which load only the occurrences' days)."""
    practice, doctor_hours, absences, breaks, appointments, operations = orjson.loads(raw)
    return SchedulingData(
        tz=tz,
        practice_hours=tuple(
            PracticeHours(
                weekday=r[1],
                start_time=time.fromisoformat(r[2]),
                end_time=time.fromisoformat(r[3]),
                id=r[0],
            )
            for r in practice
        ),
        doctor_hours=tuple(
            DoctorHours(
                doctor_id=r[1],
                weekday=r[2],
                start_time=time.fromisoformat(r[3]),
                end_time=time.fromisoformat(r[4]),
                id=r[0],
            )
            for r in doctor_hours
        ),
        absences=tuple(
            Absence(
                doctor_id=r[1],
                start_date=date.fromisoformat(r[2]),
                end_date=date.fromisoformat(r[3]),
                id=r[0],
            )
            for r in absences
        ),
        breaks=tuple(
            Break(
                doctor_id=r[1],
                day=date.fromisoformat(r[2]),
                start_time=time.fromisoformat(r[3]),
                end_time=time.fromisoformat(r[4]),
                id=r[0],
            )
            for r in breaks
        ),
        appointments=tuple(_appointment(r) for r in appointments),
        operations=tuple(_operation(r) for r in operations),
    )


def _appointment(r: list[Any]) -> BookedAppointment:
    return BookedAppointment(
        id=r[0],
        doctor_id=r[1],
        patient_id=r[2],
        interval=Interval(_utc(r[3]), _utc(r[4])),
        status=r[5],
        resource_ids=frozenset(r[6] or ()),
    )


def _operation(r: list[Any]) -> BookedOperation:
    return BookedOperation(
        id=r[0],
        patient_id=r[1],
        primary_surgeon_id=r[2],
        assistant_id=r[3],
        anesthesist_id=r[4],
        room_id=r[5],
        interval=Interval(_utc(r[6]), _utc(r[7])),
        status=r[8],
        device_ids=frozenset(r[9] or ()),
    )
