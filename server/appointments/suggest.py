"""Slot suggestions — ``GET /api/appointments/suggest/`` (03 §9, README "Suggestions").

The server's part: the doctor-role rule (403 before any validation, 03 §9.1; ``scoping``),
the query checks in their contractual order (03 §9.2), loading the scheduling data of the
horizon only, and the response of 03 §9.5. Finding the slots — scan a day, the horizon, the
substitution fallback, ``any_doctor`` — is the engine's (``shared.scheduling.suggest``),
which also honours every kind of busy time ``SchedulingData`` carries.

Decisions where the spec is silent:

* Days before today yield nothing (03 §9.3 step 5), so the data is loaded from
  ``max(start_date, today)`` on; a horizon that lies wholly in the past loads nothing.
* Ids above 2⁶³−1 answer the 00 §12 text (``Ensure this value is less than or equal to
  9223372036854775807.``) at the position of their integer check; ids ≤ 0 cannot exist and
  get the parameter's own "not found" text, like any unknown id. Resource ids outside
  the id range are "unknown" (rule 17).
* The horizon ends on 9998-12-31 at the latest, so that the days (and hours) the loaders
  reach around it stay representable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments import scoping
from server.appointments.doctors import Doctor, active_doctors
from server.bookings import scheduling_data
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import bad_request
from server.core.fields import BIGINT_MAX, parse_int
from server.core.query import bool_param
from server.master_data.models import AppointmentType, Resource
from server.users.models import User
from server.users.scoping import is_doctor
from shared.scheduling import (
    Slot,
    SuggestRequest,
    local_date,
    suggest,
    suggest_any_doctor,
)

LIMIT_MAX = 50
DAYS_MAX = 31
DURATION_MAX = 1440
LAST_DAY = date(9998, 12, 31)
ID_TOO_LARGE = f"Ensure this value is less than or equal to {BIGINT_MAX}."
BAD_RESOURCE_LIST = "resource_ids must be a comma-separated list of integers."
BAD_RESOURCES = "resource_ids contains unknown or inactive resource(s)."


@dataclass(frozen=True)
class SlotType:
    id: int
    name: str
    color: str | None

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "color": self.color}


@dataclass(frozen=True)
class BookedResource:
    id: int
    color: str | None


@dataclass(frozen=True)
class SuggestQuery:
    """A validated query: ``doctor`` is None with ``any_doctor=true``."""

    doctor: Doctor | None
    doctors: tuple[Doctor, ...]  # every active doctor, by id
    type: SlotType | None
    duration: timedelta
    start_day: date
    limit: int
    days: int
    resources: tuple[BookedResource, ...]  # ascending id


@dataclass(frozen=True)
class SuggestOutcome:
    body: dict[str, Any]
    substituted: bool  # the fallback was used and found someone (doctor_substitution_suggest)


# --- query ------------------------------------------------------------------------------


def _param(params: Mapping[str, str], name: str) -> str | None:
    """Empty-string parameters count as absent (03 §9.2)."""
    raw = params.get(name)
    return raw if raw else None


def _int(params: Mapping[str, str], name: str) -> int | None:
    raw = _param(params, name)
    if raw is None:
        return None
    try:
        return parse_int(raw)
    except ValueError as exc:
        raise bad_request(f"{name} must be an integer.") from exc


def _id(params: Mapping[str, str], name: str) -> int | None:
    value = _int(params, name)
    if value is not None and value > BIGINT_MAX:
        raise bad_request(ID_TOO_LARGE)
    return value


def _positive(params: Mapping[str, str], name: str, default: int, clamp: int) -> int:
    value = _int(params, name)
    if value is None:
        return default
    if value < 1:
        raise bad_request(f"{name} must be >= 1.")
    return min(value, clamp)


def wants_any_doctor(params: Mapping[str, str]) -> bool:
    return bool_param(params.get("any_doctor")) is True


def check_access(params: Mapping[str, str], principal: Principal) -> None:
    """03 §9.1: who may ask for whose slots (``scoping``), before any validation."""
    scoping.ensure_may_suggest(
        principal, any_doctor=wants_any_doctor(params), doctor_id=_param(params, "doctor_id")
    )


def _requested_doctor(session: Session, doctor_id: int, active: tuple[Doctor, ...]) -> Doctor:
    """Rules 8–10: exists, has role doctor, is active."""
    for doctor in active:
        if doctor.id == doctor_id:
            return doctor
    user = session.get(User, doctor_id) if doctor_id >= 1 else None
    if user is None:
        raise bad_request("doctor_id not found.")
    if not is_doctor(user):
        raise bad_request('doctor_id must reference a user with role "doctor".')
    raise bad_request("doctor_id must reference an active doctor.")


def _slot_type(session: Session, type_id: int | None) -> AppointmentType | None:
    """Rules 11–12."""
    if type_id is None:
        return None
    row = session.get(AppointmentType, type_id) if type_id >= 1 else None
    if row is None:
        raise bad_request("type_id not found.")
    if not row.active:
        raise bad_request("type_id is inactive.")
    return row


def _duration(minutes: int | None, slot_type: AppointmentType | None) -> timedelta:
    """Rules 13–15: an explicit ``duration_minutes`` overrides the type's."""
    if minutes is None:
        if slot_type is None:
            raise bad_request("duration_minutes is required when type_id is not provided.")
        if slot_type.duration_minutes is None:
            raise bad_request(
                "AppointmentType.duration_minutes is not set; provide duration_minutes."
            )
        minutes = slot_type.duration_minutes
    if minutes < 1:
        raise bad_request("duration_minutes must be >= 1.")
    if minutes > DURATION_MAX:
        raise bad_request(f"Ensure this value is less than or equal to {DURATION_MAX}.")
    return timedelta(minutes=minutes)


