"""The iCalendar (RFC 5545) text of a feed, built with ``icalendar``; no database here.

Privacy by default (issue 19): an event says "Termin" or "OP" and the type's name, nothing
else about the patient — no name, no notes. Only when the practice switched it on do the
patient's initials follow ("Termin: Kontrolle – M. M."). The room of an operation is its
LOCATION.

Times carry ``TZID`` of the practice zone with a ``VTIMEZONE`` covering the window (plus a
year on either side), so calendar clients and ``recurring-ical-events`` place them right
across daylight-saving changes. DTSTAMP and LAST-MODIFIED are the row's last change, never
"now": the same data renders the same bytes, which the ETag relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from shared.domain.statuses import AppointmentStatus, OperationStatus

PRODID = "-//PraxiApp//Kalender-Abo//DE"
UID_DOMAIN = "praxiapp"
APPOINTMENT_LABEL = "Termin"
OPERATION_LABEL = "OP"
_TIMEZONE_MARGIN = timedelta(days=366)


@dataclass(frozen=True)
class FeedEntry:
    """One appointment or operation as the feed shows it."""

    kind: str  # "appointment" | "operation"
    id: int
    start: datetime
    end: datetime
    status: str
    updated_at: datetime
    type_name: str | None
    patient_initials: str | None = None
    location: str | None = None


def initials(first_name: str | None, last_name: str | None) -> str | None:
    """``"M. M."`` from the first letters of the names; None when both are empty."""
    letters = [
        name.strip()[0].upper() + "." for name in (first_name, last_name) if name and name.strip()
    ]
    return " ".join(letters) or None


def summary(entry: FeedEntry) -> str:
    label = OPERATION_LABEL if entry.kind == "operation" else APPOINTMENT_LABEL
    text = f"{label}: {entry.type_name}" if entry.type_name else label
    if entry.patient_initials:
        text = f"{text} – {entry.patient_initials}"
    return text


def ical_status(entry: FeedEntry) -> str:
    """RFC 5545 STATUS: cancelled rows stay in the feed as CANCELLED (clients remove or
    strike them through); a planned, not yet confirmed operation is TENTATIVE."""
    if entry.kind == "operation":
        if entry.status == OperationStatus.CANCELLED:
            return "CANCELLED"
        return "TENTATIVE" if entry.status == OperationStatus.PLANNED else "CONFIRMED"
    return "CANCELLED" if entry.status == AppointmentStatus.CANCELLED else "CONFIRMED"


def render(
    entries: Iterable[FeedEntry],
    *,
    name: str,
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    for entry in sorted(entries, key=lambda e: (e.start, e.kind, e.id)):
        event = Event()
        event.add("uid", f"{entry.kind}-{entry.id}@{UID_DOMAIN}")
        stamp = entry.updated_at.astimezone(UTC)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", entry.start.astimezone(tz))
        event.add("dtend", entry.end.astimezone(tz))
        event.add("summary", summary(entry))
        event.add("status", ical_status(entry))
        event.add("transp", "TRANSPARENT" if ical_status(entry) == "CANCELLED" else "OPAQUE")
        event.add("class", "PRIVATE")
        if entry.location:
            event.add("location", entry.location)
        calendar.add_component(event)
    first: date = (window_start - _TIMEZONE_MARGIN).date()
    last: date = (window_end + _TIMEZONE_MARGIN).date()
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
