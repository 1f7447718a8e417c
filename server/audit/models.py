from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    FetchedValue,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class AuditLog(Base):
    """Append-only: a database trigger rejects UPDATE and DELETE (migration 0001).

    ``prev_hash``/``row_hash`` form a hash chain computed by a ``BEFORE INSERT`` trigger
    (migration 0006, ``server.audit.chain``); never set them from Python.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_action_timestamp", "action", "timestamp"),
        Index("ix_audit_log_patient_id_timestamp", "patient_id", "timestamp"),
        Index("ix_audit_log_timestamp_id", "timestamp", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    role_name: Mapped[str] = mapped_column(String(50), default="", index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)
    patient_id: Mapped[int | None] = mapped_column(index=True)
    timestamp: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp(), index=True
    )
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(String(64), server_default=FetchedValue())
    row_hash: Mapped[str] = mapped_column(String(64), server_default=FetchedValue())


class AuditChainHead(Base):
    """The one row holding the newest chain link (maintained by the audit trigger)."""

    __tablename__ = "audit_log_chain"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    head_id: Mapped[int | None] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))
