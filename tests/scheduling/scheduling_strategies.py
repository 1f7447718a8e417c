"""Hypothesis strategies for the scheduling engine — the one place they live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st

from shared.domain.statuses import AppointmentStatus
from shared.scheduling.bookings import BookedAppointment, SchedulingData
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


MOSTLY_ACTIVE = st.sampled_from((True, True, True, False))


@st.composite
def practice_hours(draw: st.DrawFn) -> list[PracticeHours]:
    """0–2 windows per weekday, mostly active."""
    rows = []
    for weekday in range(7):
        for _ in range(draw(st.integers(0, 2))):
            start, end = draw(clock_windows())
            rows.append(
                PracticeHours(weekday, start, end, id=len(rows) + 1, active=draw(MOSTLY_ACTIVE))
            )
    return rows


@st.composite
def doctor_hours(draw: st.DrawFn, doctor_ids: tuple[int, ...]) -> list[DoctorHours]:
    """0–2 windows per doctor and weekday, mostly active."""
    rows = []
    for doctor_id in doctor_ids:
        for weekday in range(7):
            for _ in range(draw(st.integers(0, 2))):
                start, end = draw(clock_windows())
                rows.append(
                    DoctorHours(
                        doctor_id, weekday, start, end, id=len(rows) + 1, active=draw(MOSTLY_ACTIVE)
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


# -- whole scheduling scenarios ------------------------------------------------------

DOCTORS = (1, 2)
WEEK_STARTS = (date(2026, 3, 23), date(2026, 10, 19), date(2026, 1, 12))  # DST weeks + plain


@st.composite
def appointments(
    draw: st.DrawFn, around: date, resource_ids: tuple[int, ...] = (10, 11)
) -> list[BookedAppointment]:
    rows = []
    base = datetime.combine(around, time(0), tzinfo=BERLIN).astimezone(UTC)
    for row_id in range(1, draw(st.integers(0, 30)) + 1):
        day_offset = timedelta(days=draw(st.integers(0, 8)))
        start = base + day_offset + timedelta(minutes=5 * draw(st.integers(6 * 12, 20 * 12)))
        length = timedelta(minutes=5 * draw(st.integers(1, 36)))
        rows.append(
            BookedAppointment(
                id=row_id,
                doctor_id=draw(st.sampled_from(DOCTORS)),
                patient_id=draw(st.integers(100, 103)),
                interval=Interval(start, start + length),
                status=draw(st.sampled_from(AppointmentStatus)),
                resource_ids=frozenset(draw(st.sets(st.sampled_from(resource_ids), max_size=2))),
            )
        )
    return rows


@dataclass(frozen=True)
class Scenario:
    data: SchedulingData
    start_day: date
    now: datetime
    duration: timedelta
    resource_ids: frozenset[int]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    week = draw(st.sampled_from(WEEK_STARTS))
    data = SchedulingData(
        tz=BERLIN,
        practice_hours=tuple(draw(practice_hours())),
        doctor_hours=tuple(draw(doctor_hours(DOCTORS))),
        absences=tuple(draw(absences(DOCTORS, week))),
        breaks=tuple(draw(breaks(DOCTORS, week))),
        appointments=tuple(draw(appointments(week))),
    )
    start_day = week + timedelta(days=draw(st.integers(0, 2)))
    now_day = week + timedelta(days=draw(st.integers(-1, 3)))
    now = datetime.combine(
        now_day, time(draw(st.integers(0, 23)), draw(st.integers(0, 59))), tzinfo=BERLIN
    ).astimezone(UTC)
    return Scenario(
        data=data,
        start_day=start_day,
        now=now,
        duration=timedelta(minutes=draw(st.sampled_from((5, 15, 30, 45, 60, 90)))),
        resource_ids=frozenset(draw(st.sets(st.sampled_from((10, 11)), max_size=1))),
    )
