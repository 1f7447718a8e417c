"""Names and defaults of the practice settings and personal preferences (issue 20).

Shared by the server, which validates and stores them (``server.practice``), and the desktop,
which shows and applies them: a value added on one side only would be refused by the other.
The contract is docs/practice-settings.md.
"""

from __future__ import annotations

from enum import StrEnum

from shared.domain.statuses import PatientFlowStatus

__all__ = [
    "CALENDAR_RASTERS",
    "DEFAULT_AMBER_MINUTES",
    "DEFAULT_RED_MINUTES",
    "DEFAULT_THRESHOLDS",
    "THRESHOLD_STATUSES",
    "CalendarView",
    "ColourMode",
    "StartScreen",
    "format_call_number",
]


class StartScreen(StrEnum):
    """The screen a user sees first after signing in."""

    TODAY = "today"
    CALENDAR = "calendar"
    OP_PLAN = "op_plan"
    PATIENT_FLOW = "patient_flow"
    PATIENTS = "patients"


class CalendarView(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    RESOURCES = "resources"


class ColourMode(StrEnum):
    """What the colour of an appointment block tells: its doctor or its type."""

    DOCTOR = "doctor"
    TYPE = "type"


#: Minutes one raster line of the calendar stands for.
CALENDAR_RASTERS: tuple[int, ...] = (5, 10, 15, 30)

DEFAULT_AMBER_MINUTES = 15
DEFAULT_RED_MINUTES = 30
#: The flow-board statuses whose time in status is judged amber/red ("done" is never late).
THRESHOLD_STATUSES: tuple[PatientFlowStatus, ...] = tuple(
    status for status in PatientFlowStatus if status is not PatientFlowStatus.DONE
)
DEFAULT_THRESHOLDS: dict[str, dict[str, int]] = {
    status.value: {"amber": DEFAULT_AMBER_MINUTES, "red": DEFAULT_RED_MINUTES}
    for status in THRESHOLD_STATUSES
}


def format_call_number(prefix: str, number: int) -> str:
    """The number a patient is called by: ``A-017`` (three digits at least)."""
    return f"{prefix}-{number:03d}"
