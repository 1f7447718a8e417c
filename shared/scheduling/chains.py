"""Appointment chains (Terminketten): whole-chain suggestions and chain checks (issue 17).

A chain is an ordered list of steps (appointments or operations). Each step after the
first has a gap rule relative to the step before it:

* ``range`` with ``unit`` minutes/hours: ``start - previous end`` lies in ``[min, max]``;
* ``range`` with ``unit`` days: the local start date lies ``min … max`` calendar days after
  the previous step's local start date (and the step starts after the previous one ends);
* ``same_day``: same local date as the previous step's start, starting after it ended;
* ``next_working_day``: the first local date after the previous step's start date that has
  practice hours (hours are weekly, so it comes within seven days, or never).

Every step starts at or after the previous step's end, so the steps of one chain never
overlap each other and need not be added to the busy time of the later ones.

A placement is free when, like the appointment checks 2h–2o (03 §4.2), the interval lies
inside one (practice window ∩ doctor window) pair of its local start day, the doctor is
not absent that day, and nothing busy overlaps it: the doctor's absences, breaks,
appointments and operations, the bookings and operations of the patient, and of every
resource the step needs (one room out of ``room_ids`` plus all ``resource_ids``). For an
operation step the doctor is the primary surgeon.

The search (:func:`suggest_chains`) is a bounded depth-first search:

* the first step's candidates are scanned chronologically (5-minute local grid, sweep-line
  jumps over busy time, the next candidate of one doctor/room after a free one at its end)
  over ``horizon_days`` from ``first_day``; each first-step candidate yields at most one
  option (the earliest completion), so options differ in their first step;
* every later step tries at most ``candidates_per_step`` earliest free placements inside
  the window its gap rule allows; dead ends are memoised per (step, window);
* at most ``max_nodes`` placements are tried in all; when the budget runs out the options
  found so far are returned with ``budget_exhausted=True``.

Pure code: no database, no clock; the caller passes "now" and the loaded data.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import islice

from shared.scheduling.bookings import ConflictKind, SchedulingData, busy_set
from shared.scheduling.hours import has_hours_on
from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.slots import DayPlan, plan_day
from shared.scheduling.wallclock import day_bounds, local_date, round_up_to_grid

__all__ = [
    "NEXT_WORKING_DAY_LOOKAHEAD",
    "BookedTime",
    "ChainSearch",
    "ChainStep",
    "ChainSuggestions",
    "GapRule",
    "GapUnit",
    "Placement",
    "StepKind",
    "StepProblem",
    "check_gap",
    "check_placement",
    "gap_window",
    "latest_gap_days",
    "suggest_chains",
    "verify_chain",
]

# Hours are weekly: a weekday with practice hours comes within the next seven days.
NEXT_WORKING_DAY_LOOKAHEAD = 7
_TICK = timedelta(microseconds=1)
_EMPTY = IntervalSet.of(())


class StepKind(StrEnum):
    APPOINTMENT = "appointment"
    OPERATION = "operation"


class GapKind(StrEnum):
    RANGE = "range"
    SAME_DAY = "same_day"
    NEXT_WORKING_DAY = "next_working_day"


class GapUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"

    def span(self, amount: int) -> timedelta:
        return timedelta(minutes=amount) if self is GapUnit.MINUTES else timedelta(hours=amount)


@dataclass(frozen=True)
class GapRule:
    """The gap to the previous step (see the module docstring)."""

    kind: GapKind = GapKind.RANGE
    minimum: int = 0
    maximum: int = 0
    unit: GapUnit = GapUnit.MINUTES

    def __post_init__(self) -> None:
        if self.kind is GapKind.RANGE and not 0 <= self.minimum <= self.maximum:
            raise ValueError("gap needs 0 <= minimum <= maximum")


@dataclass(frozen=True)
class ChainStep:
    """One step of a chain as the search sees it."""

    duration: timedelta
    doctor_ids: tuple[int, ...]
    kind: StepKind = StepKind.APPOINTMENT
    room_ids: tuple[int, ...] = ()  # any one of them; empty: no room
    resource_ids: frozenset[int] = frozenset()  # all of them
    gap: GapRule = field(default_factory=GapRule)  # ignored for the first step
    name: str = ""

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        if not self.doctor_ids:
            raise ValueError("a step needs at least one doctor")

    def rooms(self) -> tuple[int | None, ...]:
        return self.room_ids or (None,)


@dataclass(frozen=True, order=True)
class Placement:
    """One step placed: ``[start, end)`` with a doctor, a room (or None) and resources."""

    start: datetime
    end: datetime
    doctor_id: int
    room_id: int | None = None
    resource_ids: frozenset[int] = field(default=frozenset(), compare=False)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def all_resource_ids(self) -> frozenset[int]:
        room = frozenset() if self.room_id is None else frozenset({self.room_id})
        return room | self.resource_ids


@dataclass(frozen=True)
class ChainSearch:
    steps: tuple[ChainStep, ...]
    patient_id: int
    first_day: date
    not_before: datetime  # "now": nothing is suggested in the past
    horizon_days: int = 42
    limit: int = 5
    candidates_per_step: int = 6
    max_nodes: int = 4000

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a chain needs at least one step")
        if self.horizon_days < 1 or self.limit < 1 or self.candidates_per_step < 1:
            raise ValueError("horizon_days, limit and candidates_per_step must be >= 1")


@dataclass(frozen=True)
class ChainSuggestions:
    options: tuple[tuple[Placement, ...], ...]
    nodes: int
    budget_exhausted: bool


class StepProblem(StrEnum):
    """Why a placement of a step is not acceptable (first failing check)."""

    DOCTOR_NOT_ALLOWED = "doctor_not_allowed"
    ROOM_NOT_ALLOWED = "room_not_allowed"
    DURATION = "duration"
    GAP = "gap"
    PAST = "past"
    HOURS = "outside_hours"
    ABSENCE = "absence"
    BUSY = "busy"


def latest_gap_days(steps: Sequence[ChainStep]) -> int:
    """How many days after the first step's day the last step can start at the latest."""
    total = 0
    for step in steps[1:]:
        gap = step.gap
        if gap.kind is GapKind.SAME_DAY:
            continue
        if gap.kind is GapKind.NEXT_WORKING_DAY:
            total += NEXT_WORKING_DAY_LOOKAHEAD
        elif gap.unit is GapUnit.DAYS:
            total += gap.maximum
        else:
            total += -(-int(gap.unit.span(gap.maximum).total_seconds()) // 86400) + 1
    return total


def _next_working_day(day: date, data: SchedulingData) -> date | None:
    for offset in range(1, NEXT_WORKING_DAY_LOOKAHEAD + 1):
        candidate = day + timedelta(days=offset)
        if has_hours_on(candidate, data.practice_hours):
            return candidate
    return None


def gap_window(
    previous: Placement, gap: GapRule, data: SchedulingData
) -> tuple[datetime, datetime] | None:
    """``(earliest, latest)`` start instants (both inclusive) the gap rule allows."""
    tz = data.tz
    previous_day = local_date(previous.start, tz)
    if gap.kind is GapKind.SAME_DAY:
        lo, hi = previous.end, day_bounds(previous_day, tz)[1] - _TICK
    elif gap.kind is GapKind.NEXT_WORKING_DAY:
        day = _next_working_day(previous_day, data)
        if day is None:
            return None
        start, end = day_bounds(day, tz)
        lo, hi = max(start, previous.end), end - _TICK
    elif gap.unit is GapUnit.DAYS:
        first = previous_day + timedelta(days=gap.minimum)
        last = previous_day + timedelta(days=gap.maximum)
        lo = max(previous.end, day_bounds(first, tz)[0])
        hi = day_bounds(last, tz)[1] - _TICK
    else:
        lo = previous.end + gap.unit.span(gap.minimum)
        hi = previous.end + gap.unit.span(gap.maximum)
    return (lo, hi) if lo <= hi else None


def check_gap(previous: Placement, start: datetime, gap: GapRule, data: SchedulingData) -> bool:
    """Whether a step starting at ``start`` keeps its gap rule to ``previous``."""
    window = gap_window(previous, gap, data)
    return window is not None and window[0] <= start <= window[1]


@dataclass(frozen=True)
class BookedTime:
    """Booked time per subject, when the caller knows it already merged (the server reads
    it from its occupancy rows: every blocking appointment and operation, per doctor —
    each team member —, patient and resource). With it, ``SchedulingData`` need hold only
    hours, absences and breaks; its bookings, if any, are ignored."""

    doctors: Mapping[int, IntervalSet]
    resources: Mapping[int, IntervalSet]
    patient: IntervalSet


class _Busy:
    """Busy sets per subject (a doctor, a resource, the patient), built once per search.

    A placement is checked against the sets of its doctor, its resources and the patient
    separately, so a search over d doctors and r rooms builds d + r + 1 sets, not d × r.
    """

    def __init__(
        self, data: SchedulingData, patient_id: int, booked: BookedTime | None = None
    ) -> None:
        self._data = data
        self._patient_id = patient_id
        self._booked = booked
        self._cache: dict[tuple[str, int], IntervalSet] = {}

    def _of(self, kind: str, subject: int) -> IntervalSet:
        found = self._cache.get((kind, subject))
        if found is None:
            found = self._cache[kind, subject] = self._build(kind, subject)
        return found

    def _build(self, kind: str, subject: int) -> IntervalSet:
        booked, data = self._booked, self._data
        if booked is None:
            if kind == "doctor":
                return busy_set(data.busy_for(subject))
            if kind == "resource":
                return busy_set(data.busy_for(None, resource_ids=(subject,)))
            return busy_set(data.busy_for(None, patient_id=subject))
        if kind == "doctor":
            own = booked.doctors.get(subject, _EMPTY)
            absences_and_breaks = [
                item.interval
                for item in data.busy_for(subject)
                if item.kind in (ConflictKind.ABSENCE, ConflictKind.BREAK)
            ]
            return own | IntervalSet.of(absences_and_breaks) if absences_and_breaks else own
        if kind == "resource":
            return booked.resources.get(subject, _EMPTY)
        return booked.patient

    def base(self, doctor_id: int, resource_ids: Iterable[int]) -> tuple[IntervalSet, ...]:
        """What blocks a placement of the doctor whatever the room."""
        return (
            self._of("doctor", doctor_id),
            self._of("patient", self._patient_id),
            *(self._of("resource", r) for r in sorted(resource_ids)),
        )

    def resource(self, resource_id: int) -> IntervalSet:
        return self._of("resource", resource_id)


def _first_hit(sets: Sequence[IntervalSet], probe: Interval) -> datetime | None:
    """The latest end among the busy intervals ``probe`` hits (None: free).

    Every candidate before that end overlaps the interval it belongs to, so the scan may
    jump there."""
    end: datetime | None = None
    for busy in sets:
        hit = busy.first_overlap(probe)
        if hit is not None and (end is None or hit.end > end):
            end = hit.end
    return end


def _scan(
    data: SchedulingData,
    plans: _Plans,
    base: Sequence[IntervalSet],
    rooms: Sequence[tuple[int | None, IntervalSet | None]],
    step: ChainStep,
    doctor_id: int,
    lo: datetime,
    hi: datetime,
) -> Iterator[Placement]:
    """Free placements of one doctor with ``lo <= start <= hi``, chronologically.

    ``base`` is what blocks every room choice (the doctor, the patient, the step's
    resources); each room has its own busy set. The rooms are scanned in lockstep, each
    with its own next candidate, exactly as separate scans per room would go, but the
    doctor's windows and busy time are walked once for all of them.
    """
    tz = data.tz
    resources = step.resource_ids
    duration = step.duration
    day, last_day = local_date(lo, tz), local_date(hi, tz)
    while day <= last_day:
        plan = plans.of(doctor_id, day)
        found: list[Placement] = []
        if plan.has_hours and not plan.absent:
            for window in plan.windows:
                if window.end <= lo or window.start > hi:
                    continue
                candidate = round_up_to_grid(max(window.start, lo), tz)
                due = dict.fromkeys((room for room, _ in rooms), candidate)
                while candidate <= hi and candidate + duration <= window.end:
                    probe = Interval(candidate, candidate + duration)
                    base_until = _first_hit(base, probe)
                    for room, room_busy in rooms:
                        if due[room] > candidate:
                            continue
                        until = base_until
                        if room_busy is not None:
                            hit = room_busy.first_overlap(probe)
                            if hit is not None and (until is None or hit.end > until):
                                until = hit.end
                        if until is None:
                            found.append(
                                Placement(probe.start, probe.end, doctor_id, room, resources)
                            )
                            until = probe.end
                        due[room] = round_up_to_grid(until, tz)
                    candidate = min(due.values())
        yield from sorted(set(found))
        day += timedelta(days=1)


class _Plans:
    """``plan_day`` per (doctor, day), computed once per search."""

    def __init__(self, data: SchedulingData) -> None:
        self._data = data
        self._cache: dict[tuple[int, date], DayPlan] = {}

    def of(self, doctor_id: int, day: date) -> DayPlan:
        found = self._cache.get((doctor_id, day))
        if found is None:
            found = self._cache[doctor_id, day] = plan_day(self._data, doctor_id, day)
        return found


class _BudgetExhausted(Exception):
    pass


class _Search:
    def __init__(
        self, data: SchedulingData, search: ChainSearch, booked: BookedTime | None = None
    ) -> None:
        self.data = data
        self.search = search
        self.busy = _Busy(data, search.patient_id, booked)
        self.plans = _Plans(data)
        self.nodes = 0
        self.memo: dict[tuple[int, datetime, datetime], tuple[Placement, ...] | None] = {}

    def candidates(self, index: int, lo: datetime, hi: datetime) -> Iterator[Placement]:
        step = self.search.steps[index]
        rooms = [
            (room, None if room is None else self.busy.resource(room))
            for room in dict.fromkeys(step.rooms())
        ]
        streams = [
            _scan(
                self.data,
                self.plans,
                self.busy.base(doctor, step.resource_ids),
                rooms,
                step,
                doctor,
                lo,
                hi,
            )
            for doctor in dict.fromkeys(step.doctor_ids)
        ]
        return heapq.merge(*streams)

    def tick(self) -> None:
        self.nodes += 1
        if self.nodes > self.search.max_nodes:
            raise _BudgetExhausted

    def complete(self, index: int, previous: Placement) -> tuple[Placement, ...] | None:
        steps = self.search.steps
        if index == len(steps):
            return ()
        window = gap_window(previous, steps[index].gap, self.data)
        if window is None:
            return None
        key = (index, *window)
        if key in self.memo:
            return self.memo[key]
        result = None
        for candidate in islice(self.candidates(index, *window), self.search.candidates_per_step):
            self.tick()
            tail = self.complete(index + 1, candidate)
            if tail is not None:
                result = (candidate, *tail)
                break
        self.memo[key] = result
        return result

    def run(self) -> ChainSuggestions:
        search, tz = self.search, self.data.tz
        lo = max(search.not_before, day_bounds(search.first_day, tz)[0])
        last_day = search.first_day + timedelta(days=search.horizon_days - 1)
        hi = day_bounds(last_day, tz)[1] - _TICK
        options: list[tuple[Placement, ...]] = []
        exhausted = False
        try:
            if lo <= hi:
                for first in self.candidates(0, lo, hi):
                    self.tick()
                    tail = self.complete(1, first)
                    if tail is not None:
                        options.append((first, *tail))
                        if len(options) >= search.limit:
                            break
        except _BudgetExhausted:
            exhausted = True
        return ChainSuggestions(tuple(options), min(self.nodes, search.max_nodes), exhausted)


def suggest_chains(
    data: SchedulingData, search: ChainSearch, *, booked: BookedTime | None = None
) -> ChainSuggestions:
    """The first ``limit`` complete chains (see the module docstring for the bounds).

    ``booked``: the booked time per subject, when known (then ``data``'s bookings are not
    looked at); otherwise it is derived from ``data``.
    """
    return _Search(data, search, booked).run()


def check_placement(
    data: SchedulingData,
    step: ChainStep,
    placement: Placement,
    *,
    patient_id: int,
    not_before: datetime | None = None,
    exclude_appointment_id: int | None = None,
    exclude_operation_id: int | None = None,
) -> StepProblem | None:
    """Whether one placement fits its step and is free (gaps are not looked at)."""
    if placement.doctor_id not in step.doctor_ids:
        return StepProblem.DOCTOR_NOT_ALLOWED
    if step.room_ids and placement.room_id not in step.room_ids:
        return StepProblem.ROOM_NOT_ALLOWED
    if not step.room_ids and placement.room_id is not None:
        return StepProblem.ROOM_NOT_ALLOWED
    if placement.end - placement.start != step.duration:
        return StepProblem.DURATION
    if not_before is not None and placement.start < not_before:
        return StepProblem.PAST
    plan = plan_day(data, placement.doctor_id, local_date(placement.start, data.tz))
    if not any(window.contains(placement.interval) for window in plan.windows):
        return StepProblem.HOURS
    if plan.absent:
        return StepProblem.ABSENCE
    resources = step.resource_ids | placement.all_resource_ids
    items = data.busy_for(
        placement.doctor_id,
        patient_id=patient_id,
        resource_ids=resources,
        exclude_appointment_id=exclude_appointment_id,
        exclude_operation_id=exclude_operation_id,
    )
    if busy_set(items).overlaps(placement.interval):
        return StepProblem.BUSY
    return None


def verify_chain(
    data: SchedulingData,
    steps: Sequence[ChainStep],
    placements: Sequence[Placement],
    *,
    patient_id: int,
    not_before: datetime | None = None,
) -> tuple[int, StepProblem] | None:
    """The first step (index) whose placement fails, and why; None when the chain fits."""
    if len(steps) != len(placements):
        raise ValueError("one placement per step")
    for index, (step, placement) in enumerate(zip(steps, placements, strict=True)):
        if index and not check_gap(placements[index - 1], placement.start, step.gap, data):
            return index, StepProblem.GAP
        problem = check_placement(
            data, step, placement, patient_id=patient_id, not_before=not_before
        )
        if problem is not None:
            return index, problem
    return None
