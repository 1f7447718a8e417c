"""The operation status machine (spec 04 §2.6, D-OP-06, D-OP-07).

``planned → confirmed → running → done``; ``cancelled`` from any non-terminal status;
``done`` and ``cancelled`` are terminal. ``confirmed → running`` only once ``now >=
start_time``. The same table and error bodies serve the status endpoint
(``PATCH /api/op-dashboard/{id}/status/``, 04 §5.6.3 steps 3–5) and a status change sent
through ``PUT/PATCH /api/operations/{id}/`` (step 5a of 04 §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.domain.statuses import OperationStatus

_S = OperationStatus
ALLOWED: dict[str, frozenset[str]] = {
    _S.PLANNED: frozenset({_S.CONFIRMED, _S.CANCELLED}),
    _S.CONFIRMED: frozenset({_S.RUNNING, _S.CANCELLED}),
    _S.RUNNING: frozenset({_S.DONE, _S.CANCELLED}),
    _S.DONE: frozenset(),
    _S.CANCELLED: frozenset(),
}

RUNNING_BEFORE_START = "running is only allowed when now >= start_time."
DONE_NOT_RUNNING = "done is only allowed when previous status was running."


@dataclass(frozen=True)
class TransitionError:
    """A refused transition: the 400 body and the audit ``detail`` code of 04 §5.6.3."""

    body: dict[str, Any]
    code: str


def transition_error(
    old: str, new: Any, *, start_time: datetime, now: datetime
) -> TransitionError | None:
    """Why ``old → new`` is refused (unknown values and same-status included), or None."""
    if not isinstance(new, str) or new not in ALLOWED.get(old, frozenset()):
        return TransitionError(
            {"detail": "Invalid status transition.", "from": old, "to": new},
            "invalid_transition",
        )
    if new == "running" and now < start_time:
        return TransitionError({"detail": RUNNING_BEFORE_START}, "running_before_start")
    if new == "done" and old != "running":  # unreachable after the table; kept (04 §5.6.3)
        return TransitionError({"detail": DONE_NOT_RUNNING}, "done_not_running")
    return None
