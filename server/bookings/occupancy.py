"""Occupancy rows: the database's own guarantee against double booking.

Every blocking booking writes one row per thing it occupies — each doctor (for operations:
every team member), its patient, every booked room or device — with the booked period as
``tstzrange(start, end, '[)')``. One exclusion constraint over ``(kind, subject_id,
period)`` makes two overlapping rows for the same doctor, patient or resource impossible,
across appointments *and* operations, whatever the application checks missed under
concurrency. Cancelled bookings have no occupancy rows (cancelled blocks nothing, 03 §5.3).

The table and constraint names are those of migrations 0004/0005; the owners are plain
foreign keys by table name, so this module imports no booking domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, delete
from sqlalchemy.dialects.postgresql import TSTZRANGE, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.models import Base

OCCUPANCY_KINDS = ("doctor", "patient", "resource")
OCCUPANCY_CONSTRAINT = "ex_occupancies_no_overlap"

Owner = Literal["appointment", "operation"]
Subject = tuple[Literal["doctor", "patient", "resource"], int]


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


class Occupying(Protocol):
    """A booking as its occupancy rows see it."""

    @property
    def id(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def start_time(self) -> datetime: ...

    @property
    def end_time(self) -> datetime: ...


def rewrite(
    session: Session, owner: Owner, booking: Occupying, subjects: Iterable[Subject]
) -> None:
    """Replace the booking's occupancy rows: one per subject, none while cancelled."""
    column = Occupancy.appointment_id if owner == "appointment" else Occupancy.operation_id
    session.execute(delete(Occupancy).where(column == booking.id))
    if booking.status == "cancelled":
        return
    period = Range(booking.start_time, booking.end_time, bounds="[)")
    session.add_all(
        Occupancy(**{column.key: booking.id}, kind=kind, subject_id=subject, period=period)
        for kind, subject in subjects
    )
    session.flush()
