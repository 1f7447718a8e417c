from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class _Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class PracticeHours(_Timestamps, Base):
    __tablename__ = "practice_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="time_order"),
        Index("ix_practice_hours_order", "weekday", "start_time", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class DoctorHours(_Timestamps, Base):
    __tablename__ = "doctor_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="time_order"),
        UniqueConstraint(
            "doctor_id", "weekday", "start_time", "end_time", "active", name="uq_doctor_hours_slot"
        ),
        Index("ix_doctor_hours_order", "doctor_id", "weekday", "start_time", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class DoctorAbsence(_Timestamps, Base):
    __tablename__ = "doctor_absences"
    __table_args__ = (
        CheckConstraint("start_date <= end_date", name="date_order"),
        Index("ix_doctor_absences_order", "doctor_id", "start_date", "end_date", "id"),
        Index("ix_doctor_absences_range", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class DoctorBreak(_Timestamps, Base):
    """A break on one date; ``doctor_id`` null means practice-wide (every doctor)."""

    __tablename__ = "doctor_breaks"
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="time_order"),
        Index("ix_doctor_breaks_order", "date", "start_time", "doctor_id", "id"),
        Index("ix_doctor_breaks_doctor_date", "doctor_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    reason: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
