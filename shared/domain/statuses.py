"""Status enums of appointments, operations and patient flows, shared by server, desktop and
engine.

Spec 03 §1.1 / §5.3 and 04 §2.6: a ``cancelled`` appointment or operation blocks nothing;
every other status blocks time, resources and the patient. Spec 05 §3: a patient flow moves
strictly one step forward along its chain.
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

    @property
    def next_steps(self) -> tuple[OperationStatus, ...]:
        """The statuses an operation may move to from here, forward step first (04 §2.6):
        ``planned → confirmed → running → done``, ``cancelled`` from any non-terminal status;
        ``done`` and ``cancelled`` are terminal. The time rule (``running`` only once the
        start has come, D-OP-07) needs a clock and stays with the server."""
        return _OPERATION_STEPS[self]

    def may_become(self, new: OperationStatus) -> bool:
        """Whether ``self → new`` is in the table (a same-status request is no transition)."""
        return new in _OPERATION_STEPS[self]


class PatientFlowStatus(StrEnum):
    """Where a patient is in the practice (05 §3); members are in chain order."""

    REGISTERED = "registered"
    WAITING = "waiting"
    PREPARING = "preparing"
    IN_TREATMENT = "in_treatment"
    POST_TREATMENT = "post_treatment"
    DONE = "done"

    @property
    def next(self) -> PatientFlowStatus | None:
        """The one status a flow may move to from here; None for ``done`` (terminal)."""
        chain = list(PatientFlowStatus)
        index = chain.index(self)
        return chain[index + 1] if index + 1 < len(chain) else None

    def may_become(self, new: PatientFlowStatus) -> bool:
        """Whether ``self → new`` is a transition the server accepts (a same-status request
        is a no-op, not a transition, and is not covered here)."""
        return self.next is new

    @property
    def is_initial(self) -> bool:
        """Whether a new flow may start in this status (D-PF-03)."""
        return self in (PatientFlowStatus.REGISTERED, PatientFlowStatus.WAITING)

    @property
    def colour(self) -> str:
        """The status colour of 05 §3 (board columns, KPI charts)."""
        return _FLOW_COLOURS[self]


_OPERATION_STEPS: dict[OperationStatus, tuple[OperationStatus, ...]] = {
    OperationStatus.PLANNED: (OperationStatus.CONFIRMED, OperationStatus.CANCELLED),
    OperationStatus.CONFIRMED: (OperationStatus.RUNNING, OperationStatus.CANCELLED),
    OperationStatus.RUNNING: (OperationStatus.DONE, OperationStatus.CANCELLED),
    OperationStatus.DONE: (),
    OperationStatus.CANCELLED: (),
}

_FLOW_COLOURS = {
    PatientFlowStatus.REGISTERED: "#6C757D",
    PatientFlowStatus.WAITING: "#FFC107",
    PatientFlowStatus.PREPARING: "#17A2B8",
    PatientFlowStatus.IN_TREATMENT: "#28A745",
    PatientFlowStatus.POST_TREATMENT: "#0D6EFD",
    PatientFlowStatus.DONE: "#198754",
}
