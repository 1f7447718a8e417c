"""The server side of matching: open entries and the calendar from the database, the pure
ranking of ``shared.scheduling.waitlist``, and the freed period of a freed-slot row.

Used by the matcher (after commit), by every read of a freed slot (candidates are
recomputed against the current calendar, so a booked entry or a taken time is gone for
everyone) and by the book endpoint's 409 (the next candidates).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.bookings import scheduling_data
from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType
from server.users.models import Role, User
from server.users.scoping import doctor_role
from server.waiting_list import render
from server.waiting_list.models import FreedSlot, WaitingListEntry
from shared.domain.waiting_list import EntryStatus, FreedSource, Priority
from shared.scheduling import Interval, day_bounds, local_date
from shared.scheduling.waitlist import Candidate, TimeWindow, WaitingEntry, match

HORIZON_DAYS = 28
"""How far ahead extended hours, removed absences and breaks are offered."""

OPEN_STATUSES = tuple(status.value for status in EntryStatus if status.is_open)


def waiting_entry(row: WaitingListEntry, duration_minutes: int) -> WaitingEntry:
    return WaitingEntry(
        id=row.id,
        patient_id=row.patient_id,
        duration=timedelta(minutes=duration_minutes),
        waiting_since=row.created_at,
        urgent=row.priority == Priority.URGENT,
        doctor_ids=frozenset(row.doctor_ids),
        earliest=row.earliest_date,
        latest=row.latest_date,
        windows=tuple(
            TimeWindow(w["weekday"], time.fromisoformat(w["from"]), time.fromisoformat(w["to"]))
            for w in row.windows
        ),
    )


def active_doctor_ids(session: Session, among: Collection[int] | None = None) -> list[int]:
    query = select(User.id).join(Role).where(doctor_role(), User.is_active.is_(True))
    if among is not None:
        query = query.where(User.id.in_(list(among)))
    return list(session.scalars(query.order_by(User.id)))


def open_entries(
    session: Session, doctor_ids: Sequence[int], today: date
) -> dict[int, tuple[WaitingListEntry, WaitingEntry]]:
    """Open, unexpired entries of an active type with a duration that accept a doctor of
    ``doctor_ids``; by id."""
    rows = session.execute(
        select(WaitingListEntry, AppointmentType.duration_minutes)
        .join(AppointmentType, AppointmentType.id == WaitingListEntry.type_id)
        .where(
            WaitingListEntry.status.in_(OPEN_STATUSES),
            AppointmentType.active.is_(True),
            AppointmentType.duration_minutes > 0,
            (WaitingListEntry.latest_date.is_(None)) | (WaitingListEntry.latest_date >= today),
        )
    ).all()
    wanted = set(doctor_ids)
    result = {}
    for row, minutes in rows:
        if row.doctor_ids and not wanted & set(row.doctor_ids):
            continue
        result[row.id] = (row, waiting_entry(row, minutes or 0))
    return result


def slot_period(slot: FreedSlot, now: datetime, tz: ZoneInfo) -> Interval | None:
    """The freed time still ahead: the appointment's period, the freed days, or (extended
    hours) the next ``HORIZON_DAYS``; clipped to [now, today + HORIZON_DAYS)."""
    today = local_date(now, tz)
    horizon_end = day_bounds(today + timedelta(days=HORIZON_DAYS), tz)[0]
    if slot.start_time is not None and slot.end_time is not None:
        start, end = slot.start_time, slot.end_time
    elif slot.first_day is not None and slot.last_day is not None:
        start, end = day_bounds(slot.first_day, tz)[0], day_bounds(slot.last_day, tz)[1]
    else:
        start, end = now, horizon_end
    return Interval.maybe(max(start, now), min(end, horizon_end))


def slot_doctors(session: Session, slot: FreedSlot) -> list[int]:
    if slot.source == FreedSource.PRACTICE_HOURS or (
        slot.doctor_id is None and slot.source == FreedSource.BREAK
    ):
        return active_doctor_ids(session)
    if slot.doctor_id is None:
        return []
    return active_doctor_ids(session, [slot.doctor_id])


def candidates_for(
    session: Session,
    period: Interval,
    doctor_ids: Sequence[int],
    *,
    now: datetime,
    tz: ZoneInfo,
) -> tuple[list[Candidate], dict[int, WaitingListEntry]]:
    """The ranked candidates for ``period`` and the entry rows behind them."""
    if not doctor_ids:
        return [], {}
    entries = open_entries(session, doctor_ids, local_date(now, tz))
    if not entries:
        return [], {}
    first_day = local_date(period.start, tz)
    last_day = local_date(period.end - timedelta(microseconds=1), tz)
    data = scheduling_data.load(session, tz, first_day, last_day, doctor_ids=doctor_ids)
    found = match(data, [pair[1] for pair in entries.values()], period, doctor_ids, now=now)
    return found, {c.entry.id: entries[c.entry.id][0] for c in found}


def candidates_json(
    session: Session,
    found: Sequence[Candidate],
    rows: dict[int, WaitingListEntry],
    tz: ZoneInfo,
) -> list[dict[str, Any]]:
    entries = render.entries_json(session, [rows[c.entry.id] for c in found], tz)
    names = render.user_names(session, (c.doctor_id for c in found))
    return [
        {
            "rank": candidate.rank,
            "entry": entry,
            "doctor": {"id": candidate.doctor_id, "name": names.get(candidate.doctor_id, "")},
            "start_time": format_datetime(candidate.interval.start, tz),
            "end_time": format_datetime(candidate.interval.end, tz),
        }
        for candidate, entry in zip(found, entries, strict=True)
    ]


def current_candidates(
    session: Session, slot: FreedSlot, *, now: datetime, tz: ZoneInfo
) -> list[dict[str, Any]]:
    """The slot's candidates as of now (JSON)."""
    period = slot_period(slot, now, tz)
    if period is None:
        return []
    found, rows = candidates_for(session, period, slot_doctors(session, slot), now=now, tz=tz)
    return candidates_json(session, found, rows, tz)
