"""The columns every booking table has: a patient, a period, notes and change stamps.

A mixin for the declarative models (``Appointment``, ``Operation``); the tables, their
constraints and indexes stay with each domain (names as in migrations 0004/0005).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Text, func
from sqlalchemy.orm import Mapped, mapped_column


class BookingRow:
    # Any positive bigint: the patient need not exist in ``patients`` (03 §2, 04 §2.2).
    patient_id: Mapped[int] = mapped_column(BigInteger)
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
