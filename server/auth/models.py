from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class RefreshTokenFamily(Base):
    """The chain of refresh tokens that one login started (01 §3.2 rotation)."""

    __tablename__ = "refresh_token_families"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    current_jti: Mapped[str] = mapped_column(String(64))
    # The token ``current_jti`` replaced and when ``current_jti`` was issued (login or last
    # rotation): a parallel refresh with the previous token within the grace window gets the
    # current token again instead of ending the family (``service.ROTATION_GRACE``). Ids and
    # times only, never a token. NULL for families from before migration 0008.
    previous_jti: Mapped[str | None] = mapped_column(String(64))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """One failed login; counted per username over a sliding window (01 §3.1).

    Kept in the database so that every worker of a central installation sees the same count.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_failed_at", "username_key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username_key: Mapped[str] = mapped_column(String(150))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
