"""Wall-clock (practice-local) time ↔ real instants, DST-correct.

All functions take the practice time zone explicitly (``zoneinfo.ZoneInfo``, spec 00 §6:
``PRAXI_TIMEZONE``, default ``Europe/Berlin``) and return instants in UTC (see
:mod:`shared.scheduling.intervals` for why).

Decisions where the spec is silent:

* **Ambiguous local times** (the repeated hour of a fall-back day) mean the *earlier*
  occurrence — the same rule spec 00 §6 sets for API input.
* **Non-existent local times** (the skipped hour of a spring-forward day) map to the
  transition instant, i.e. the first real instant after the gap (in Europe/Berlin
  ``02:30`` on the last Sunday of March becomes ``03:00`` CEST). So a working window
  ``02:00–03:00`` on that day is empty and ``01:00–04:00`` lasts 2 real hours. (API
  input with a non-existent time is rejected by the server, 00 §6; the engine needs a
  total function for stored wall-clock hours.)
* The 5-minute slot grid (03 §9.3 step 5) is a grid of the *local* clock: minutes past
  the local hour divisible by 5.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = [
    "day_bounds",
    "local_date",
    "local_days",
    "local_to_utc",
    "round_up_to_grid",
]

GRID = timedelta(minutes=5)


def local_to_utc(day: date, clock: time, tz: tzinfo) -> datetime:
    """The real instant (UTC) at which the local wall clock in ``tz`` shows ``day clock``."""
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    earlier = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if earlier.astimezone(tz).replace(tzinfo=None) == naive:
        return earlier
    # Non-existent wall time: the two folds bracket the transition; find it exactly.
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = min(earlier, other), max(earlier, other)
    after_gap = high.astimezone(tz).utcoffset()
    # Binary search on whole seconds for the first instant with the post-gap offset.
    lo_s, hi_s = 0, int((high - low).total_seconds())
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        if (low + timedelta(seconds=mid)).astimezone(tz).utcoffset() == after_gap:
            hi_s = mid
        else:
            lo_s = mid + 1
    return low + timedelta(seconds=lo_s)


def local_date(instant: datetime, tz: tzinfo) -> date:
    """The local calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(tz).date()


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """``(start, end)`` of the local day: local midnight to the next local midnight.

    23 real hours on a spring-forward day, 25 on a fall-back day.
    """
    return local_to_utc(day, time(0), tz), local_to_utc(day + timedelta(days=1), time(0), tz)


def local_days(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last`` inclusive (empty if ``last < first``)."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def round_up_to_grid(instant: datetime, tz: tzinfo, step: timedelta = GRID) -> datetime:
    """Round up to the next local clock reading whose minutes are a multiple of ``step``.

    Seconds and microseconds first round up to the whole minute (03 §9.3 step 5:
    10:02 → 10:05, 10:05 → 10:05, 15:00:30 → 15:05). Returns UTC.
    """
    utc = instant.astimezone(UTC)
    local = utc.astimezone(tz)
    since_hour = timedelta(
        minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    remainder = since_hour % step
    if not remainder:
        return utc
    return utc + (step - remainder)
