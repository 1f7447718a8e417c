"""Tables of ``server.practice``: the practice's settings, each user's preferences and the
credentials of call-up displays (issue 20, docs/practice-settings.md, docs/call-up-display.md).

* ``practice_settings`` — exactly one row (``id = 1``, CHECK ``single_row``); the values whose
  shape is a small document (flow-board thresholds per status, the shown weekdays, the
  display options) are ``jsonb``, validated by ``server.practice.service`` before they are
  written.
* ``user_preferences`` — one row per user who saved any (a missing row means "defaults");
  the user is never deleted (soft delete, README "Users"), so the reference is RESTRICT.
* ``display_tokens`` — a display's credential is stored as its SHA-256 digest only; the
  token itself is shown once, when an admin creates it. A revoked token keeps its row
  (``revoked_at``) so the audit trail can name it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class PracticeSettings(Base):
    __tablename__ = "practice_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone: Mapped[str] = mapped_column(String(50), default="", server_default="")
    flow_thresholds: Mapped[dict[str, Any]] = mapped_column(JSONB)
    calendar_days: Mapped[list[int]] = mapped_column(JSONB)
    display: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UserPreferences(Base):
    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DisplayToken(Base):
    __tablename__ = "display_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
