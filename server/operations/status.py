"""The operation status machine (spec 04 §2.6, D-OP-06, D-OP-07).

``planned → confirmed → running → done``; ``cancelled`` from any non-terminal status;
``done`` and ``cancelled`` are terminal. ``confirmed → running`` only once ``now >=
start_time``. The table is ``OperationStatus.next_steps`` in shared/domain (the desktop
offers its buttons from it); the time rule and the error bodies live here. They serve the
status endpoint (``PATCH /api/op-dashboard/{id}/status/``, 04 §5.6.3 steps 3–5) and a status
change sent through ``PUT/PATCH /api/operations/{id}/`` (step 5a of 04 §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.domain.statuses import OperationStatus

_STATUSES = frozenset(status.value for status in OperationStatus)


def _allowed(old: str, new: str) -> bool:
    """Whether ``old → new`` is in the shared table (any value outside the enum is not)."""
    if old not in _STATUSES or new not in _STATUSES:
        return False
    return OperationStatus(old).may_become(OperationStatus(new))


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
    if not isinstance(new, str) or not _allowed(old, new):
        return TransitionError(
            {"detail": "Invalid status transition.", "from": old, "to": new},
            "invalid_transition",
        )
    if new == OperationStatus.RUNNING and now < start_time:
        return TransitionError({"detail": RUNNING_BEFORE_START}, "running_before_start")
    # Unreachable after the table; kept because 04 §5.6.3 lists it as its own step.
    if new == OperationStatus.DONE and old != OperationStatus.RUNNING:
        return TransitionError({"detail": DONE_NOT_RUNNING}, "done_not_running")
    return None
