"""The ``patients`` table (02 §1.1).

``id`` is the legacy patient number: client-supplied or drawn from ``patients_id_seq``
(skipping numbers already in use, see ``service.next_free_id``). ``search_text`` is a
database-generated, case-folded copy of the searchable fields that the search endpoint
matches against (02 §1.4, docs/patients-search.md); ``praxi_search_fold`` (migration 0009)
folds case for non-ASCII letters too (Ü → ü, which plain ``lower``/``ILIKE`` do not under the
embedded cluster's C locale) and spells umlauts out (ü → ue, ß → ss), so that each spelling
finds the other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Computed, Date, DateTime, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base

ID_SEQUENCE = "patients_id_seq"
SEARCH_EXPRESSION = (
    "praxi_search_fold(first_name || ' ' || last_name || ' ' || coalesce(phone, '') || ' ' "
    "|| coalesce(email, '') || ' ' || coalesce(insurance_number, ''))"
)


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("id > 0", name="id_positive"),
        Index("ix_patients_name_order", "last_name", "first_name", "id"),
        Index("ix_patients_birth_date", "birth_date"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    last_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(255))
    insurance_number: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    search_text: Mapped[str] = mapped_column(
        Text, Computed(SEARCH_EXPRESSION, persisted=True), deferred=True
    )
