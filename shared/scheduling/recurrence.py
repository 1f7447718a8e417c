"""Recurring appointments: the RFC 5545 subset practices use, expanded to real instants.

``FREQ=DAILY|WEEKLY|MONTHLY``, ``INTERVAL``, ``BYDAY`` (weekly only), ``COUNT`` or
``UNTIL`` (a local date, inclusive). The dates come from ``python-dateutil``'s ``rrule``
(a well-kept RFC 5545 implementation) over *naive local dates*; each occurrence then starts
at the series' local wall-clock time on its date (:func:`local_to_utc`), so 09:00 stays
09:00 across DST changes, and lasts the series' real duration.

Decisions (docs/series-and-chains.md):

* The occurrences are the rule's dates from the first day on; the first day itself is
  only an occurrence when it matches ``BYDAY`` (``dateutil`` semantics; RFC 5545 would
  count DTSTART regardless — practices expect "Mondays and Thursdays" to mean exactly that).
* A monthly rule on the 29th–31st skips months without that day (RFC 5545, ``dateutil``).
* At most :data:`MAX_OCCURRENCES`; a rule that yields more (``UNTIL`` far away) or none is
  refused with :class:`RecurrenceError` rather than cut; so is one reaching more than
  :data:`MAX_SPAN_YEARS` ahead (a 29 February every 52 months), which keeps every date
  representable.
* Wall-clock times inside the spring-forward gap map to the transition instant, ambiguous
  ones to the earlier instant (:mod:`shared.scheduling.wallclock`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal

from dateutil import rrule

from shared.scheduling.intervals import Interval
from shared.scheduling.wallclock import local_to_utc

__all__ = [
    "MAX_INTERVAL",
    "MAX_OCCURRENCES",
    "MAX_SPAN_YEARS",
    "WEEKDAYS",
    "Frequency",
    "Recurrence",
    "RecurrenceError",
    "expand",
    "occurrence_dates",
]

MAX_OCCURRENCES = 104
MAX_INTERVAL = 52
MAX_SPAN_YEARS = 200  # far beyond any real series; keeps every date far from year 9999
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()

TOO_MANY = f"Eine Serie hat höchstens {MAX_OCCURRENCES} Termine."
NONE_AT_ALL = "Die Regel ergibt keinen Termin."
COUNT_OR_UNTIL = "Genau eines von count oder until angeben."
BYDAY_WEEKLY_ONLY = "byday gibt es nur bei freq=weekly."
TOO_FAR = f"Eine Serie reicht höchstens {MAX_SPAN_YEARS} Jahre weit."


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


_RRULE_FREQ: dict[Frequency, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    Frequency.DAILY: rrule.DAILY,
    Frequency.WEEKLY: rrule.WEEKLY,
    Frequency.MONTHLY: rrule.MONTHLY,
}
_RRULE_DAY = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


class RecurrenceError(ValueError):
    """A rule that cannot make a series (message is the German API text)."""


@dataclass(frozen=True)
class Recurrence:
    """A validated rule. ``byday`` holds ``date.weekday()`` numbers (0 = Monday)."""

    freq: Frequency
    interval: int = 1
    byday: tuple[int, ...] = ()
    count: int | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.until is None):
            raise RecurrenceError(COUNT_OR_UNTIL)
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise RecurrenceError(f"interval muss zwischen 1 und {MAX_INTERVAL} liegen.")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise RecurrenceError(TOO_MANY if self.count > MAX_OCCURRENCES else NONE_AT_ALL)
        if self.byday and self.freq is not Frequency.WEEKLY:
            raise RecurrenceError(BYDAY_WEEKLY_ONLY)
        if any(not 0 <= day <= 6 for day in self.byday):
            raise RecurrenceError("Unbekannter Wochentag.")

    def rule_text(self, first_day: date) -> str:
        """The RFC 5545 ``RRULE`` value (``BYDAY`` spelled out for weekly rules)."""
        parts = [f"FREQ={self.freq.value.upper()}", f"INTERVAL={self.interval}"]
        if self.freq is Frequency.WEEKLY:
            days = sorted(set(self.byday or (first_day.weekday(),)))
            parts.append("BYDAY=" + ",".join(WEEKDAYS[day] for day in days))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until.strftime('%Y%m%d')}")
        return ";".join(parts)


def occurrence_dates(recurrence: Recurrence, first_day: date) -> list[date]:
    """The local dates of the series, in order; ``RecurrenceError`` for none or too many."""
    if recurrence.until is not None and recurrence.until < first_day:
        raise RecurrenceError(NONE_AT_ALL)
    byweekday = None
    if recurrence.freq is Frequency.WEEKLY:
        byweekday = [_RRULE_DAY[day] for day in sorted(set(recurrence.byday))] or None
    rule = rrule.rrule(
        _RRULE_FREQ[recurrence.freq],
        dtstart=datetime.combine(first_day, time(0)),
        interval=recurrence.interval,
        byweekday=byweekday,
        count=recurrence.count,
        # Inclusive: an occurrence at 00:00 of the UNTIL day is still part of the rule.
        until=datetime.combine(recurrence.until, time(0)) if recurrence.until else None,
    )
    dates: list[date] = []
    last_year = first_day.year + MAX_SPAN_YEARS
    for moment in rule:  # lazy: stop one past the limit instead of expanding years
        if moment.year > last_year:
            raise RecurrenceError(TOO_FAR)
        dates.append(moment.date())
        if len(dates) > MAX_OCCURRENCES:
            raise RecurrenceError(TOO_MANY)
    if not dates:
        raise RecurrenceError(NONE_AT_ALL)
    if recurrence.count is not None and len(dates) < recurrence.count:
        raise RecurrenceError(TOO_FAR)  # ``dateutil`` stops silently at the year 9999
    return dates


def expand(recurrence: Recurrence, start: datetime, end: datetime, tz: tzinfo) -> list[Interval]:
    """The occurrences of a series whose first appointment is ``[start, end)`` (aware).

    Each starts at ``start``'s local wall-clock time on its date and lasts ``end - start``.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    duration = end - start
    if duration <= timedelta(0):
        raise ValueError("end must be after start")
    local_start = start.astimezone(tz)
    clock = local_start.time().replace(tzinfo=None, fold=0)
    return [
        Interval.of_length(local_to_utc(day, clock, tz), duration)
        for day in occurrence_dates(recurrence, local_start.date())
    ]
