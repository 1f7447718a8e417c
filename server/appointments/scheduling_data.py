"""Load what the scheduling engine needs for a local date range, in a fixed number of queries.

One query each for practice hours, doctor hours, absences, breaks, appointments (with their
resource ids aggregated) and operations (with their device ids aggregated), whatever the
number of doctors, days or rows. The engine (``shared.scheduling``) then answers without
touching the database again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, null, or_, select, true
from sqlalchemy.orm import Session

from server.appointments.models import Appointment, AppointmentResource
from server.operations.models import MAX_OPERATION_HOURS, Operation, OperationDevice
from server.working_hours import models as wh
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


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def load(
    session: Session,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    *,
    doctor_ids: Collection[int] | None = None,
    only_doctors_bookings: bool = False,
) -> SchedulingData:
    """Everything touching the local days ``first_day``…``last_day``.

    ``doctor_ids`` limits hours and absences to those doctors (None = all); bookings are
    loaded for everybody in the range because resource and patient conflicts cross doctors.
    ``only_doctors_bookings`` (with ``doctor_ids``) loads just those doctors' appointments and
    the operations they work in, without resource sets — for questions about the doctors'
    own time only (calendar availability summary, suggestions without resources), which
    then convert a fraction of the rows.
    """
    narrow = only_doctors_bookings and doctor_ids is not None
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
        if not narrow
        else null()
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
            Appointment.doctor_id.in_(doctor_ids) if narrow and doctor_ids is not None else true(),
        )
    ).all()
    devices = (
        select(func.array_agg(OperationDevice.resource_id))
        .where(OperationDevice.operation_id == Operation.id)
        .scalar_subquery()
    )
    operations = session.execute(
        select(
            Operation.id,
            Operation.patient_id,
            Operation.primary_surgeon_id,
            Operation.assistant_id,
            Operation.anesthesist_id,
            Operation.op_room_id,
            Operation.start_time,
            Operation.end_time,
            Operation.status,
            devices,
        ).where(
            Operation.status != "cancelled",
            Operation.start_time < range_end,
            Operation.end_time > range_start,
            # An operation lasts at most 72 hours (CHECK ck_operations_time_order).
            Operation.start_time > range_start - timedelta(hours=MAX_OPERATION_HOURS + 1),
            or_(
                Operation.primary_surgeon_id.in_(doctor_ids),
                Operation.assistant_id.in_(doctor_ids),
                Operation.anesthesist_id.in_(doctor_ids),
            )
            if narrow and doctor_ids is not None
            else true(),
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
        operations=tuple(
            BookedOperation(
                id=r.id,
                patient_id=r.patient_id,
                primary_surgeon_id=r.primary_surgeon_id,
                assistant_id=r.assistant_id,
                anesthesist_id=r.anesthesist_id,
                room_id=r.op_room_id,
                interval=Interval(_utc(r.start_time), _utc(r.end_time)),
                status=r.status,
                device_ids=frozenset(r[9] or ()),
            )
            for r in operations
        ),
    )
