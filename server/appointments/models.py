"""Appointments and their resource bookings.

The occupancy rows that forbid double booking (one per doctor, patient and booked
resource; none while cancelled) are ``server.bookings.occupancy``'s, shared with operations.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.bookings.rows import BookingRow
from server.models import Base
from shared.domain.statuses import AppointmentStatus

APPOINTMENT_STATUSES: tuple[str, ...] = tuple(status.value for status in AppointmentStatus)
# The text the migrations wrote (autogenerate compares it).
_STATUS_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in APPOINTMENT_STATUSES) + ")"


class Appointment(BookingRow, Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("patient_id > 0", name="patient_id_positive"),
        CheckConstraint("end_time > start_time", name="time_order"),
        CheckConstraint(_STATUS_CHECK, name="status"),
        Index("ix_appointments_start_id", "start_time", "id"),
        Index("ix_appointments_doctor_start", "doctor_id", "start_time"),
        Index("ix_appointments_patient_start", "patient_id", "start_time"),
        Index("ix_appointments_type_id", "type_id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = mapped_column(String(20), default=AppointmentStatus.SCHEDULED.value)
    is_no_show: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class AppointmentResource(Base):
    __tablename__ = "appointment_resources"
    __table_args__ = (Index("ix_appointment_resources_resource_id", "resource_id"),)

    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="RESTRICT"), primary_key=True
    )