def _resource_ids(params: Mapping[str, str]) -> list[int]:
    """Rule 16: comma-separated integers, empty parts ignored, duplicates removed."""
    raw = _param(params, "resource_ids")
    if raw is None:
        return []
    ids: set[int] = set()
    for part in raw.split(","):
        if not part.strip():
            continue
        try:
            ids.add(parse_int(part))
        except ValueError as exc:
            raise bad_request(BAD_RESOURCE_LIST) from exc
    return sorted(ids)


def _resources(session: Session, ids: list[int]) -> tuple[BookedResource, ...]:
    """Rule 17: every resource exists and is active."""
    if not ids:
        return ()
    if not all(1 <= resource_id <= BIGINT_MAX for resource_id in ids):
        raise bad_request(BAD_RESOURCES)
    rows = session.execute(
        select(Resource.id, Resource.color)
        .where(Resource.id.in_(ids), Resource.active.is_(True))
        .order_by(Resource.id)
    ).all()
    if len(rows) != len(ids):
        raise bad_request(BAD_RESOURCES)
    return tuple(BookedResource(row.id, row.color) for row in rows)


def parse_query(session: Session, params: Mapping[str, str], *, today: date) -> SuggestQuery:
    """03 §9.2 in its order; the first failing rule answers ``400 {"detail": "…"}``."""
    any_doctor = wants_any_doctor(params)
    doctor_id = None
    if not any_doctor:
        if _param(params, "doctor_id") is None:
            raise bad_request("doctor_id query parameter is required.")
        doctor_id = _id(params, "doctor_id")
    type_id = _id(params, "type_id")
    minutes = _int(params, "duration_minutes")
    raw_start = _param(params, "start_date")
    try:
        start_day = timefmt.parse_date(raw_start) if raw_start is not None else today
    except ValueError as exc:
        raise bad_request("start_date must be in format YYYY-MM-DD.") from exc
    limit = _positive(params, "limit", 1, LIMIT_MAX)
    days = _positive(params, "days", 1, DAYS_MAX)
    active = active_doctors(session)
    doctor = _requested_doctor(session, doctor_id, active) if doctor_id is not None else None
    slot_type = _slot_type(session, type_id)
    duration = _duration(minutes, slot_type)
    resources = _resources(session, _resource_ids(params))
    return SuggestQuery(
        doctor=doctor,
        doctors=active,
        type=SlotType(slot_type.id, slot_type.name, slot_type.color) if slot_type else None,
        duration=duration,
        start_day=start_day,
        limit=limit,
        days=days,
        resources=resources,
    )


