"""Operation slot suggestion — ``GET /api/operations/suggest/`` (spec 04 §5.5, D-OP-11).

For ``d = start_date, start_date + 1, …`` (at most 31 days) until ``limit`` slots exist:
for each pair (practice window × primary surgeon window) of weekday(d), ordered by
``start_time, id``, the *earliest* valid start in that window is kept (one per pair and
day). Candidates start at ``max(window start, now)`` rounded up to the local 5-minute
grid and advance while ``candidate < window end``. A candidate ``[c, c + total)`` is
valid when it passes 04 §3.2 steps 13–18 against the preloaded data:

* 13–16: the room and the devices are not used by a blocking operation or booked by a
  blocking appointment;
* 17a: for every team member and every local day touched, the day segment lies inside
  one practice window and one of the member's windows;
* 17b–17e: no absence, break (practice-wide or own), appointment or operation of any
  team member overlaps;
* 18: the patient has no overlapping appointment or operation.

Suggestions are returned chronologically. Decision: suggestions are alternatives, not
bookings, so two of them may overlap (different window pairs or days never collide with
each other's occupancy); an identical block found again through an overlapping window
pair is not repeated and does not count towards ``limit``. Validation of the query
(04 §5.5 table) and the operation type's total duration stay in the server.

Sweep-line shortcut: a candidate that overlaps blocked time jumps to the first grid
point after that busy interval (every skipped candidate would overlap it too); an hours
failure advances by one grid step, because a later candidate may still fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.scheduling.bookings import SchedulingData, busy_set
from shared.scheduling.checks import check_hours, day_segments
from shared.scheduling.hours import windows_on
from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.wallclock import GRID, round_up_to_grid

__all__ = ["OPERATION_HORIZON_DAYS", "OperationRequest", "suggest_operation_slots"]

OPERATION_HORIZON_DAYS = 31


@dataclass(frozen=True)
class OperationRequest:
    """A validated operation-suggest query plus "now"; ``duration`` = prep + op + post."""

    patient_id: int
    primary_surgeon_id: int
    room_id: int
    duration: timedelta
    start_day: date
    now: datetime
    limit: int = 3
    assistant_id: int | None = None
    anesthesist_id: int | None = None
    device_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        if self.limit < 1:
            raise ValueError("limit must be >= 1")

    @property
    def team(self) -> tuple[int, ...]:
        members = (self.primary_surgeon_id, self.assistant_id, self.anesthesist_id)
        return tuple(member for member in members if member is not None)


def _blocked(data: SchedulingData, request: OperationRequest) -> IntervalSet:
    items = data.busy_for(
        None,
        patient_id=request.patient_id,
        resource_ids=(request.room_id, *request.device_ids),
    )
    for member in request.team:
        items.extend(data.busy_for(member))
    return busy_set(items)


def _team_in_hours(data: SchedulingData, request: OperationRequest, block: Interval) -> bool:
    return all(
        check_hours(segment, data.practice_hours, data.tz)
        and all(check_hours(segment, data.hours_of(m), data.tz) for m in request.team)
        for segment in day_segments(block, data)
    )


def suggest_operation_slots(data: SchedulingData, request: OperationRequest) -> list[Interval]:
    """Up to ``limit`` operation blocks ``[start, start + duration)``, chronologically."""
    blocked = _blocked(data, request)
    found: list[Interval] = []
    surgeon_hours = data.hours_of(request.primary_surgeon_id)
    for offset in range(OPERATION_HORIZON_DAYS):
        day = request.start_day + timedelta(days=offset)
        practice = windows_on(day, data.practice_hours, data.tz)
        surgeon = windows_on(day, surgeon_hours, data.tz)
        for p in practice:
            for h in surgeon:
                window = p.interval & h.interval
                if window is None or len(found) >= request.limit:
                    continue
                candidate = round_up_to_grid(max(window.start, request.now), data.tz)
                while candidate < window.end:
                    block = Interval.of_length(candidate, request.duration)
                    hit = blocked.first_overlap(block)
                    if hit is not None:
                        candidate = round_up_to_grid(hit.end, data.tz)
                    elif not _team_in_hours(data, request, block):
                        candidate += GRID
                    else:
                        if block not in found:
                            found.append(block)
                        break
        if len(found) >= request.limit:
            break
    return sorted(found)
