"""The patient-flow status chain (spec 05 §3).

``registered → waiting → preparing → in_treatment → post_treatment → done``: strictly one
step forward, no skipping, no going back, ``done`` is terminal. The same table serves the
status endpoint and a status change sent through the detail ``PUT``/``PATCH`` (05 §6 rule 5).
A request for the current status is not a transition; callers treat it as an accepted no-op.
"""

from __future__ import annotations

import itertools
from typing import Any

from server.patient_flow.models import FLOW_STATUSES

NEXT: dict[str, str] = dict(itertools.pairwise(FLOW_STATUSES))

# Labels and colours of the board (05 §3; UI only, not part of any response).
LABELS = {
    "registered": ("Angemeldet", "#6C757D"),
    "waiting": ("Im Wartezimmer", "#FFC107"),
    "preparing": ("In Vorbereitung", "#17A2B8"),
    "in_treatment": ("In Behandlung", "#28A745"),
    "post_treatment": ("Nachbereitung", "#0D6EFD"),
    "done": ("Abgeschlossen", "#198754"),
}


def transition_error(old: str, new: str) -> dict[str, Any] | None:
    """The 400 body for a refused ``old → new`` (``new != old``), or None when allowed."""
    if NEXT.get(old) == new:
        return None
    return {"status": [f"Ungültiger Übergang {old} -> {new}."]}


def initial_status_error(value: str) -> dict[str, Any] | None:
    """D-PF-03: a new flow starts as ``registered`` or ``waiting``."""
    if value in ("registered", "waiting"):
        return None
    return {"status": [f"Ungültiger Anfangsstatus {value}."]}
