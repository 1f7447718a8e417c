"""Date/time formats of the API (00 §6): output in the practice time zone, DRF-style input."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

DATETIME_FORMAT_ERROR = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)
DATE_FORMAT_ERROR = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
TIME_FORMAT_ERROR = "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."
DST_GAP_ERROR = "Invalid local time (daylight saving time change)."

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")
_DATETIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(Z|z|[+-]\d{2}:?\d{2})?$"
)


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist in the practice time zone."""


def format_datetime(value: datetime, tz: tzinfo) -> str:
    local = value.astimezone(tz)
    text = local.isoformat(timespec="microseconds" if local.microsecond else "seconds")
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def format_date(value: date) -> str:
    return value.isoformat()


def format_time(value: time) -> str:
    return value.isoformat(timespec="microseconds" if value.microsecond else "seconds")


# Dates at the very ends of the calendar cannot take a day's arithmetic (the next day,
# a week, a month around them) without overflowing; no practice books there. Values
# outside get the format error instead of a 500.
MIN_YEAR, MAX_YEAR = 1900, 9000


def _in_supported_range(day: date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def parse_date(text: str) -> date:
    if not _DATE_RE.match(text):
        raise ValueError(DATE_FORMAT_ERROR)
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(DATE_FORMAT_ERROR) from exc
    if not _in_supported_range(day):
        raise ValueError(DATE_FORMAT_ERROR)
    return day


def parse_time(text: str) -> time:
    match = _TIME_RE.match(text)
    if not match:
        raise ValueError(TIME_FORMAT_ERROR)
    hour, minute, second, fraction = match.groups()
    try:
        return time(
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise ValueError(TIME_FORMAT_ERROR) from exc


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach the practice zone to a wall-clock time (00 §6).

    A time in the skipped hour of a spring-forward day is an error; a repeated hour of a
    fall-back day means its earlier occurrence (fold=0).
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        raise LocalTimeError(DST_GAP_ERROR)
    return aware


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """Parse an API datetime; without offset it is practice-local time."""
    match = _DATETIME_RE.match(text.strip())
    if not match:
        raise ValueError(DATETIME_FORMAT_ERROR)
    day_text, time_text, offset = match.groups()
    try:
        day = date.fromisoformat(day_text)
        clock = parse_time(time_text)
    except ValueError as exc:
        raise ValueError(DATETIME_FORMAT_ERROR) from exc
    if not _in_supported_range(day):
        raise ValueError(DATETIME_FORMAT_ERROR)
    naive = datetime.combine(day, clock)
    if offset is None:
        return localize(naive, tz)
    if offset in ("Z", "z"):
        return naive.replace(tzinfo=ZoneInfo("UTC"))
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(DATETIME_FORMAT_ERROR)
    from datetime import timezone

    return naive.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of day, start of next day) as aware datetimes; DST days are 23 or 25 hours."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end
