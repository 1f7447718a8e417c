"""The patient-flow status chain (spec 05 §3).

``registered → waiting → preparing → in_treatment → post_treatment → done``: strictly one
step forward, no skipping, no going back, ``done`` is terminal. The chain itself is
:class:`shared.domain.statuses.PatientFlowStatus` (the desktop moves cards along the same one);
here it is turned into the 400 bodies of 05 §6. The same table serves the status endpoint and
a status change sent through the detail ``PUT``/``PATCH`` (05 §6 rule 5). A request for the
current status is not a transition; callers treat it as an accepted no-op.
"""

from __future__ import annotations

from typing import Any

from shared.domain.statuses import PatientFlowStatus

# German labels of the KPI response (08 §9; the desktop has its own, translatable ones) and
# the colours of 05 §3.
LABELS: dict[str, tuple[str, str]] = {
    status.value: (label, status.colour)
    for status, label in (
        (PatientFlowStatus.REGISTERED, "Angemeldet"),
        (PatientFlowStatus.WAITING, "Im Wartezimmer"),
        (PatientFlowStatus.PREPARING, "In Vorbereitung"),
        (PatientFlowStatus.IN_TREATMENT, "In Behandlung"),
        (PatientFlowStatus.POST_TREATMENT, "Nachbereitung"),
        (PatientFlowStatus.DONE, "Abgeschlossen"),
    )
}


def transition_error(old: str, new: str) -> dict[str, Any] | None:
    """The 400 body for a refused ``old → new`` (``new != old``), or None when allowed.

    Both values are valid statuses (the serializer checked ``new``, the database ``old``)."""
    if PatientFlowStatus(old).may_become(PatientFlowStatus(new)):
        return None
    return {"status": [f"Ungültiger Übergang {old} -> {new}."]}


def initial_status_error(value: str) -> dict[str, Any] | None:
    """D-PF-03: a new flow starts as ``registered`` or ``waiting``."""
    if PatientFlowStatus(value).is_initial:
        return None
    return {"status": [f"Ungültiger Anfangsstatus {value}."]}
