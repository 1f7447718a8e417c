"""Tables of ``server.series``: a series and which appointments belong to it (0015).

The membership is its own table (not columns on ``appointments``), so the appointment model
and every existing write stay untouched; deleting an appointment removes just its
membership (``ON DELETE CASCADE``), the series keeps the rest.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class AppointmentSeries(Base):
    __tablename__ = "appointment_series"
    __table_args__ = (
        CheckConstraint("occurrence_count BETWEEN 1 AND 104", name="occurrence_count_range"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        Index("ix_appointment_series_doctor_id", "doctor_id"),
        Index("ix_appointment_series_patient_id", "patient_id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(BigInteger)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="RESTRICT")
    )
    rule: Mapped[str] = mapped_column(Text)
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    occurrence_count: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default="{}")
    notes: Mapped[str] = mapped_column(Text, server_default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class AppointmentSeriesMember(Base):
    __tablename__ = "appointment_series_members"
    __table_args__ = (
        UniqueConstraint("series_id", "position"),
        CheckConstraint("position BETWEEN 1 AND 104", name="position_range"),
    )

    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    series_id: Mapped[int] = mapped_column(ForeignKey("appointment_series.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
