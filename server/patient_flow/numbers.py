"""Call numbers drawn at check-in (issue 20, docs/call-up-display.md).

Every flow draws a short number for its practice-local day — ``A-017`` for an appointment,
``O-003`` for an operation — printed or shown to the patient, so the waiting room is called by
number, never by name.

The counter row per day and prefix is incremented with ``INSERT … ON CONFLICT DO UPDATE …
RETURNING``: the row lock serialises concurrent check-ins, so no two flows of one day draw
the same number, and the partial unique index ``uq_patient_flows_call_number`` is the
guarantee behind it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.patient_flow.models import PatientFlow
from shared.domain.practice import format_call_number

APPOINTMENT_PREFIX = "A"
OPERATION_PREFIX = "O"

_DRAW = text(
    "INSERT INTO call_number_counters (day, prefix, last_number) VALUES (:day, :prefix, 1) "
    "ON CONFLICT (day, prefix) DO UPDATE "
    "SET last_number = call_number_counters.last_number + 1 "
    "RETURNING last_number"
)


def assign_number(session: Session, flow: PatientFlow, now: datetime, tz: ZoneInfo) -> None:
    """Give ``flow`` the next number of today (practice-local) if it has none yet."""
    if flow.call_number is not None:
        return
    day = now.astimezone(tz).date()
    prefix = APPOINTMENT_PREFIX if flow.appointment_id is not None else OPERATION_PREFIX
    number = int(session.execute(_DRAW, {"day": day, "prefix": prefix}).scalar_one())
    flow.call_number = format_call_number(prefix, number)
    flow.call_day = day
