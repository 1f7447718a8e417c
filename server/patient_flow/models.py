"""Patient flows and their status events (spec 05 §2).

A flow is bound to exactly one appointment **or** one operation (D-PF-02, CHECK
``one_link``). Both links are ``ON DELETE RESTRICT`` (D-PF-09): deleting an appointment or
operation that a flow — even a ``done`` one — points to is refused with 409 through
``server.core.references.delete_unless_referenced``. The status events are owned children
(CASCADE); they are the authoritative source of every duration (05 §2.2, §4).

Indexes:

* ``uq_patient_flows_active_appointment`` / ``…_active_operation`` — partial unique indexes
  ``WHERE status <> 'done'``: at most one unfinished flow per appointment / operation
  (D-PF-07, 05 §10), the database guarantee behind rule 7.
* ``ix_patient_flows_appointment_id`` / ``…_operation_id`` — full indexes, so the foreign-key
  check of an appointment / operation delete never scans the table.
* ``ix_patient_flows_live`` — ``(status_changed_at DESC, id DESC) WHERE status <> 'done'``:
  the board (``/live/``) reads only unfinished flows, already in the list order, however many
  finished flows have piled up.
* ``ix_patient_flows_day`` — ``coalesce(arrival_time, status_changed_at)`` for the optional
  ``date`` filter (D-PF-10).
* ``ix_patient_flow_status_events_flow`` — ``(flow_id, to_status, changed_at)``: the first
  event per status of a flow (05 §4) is an index range read.
* ``uq_patient_flows_call_number`` — ``(call_day, call_number)``: the call number a flow gets
  at check-in (issue 20, docs/call-up-display.md) is unique per practice-local day; the
  numbers come from ``call_number_counters`` (one row per day and prefix, incremented with
  ``INSERT … ON CONFLICT DO UPDATE``, so concurrent check-ins never draw the same number).
* ``flow_calls`` — every "Aufrufen" (number, room, time): what call-up displays show. Owned by
  the flow (CASCADE); ``ix_flow_calls_called`` serves "the last calls".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base
from shared.domain.statuses import PatientFlowStatus

FLOW_STATUSES: tuple[str, ...] = tuple(status.value for status in PatientFlowStatus)
INITIAL_STATUSES: tuple[str, ...] = tuple(s.value for s in PatientFlowStatus if s.is_initial)
ACTIVE_APPOINTMENT_INDEX = "uq_patient_flows_active_appointment"
ACTIVE_OPERATION_INDEX = "uq_patient_flows_active_operation"
# The migrations wrote this constraint; the model states the same text so autogenerate
# finds no difference.
_STATUS_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in FLOW_STATUSES) + ")"


class PatientFlow(Base):
    __tablename__ = "patient_flows"
    __table_args__ = (
        CheckConstraint("num_nonnulls(appointment_id, operation_id) = 1", name="one_link"),
        CheckConstraint(_STATUS_CHECK, name="status"),
        Index("ix_patient_flows_appointment_id", "appointment_id"),
        Index("ix_patient_flows_operation_id", "operation_id"),
        Index(
            ACTIVE_APPOINTMENT_INDEX,
            "appointment_id",
            unique=True,
            postgresql_where=text("status <> 'done'"),
        ),
        Index(
            ACTIVE_OPERATION_INDEX,
            "operation_id",
            unique=True,
            postgresql_where=text("status <> 'done'"),
        ),
        Index(
            "ix_patient_flows_live",
            text("status_changed_at DESC"),
            text("id DESC"),
            postgresql_where=text("status <> 'done'"),
        ),
        Index("ix_patient_flows_changed", "status_changed_at", "id"),
        Index("ix_patient_flows_day", text("coalesce(arrival_time, status_changed_at)")),
        Index(
            "uq_patient_flows_call_number",
            "call_day",
            "call_number",
            unique=True,
            postgresql_where=text("call_number IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="RESTRICT")
    )
    operation_id: Mapped[int | None] = mapped_column(
        ForeignKey("operations.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = mapped_column(String(32), default=PatientFlowStatus.REGISTERED.value)
    arrival_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    notes: Mapped[str | None] = mapped_column(Text)
    call_number: Mapped[str | None] = mapped_column(String(16))
    call_day: Mapped[date | None] = mapped_column(Date)


class PatientFlowStatusEvent(Base):
    __tablename__ = "patient_flow_status_events"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK.replace("status IN", "to_status IN"), name="to_status"),
        Index("ix_patient_flow_status_events_flow", "flow_id", "to_status", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("patient_flows.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))


class CallNumberCounter(Base):
    """The last call number drawn per practice-local day and prefix."""

    __tablename__ = "call_number_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class FlowCall(Base):
    """One "Aufrufen": the flow's number and the room the patient is asked into."""

    __tablename__ = "flow_calls"
    __table_args__ = (
        Index("ix_flow_calls_called", text("called_at DESC"), text("id DESC")),
        Index("ix_flow_calls_flow", "flow_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("patient_flows.id", ondelete="CASCADE"))
    call_number: Mapped[str] = mapped_column(String(16))
    room: Mapped[str] = mapped_column(String(100))
    called_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
