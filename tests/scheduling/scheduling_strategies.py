"""Hypothesis strategies for the scheduling engine — the one place they live."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st

from shared.scheduling.hours import Absence, Break, DoctorHours, PracticeHours
from shared.scheduling.intervals import Interval

BERLIN = ZoneInfo("Europe/Berlin")

# A fixed profile keeps the whole folder well under 30 s.
settings.register_profile("scheduling", max_examples=60, deadline=None)
SETTINGS = settings.get_profile("scheduling")

EPOCH = datetime(2026, 3, 20, tzinfo=UTC)
SPAN_MINUTES = 60 * 24 * 14  # two weeks around the spring-forward day


@st.composite
def instants(draw: st.DrawFn, span_minutes: int = SPAN_MINUTES) -> datetime:
    """UTC instants on a 1-minute grid inside a two-week span."""
    return EPOCH + timedelta(minutes=draw(st.integers(0, span_minutes)))


@st.composite
def intervals(draw: st.DrawFn, max_minutes: int = 600) -> Interval:
    start = draw(instants())
    return Interval(start, start + timedelta(minutes=draw(st.integers(1, max_minutes))))


def interval_lists(max_size: int = 8) -> st.SearchStrategy[list[Interval]]:
    return st.lists(intervals(), max_size=max_size)


# Days that include both Berlin DST change days of 2026 and ordinary days.
DST_DAYS = (date(2026, 3, 29), date(2026, 10, 25))
days = st.one_of(
    st.sampled_from(DST_DAYS),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
)


@st.composite
def clock_windows(draw: st.DrawFn, grid_minutes: int = 15) -> tuple[time, time]:
    """``(start, end)`` local clock times with start < end on a coarse grid."""
    slots = 24 * 60 // grid_minutes
    first = draw(st.integers(0, slots - 2))
    last = draw(st.integers(first + 1, slots - 1))

    def clock(index: int) -> time:
        minutes = index * grid_minutes
        return time(minutes // 60, minutes % 60)

    return clock(first), clock(last)


@st.composite
def practice_hours(draw: st.DrawFn) -> list[PracticeHours]:
    rows = []
    for row_id in range(1, draw(st.integers(0, 4)) + 1):
        start, end = draw(clock_windows())
        weekday = draw(st.integers(0, 6))
        rows.append(PracticeHours(weekday, start, end, id=row_id, active=draw(st.booleans())))
    return rows


@st.composite
def doctor_hours(draw: st.DrawFn, doctor_ids: tuple[int, ...]) -> list[DoctorHours]:
    rows = []
    for row_id in range(1, draw(st.integers(0, 6)) + 1):
        start, end = draw(clock_windows())
        rows.append(
            DoctorHours(
                draw(st.sampled_from(doctor_ids)),
                draw(st.integers(0, 6)),
                start,
                end,
                id=row_id,
                active=draw(st.booleans()),
            )
        )
    return rows


@st.composite
def breaks(draw: st.DrawFn, doctor_ids: tuple[int, ...], around: date) -> list[Break]:
    rows = []
    for row_id in range(1, draw(st.integers(0, 4)) + 1):
        start, end = draw(clock_windows(grid_minutes=5))
        rows.append(
            Break(
                draw(st.none() | st.sampled_from(doctor_ids)),
                around + timedelta(days=draw(st.integers(0, 8))),
                start,
                end,
                id=row_id,
                active=draw(st.booleans()),
            )
        )
    return rows


@st.composite
def absences(draw: st.DrawFn, doctor_ids: tuple[int, ...], around: date) -> list[Absence]:
    rows = []
    for row_id in range(1, draw(st.integers(0, 2)) + 1):
        first = around + timedelta(days=draw(st.integers(0, 8)))
        rows.append(
            Absence(
                draw(st.sampled_from(doctor_ids)),
                first,
                first + timedelta(days=draw(st.integers(0, 2))),
                id=row_id,
                active=draw(st.booleans()),
            )
        )
    return rows
