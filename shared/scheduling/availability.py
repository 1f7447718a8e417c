"""Calendar availability summary — ``available_doctors`` of spec 03 §12.

For each doctor, every day of the range is scanned like 03 §9.3 with ``M`` = 30 minutes,
``L`` = 1, no type and no resources, except for the past-day rule: days before today are
scanned normally and "now" clips only the first day of the range, and only if that day
is today (original behaviour, kept).

While scanning, each blocked candidate records the first blocking kind in the order
appointments/operations (``busy``) → breaks (``break``). The verdict:

* a free slot on any day → ``available=True, reason=None``;
* ``no_hours`` — no day had both practice hours and doctor hours;
* ``absence`` — some day with hours was an absence day and no candidate of the other
  days was blocked by a break or busy time;
* ``break`` — some candidate was blocked by a break and none by busy time;
* ``busy`` — everything else (windows not intersecting, too short, all past…).

Implementation note: this scan steps candidate by candidate (5 minutes) instead of using
the sweep-line jump of :mod:`shared.scheduling.slots`, because a jump over a busy
interval could skip a candidate that would have been blocked by a *different* kind and
thus change the reason. At ``L`` = 1 it stops at the first free slot, so the cost is
bounded by the candidates of the days without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.scheduling.bookings import ConflictKind, SchedulingData, busy_set
from shared.scheduling.intervals import Interval
from shared.scheduling.slots import plan_day
from shared.scheduling.wallclock import GRID, local_days, round_up_to_grid

__all__ = [
    "SUMMARY_SLOT",
    "DoctorAvailability",
    "UnavailableReason",
    "availability_summary",
]

SUMMARY_SLOT = timedelta(minutes=30)


class UnavailableReason(StrEnum):
    NO_HOURS = "no_hours"
    ABSENCE = "absence"
    BREAK = "break"
    BUSY = "busy"


@dataclass(frozen=True)
class DoctorAvailability:
    """One ``available_doctors`` item (the server adds name and color)."""

    doctor_id: int
    available: bool
    reason: UnavailableReason | None = None


def _doctor_summary(
    data: SchedulingData,
    doctor_id: int,
    days: list[date],
    today: date,
    now: datetime,
) -> DoctorAvailability:
    busy_items = data.busy_for(doctor_id, include_absences=False)
    busy = busy_set(busy_items, ConflictKind.DOCTOR_APPOINTMENT, ConflictKind.DOCTOR_OPERATION)
    breaks = busy_set(busy_items, ConflictKind.BREAK)
    had_hours = absent_on_a_day = blocked_by_busy = blocked_by_break = False
    for day in days:
        plan = plan_day(data, doctor_id, day)
        if not plan.has_hours:
            continue
        had_hours = True
        if plan.absent:
            absent_on_a_day = True
            continue
        clip = now if day == days[0] == today else None
        for window in plan.windows:
            start = window.start if clip is None else max(window.start, clip)
            candidate = round_up_to_grid(start, data.tz)
            while candidate + SUMMARY_SLOT <= window.end:
                probe = Interval(candidate, candidate + SUMMARY_SLOT)
                if busy.overlaps(probe):
                    blocked_by_busy = True
                elif breaks.overlaps(probe):
                    blocked_by_break = True
                else:
                    return DoctorAvailability(doctor_id, True)
                candidate += GRID
    if not had_hours:
        reason = UnavailableReason.NO_HOURS
    elif absent_on_a_day and not (blocked_by_busy or blocked_by_break):
        reason = UnavailableReason.ABSENCE
    elif blocked_by_break and not blocked_by_busy:
        reason = UnavailableReason.BREAK
    else:
        reason = UnavailableReason.BUSY
    return DoctorAvailability(doctor_id, False, reason)


def availability_summary(
    data: SchedulingData,
    doctor_ids: Iterable[int],
    first_day: date,
    last_day: date,
    *,
    today: date,
    now: datetime,
) -> list[DoctorAvailability]:
    """03 §12 for the given doctors (the caller resolves which: self, one, or all active),
    ordered by doctor id, over the local days ``first_day … last_day``."""
    days = local_days(first_day, last_day)
    return [
        _doctor_summary(data, doctor_id, days, today, now) for doctor_id in sorted(set(doctor_ids))
    ]
