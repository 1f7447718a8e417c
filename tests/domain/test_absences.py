from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.domain.absences import (
    VacationSpan,
    is_vacation,
    remaining_vacation_days,
    return_date,
    workdays_between,
)


def test_spec_example_saturday_to_tuesday() -> None:
    assert workdays_between(date(2026, 1, 10), date(2026, 1, 20)) == 7
    assert return_date(date(2026, 1, 20)) == date(2026, 1, 21)


def test_return_date_skips_the_weekend() -> None:
    assert return_date(date(2026, 1, 16)) == date(2026, 1, 19)  # Friday → Monday
    assert return_date(date(2026, 1, 17)) == date(2026, 1, 19)  # Saturday → Monday


def test_reversed_range_has_no_workdays() -> None:
    assert workdays_between(date(2026, 1, 20), date(2026, 1, 10)) == 0


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 800))
def test_workdays_match_a_day_by_day_count(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    expected = sum(1 for i in range(length + 1) if (start + timedelta(days=i)).weekday() < 5)
    assert workdays_between(start, end) == expected


def test_vacation_reason_is_trimmed_and_case_insensitive() -> None:
    assert is_vacation(" URLAUB ")
    assert not is_vacation("Fortbildung")
    assert not is_vacation(None)


def test_remaining_days_clip_other_vacations_to_the_year_and_floor_at_zero() -> None:
    # Other vacation spans New Year: only its 2026 workdays (Jan 1, Jan 2) count.
    other = VacationSpan(1, date(2025, 12, 29), date(2026, 1, 2))
    own = workdays_between(date(2026, 3, 2), date(2026, 3, 6))
    assert (
        remaining_vacation_days(allowance=30, year=2026, own_workdays=own, other_vacations=[other])
        == 30 - 2 - 5
    )
    assert (
        remaining_vacation_days(allowance=3, year=2026, own_workdays=own, other_vacations=[other])
        == 0
    )
