"""Tables of ``server.calendar_feeds`` (migration 0014, docs/calendar-feeds.md).

A feed row is one token ever issued for one subject — a doctor (``doctor_id``) or a room
(``resource_id``). Only the SHA-256 of the token is stored; the token itself is shown once,
when it is created. Revoking sets ``revoked_at``; the row stays as the record of who
subscribed when. At most one live (unrevoked) feed per subject.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base

DEFAULT_WINDOW_DAYS = 60
MAX_WINDOW_DAYS = 366
SETTINGS_ROW_ID = 1


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint("num_nonnulls(doctor_id, resource_id) = 1", name="one_subject"),
        CheckConstraint("length(token_hash) = 64", name="token_hash"),
        Index("uq_calendar_feeds_token_hash", "token_hash", unique=True),
        Index(
            "uq_calendar_feeds_live_doctor",
            "doctor_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL AND doctor_id IS NOT NULL"),
        ),
        Index(
            "uq_calendar_feeds_live_resource",
            "resource_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL AND resource_id IS NOT NULL"),
        ),
        Index("ix_calendar_feeds_doctor_id", "doctor_id"),
        Index("ix_calendar_feeds_resource_id", "resource_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def kind(self) -> str:
        return "doctor" if self.doctor_id is not None else "room"


class CalendarFeedSettings(Base):
    """The practice-wide switches of every feed (one row, id 1)."""

    __tablename__ = "calendar_feed_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(f"window_days BETWEEN 1 AND {MAX_WINDOW_DAYS}", name="window_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    show_patient_initials: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    window_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_WINDOW_DAYS, server_default=str(DEFAULT_WINDOW_DAYS)
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
