"""Free-slot search: "scan a day" of spec 03 §9.3 as a sweep line.

For one doctor, day ``X``, duration ``M`` and limit ``L``:

1. ``P`` = active practice windows of weekday(X), ``H`` = the doctor's; each ordered by
   ``start_time, id``. Either empty → no slots.
2. The doctor is absent on ``X`` → no slots.
3. Busy = the doctor's blocking appointments and operations (team member), practice-wide
   and own breaks, and — with a resource set ``R`` — every blocking booking or operation
   using a resource of ``R``. All are merged once into an :class:`IntervalSet`
   (``O(n log n)``).
4. For each pair ``(p, h)`` (p outer, h inner) the window is ``p ∩ h``; empty ones skip.
5. First candidate = window start, raised to ``not_before`` (the caller's "now") when
   given, then rounded up to the local 5-minute grid.
6. A candidate is free if ``[c, c + M)`` overlaps nothing busy and ``c + M ≤ window end``.
7. After a hit the scan continues at ``hit + M`` (rounded up); stop when ``L`` slots exist.
8. Slots are returned chronologically.

Sweep line: instead of probing every 5-minute candidate, a blocked candidate jumps to the
first grid point at or after the end of the busy interval it hits. Every skipped
candidate would have hit the same interval (it starts earlier than that interval's end
and ends later than its start), so the result equals the 5-minute scan of the spec while
costing ``O(log n)`` per busy interval or slot instead of per grid point.

"Not in the past" (03 §9.3 step 5 and the deviation below it): with ``not_before=now``
a day before today yields nothing (its windows end before now) and today is clipped to
now — the same as the spec's three cases. The availability summary (§12) passes
``not_before`` only for the first day when that day is today.

Decisions where the spec is silent:

* **De-duplication across windows.** Overlapping practice or doctor windows produce
  overlapping pairs. A candidate that overlaps a slot already found in an earlier pair is
  treated as busy, so the result never holds two overlapping (or equal) slots — 03 §9.3
  step 7 "suggestions never overlap each other".
* **Limit before sorting.** As step 7/8 say, the limit is reached in pair order, then the
  found slots are sorted. With non-chronological pairs this can differ from "the
  earliest L slots of the day"; the engine follows the spec literally.
* The grid and all candidates are in elapsed time on the local clock grid; on DST days a
  window keeps its real length (see :mod:`shared.scheduling.wallclock`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.scheduling.bookings import SchedulingData, busy_set
from shared.scheduling.hours import Window, has_hours_on, windows_on
from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.wallclock import round_up_to_grid

__all__ = [
    "DayPlan",
    "Slot",
    "plan_day",
    "scan_day",
    "scan_days",
    "slot_busy",
]


@dataclass(frozen=True, order=True)
class Slot:
    """A free slot ``[start, end)`` of one doctor (UTC instants).

    Field order makes the natural ordering ``(start, doctor_id, end)`` — the ordering
    the ``any_doctor`` suggestions need (spec README "Suggestions").
    """

    start: datetime
    doctor_id: int
    end: datetime

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class DayPlan:
    """One doctor's day prepared for scanning: window pairs and whether the day is off."""

    day: date
    has_practice_hours: bool
    has_doctor_hours: bool
    absent: bool
    windows: tuple[Interval, ...]

    @property
    def has_hours(self) -> bool:
        return self.has_practice_hours and self.has_doctor_hours


def _pairs(practice: Sequence[Window], doctor: Sequence[Window]) -> tuple[Interval, ...]:
    windows: list[Interval] = []
    for p in practice:
        for h in doctor:
            window = p.interval & h.interval
            if window is not None:
                windows.append(window)
    return tuple(windows)


def plan_day(data: SchedulingData, doctor_id: int, day: date) -> DayPlan:
    """Steps 1, 2 and 4 of 03 §9.3 for one doctor and one local date (kept with ``data``)."""
    key = ("plan_day", doctor_id, day)
    plan: DayPlan | None = data.derived.get(key)
    if plan is None:
        plan = data.derived[key] = _plan_day(data, doctor_id, day)
    return plan


def _plan_day(data: SchedulingData, doctor_id: int, day: date) -> DayPlan:
    doctor_rows = data.hours_of(doctor_id)
    return DayPlan(
        day=day,
        has_practice_hours=has_hours_on(day, data.practice_hours),
        has_doctor_hours=has_hours_on(day, doctor_rows),
        absent=any(absence.covers(day) for absence in data.absences_of(doctor_id)),
        windows=_pairs(
            windows_on(day, data.practice_hours, data.tz), windows_on(day, doctor_rows, data.tz)
        ),
    )


def slot_busy(
    data: SchedulingData, doctor_id: int, resource_ids: Iterable[int] = ()
) -> IntervalSet:
    """Step 3 of 03 §9.3: what blocks a suggestion for this doctor (and resources); kept
    with ``data``."""
    resources = frozenset(resource_ids)
    key = ("slot_busy", doctor_id, resources)
    blocked: IntervalSet | None = data.derived.get(key)
    if blocked is None:
        busy = data.busy_for(doctor_id, resource_ids=resources, include_absences=False)
        blocked = data.derived[key] = busy_set(busy)
    return blocked


def scan_day(
    data: SchedulingData,
    doctor_id: int,
    day: date,
    duration: timedelta,
    limit: int,
    *,
    not_before: datetime | None = None,
    busy: IntervalSet | None = None,
    resource_ids: Iterable[int] = (),
) -> list[Slot]:
    """03 §9.3 for one day. ``busy`` may be precomputed with :func:`slot_busy` (reuse it
    across days); otherwise it is derived from ``data`` and ``resource_ids``."""
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    if limit < 1:
        return []
    plan = plan_day(data, doctor_id, day)
    if not plan.has_hours or plan.absent:
        return []
    blocked = busy if busy is not None else slot_busy(data, doctor_id, resource_ids)
    found: list[Slot] = []
    for window in plan.windows:
        candidate = window.start if not_before is None else max(window.start, not_before)
        candidate = round_up_to_grid(candidate, data.tz)
        while len(found) < limit and candidate + duration <= window.end:
            probe = Interval(candidate, candidate + duration)
            hit = blocked.first_overlap(probe)
            if hit is None:
                hit = next((s.interval for s in found if s.interval.overlaps(probe)), None)
            if hit is not None:
                candidate = round_up_to_grid(hit.end, data.tz)
                continue
            found.append(Slot(probe.start, doctor_id, probe.end))
            candidate = round_up_to_grid(probe.end, data.tz)
        if len(found) >= limit:
            break
    return sorted(found)


def scan_days(
    data: SchedulingData,
    doctor_id: int,
    first_day: date,
    days: int,
    duration: timedelta,
    limit: int,
    *,
    now: datetime,
    resource_ids: Iterable[int] = (),
) -> list[Slot]:
    """The horizon of 03 §9.4: ``days`` consecutive days from ``first_day``; each day is
    scanned with ``L`` = the number of slots still missing; stops at ``limit``."""
    if days < 1:
        raise ValueError("days must be >= 1")
    busy = slot_busy(data, doctor_id, resource_ids)
    found: list[Slot] = []
    for offset in range(days):
        missing = limit - len(found)
        if missing <= 0:
            break
        found.extend(
            scan_day(
                data,
                doctor_id,
                first_day + timedelta(days=offset),
                duration,
                missing,
                not_before=now,
                busy=busy,
            )
        )
    return found
