"""Tables of ``server.waiting_list`` (migration 0012, docs/waiting-list.md).

``waiting_list_freed_slots`` rows are written by database triggers (migration 0012) in the
transaction that frees the time; the matcher (``server.waiting_list.matcher``) completes
them after commit. ``waiting_list_entries`` are the patients waiting for an earlier slot.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base
from shared.domain.waiting_list import EntryStatus, Priority


class FreedSlot(Base):
    __tablename__ = "waiting_list_freed_slots"
    __table_args__ = (
        CheckConstraint(
            "source IN ('appointment', 'absence', 'doctor_hours', 'practice_hours', 'break')",
            name="source",
        ),
        CheckConstraint(
            "reason IN ('cancelled', 'deleted', 'moved', 'no_show', 'absence_shortened', "
            "'absence_removed', 'hours_extended', 'break_removed')",
            name="reason",
        ),
        Index(
            "ix_waiting_list_freed_slots_unmatched",
            "id",
            postgresql_where=text("matched_at IS NULL"),
        ),
        Index(
            "ix_waiting_list_freed_slots_open",
            "period_end",
            "id",
            postgresql_where=text("candidate_count > 0"),
        ),
        Index("ix_waiting_list_freed_slots_period_start", "period_start"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(BigInteger)
    doctor_id: Mapped[int | None] = mapped_column(BigInteger)
    start_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    detected_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    matched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    period_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    freed_minutes: Mapped[int | None] = mapped_column(Integer)
    candidate_count: Mapped[int | None] = mapped_column(Integer)


class WaitingListEntry(Base):
    __tablename__ = "waiting_list_entries"
    __table_args__ = (
        CheckConstraint("patient_id > 0", name="patient_id_positive"),
        CheckConstraint(
            "latest_date IS NULL OR earliest_date IS NULL OR latest_date >= earliest_date",
            name="date_order",
        ),
        CheckConstraint("status IN ('waiting', 'offered', 'booked', 'removed')", name="status"),
        CheckConstraint("priority IN ('normal', 'urgent')", name="priority"),
        CheckConstraint(
            "removal_reason IS NULL OR removal_reason IN "
            "('expired', 'patient_declined', 'booked_elsewhere', 'other')",
            name="removal_reason",
        ),
        Index("ix_waiting_list_entries_order", "status", "priority", "created_at", "id"),
        Index("ix_waiting_list_entries_patient_id", "patient_id"),
        Index("ix_waiting_list_entries_type_id", "type_id"),
        Index("ix_waiting_list_entries_booked_appointment_id", "booked_appointment_id"),
        Index("ix_waiting_list_entries_freed_slot_id", "freed_slot_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    patient_id: Mapped[int] = mapped_column(BigInteger)
    type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id", ondelete="RESTRICT"))
    doctor_ids: Mapped[list[int]] = mapped_column(
        ARRAY(BigInteger), default=list, server_default=text("'{}'")
    )
    earliest_date: Mapped[date | None] = mapped_column(Date)
    latest_date: Mapped[date | None] = mapped_column(Date)
    windows: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    priority: Mapped[str] = mapped_column(
        String(10), default=Priority.NORMAL.value, server_default="normal"
    )
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(
        String(10), default=EntryStatus.WAITING.value, server_default="waiting"
    )
    removal_reason: Mapped[str | None] = mapped_column(String(20))
    removal_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    booked_appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    freed_slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("waiting_list_freed_slots.id", ondelete="SET NULL")
    )
    booked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set from the server clock (``server.core.clock``), so the test clock ranks entries too.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
