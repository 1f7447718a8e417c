"""Appointments, their resource bookings, and the occupancy rows that forbid double booking.

Occupancy model (shared with operations): every blocking booking writes one row per thing it
occupies — its doctor (for operations: every team member), its patient, every booked room or
device — with the booked period as ``tstzrange(start, end, '[)')``. One exclusion constraint
over ``(kind, subject_id, period)`` makes two overlapping rows for the same doctor, patient
or resource impossible, whatever the application checks missed under concurrency. Cancelled
bookings have no occupancy rows (cancelled blocks nothing, 03 §5.3).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import TSTZRANGE, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base

APPOINTMENT_STATUSES = ("scheduled", "confirmed", "cancelled", "completed")
OCCUPANCY_KINDS = ("doctor", "patient", "resource")
OCCUPANCY_CONSTRAINT = "ex_occupancies_no_overlap"


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("patient_id > 0", name="patient_id_positive"),
        CheckConstraint("end_time > start_time", name="time_order"),
        CheckConstraint(
            "status IN ('scheduled', 'confirmed', 'cancelled', 'completed')", name="status"
        ),
        Index("ix_appointments_start_id", "start_time", "id"),
        Index("ix_appointments_doctor_start", "doctor_id", "start_time"),
        Index("ix_appointments_patient_start", "patient_id", "start_time"),
        Index("ix_appointments_type_id", "type_id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(BigInteger)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="RESTRICT")
    )
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    is_no_show: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    notes: Mapped[str | None] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class AppointmentResource(Base):
    __tablename__ = "appointment_resources"
    __table_args__ = (Index("ix_appointment_resources_resource_id", "resource_id"),)

    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="RESTRICT"), primary_key=True
    )


class Occupancy(Base):
    __tablename__ = "occupancies"
    __table_args__ = (
        CheckConstraint("kind IN ('doctor', 'patient', 'resource')", name="kind"),
        ExcludeConstraint(
            ("kind", "="),
            ("subject_id", "="),
            ("period", "&&"),
            name=OCCUPANCY_CONSTRAINT,
            using="gist",
        ),
        Index("ix_occupancies_appointment_id", "appointment_id"),
        Index("ix_occupancies_operation_id", "operation_id"),
        CheckConstraint("num_nonnulls(appointment_id, operation_id) = 1", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE")
    )
    # Set for the rows of an operation (04 §8; migration 0005); exactly one owner per row.
    operation_id: Mapped[int | None] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[Range[datetime]] = mapped_column(TSTZRANGE)
