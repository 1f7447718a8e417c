"""Recurrence expansion (issue 17): wall clock across DST, month ends, UNTIL inclusive."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.scheduling.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    Recurrence,
    RecurrenceError,
    expand,
    occurrence_dates,
)
from shared.scheduling.wallclock import local_to_utc

BERLIN = ZoneInfo("Europe/Berlin")
FAST = settings(max_examples=60, deadline=None)

first_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
# Whole quarter hours of a practice day, never inside the 02:00–03:00 DST gap.
clocks = st.builds(time, st.integers(6, 20), st.sampled_from([0, 15, 30, 45]))
durations = st.integers(5, 240).map(lambda minutes: timedelta(minutes=minutes))
weekday_sets = st.sets(st.integers(0, 6), min_size=1, max_size=7).map(lambda s: tuple(sorted(s)))


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:
    freq = draw(st.sampled_from(list(Frequency)))
    byday = draw(weekday_sets) if freq is Frequency.WEEKLY and draw(st.booleans()) else ()
    return Recurrence(
        freq=freq,
        interval=draw(st.integers(1, 4)),
        byday=byday,
        count=draw(st.integers(1, MAX_OCCURRENCES)),
    )


@FAST
@given(recurrences(), first_days, clocks, durations)
def test_every_occurrence_keeps_the_local_wall_clock_time_and_the_real_duration(
    recurrence: Recurrence, first_day: date, clock: time, duration: timedelta
) -> None:
    start = local_to_utc(first_day, clock, BERLIN)
    occurrences = expand(recurrence, start, start + duration, BERLIN)
    assert len(occurrences) == recurrence.count
    for item in occurrences:
        assert item.start.astimezone(BERLIN).time() == clock  # 09:00 stays 09:00 after DST
        assert item.duration == duration
    starts = [item.start for item in occurrences]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    assert starts[0].astimezone(BERLIN).date() >= first_day


@FAST
@given(first_days, weekday_sets, st.integers(1, 3), st.integers(1, 30))
def test_weekly_occurrences_fall_on_the_chosen_weekdays_in_chosen_weeks(
    first_day: date, byday: tuple[int, ...], interval: int, count: int
) -> None:
    recurrence = Recurrence(Frequency.WEEKLY, interval=interval, byday=byday, count=count)
    dates = occurrence_dates(recurrence, first_day)
    monday = first_day - timedelta(days=first_day.weekday())
    for day in dates:
        assert day.weekday() in byday
        assert ((day - monday).days // 7) % interval == 0
    # Nothing skipped: every matching day between the first and the last is in the series.
    expected = [
        monday + timedelta(days=offset)
        for offset in range((dates[-1] - monday).days + 1)
        if (monday + timedelta(days=offset)).weekday() in byday
        and offset // 7 % interval == 0
        and monday + timedelta(days=offset) >= first_day
    ]
    assert dates == expected


@FAST
@given(first_days, st.integers(1, 12), st.integers(1, 24))
def test_monthly_keeps_the_day_of_month_and_skips_months_without_it(
    first_day: date, interval: int, count: int
) -> None:
    dates = occurrence_dates(
        Recurrence(Frequency.MONTHLY, interval=interval, count=count), first_day
    )
    assert len(dates) == count
    assert all(day.day == first_day.day for day in dates)
    previous = first_day
    for day in dates[1:]:
        months = (day.year - previous.year) * 12 + day.month - previous.month
        assert months % interval == 0
        # Every skipped candidate month lacks the day (31st in a 30-day month, 29 Feb …).
        for skipped in range(interval, months, interval):
            year, month = divmod(previous.month - 1 + skipped, 12)
            assert calendar.monthrange(previous.year + year, month + 1)[1] < first_day.day
        previous = day


@FAST
@given(first_days, st.sampled_from(list(Frequency)), st.integers(1, 3), st.integers(0, 200))
def test_until_is_inclusive_and_bounds_the_series(
    first_day: date, freq: Frequency, interval: int, days_until: int
) -> None:
    until = first_day + timedelta(days=days_until)
    recurrence = Recurrence(freq, interval=interval, until=until)
    try:
        dates = occurrence_dates(recurrence, first_day)
    except RecurrenceError:
        return  # more than 104 or none (a monthly rule from the 31st over a short span)
    assert all(first_day <= day <= until for day in dates)
    # The next occurrence of the same rule without UNTIL lies after UNTIL (nothing cut).
    if len(dates) < MAX_OCCURRENCES:
        longer = occurrence_dates(
            Recurrence(freq, interval=interval, count=len(dates) + 1), first_day
        )
        assert longer[: len(dates)] == dates
    else:  # a rule with one more would be refused: continue the rule from its last date
        longer = occurrence_dates(Recurrence(freq, interval=interval, count=2), dates[-1])
    assert longer[-1] > until


def test_until_on_an_occurrence_day_includes_it() -> None:
    monday = date(2027, 1, 4)
    dates = occurrence_dates(Recurrence(Frequency.WEEKLY, until=date(2027, 2, 8)), monday)
    assert dates[-1] == date(2027, 2, 8)
    assert len(dates) == 6


def test_a_weekly_series_across_the_spring_and_autumn_changes_stays_at_nine() -> None:
    start = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)  # Monday 09:00 CET
    occurrences = expand(
        Recurrence(Frequency.WEEKLY, count=34), start, start + timedelta(minutes=30), BERLIN
    )
    offsets = {item.start.astimezone(BERLIN).utcoffset() for item in occurrences}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of both changes
    assert {item.start.astimezone(BERLIN).time() for item in occurrences} == {time(9)}


def test_the_31st_monthly_skips_short_months() -> None:
    dates = occurrence_dates(Recurrence(Frequency.MONTHLY, count=4), date(2027, 1, 31))
    assert dates == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31), date(2027, 7, 31)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 105}, "höchstens 104"),
        ({"count": 3, "until": date(2027, 3, 1)}, "Genau eines"),
        ({}, "Genau eines"),
        ({"count": 3, "byday": (0,), "freq": Frequency.DAILY}, "nur bei freq=weekly"),
        ({"count": 3, "interval": 0}, "interval"),
    ],
)
def test_bad_rules_are_refused(kwargs: dict[str, object], message: str) -> None:
    arguments = {"freq": Frequency.WEEKLY, **kwargs}
    with pytest.raises(RecurrenceError, match=message):
        Recurrence(**arguments)  # type: ignore[arg-type]


def test_an_until_rule_with_more_than_104_occurrences_is_refused_not_cut() -> None:
    with pytest.raises(RecurrenceError, match="höchstens 104"):
        occurrence_dates(Recurrence(Frequency.DAILY, until=date(2028, 1, 1)), date(2027, 1, 1))


def test_a_rule_reaching_centuries_ahead_is_refused() -> None:
    leap_day = date(2028, 2, 29)  # every 52 months lands on 29 February once in decades
    with pytest.raises(RecurrenceError, match="200 Jahre"):
        occurrence_dates(Recurrence(Frequency.MONTHLY, interval=52, count=104), leap_day)


def test_until_before_the_first_day_yields_nothing() -> None:
    with pytest.raises(RecurrenceError, match="keinen Termin"):
        occurrence_dates(Recurrence(Frequency.DAILY, until=date(2026, 12, 31)), date(2027, 1, 1))


def test_rule_text_is_rfc_5545() -> None:
    rule = Recurrence(Frequency.WEEKLY, byday=(3, 0), count=6)
    assert rule.rule_text(date(2027, 1, 4)) == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;COUNT=6"
    monthly = Recurrence(Frequency.MONTHLY, interval=3, until=date(2027, 12, 31))
    assert monthly.rule_text(date(2027, 1, 4)) == "FREQ=MONTHLY;INTERVAL=3;UNTIL=20271231"
