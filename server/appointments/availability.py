"""Who and what is free in a time range — ``GET /api/availability/`` (03 §8).

Set-based: one scheduling-data load for the local days of the range (whatever the number
of doctors, rooms or patients), the engine's verdicts for doctors, rooms and busy
patients, and one query that renders the free patients as JSON inside PostgreSQL. Busy
time is whatever ``SchedulingData`` carries, so every kind of booking it holds counts.

Decisions where the spec is silent:

* Doctors are checked on the range clipped to the end of its second local day. A range
  that crosses a local midnight already fails on its first day's segment (no working
  window reaches midnight), so the verdict is the same, and a range of years costs no
  more than one of two days.
* ``start``/``end`` before the year 2 or after the year 9998 (UTC) are answered like any
  unparsable value (``Invalid datetime format: …``): the loaders reach days (and hours)
  around the range, which must stay representable.
* The audit ``meta`` holds ``start`` and ``end`` as parsed, in the practice time zone (00 §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import BigInteger, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from server.appointments.doctors import active_doctors
from server.bookings import scheduling_data
from server.core import timefmt
from server.core.errors import bad_request
from server.core.fields import BIGINT_MAX, parse_int
from server.core.query import bool_param
from server.master_data.models import Resource
from shared.scheduling import (
    Interval,
    available_doctor_ids,
    busy_patient_ids,
    day_bounds,
    free_room_ids,
    local_date,
)

MISSING = "start and end query parameters are required (ISO datetime format)."
INVALID = "Invalid datetime format: {}"
OUT_OF_RANGE = "Datetime is out of the supported range."
ORDER = "end_time must be after start_time"
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

# 02 §1.1 display name, as ``server.patients.render.display_name`` builds it.
_PATIENTS_SQL = """
SELECT coalesce(json_agg(json_build_object(
    'id', p.id,
    'first_name', p.first_name,
    'last_name', p.last_name,
    'display_name',
        CASE WHEN btrim(p.last_name) = '' AND btrim(p.first_name) = ''
             THEN 'Patient #' || p.id
             ELSE btrim(btrim(btrim(p.last_name || ', ' || p.first_name), ','))
                  || CASE WHEN p.birth_date IS NULL THEN ''
                          ELSE ' (' || to_char(p.birth_date, 'DD.MM.YYYY') || ')' END
        END
) ORDER BY p.last_name, p.first_name, p.id)::text, '[]')
FROM patients p
WHERE p.id <> ALL(:busy)
"""


@dataclass(frozen=True)
class AvailabilityQuery:
    start: datetime
    end: datetime
    exclude_appointment_id: int | None
    include_patients: bool

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


def _datetime(raw: str, tz: ZoneInfo) -> datetime:
    try:
        value = timefmt.parse_datetime(raw, tz)
    except ValueError as exc:
        raise bad_request(INVALID.format(exc)) from exc
    if not EARLIEST <= value <= LATEST:
        raise bad_request(INVALID.format(OUT_OF_RANGE))
    return value


def _exclude_id(params: Mapping[str, str]) -> int | None:
    """Non-integer (or impossible) ids are ignored (03 §8)."""
    try:
        value = parse_int(params.get("exclude_appointment_id"))
    except ValueError:
        return None
    return value if 1 <= value <= BIGINT_MAX else None


def parse_query(params: Mapping[str, str], tz: ZoneInfo) -> AvailabilityQuery:
    raw_start, raw_end = params.get("start"), params.get("end")
    if not raw_start or not raw_end:
        raise bad_request(MISSING)
    start, end = _datetime(raw_start, tz), _datetime(raw_end, tz)
    if end <= start:
        raise bad_request(ORDER)
    return AvailabilityQuery(
        start=start,
        end=end,
        exclude_appointment_id=_exclude_id(params),
        include_patients=bool_param(params.get("include_patients")) is not False,
    )


def audit_meta(query: AvailabilityQuery, tz: ZoneInfo) -> dict[str, str]:
    return {
        "start": timefmt.format_datetime(query.start, tz),
        "end": timefmt.format_datetime(query.end, tz),
    }


def _doctor_interval(interval: Interval, tz: ZoneInfo) -> Interval:
    second_day_end = day_bounds(local_date(interval.start, tz) + timedelta(days=1), tz)[1]
    return Interval(interval.start, min(interval.end, second_day_end))


def _free_patients_json(session: Session, busy: frozenset[int]) -> str:
    statement = text(_PATIENTS_SQL).bindparams(bindparam("busy", type_=ARRAY(BigInteger)))
    result: str = session.execute(statement, {"busy": sorted(busy)}).scalar_one()
    return result


def compute(session: Session, query: AvailabilityQuery, tz: ZoneInfo) -> dict[str, Any]:
    """The response body of 03 §8 (``available_patients`` only if asked for)."""
    interval = query.interval
    excluded = query.exclude_appointment_id
    doctors = active_doctors(session)
    data = scheduling_data.load_cached(
        session,
        tz,
        local_date(interval.start, tz),
        local_date(interval.end, tz),
        doctor_ids=[doctor.id for doctor in doctors],
    )
    free_doctors = set(
        available_doctor_ids(
            data,
            [doctor.id for doctor in doctors],
            _doctor_interval(interval, tz),
            exclude_appointment_id=excluded,
        )
    )
    rooms = session.execute(
        select(Resource.id, Resource.name, Resource.type)
        .where(Resource.type == "room", Resource.active.is_(True))
        .order_by(Resource.name, Resource.id)
    ).all()
    free_rooms = set(
        free_room_ids(data, [room.id for room in rooms], interval, exclude_appointment_id=excluded)
    )
    body: dict[str, Any] = {
        "available_doctors": [d.picker_item() for d in doctors if d.id in free_doctors],
        "available_rooms": [
            {"id": room.id, "name": room.name, "type": room.type}
            for room in rooms
            if room.id in free_rooms
        ],
    }
    if query.include_patients:
        busy = busy_patient_ids(data, interval, exclude_appointment_id=excluded)
        body["available_patients"] = orjson.Fragment(_free_patients_json(session, busy))
    return body
