"""Tables of ``server.chains`` (migration 0016): chain templates and booked chains."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class ChainTemplate(Base):
    __tablename__ = "chain_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ChainTemplateStep(Base):
    __tablename__ = "chain_template_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("chain_templates.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))
    appointment_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="RESTRICT")
    )
    op_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("operation_types.id", ondelete="RESTRICT")
    )
    duration_minutes: Mapped[int] = mapped_column(Integer)
    doctor_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    room_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    resource_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    gap_rule: Mapped[str] = mapped_column(String(20), server_default="range")
    gap_min: Mapped[int] = mapped_column(Integer, server_default="0")
    gap_max: Mapped[int] = mapped_column(Integer, server_default="0")
    gap_unit: Mapped[str] = mapped_column(String(8), server_default="minutes")


class AppointmentChain(Base):
    __tablename__ = "appointment_chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("chain_templates.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(100))
    patient_id: Mapped[int] = mapped_column(BigInteger)
    doctor_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    status: Mapped[str] = mapped_column(String(12), default="active", server_default="active")
    step_count: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AppointmentChainStep(Base):
    __tablename__ = "appointment_chain_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("appointment_chains.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    operation_id: Mapped[int | None] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), unique=True
    )
