"""Appointment types, operation types and resources (rooms, devices) — 02 §2–§4."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, String, false, func, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base

APPOINTMENT_TYPE_COLOR = "#2E8B57"
OPERATION_TYPE_COLOR = "#8A2BE2"
RESOURCE_COLOR = "#6A5ACD"
RESOURCE_TYPES = ("room", "device")


class MasterRecord(Base):
    """Common columns: a bigint identity id and server-set timestamps."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AppointmentType(MasterRecord):
    __tablename__ = "appointment_types"
    __table_args__ = (
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440",
            name="duration_range",
        ),
        Index("ix_appointment_types_order", "name", "id"),
        Index("ix_appointment_types_active", "active"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str | None] = mapped_column(
        String(7), default=APPOINTMENT_TYPE_COLOR, server_default=APPOINTMENT_TYPE_COLOR
    )
    duration_minutes: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class OperationType(MasterRecord):
    __tablename__ = "operation_types"
    __table_args__ = (
        CheckConstraint("prep_duration BETWEEN 0 AND 1440", name="prep_duration_range"),
        CheckConstraint("op_duration BETWEEN 0 AND 1440", name="op_duration_range"),
        CheckConstraint("post_duration BETWEEN 0 AND 1440", name="post_duration_range"),
        Index("ix_operation_types_order", "name", "id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(255))
    prep_duration: Mapped[int] = mapped_column(default=0, server_default="0")
    op_duration: Mapped[int] = mapped_column(default=0, server_default="0")
    post_duration: Mapped[int] = mapped_column(default=0, server_default="0")
    color: Mapped[str] = mapped_column(
        String(7), default=OPERATION_TYPE_COLOR, server_default=OPERATION_TYPE_COLOR
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")

    @property
    def total_minutes(self) -> int:
        """Minutes an operation of this type occupies from its start (02 §3.1)."""
        return self.prep_duration + self.op_duration + self.post_duration


def _op_capable_default(context: DefaultExecutionContext) -> bool:
    """A new room is offered for surgery unless it is marked otherwise (docs/op-rooms.md);
    a device never is."""
    # SQLAlchemy computes the default per row, with that row's parameters.
    parameters = context.current_parameters or {}
    return bool(parameters.get("type") == "room")


class Resource(MasterRecord):
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("type IN ('room', 'device')", name="type_choice"),
        CheckConstraint("type = 'room' OR NOT op_capable", name="op_capable_room"),
        Index("ix_resources_order", "type", "name", "id"),
        Index("ix_resources_active_order", "type", "name", "id", postgresql_where=text("active")),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(10))
    color: Mapped[str] = mapped_column(
        String(7), default=RESOURCE_COLOR, server_default=RESOURCE_COLOR
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    #: Shown as a row of OP-Plan (docs/op-rooms.md). The database default (false) is what
    #: rows inserted by hand get; the ORM decides by type.
    op_capable: Mapped[bool] = mapped_column(
        Boolean, default=_op_capable_default, server_default=false()
    )
