"""Load what the scheduling engine needs for a local date range, in a fixed number of queries.

One query each for practice hours, doctor hours, absences, breaks, appointments (with their
resource ids aggregated) — and operations once that table exists — whatever the number of
doctors, days or rows. The engine (``shared.scheduling``) then answers without touching the
database again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.appointments.models import Appointment, AppointmentResource
from server.working_hours import models as wh
from shared.scheduling import (
    Absence,
    BookedAppointment,
    Break,
    DoctorHours,
    Interval,
    PracticeHours,
    SchedulingData,
    day_bounds,
)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def load(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int] | None = None,
) -> SchedulingData:
    """Everything touching the local days ``first_day``…``last_day``.

    ``doctor_ids`` limits hours and absences to those doctors (None = all); bookings are
    loaded for everybody in the range because resource and patient conflicts cross doctors.
    """
    range_start = day_bounds(first_day, tz)[0]
    range_end = day_bounds(last_day, tz)[1]

    practice = session.execute(
        select(
            wh.PracticeHours.id,
            wh.PracticeHours.weekday,
            wh.PracticeHours.start_time,
            wh.PracticeHours.end_time,
        ).where(wh.PracticeHours.active.is_(True))
    ).all()
    doctor_hours_q = select(
        wh.DoctorHours.id,
        wh.DoctorHours.doctor_id,
        wh.DoctorHours.weekday,
        wh.DoctorHours.start_time,
        wh.DoctorHours.end_time,
    ).where(wh.DoctorHours.active.is_(True))
    absences_q = select(
        wh.DoctorAbsence.id,
        wh.DoctorAbsence.doctor_id,
        wh.DoctorAbsence.start_date,
        wh.DoctorAbsence.end_date,
    ).where(
        wh.DoctorAbsence.active.is_(True),
        wh.DoctorAbsence.start_date <= last_day,
        wh.DoctorAbsence.end_date >= first_day,
    )
    if doctor_ids is not None:
        doctor_hours_q = doctor_hours_q.where(wh.DoctorHours.doctor_id.in_(doctor_ids))
        absences_q = absences_q.where(wh.DoctorAbsence.doctor_id.in_(doctor_ids))
    breaks = session.execute(
        select(
            wh.DoctorBreak.id,
            wh.DoctorBreak.doctor_id,
            wh.DoctorBreak.date,
            wh.DoctorBreak.start_time,
            wh.DoctorBreak.end_time,
        ).where(
            wh.DoctorBreak.active.is_(True),
            wh.DoctorBreak.date >= first_day,
            wh.DoctorBreak.date <= last_day,
        )
    ).all()
    resources = (
        select(func.array_agg(AppointmentResource.resource_id))
        .where(AppointmentResource.appointment_id == Appointment.id)
        .scalar_subquery()
    )
    appointments = session.execute(
        select(
            Appointment.id,
            Appointment.doctor_id,
            Appointment.patient_id,
            Appointment.start_time,
            Appointment.end_time,
            Appointment.status,
            resources,
        ).where(
            Appointment.status != "cancelled",
            Appointment.start_time < range_end,
            Appointment.end_time > range_start,
            Appointment.start_time > range_start - timedelta(hours=26),
        )
    ).all()
    return SchedulingData(
        tz=tz,
        practice_hours=tuple(
            PracticeHours(weekday=r.weekday, start_time=r.start_time, end_time=r.end_time, id=r.id)
            for r in practice
        ),
        doctor_hours=tuple(
            DoctorHours(
                doctor_id=r.doctor_id,
                weekday=r.weekday,
                start_time=r.start_time,
                end_time=r.end_time,
                id=r.id,
            )
            for r in session.execute(doctor_hours_q)
        ),
        absences=tuple(
            Absence(doctor_id=r.doctor_id, start_date=r.start_date, end_date=r.end_date, id=r.id)
            for r in session.execute(absences_q)
        ),
        breaks=tuple(
            Break(
                doctor_id=r.doctor_id,
                day=r.date,
                start_time=r.start_time,
                end_time=r.end_time,
                id=r.id,
            )
            for r in breaks
        ),
        appointments=tuple(
            BookedAppointment(
                id=r.id,
                doctor_id=r.doctor_id,
                patient_id=r.patient_id,
                interval=Interval(_utc(r.start_time), _utc(r.end_time)),
                status=r.status,
                resource_ids=frozenset(r[6] or ()),
            )
            for r in appointments
        ),
    )
