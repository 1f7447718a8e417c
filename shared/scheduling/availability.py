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
from shared.scheduling.intervals import Interval, IntervalSet
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
    """Kept with ``data`` (a server keeps it for many requests, issue 23). "now" only counts
    through the first candidate of today, ``round_up_to_grid(max(window start, now))`` =
    ``max(round_up(window start), round_up(now))``, so the grid step of now is the key."""
    clip = round_up_to_grid(now, data.tz) if days and days[0] == today else None
    key = ("availability_summary", doctor_id, tuple(days), clip)
    verdict: DoctorAvailability | None = data.derived.get(key)
    if verdict is None:
        verdict = data.derived[key] = _scan_summary(data, doctor_id, days, clip)
    return verdict


def _busy_and_breaks(data: SchedulingData, doctor_id: int) -> tuple[IntervalSet, IntervalSet]:
    key = ("summary_busy", doctor_id)
    sets: tuple[IntervalSet, IntervalSet] | None = data.derived.get(key)
    if sets is None:
        items = data.busy_for(doctor_id, include_absences=False)
        sets = data.derived[key] = (
            busy_set(items, ConflictKind.DOCTOR_APPOINTMENT, ConflictKind.DOCTOR_OPERATION),
            busy_set(items, ConflictKind.BREAK),
        )
    return sets


def _scan_summary(
    data: SchedulingData, doctor_id: int, days: list[date], clip: datetime | None
) -> DoctorAvailability:
    busy, breaks = _busy_and_breaks(data, doctor_id)
    had_hours = absent_on_a_day = blocked_by_busy = blocked_by_break = False
    for day in days:
        plan = plan_day(data, doctor_id, day)
        if not plan.has_hours:
            continue
        had_hours = True
        if plan.absent:
            absent_on_a_day = True
            continue
        first_candidate = clip if day == days[0] else None
        for window in plan.windows:
            candidate = round_up_to_grid(window.start, data.tz)
            if first_candidate is not None:
                candidate = max(candidate, first_candidate)
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
