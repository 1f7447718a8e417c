"""Tables of ``server.reminders`` (docs/reminders.md, migration 0013).

``reminders`` is the outbox: rows are written in the transaction of the appointment write
(``server.reminders.planning``) and sent by ``server.reminders.worker``. It has no foreign key
to ``appointments`` on purpose: a deleted appointment's reminders stay as history
(``withdrawn``/``sent``).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base
from server.reminders import defaults
from shared.domain.reminders import ReminderChannel, ReminderStatus, WithdrawReason


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


STATUSES = tuple(s.value for s in ReminderStatus)
CHANNELS = tuple(c.value for c in ReminderChannel)
REASONS = tuple(r.value for r in WithdrawReason)
SETTINGS_ID = 1


class ReminderSettings(Base):
    """The practice's one row: sending window, practice details, templates."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        CheckConstraint(f"id = {SETTINGS_ID}", name="single_row"),
        CheckConstraint("send_until > send_from", name="window_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    send_from: Mapped[time] = mapped_column(Time, server_default=text("'08:00'"))
    send_until: Mapped[time] = mapped_column(Time, server_default=text("'20:00'"))
    practice_name: Mapped[str] = mapped_column(String(200), server_default="")
    practice_phone: Mapped[str] = mapped_column(String(50), server_default="")
    practice_address: Mapped[str] = mapped_column(String(300), server_default="")
    cancel_instruction: Mapped[str] = mapped_column(
        String(300), server_default=defaults.CANCEL_INSTRUCTION
    )
    include_doctor_name: Mapped[bool] = mapped_column(Boolean, server_default="false")
    email_subject: Mapped[str] = mapped_column(String(200), server_default=defaults.EMAIL_SUBJECT)
    email_body: Mapped[str] = mapped_column(Text, server_default=defaults.EMAIL_BODY)
    sms_body: Mapped[str] = mapped_column(String(640), server_default=defaults.SMS_BODY)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReminderRule(Base):
    """When and how to remind for one appointment type, or the practice default (type NULL)."""

    __tablename__ = "reminder_rules"
    __table_args__ = (
        Index(
            "uq_reminder_rules_type",
            "appointment_type_id",
            unique=True,
            postgresql_where=text("appointment_type_id IS NOT NULL"),
        ),
        Index(
            "uq_reminder_rules_default",
            text("(appointment_type_id IS NULL)"),
            unique=True,
            postgresql_where=text("appointment_type_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="CASCADE")
    )
    offsets_minutes: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default="{}")
    channels: Mapped[list[str]] = mapped_column(ARRAY(String(10)), server_default="{}")
    include_type_name: Mapped[bool] = mapped_column(Boolean, server_default="false")
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReminderConsent(Base):
    """One recorded consent decision; the latest per patient and channel is in force."""

    __tablename__ = "reminder_consents"
    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        Index("ix_reminder_consents_patient", "patient_id", "channel", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """One message to send (the outbox row) and what became of it."""

    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(
            "(status = 'withdrawn') = (reason IS NOT NULL) "
            f"AND (reason IS NULL OR {_in('reason', REASONS)})",
            name="reason",
        ),
        Index("ix_reminders_appointment", "appointment_id", "due_at"),
        Index("ix_reminders_patient", "patient_id"),
        Index("ix_reminders_due", "due_at", "id"),
        Index(
            "ix_reminders_queue",
            "next_attempt_at",
            "id",
            postgresql_where=text("status = 'planned'"),
        ),
        # A reminder is planned once per schedule: re-planning never duplicates one that is
        # planned, sent or failed.
        Index(
            "uq_reminders_once",
            "appointment_id",
            "channel",
            "offset_minutes",
            "due_at",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(BigInteger)
    patient_id: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(10))
    offset_minutes: Mapped[int] = mapped_column(Integer)
    # The appointment start this reminder was planned for (the worker re-checks it).
    appointment_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12), server_default="planned")
    reason: Mapped[str | None] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
