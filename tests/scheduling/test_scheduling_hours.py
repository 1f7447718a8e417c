"""Weekly hours, absences and breaks become real intervals, correct on DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import scheduling_strategies as strat
from hypothesis import given
from hypothesis import strategies as st

from shared.scheduling.hours import (
    Absence,
    Break,
    DoctorHours,
    PracticeHours,
    expand_weekly,
    has_hours_on,
    open_time,
    windows_on,
)
from shared.scheduling.intervals import IntervalSet
from shared.scheduling.wallclock import day_bounds, local_to_utc, round_up_to_grid

BERLIN = strat.BERLIN
SPRING_FORWARD = date(2026, 3, 29)  # Sunday: 02:00 CET → 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # Sunday: 03:00 CEST → 02:00 CET
HOUR = timedelta(hours=1)


def sunday_window(start: time, end: time) -> PracticeHours:
    return PracticeHours(weekday=6, start_time=start, end_time=end, id=1)


class TestLocalDays:
    def test_dst_days_in_berlin_have_23_and_25_hours(self) -> None:
        start, end = day_bounds(SPRING_FORWARD, BERLIN)
        assert end - start == 23 * HOUR
        start, end = day_bounds(FALL_BACK, BERLIN)
        assert end - start == 25 * HOUR
        start, end = day_bounds(date(2026, 1, 19), BERLIN)
        assert end - start == 24 * HOUR

    @strat.SETTINGS
    @given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    def test_every_berlin_day_has_23_24_or_25_hours(self, day: date) -> None:
        start, end = day_bounds(day, BERLIN)
        hours = (end - start) / HOUR
        assert hours in {23, 24, 25}
        if hours == 23:
            assert (day.month, day.weekday()) == (3, 6)
        if hours == 25:
            assert (day.month, day.weekday()) == (10, 6)

    def test_skipped_time_maps_to_the_transition_instant(self) -> None:
        # 02:30 does not exist on the spring-forward day; the clock reads 03:00 at 01:00 UTC.
        assert local_to_utc(SPRING_FORWARD, time(2, 30), BERLIN) == datetime(
            2026, 3, 29, 1, 0, tzinfo=UTC
        )

    def test_repeated_time_means_the_earlier_occurrence(self) -> None:
        # 02:30 happens twice on the fall-back day: first at 00:30 UTC (CEST).
        assert local_to_utc(FALL_BACK, time(2, 30), BERLIN) == datetime(
            2026, 10, 25, 0, 30, tzinfo=UTC
        )

    def test_round_up_to_the_local_five_minute_grid(self) -> None:
        def local(hour: int, minute: int, second: int = 0) -> datetime:
            return datetime(2026, 1, 19, hour, minute, second, tzinfo=BERLIN)

        assert round_up_to_grid(local(10, 2), BERLIN) == local(10, 5)
        assert round_up_to_grid(local(10, 5), BERLIN) == local(10, 5)
        assert round_up_to_grid(local(15, 0), BERLIN) == local(15, 0)
        assert round_up_to_grid(local(15, 0, 30), BERLIN) == local(15, 5)


class TestWindowsOnDstDays:
    def test_a_full_day_window_is_ten_real_hours_on_both_change_days(self) -> None:
        hours = [sunday_window(time(8), time(18))]
        for day in (SPRING_FORWARD, FALL_BACK):
            (window,) = windows_on(day, hours, BERLIN)
            assert window.interval.duration == 10 * HOUR

    def test_a_window_over_the_skipped_hour_is_shorter(self) -> None:
        (window,) = windows_on(SPRING_FORWARD, [sunday_window(time(1), time(4))], BERLIN)
        assert window.interval.duration == 2 * HOUR
        assert windows_on(SPRING_FORWARD, [sunday_window(time(2), time(3))], BERLIN) == []
        assert has_hours_on(SPRING_FORWARD, [sunday_window(time(2), time(3))])

    def test_a_window_over_the_repeated_hour_starts_at_the_earlier_occurrence(self) -> None:
        (window,) = windows_on(FALL_BACK, [sunday_window(time(2), time(4))], BERLIN)
        # 02:00 CEST (00:00 UTC) to 04:00 CET (03:00 UTC): three real hours.
        assert window.interval.duration == 3 * HOUR

    def test_windows_are_ordered_by_start_time_then_id(self) -> None:
        hours = [
            PracticeHours(0, time(14), time(18), id=1),
            PracticeHours(0, time(8), time(12), id=3),
            PracticeHours(0, time(8), time(10), id=2),
            PracticeHours(0, time(7), time(9), id=4, active=False),
        ]
        windows = windows_on(date(2026, 1, 19), hours, BERLIN)
        assert [window.source_id for window in windows] == [2, 3, 1]

    @strat.SETTINGS
    @given(strat.practice_hours(), strat.days)
    def test_expanded_windows_lie_within_their_local_day(
        self, hours: list[PracticeHours], day: date
    ) -> None:
        start, end = day_bounds(day, BERLIN)
        for window in expand_weekly(hours, day, day, BERLIN):
            assert start <= window.start < window.end <= end


class TestAbsencesAndBreaks:
    def test_absence_covers_whole_local_days_inclusive(self) -> None:
        absence = Absence(7, date(2026, 3, 28), date(2026, 3, 29))
        interval = absence.interval(BERLIN)
        assert interval.start == datetime(2026, 3, 28, tzinfo=BERLIN)
        assert interval.end == datetime(2026, 3, 30, tzinfo=BERLIN)
        assert interval.duration == 47 * HOUR

    def test_open_time_removes_breaks_and_absences(self) -> None:
        monday, tuesday = date(2026, 1, 19), date(2026, 1, 20)
        practice = [PracticeHours(0, time(8), time(16)), PracticeHours(1, time(8), time(16))]
        doctor = [DoctorHours(7, 0, time(9), time(17)), DoctorHours(7, 1, time(9), time(17))]
        lunch = Break(None, monday, time(12), time(13)).interval(BERLIN)
        assert lunch is not None
        removed = IntervalSet.of([lunch, Absence(7, tuesday, tuesday).interval(BERLIN)])
        free = open_time(practice, doctor, monday, tuesday, BERLIN, removed=removed)
        assert [
            (p.start.astimezone(BERLIN).time(), p.end.astimezone(BERLIN).time()) for p in free
        ] == [
            (time(9), time(12)),
            (time(13), time(16)),
        ]
