"""Waiting-list matching: which entries fit freed time, and in which order (issue 18).

Pure like the rest of the engine: the caller passes the calendar (``SchedulingData``), the
open entries, the freed period and "now". For each entry the result is its *earliest*
fitting appointment inside the freed period — on the local 5-minute grid, inside the entry's
date range and time windows, with a doctor the entry accepts, and passing every booking
check of 03 §4.2 (:func:`check_appointment`: practice and doctor hours, absences, breaks,
doctor, resource, patient and operation conflicts). Candidates are ranked: urgent first, then
the longest waiting, then the entry id (so the order is total and stable).

The sweep per (entry, doctor, day): the day's bookable windows (practice ∩ doctor hours,
:func:`plan_day`) are cut by the freed period, "now" and the entry's windows; inside each
piece a candidate that hits busy time jumps to the first grid point after it, as
:func:`scan_day` does. A hit is confirmed with :func:`check_appointment` before it is
returned, so a candidate never breaks a rule the booking itself would enforce.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from shared.scheduling.bookings import SchedulingData, busy_set
from shared.scheduling.checks import check_appointment
from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.slots import plan_day
from shared.scheduling.wallclock import GRID, local_date, local_days, local_to_utc, round_up_to_grid

__all__ = [
    "Candidate",
    "TimeWindow",
    "WaitingEntry",
    "first_fit",
    "fits_entry",
    "match",
    "rank_key",
]

MAX_CANDIDATES = 50


@dataclass(frozen=True, order=True)
class TimeWindow:
    """Local ``weekday`` (0 = Monday) from ``start`` to ``end`` (wall clock)."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0…6")
        if not self.start < self.end:
            raise ValueError("window start must be before its end")


@dataclass(frozen=True)
class WaitingEntry:
    """An open waiting-list entry as the matcher sees it."""

    id: int
    patient_id: int
    duration: timedelta
    waiting_since: datetime
    urgent: bool = False
    doctor_ids: frozenset[int] = frozenset()  # empty: any doctor
    earliest: date | None = None
    latest: date | None = None
    windows: tuple[TimeWindow, ...] = ()  # empty: any time

    def accepts_doctor(self, doctor_id: int) -> bool:
        return not self.doctor_ids or doctor_id in self.doctor_ids

    def accepts_day(self, day: date) -> bool:
        return (self.earliest is None or day >= self.earliest) and (
            self.latest is None or day <= self.latest
        )


@dataclass(frozen=True)
class Candidate:
    """One entry's earliest fitting appointment in a freed period."""

    entry: WaitingEntry
    doctor_id: int
    interval: Interval
    rank: int = field(default=0, compare=False)


def rank_key(entry: WaitingEntry) -> tuple[int, datetime, int]:
    """Urgent first, then the longest waiting, then the lower id."""
    return (0 if entry.urgent else 1, entry.waiting_since, entry.id)


def _window_pieces(entry: WaitingEntry, day: date, tz: tzinfo) -> list[Interval] | None:
    """The entry's windows on ``day`` as instants; None = the whole day is acceptable."""
    if not entry.windows:
        return None
    pieces = []
    for window in entry.windows:
        if window.weekday != day.weekday():
            continue
        piece = Interval.maybe(
            local_to_utc(day, window.start, tz),
            local_to_utc(day, window.end, tz),
        )
        if piece is not None:
            pieces.append(piece)
    return pieces


def fits_entry(entry: WaitingEntry, interval: Interval, doctor_id: int, tz: tzinfo) -> bool:
    """Whether an appointment ``interval`` with ``doctor_id`` meets the entry's wishes
    (doctor, date range, one time window containing it, length) — not the calendar."""
    if not entry.accepts_doctor(doctor_id) or interval.duration != entry.duration:
        return False
    day = local_date(interval.start, tz)
    if not entry.accepts_day(day):
        return False
    pieces = _window_pieces(entry, day, tz)
    return pieces is None or any(piece.contains(interval) for piece in pieces)


def _day_segments(
    data: SchedulingData, entry: WaitingEntry, doctor_id: int, day: date, period: Interval
) -> list[Interval]:
    """Where on ``day`` an appointment of the entry may lie, before looking at busy time."""
    plan = plan_day(data, doctor_id, day)
    if not plan.has_hours or plan.absent:
        return []
    allowed = IntervalSet.of(plan.windows) & IntervalSet.of((period,))
    pieces = _window_pieces(entry, day, data.tz)
    if pieces is not None:
        allowed = allowed & IntervalSet.of(pieces)
    return list(allowed)


def first_fit(
    data: SchedulingData,
    entry: WaitingEntry,
    doctor_id: int,
    period: Interval,
    *,
    now: datetime,
) -> Interval | None:
    """The entry's earliest bookable appointment with ``doctor_id`` inside ``period``."""
    if not entry.accepts_doctor(doctor_id) or entry.duration <= timedelta(0):
        return None
    usable = Interval.maybe(max(period.start, now), period.end)
    if usable is None:
        return None
    tz = data.tz
    blocked: IntervalSet | None = None
    last_day = local_date(usable.end - timedelta(microseconds=1), tz)
    for day in local_days(local_date(usable.start, tz), last_day):
        if not entry.accepts_day(day):
            continue
        for segment in _day_segments(data, entry, doctor_id, day, usable):
            if blocked is None:
                blocked = busy_set(data.busy_for(doctor_id, patient_id=entry.patient_id))
            found = _sweep(data, entry, doctor_id, segment, blocked)
            if found is not None:
                return found
    return None


def _sweep(
    data: SchedulingData,
    entry: WaitingEntry,
    doctor_id: int,
    segment: Interval,
    blocked: IntervalSet,
) -> Interval | None:
    candidate = round_up_to_grid(segment.start, data.tz)
    while candidate + entry.duration <= segment.end:
        probe = Interval(candidate, candidate + entry.duration)
        hit = blocked.first_overlap(probe)
        if hit is not None:
            candidate = round_up_to_grid(max(hit.end, candidate + GRID), data.tz)
            continue
        if check_appointment(data, probe, doctor_id=doctor_id, patient_id=entry.patient_id).ok:
            return probe
        candidate = round_up_to_grid(candidate + GRID, data.tz)
    return None


def match(
    data: SchedulingData,
    entries: Iterable[WaitingEntry],
    period: Interval,
    doctor_ids: Sequence[int],
    *,
    now: datetime,
    limit: int = MAX_CANDIDATES,
) -> list[Candidate]:
    """The ranked candidates for freed ``period`` among ``doctor_ids``.

    One candidate per entry: its earliest fit over the doctors it accepts (ties by doctor
    id). Ranked by :func:`rank_key`; ``rank`` counts from 1; at most ``limit``.
    """
    found: list[Candidate] = []
    for entry in sorted(entries, key=rank_key):
        best: tuple[datetime, int, Interval] | None = None
        for doctor_id in sorted(set(doctor_ids)):
            fit = first_fit(data, entry, doctor_id, period, now=now)
            if fit is not None and (best is None or (fit.start, doctor_id) < best[:2]):
                best = (fit.start, doctor_id, fit)
        if best is not None:
            found.append(Candidate(entry, best[1], best[2], rank=len(found) + 1))
            if len(found) >= limit:
                break
    return found
