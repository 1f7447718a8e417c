"""The board's columns: every flow status in chain order, with its German name and colour.

The flows themselves are :class:`desktop.api.patient_flow.Flow` objects; ``FlowCard`` is
kept as the board's name for them.
"""

from __future__ import annotations

from desktop.api.patient_flow import STATUS_LABELS, Flow
from shared.domain.statuses import PatientFlowStatus

# (status, German label, colour) in chain order (05 §3); the labels are source texts of the
# context "PatientFlow" (``desktop.api.patient_flow.status_label`` shows them).
STATUSES: list[tuple[PatientFlowStatus, str, str]] = [
    (status, STATUS_LABELS[status], status.colour) for status in PatientFlowStatus
]
LABELS: dict[str, str] = {status.value: label for status, label, _ in STATUSES}
FlowCard = Flow

__all__ = ["LABELS", "STATUSES", "FlowCard"]
