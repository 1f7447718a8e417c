"""Status enums of appointments and operations, shared by server, desktop and engine.

Spec 03 §1.1 / §5.3 and 04 §2.6: a ``cancelled`` appointment or operation blocks nothing;
every other status blocks time, resources and the patient.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AppointmentStatus", "OperationStatus"]


class AppointmentStatus(StrEnum):
    """Status of an appointment (03 §1.1). No transition rules apply."""

    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def blocks(self) -> bool:
        """Whether an appointment in this status occupies its time (03 §5.3)."""
        return self is not AppointmentStatus.CANCELLED


class OperationStatus(StrEnum):
    """Status of an operation (04 §2.6)."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def blocks(self) -> bool:
        """Whether an operation in this status occupies its time (03 §5.3)."""
        return self is not OperationStatus.CANCELLED
