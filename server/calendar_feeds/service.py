"""Calendar feeds: issue and revoke tokens, the practice switch, and the feed itself
(issue 19, docs/calendar-feeds.md).

Every write is one transaction: the feed row, its audit entry and the live event commit
together. Issuing a token for a subject that already has a live one revokes the old one in
the same transaction (one live feed per subject; the partial unique indexes make that a
database fact, a concurrent second issue answers 409).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.calendar_feeds import ical, scoping, tokens
from server.calendar_feeds.models import (
    DEFAULT_WINDOW_DAYS,
    MAX_WINDOW_DAYS,
    SETTINGS_ROW_ID,
    CalendarFeed,
    CalendarFeedSettings,
)
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import ValidationFailed, conflict, not_found
from server.core.events import publish
from server.core.fields import (
    BooleanField,
    IntegerField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.master_data.models import Resource
from server.users.models import User
from server.users.scoping import is_doctor
from shared.domain.events import LiveEntity

FEED_PATH = "/api/calendar-feeds/ical/{token}/"
SUBJECT_ERROR = "Give either doctor_id or resource_id."
NOT_A_DOCTOR = "The user must be an active user with the role doctor."
NOT_A_ROOM = "Only rooms have a calendar feed."
CONCURRENT = "Another calendar feed for this subject was created at the same time, please retry."

CREATE_SERIALIZER = Serializer(
    "CalendarFeedCreate",
    {
        "doctor_id": PrimaryKeyField(required=False, allow_null=True, default=None),
        "resource_id": PrimaryKeyField(required=False, allow_null=True, default=None),
    },
)
SETTINGS_SERIALIZER = Serializer(
    "CalendarFeedSettings",
    {
        "show_patient_initials": BooleanField(),
        "window_days": IntegerField(min_value=1, max_value=MAX_WINDOW_DAYS),
    },
)


# --- reading feed rows ---------------------------------------------------------------------


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    users = session.scalars(select(User).where(User.id.in_(ids)))
    return {user.id: user.display_name for user in users}


def _subject_name(session: Session, feed: CalendarFeed) -> str:
    if feed.doctor_id is not None:
        user = session.get(User, feed.doctor_id)
        return user.display_name if user else ""
    resource = session.get(Resource, feed.resource_id)
    return resource.name if resource else ""


def feed_json(session: Session, feed: CalendarFeed, tz: ZoneInfo) -> dict[str, Any]:
    names = _user_names(session, {i for i in (feed.created_by, feed.revoked_by) if i})
    return {
        "id": feed.id,
        "kind": feed.kind,
        "doctor_id": feed.doctor_id,
        "resource_id": feed.resource_id,
        "subject_name": _subject_name(session, feed),
        "created_at": timefmt.format_datetime(feed.created_at, tz),
        "created_by": feed.created_by,
        "created_by_name": names.get(feed.created_by, "") if feed.created_by else "",
        "revoked_at": (
            timefmt.format_datetime(feed.revoked_at, tz) if feed.revoked_at is not None else None
        ),
        "revoked_by": feed.revoked_by,
    }


def _live_feed(
    session: Session, *, doctor_id: int | None, resource_id: int | None
) -> CalendarFeed | None:
    query = select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None))
    if doctor_id is not None:
        query = query.where(CalendarFeed.doctor_id == doctor_id)
    else:
        query = query.where(CalendarFeed.resource_id == resource_id)
    return session.scalar(query)


def _doctor_or_none(session: Session, doctor_id: int) -> User | None:
    user = session.get(User, doctor_id)
    if user is None or not user.is_active or not is_doctor(user):
        return None
    return user


def _room_or_none(session: Session, resource_id: int) -> Resource | None:
    resource = session.get(Resource, resource_id)
    if resource is None or resource.type != "room":
        return None
    return resource


def doctor_status(
    session: Session, principal: Principal, doctor_id: int, tz: ZoneInfo
) -> dict[str, Any]:
    """The live feed of a doctor (or null); 403 for another doctor, 404 for no doctor."""
    scoping.ensure_may_manage_doctor(principal, doctor_id)
    if _doctor_or_none(session, doctor_id) is None:
        raise not_found()
    feed = _live_feed(session, doctor_id=doctor_id, resource_id=None)
    return {"doctor_id": doctor_id, "feed": feed_json(session, feed, tz) if feed else None}


def room_status(
    session: Session, principal: Principal, resource_id: int, tz: ZoneInfo
) -> dict[str, Any]:
    scoping.ensure_may_manage_room(principal)
    if _room_or_none(session, resource_id) is None:
        raise not_found()
    feed = _live_feed(session, doctor_id=None, resource_id=resource_id)
    return {"resource_id": resource_id, "feed": feed_json(session, feed, tz) if feed else None}


# --- writes ----------------------------------------------------------------------------------


def _revoke(session: Session, principal: Principal, feed: CalendarFeed, now: datetime) -> None:
    feed.revoked_at = now
    feed.revoked_by = principal.id
    record(
        session,
        principal,
        "calendar_feed_revoke",
        meta={
            "feed_id": feed.id,
            "kind": feed.kind,
            "subject_id": feed.doctor_id or feed.resource_id,
        },
    )
    publish(session, LiveEntity.CALENDAR_FEED, feed.id, "updated")


def create(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    data: Any,
    base_url: str,
    now: datetime,
    tz: ZoneInfo,
) -> dict[str, Any]:
    """Issue a token for a doctor or a room; the answer is the only place it ever appears."""
    values = CREATE_SERIALIZER.validate(data)
    doctor_id, resource_id = values["doctor_id"], values["resource_id"]
    if (doctor_id is None) == (resource_id is None):
        raise ValidationFailed({"non_field_errors": [SUBJECT_ERROR]})
    # 403 before 400: the caller's right to the subject is judged before it is looked up.
    if doctor_id is not None:
        scoping.ensure_may_manage_doctor(principal, doctor_id)
    else:
        scoping.ensure_may_manage_room(principal)
    token = tokens.new_token()
    try:
        with factory() as session, session.begin():
            if doctor_id is not None and _doctor_or_none(session, doctor_id) is None:
                field = "doctor_id"
                message = (
                    NOT_A_DOCTOR if session.get(User, doctor_id) else does_not_exist(doctor_id)
                )
                raise ValidationFailed({field: [message]})
            if resource_id is not None and _room_or_none(session, resource_id) is None:
                message = (
                    NOT_A_ROOM
                    if session.get(Resource, resource_id)
                    else does_not_exist(resource_id)
                )
                raise ValidationFailed({"resource_id": [message]})
            previous = _live_feed(session, doctor_id=doctor_id, resource_id=resource_id)
            if previous is not None:
                _revoke(session, principal, previous, now)
                session.flush()  # the old row leaves the live index before the new one joins
            feed = CalendarFeed(
                doctor_id=doctor_id,
                resource_id=resource_id,
                token_hash=tokens.hash_token(token),
                created_at=now,
                created_by=principal.id,
            )
            session.add(feed)
            session.flush()
            record(
                session,
                principal,
                "calendar_feed_create",
                meta={
                    "feed_id": feed.id,
                    "kind": feed.kind,
                    "subject_id": doctor_id or resource_id,
                    "replaced_feed_id": previous.id if previous else None,
                },
            )
            publish(session, LiveEntity.CALENDAR_FEED, feed.id, "created")
            body = feed_json(session, feed, tz)
    except IntegrityError as exc:
        raise conflict(CONCURRENT) from exc
    body["token"] = token
    body["url"] = base_url.rstrip("/") + FEED_PATH.format(token=token)
    return body


def revoke(
    factory: sessionmaker[Session], *, principal: Principal, feed_id: int, now: datetime
) -> None:
    """Revoke a live feed: its URL answers 404 from the commit on."""
    with factory() as session, session.begin():
        feed = session.get(CalendarFeed, feed_id, with_for_update=True)
        if feed is None:
            raise not_found()
        scoping.ensure_may_manage(principal, doctor_id=feed.doctor_id)
        if feed.revoked_at is not None:
            raise not_found()
        _revoke(session, principal, feed, now)


def get_feed(session: Session, principal: Principal, feed_id: int, tz: ZoneInfo) -> dict[str, Any]:
    feed = session.get(CalendarFeed, feed_id)
    if feed is None:
        raise not_found()
    scoping.ensure_may_manage(principal, doctor_id=feed.doctor_id)
    return feed_json(session, feed, tz)


# --- the practice switch ---------------------------------------------------------------------


def _settings_row(session: Session, *, lock: bool = False) -> CalendarFeedSettings:
    row = session.get(CalendarFeedSettings, SETTINGS_ROW_ID, with_for_update=lock)
    if row is None:  # the migration seeds it; a restore of an odd backup might lack it
        row = CalendarFeedSettings(id=SETTINGS_ROW_ID)
        session.add(row)
        session.flush()
    return row


def settings_json(session: Session, row: CalendarFeedSettings, tz: ZoneInfo) -> dict[str, Any]:
    names = _user_names(session, {row.updated_by} if row.updated_by else set())
    return {
        "show_patient_initials": row.show_patient_initials,
        "window_days": row.window_days,
        "updated_at": timefmt.format_datetime(row.updated_at, tz),
        "updated_by": row.updated_by,
        "updated_by_name": names.get(row.updated_by, "") if row.updated_by else "",
    }


def read_settings(session: Session, tz: ZoneInfo) -> dict[str, Any]:
    row = session.get(CalendarFeedSettings, SETTINGS_ROW_ID)
    if row is None:
        return {
            "show_patient_initials": False,
            "window_days": DEFAULT_WINDOW_DAYS,
            "updated_at": None,
            "updated_by": None,
            "updated_by_name": "",
        }
    return settings_json(session, row, tz)


def update_settings(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    data: Any,
    partial: bool,
    now: datetime,
    tz: ZoneInfo,
) -> dict[str, Any]:
    values = SETTINGS_SERIALIZER.validate(data, partial=partial)
    with factory() as session, session.begin():
        row = _settings_row(session, lock=True)
        before = {
            "show_patient_initials": row.show_patient_initials,
            "window_days": row.window_days,
        }
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        row.updated_by = principal.id
        session.flush()
        record(
            session,
            principal,
            "calendar_feed_settings_update",
            meta={"before": before, "after": {k: getattr(row, k) for k in before}},
        )
        publish(session, LiveEntity.CALENDAR_FEED_SETTINGS, SETTINGS_ROW_ID, "updated")
        return settings_json(session, row, tz)


# --- the feed itself -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedContent:
    """What a feed shows, before the (costly) iCalendar rendering.

    ``etag`` is a hash of everything the text is made of (the entries, the calendar's name,
    the zone, the window and the ``icalendar`` version), so an unchanged feed answers 304
    without being rendered; rendering 1,200 events takes about a second with ``icalendar``.
    """

    feed_id: int
    etag: str
    entries: tuple[ical.FeedEntry, ...]
    name: str
    tz: ZoneInfo
    since: datetime
    until: datetime

    def body(self) -> bytes:
        """The iCalendar text; the last few renderings are kept, keyed by their ETag."""
        with _RENDERED_LOCK:
            cached = _RENDERED.get(self.etag)
            if cached is not None:
                _RENDERED.move_to_end(self.etag)
                return cached
        body = ical.render(
            self.entries,
            name=self.name,
            tz=self.tz,
            window_start=self.since,
            window_end=self.until,
        )
        with _RENDERED_LOCK:
            _RENDERED[self.etag] = body
            while len(_RENDERED) > RENDER_CACHE_SIZE:
                _RENDERED.popitem(last=False)
        return body


RENDER_CACHE_SIZE = 32  # feeds: one per doctor and room; a few hundred kB each at most
_RENDERED: OrderedDict[str, bytes] = OrderedDict()
_RENDERED_LOCK = threading.Lock()


def _etag(parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return '"' + digest[:40] + '"'


_APPOINTMENTS_OF_DOCTOR = text(
    """
    SELECT a.id, a.start_time, a.end_time, a.status, a.updated_at, a.patient_id,
           t.name AS type_name, NULL AS location
      FROM appointments a LEFT JOIN appointment_types t ON t.id = a.type_id
     WHERE a.doctor_id = :subject AND a.start_time < :until AND a.end_time > :since
    """
)
_OPERATIONS_OF_DOCTOR = text(
    """
    SELECT o.id, o.start_time, o.end_time, o.status, o.updated_at, o.patient_id,
           ot.name AS type_name, r.name AS location
      FROM operations o
      JOIN operation_types ot ON ot.id = o.op_type_id
      JOIN resources r ON r.id = o.op_room_id
     WHERE :subject IN (o.primary_surgeon_id, o.assistant_id, o.anesthesist_id)
       AND o.start_time < :until AND o.end_time > :since
       AND o.start_time > CAST(:since AS timestamptz) - interval '72 hours'
    """
)
_APPOINTMENTS_IN_ROOM = text(
    """
    SELECT a.id, a.start_time, a.end_time, a.status, a.updated_at, a.patient_id,
           t.name AS type_name, r.name AS location
      FROM appointment_resources ar
      JOIN appointments a ON a.id = ar.appointment_id
      JOIN resources r ON r.id = ar.resource_id
      LEFT JOIN appointment_types t ON t.id = a.type_id
     WHERE ar.resource_id = :subject AND a.start_time < :until AND a.end_time > :since
    """
)
_OPERATIONS_IN_ROOM = text(
    """
    SELECT o.id, o.start_time, o.end_time, o.status, o.updated_at, o.patient_id,
           ot.name AS type_name, r.name AS location
      FROM operations o
      JOIN operation_types ot ON ot.id = o.op_type_id
      JOIN resources r ON r.id = o.op_room_id
     WHERE o.op_room_id = :subject AND o.start_time < :until AND o.end_time > :since
       AND o.start_time > CAST(:since AS timestamptz) - interval '72 hours'
    """
)
_PATIENT_NAMES = text("SELECT id, first_name, last_name FROM patients WHERE id = ANY(:ids)")


def window(now: datetime, tz: ZoneInfo, days: int) -> tuple[datetime, datetime]:
    """From the start of today (practice time) to the start of the day ``days`` days later;
    local midnights, so a window across a DST change still ends at midnight."""
    today = now.astimezone(tz).date()
    start, _ = timefmt.local_day_bounds(today, tz)
    end, _ = timefmt.local_day_bounds(today + timedelta(days=days), tz)
    return start, end


def find_feed(session: Session, token: str) -> CalendarFeed | None:
    """The live feed of ``token``, or None for an unknown, malformed or revoked one."""
    if not tokens.well_formed(token):
        return None
    feed = session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == tokens.hash_token(token))
    )
    if feed is None or feed.revoked_at is not None or not tokens.matches(token, feed.token_hash):
        return None
    return feed


def feed_content(session: Session, token: str, *, now: datetime, tz: ZoneInfo) -> FeedContent:
    """What the feed behind ``token`` shows; 404 for anything but a live token of an
    existing active doctor or room."""
    feed = find_feed(session, token)
    if feed is None:
        raise not_found()
    settings = session.get(CalendarFeedSettings, SETTINGS_ROW_ID)
    show_initials = bool(settings and settings.show_patient_initials)
    days = settings.window_days if settings else DEFAULT_WINDOW_DAYS
    since, until = window(now, tz, days)
    params: dict[str, Any] = {"since": since, "until": until}
    queries: list[tuple[str, Any]]
    if feed.doctor_id is not None:
        doctor = _doctor_or_none(session, feed.doctor_id)
        if doctor is None:
            raise not_found()
        name = f"PraxiApp – {doctor.display_name}"
        params["subject"] = feed.doctor_id
        queries = [("appointment", _APPOINTMENTS_OF_DOCTOR), ("operation", _OPERATIONS_OF_DOCTOR)]
    else:
        assert feed.resource_id is not None
        room = _room_or_none(session, feed.resource_id)
        if room is None:
            raise not_found()
        name = f"PraxiApp – {room.name}"
        params["subject"] = feed.resource_id
        queries = [("appointment", _APPOINTMENTS_IN_ROOM), ("operation", _OPERATIONS_IN_ROOM)]
    rows = [(kind, row) for kind, query in queries for row in session.execute(query, params)]
    initials: dict[int, str | None] = {}
    if show_initials and rows:
        patient_ids = sorted({row.patient_id for _, row in rows})
        for pid, first, last in session.execute(_PATIENT_NAMES, {"ids": patient_ids}):
            initials[pid] = ical.initials(first, last)
    entries = [
        ical.FeedEntry(
            kind=kind,
            id=row.id,
            start=row.start_time,
            end=row.end_time,
            status=row.status,
            updated_at=row.updated_at,
            type_name=row.type_name,
            patient_initials=initials.get(row.patient_id) if show_initials else None,
            location=row.location,
        )
        for kind, row in rows
    ]
    ordered = tuple(sorted(entries, key=lambda e: (e.start, e.kind, e.id)))
    etag = _etag((icalendar.__version__, name, tz.key, since, until, ordered))
    return FeedContent(feed.id, etag, ordered, name, tz, since, until)
