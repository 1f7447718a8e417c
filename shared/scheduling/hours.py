"""Working hours, absences and breaks (spec 02 §5–§8) as concrete intervals.

Input records mirror the master-data rows (plain frozen dataclasses; the server maps its
ORM rows onto them). Inactive rows are accepted and ignored everywhere (02 §5.1, §7.1,
§8.1), so the server may pass rows unfiltered.

* Weekly hours (:class:`PracticeHours`, :class:`DoctorHours`): weekday ``0`` = Monday …
  ``6`` = Sunday, local ``start_time < end_time`` (no window across midnight), several
  windows per weekday allowed, overlapping windows not merged (03 §5.1: an appointment
  must fit inside *one* window). :func:`windows_on` expands them for one date into
  :class:`Window` values ordered by ``(start_time, id)`` as 03 §9.3 step 1 requires.
* Absences are whole local days ``[start_date, end_date]`` inclusive (03 §5.1) →
  ``[start_date 00:00, end_date + 1 00:00)`` local.
* Breaks are ``[day + start_time, day + end_time)`` local; ``doctor_id is None`` means a
  practice-wide break that applies to every doctor (02 §8.1).

DST: expansion goes through :func:`shared.scheduling.wallclock.local_to_utc`, so an
08:00–18:00 window is 10 real hours on both change days, a window touching the skipped
hour shrinks, and the repeated hour resolves to its earlier occurrence. A window that
shrinks to nothing is dropped from :func:`windows_on`, but the weekday still counts as
"having hours" (:func:`has_hours_on`) — it is then "outside hours", not "no hours".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.wallclock import local_days, local_to_utc

__all__ = [
    "Absence",
    "Break",
    "DoctorHours",
    "PracticeHours",
    "WeeklyHours",
    "Window",
    "absence_set",
    "break_set",
    "expand_weekly",
    "has_hours_on",
    "open_time",
    "windows_on",
]


def _check_clock(start: time, end: time) -> None:
    if not start < end:
        raise ValueError(f"end_time must be after start_time: {start}–{end}")


def _check_weekday(weekday: int) -> None:
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) … 6 (Sunday), got {weekday}")


class WeeklyHours(Protocol):
    """Anything shaped like a practice-hours or doctor-hours row."""

    @property
    def id(self) -> int: ...
    @property
    def weekday(self) -> int: ...
    @property
    def start_time(self) -> time: ...
    @property
    def end_time(self) -> time: ...
    @property
    def active(self) -> bool: ...


@dataclass(frozen=True)
class PracticeHours:
    """One weekly opening window of the practice (02 §5)."""

    weekday: int
    start_time: time
    end_time: time
    id: int = 0
    active: bool = True

    def __post_init__(self) -> None:
        _check_weekday(self.weekday)
        _check_clock(self.start_time, self.end_time)


@dataclass(frozen=True)
class DoctorHours:
    """One weekly working window of a doctor (02 §6)."""

    doctor_id: int
    weekday: int
    start_time: time
    end_time: time
    id: int = 0
    active: bool = True

    def __post_init__(self) -> None:
        _check_weekday(self.weekday)
        _check_clock(self.start_time, self.end_time)


@dataclass(frozen=True)
class Absence:
    """A doctor's absence over whole local days, ``end_date`` inclusive (02 §7)."""

    doctor_id: int
    start_date: date
    end_date: date
    id: int = 0
    active: bool = True

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")

    def covers(self, day: date) -> bool:
        return self.active and self.start_date <= day <= self.end_date

    def interval(self, tz: tzinfo) -> Interval:
        return Interval(
            local_to_utc(self.start_date, time(0), tz),
            local_to_utc(self.end_date + timedelta(days=1), time(0), tz),
        )


@dataclass(frozen=True)
class Break:
    """A break on one local date (02 §8); ``doctor_id=None`` = practice-wide."""

    doctor_id: int | None
    day: date
    start_time: time
    end_time: time
    id: int = 0
    active: bool = True

    def __post_init__(self) -> None:
        _check_clock(self.start_time, self.end_time)

    def applies_to(self, doctor_id: int) -> bool:
        return self.active and (self.doctor_id is None or self.doctor_id == doctor_id)

    def interval(self, tz: tzinfo) -> Interval | None:
        """``None`` if the break lies entirely in a skipped DST hour."""
        return Interval.maybe(
            local_to_utc(self.day, self.start_time, tz),
            local_to_utc(self.day, self.end_time, tz),
        )


@dataclass(frozen=True, order=True)
class Window:
    """A weekly window made concrete on one date: ``[start, end)`` plus its source row id."""

    interval: Interval
    source_id: int = 0

    @property
    def start(self) -> datetime:
        return self.interval.start

    @property
    def end(self) -> datetime:
        return self.interval.end


def _rows_on(day: date, hours: Iterable[WeeklyHours]) -> list[WeeklyHours]:
    weekday = day.weekday()
    rows = [row for row in hours if row.active and row.weekday == weekday]
    rows.sort(key=lambda row: (row.start_time, row.id))
    return rows


def has_hours_on(day: date, hours: Iterable[WeeklyHours]) -> bool:
    """Whether any active row exists for the weekday of ``day``."""
    return bool(_rows_on(day, hours))


def windows_on(day: date, hours: Iterable[WeeklyHours], tz: tzinfo) -> list[Window]:
    """The active windows of ``day``'s weekday as real intervals, ordered ``start_time, id``."""
    windows: list[Window] = []
    for row in _rows_on(day, hours):
        interval = Interval.maybe(
            local_to_utc(day, row.start_time, tz), local_to_utc(day, row.end_time, tz)
        )
        if interval is not None:
            windows.append(Window(interval, row.id))
    return windows


def expand_weekly(
    hours: Iterable[WeeklyHours], first: date, last: date, tz: tzinfo
) -> list[Window]:
    """:func:`windows_on` for every date ``first … last`` (inclusive), in date order."""
    rows = list(hours)
    return [window for day in local_days(first, last) for window in windows_on(day, rows, tz)]


def absence_set(absences: Iterable[Absence], doctor_id: int, tz: tzinfo) -> IntervalSet:
    """The doctor's active absences as one normalised set of instants."""
    return IntervalSet.of(
        absence.interval(tz)
        for absence in absences
        if absence.active and absence.doctor_id == doctor_id
    )


def break_set(breaks: Iterable[Break], doctor_id: int, tz: tzinfo) -> IntervalSet:
    """Active practice-wide breaks plus the doctor's own, as one normalised set."""
    pieces = (brk.interval(tz) for brk in breaks if brk.applies_to(doctor_id))
    return IntervalSet.of(piece for piece in pieces if piece is not None)


def open_time(
    practice_hours: Iterable[PracticeHours],
    doctor_hours: Iterable[DoctorHours],
    first: date,
    last: date,
    tz: tzinfo,
    *,
    removed: IntervalSet = IntervalSet(),
) -> IntervalSet:
    """(practice windows ∩ doctor windows) − ``removed`` over ``first … last`` as a set.

    ``doctor_hours`` should hold one doctor's rows. ``removed`` is typically absences |
    breaks | busy time. Useful for drawing free time; note that slot search does *not*
    use this merged set because an appointment must fit one (practice, doctor) window
    pair (03 §5.1), which :mod:`shared.scheduling.slots` respects.
    """
    practice = IntervalSet.of(w.interval for w in expand_weekly(practice_hours, first, last, tz))
    doctor = IntervalSet.of(w.interval for w in expand_weekly(doctor_hours, first, last, tz))
    return (practice & doctor) - removed
