"""Status enums of appointments, operations and patient flows, shared by server, desktop and engine.

Spec 03 §1.1 / §5.3 and 04 §2.6: a ``cancelled`` appointment or operation blocks nothing;
every other status blocks time, resources and the patient. Spec 05 §3: the patient-flow chain.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AppointmentStatus", "OperationStatus", "PatientFlowStatus"]


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


class PatientFlowStatus(StrEnum):
    """Status of a patient flow (05 §3), in the order of the chain (one step forward only)."""

    REGISTERED = "registered"
    WAITING = "waiting"
    PREPARING = "preparing"
    IN_TREATMENT = "in_treatment"
    POST_TREATMENT = "post_treatment"
    DONE = "done"