# --- suggestions ------------------------------------------------------------------------


def _horizon(query: SuggestQuery, today: date) -> tuple[date, date] | None:
    """The days worth loading: the requested ones from today on (earlier ones yield nothing)."""
    if query.start_day > LAST_DAY:
        return None
    last = query.start_day + timedelta(days=min(query.days - 1, (LAST_DAY - query.start_day).days))
    first = max(query.start_day, today)
    return (first, last) if first <= last else None


class _Renderer:
    """Suggestion objects of 03 §9.5; the parts that do not depend on the slot are built once."""

    def __init__(self, query: SuggestQuery, tz: ZoneInfo) -> None:
        self._tz = tz
        self._doctors = {doctor.id: doctor for doctor in query.doctors}
        self._type = query.type
        self._resource_ids = [resource.id for resource in query.resources]
        self._resource_colors = [resource.color for resource in query.resources]

    def doctor(self, doctor_id: int) -> dict[str, Any]:
        return self._doctors[doctor_id].ref()

    def slot(self, slot: Slot) -> dict[str, Any]:
        doctor = self._doctors[slot.doctor_id]
        return {
            "start_time": timefmt.format_datetime(slot.start, self._tz),
            "end_time": timefmt.format_datetime(slot.end, self._tz),
            "doctor": doctor.ref(),
            "type": self._type.ref() if self._type else None,
            "doctor_color": doctor.color,
            "type_color": self._type.color if self._type else None,
            "resource_ids": list(self._resource_ids),
            "resource_colors": list(self._resource_colors),
        }


def find(session: Session, query: SuggestQuery, tz: ZoneInfo, now: datetime) -> SuggestOutcome:
    """Primary suggestions with the substitution fallback, or all doctors merged (03 §9.4)."""
    render = _Renderer(query, tz)
    doctor_ids = [doctor.id for doctor in query.doctors]
    primary: tuple[Slot, ...] = ()
    fallback: list[dict[str, Any]] = []
    horizon = _horizon(query, local_date(now, tz))
    if horizon is not None:
        first, last = horizon
        resource_ids = frozenset(resource.id for resource in query.resources)
        request = SuggestRequest(
            start_day=first,
            duration=query.duration,
            now=now,
            limit=query.limit,
            days=(last - first).days + 1,
            resource_ids=resource_ids,
        )
        if query.doctor is None:
            data = scheduling_data.load_cached(session, tz, first, last, doctor_ids=doctor_ids)
            primary = suggest_any_doctor(data, request, doctor_ids)
        else:
            # The requested doctor usually has a slot: their own bookings and those of the
            # requested resources answer that; everybody's are loaded only for the fallback.
            own = scheduling_data.load_cached(
                session,
                tz,
                first,
                last,
                doctor_ids=[query.doctor.id],
                only_doctors_bookings=True,
                resource_ids=resource_ids,
            )
            result = suggest(own, request, doctor_id=query.doctor.id)
            if not result.primary:
                data = scheduling_data.load_cached(session, tz, first, last, doctor_ids=doctor_ids)
                result = suggest(
                    data, request, doctor_id=query.doctor.id, other_doctor_ids=doctor_ids
                )
            primary = result.primary
            fallback = [
                {
                    "doctor": render.doctor(entry.doctor_id),
                    "suggestions": [render.slot(slot) for slot in entry.slots],
                }
                for entry in result.fallback
            ]
    body = {
        "primary_doctor": query.doctor.ref() if query.doctor else None,
        "primary_suggestions": [render.slot(slot) for slot in primary],
        "fallback_suggestions": fallback,
    }
    return SuggestOutcome(body, substituted=bool(fallback))
