"""Absence arithmetic of spec 02 §7.1 (pure; used by the server and the desktop's preview).

Workdays are Monday–Friday; public holidays are not considered (as in the original).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

VACATION_REASON = "urlaub"


def is_vacation(reason: str | None) -> bool:
    return reason is not None and reason.strip().lower() == VACATION_REASON


def workdays_between(start: date, end: date) -> int:
    """Monday–Friday dates in the inclusive range; 0 when ``end`` < ``start``."""
    if end < start:
        return 0
    total_days = (end - start).days + 1
    full_weeks, rest = divmod(total_days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start + timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def return_date(end: date) -> date:
    """First Monday–Friday date after ``end``."""
    day = end + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class VacationSpan:
    """An active vacation absence of one doctor (inclusive dates)."""

    absence_id: int
    start: date
    end: date


def workdays_in_year(span: VacationSpan, year: int) -> int:
    start = max(span.start, date(year, 1, 1))
    end = min(span.end, date(year, 12, 31))
    return workdays_between(start, end)


def remaining_vacation_days(
    *,
    allowance: int,
    year: int,
    own_workdays: int,
    other_vacations: Iterable[VacationSpan],
) -> int:
    """Allowance minus the other vacations' workdays in ``year`` (clipped to it) minus the
    absence's own, unclipped workdays; never below zero."""
    used = sum(workdays_in_year(span, year) for span in other_vacations)
    return max(0, allowance - used - own_workdays)
