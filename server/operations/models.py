"""Operations and their devices (spec 04 §2.2–§2.5).

An operation occupies its whole block ``[start_time, end_time)`` (prep + surgery + post,
04 §2.4) for its room, every attached device, every team member (as a *doctor*) and its
patient. Like appointments it writes rows into ``occupancies`` (kind ``doctor`` per team
member, ``patient``, ``resource`` for the room and each device) — none while cancelled — so
the one exclusion constraint ``ex_occupancies_no_overlap`` forbids double booking across
appointments *and* operations (README "No double booking").

Every reference is ``ON DELETE RESTRICT`` (D-OP-02): rooms, devices, operation types and
users with operations cannot be deleted (409 through ``delete_unless_referenced``). The
devices are owned children (CASCADE), as are the occupancy rows.

Decision: ``end_time - start_time`` is at most 72 hours (three durations of at most
1440 minutes each, 02 §3) — a CHECK makes it a database fact, so range queries can bound
the ``start_time`` index scan (``start_time > range_start - 72 hours``).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.bookings.rows import BookingRow
from server.models import Base
from shared.domain.statuses import OperationStatus

OPERATION_STATUSES: tuple[str, ...] = tuple(status.value for status in OperationStatus)
CREATE_STATUSES: tuple[str, ...] = (OperationStatus.PLANNED.value, OperationStatus.CONFIRMED.value)
# The text the migrations wrote (autogenerate compares it).
_STATUS_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in OPERATION_STATUSES) + ")"


class Operation(BookingRow, Base):
    __tablename__ = "operations"
    __table_args__ = (
        CheckConstraint("patient_id > 0", name="patient_id_positive"),
        CheckConstraint(
            "end_time > start_time AND end_time <= start_time + interval '72 hours'",
            name="time_order",
        ),
        CheckConstraint(_STATUS_CHECK, name="status"),
        Index("ix_operations_start_end", "start_time", "end_time"),
        Index("ix_operations_op_room_id", "op_room_id"),
        Index("ix_operations_primary_surgeon_id", "primary_surgeon_id"),
        Index("ix_operations_assistant_id", "assistant_id"),
        Index("ix_operations_anesthesist_id", "anesthesist_id"),
        Index("ix_operations_patient_id", "patient_id"),
        Index("ix_operations_op_type_id", "op_type_id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    primary_surgeon_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    anesthesist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    op_room_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="RESTRICT"))
    op_type_id: Mapped[int] = mapped_column(ForeignKey("operation_types.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(
        String(20),
        default=OperationStatus.PLANNED.value,
        server_default=OperationStatus.PLANNED.value,
    )

    @property
    def team(self) -> tuple[int, ...]:
        """Non-null team members in role order (primary surgeon, assistant, anesthesist)."""
        members = (self.primary_surgeon_id, self.assistant_id, self.anesthesist_id)
        return tuple(member for member in members if member is not None)


class OperationDevice(Base):
    __tablename__ = "operation_devices"
    __table_args__ = (
        UniqueConstraint("operation_id", "resource_id", name="uq_operation_devices_pair"),
        Index("ix_operation_devices_resource_id", "resource_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="RESTRICT"))
