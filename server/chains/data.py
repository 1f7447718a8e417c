"""Everything a chain question needs, loaded once per request.

``server.bookings.scheduling_data.load`` narrowed to the doctors and resources of the
chain's steps (their hours, absences, breaks, bookings and operations), plus the patient's
own appointments and operations in the range — the narrow load leaves out those with other
doctors and resources, and a patient is never in two places at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments.models import Appointment
from server.bookings import scheduling_data
from server.operations.models import Operation
from shared.domain.statuses import AppointmentStatus, OperationStatus
from shared.scheduling import (
    BookedAppointment,
    BookedOperation,
    Interval,
    SchedulingData,
    day_bounds,
)


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
