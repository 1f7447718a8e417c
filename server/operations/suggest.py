"""``GET /api/operations/suggest/`` (spec 04 §5.5, D-OP-11).

Query parameters are validated in the order of the §5.5 table (first error wins, plain
``detail`` strings); then the 31-day horizon is loaded once (hours, absences, breaks,
appointments, operations — ``scheduling_data.load``) and the pure engine
(``shared.scheduling.suggest_operation_slots``) evaluates every candidate in memory.

Decisions where the spec is silent:

* Id parameters (and ``patient_id``) outside ``1 … 2^63-1`` answer the 00 §12 range texts
  as ``detail``.
* The scan starts at ``max(start_date, today)``: a past ``start_date`` behaves like today.
* An operation type whose durations sum to 0 can never be planned (§2.4); its suggestion
  list is empty (the original: every candidate fails validation).
* Assistant / anesthesist checks run per member: assistant (exists → active doctor), then
  anesthesist, then the devices.
* The scan stops early (empty result) for start dates too close to ``date.max`` for 31
  days plus an operation block to be representable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.bookings import scheduling_data
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import bad_request
from server.core.fields import BIGINT_MAX, parse_int
from server.master_data.models import OperationType, Resource
from server.operations import scoping
from server.users.models import User
from server.users.scoping import is_doctor
from shared.scheduling import OperationRequest, local_date, suggest_operation_slots
from shared.scheduling.operations import OPERATION_HORIZON_DAYS

MAX_LIMIT = 50
DEFAULT_LIMIT = 3
_LAST_SCANNABLE_DAY = date(9999, 1, 1)


@dataclass(frozen=True)
class Query:
    patient_id: int
    primary_surgeon_id: int
    assistant_id: int | None
    anesthesist_id: int | None
    op_type_id: int
    op_room_id: int
    device_ids: list[int]
    start_date: date | None
    limit: int


def _int(params: dict[str, str], name: str, *, required: bool) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise bad_request(f"{name} query parameter is required.")
        return None
    try:
        value = parse_int(raw)
    except ValueError as exc:
        raise bad_request(f"{name} must be an integer.") from exc
    if value > BIGINT_MAX:
        raise bad_request(f"Ensure this value is less than or equal to {BIGINT_MAX}.")
    if value < 1:
        raise bad_request("Ensure this value is greater than or equal to 1.")
    return value


def _devices(params: dict[str, str]) -> list[int]:
    raw = params.get("op_device_ids") or ""
    ids: list[int] = []
    for part in raw.split(","):
        if not part.strip():
            continue
        try:
            value = parse_int(part.strip())
        except ValueError as exc:
            raise bad_request("op_device_ids must be a comma-separated list of integers.") from exc
        if value > BIGINT_MAX:
            raise bad_request(f"Ensure this value is less than or equal to {BIGINT_MAX}.")
        if value < 1:
            raise bad_request("Ensure this value is greater than or equal to 1.")
        ids.append(value)
    return list(dict.fromkeys(ids))


def check_doctor_access(principal: Principal, params: dict[str, str]) -> None:
    """Who may ask for whose slots (``scoping``), before any validation."""
    scoping.ensure_may_suggest(principal, primary_surgeon_id=params.get("primary_surgeon_id"))


def parse_query(params: dict[str, str]) -> Query:
    """Steps 1–9 of the §5.5 table."""
    patient_id = _int(params, "patient_id", required=True)
    surgeon = _int(params, "primary_surgeon_id", required=True)
    assistant = _int(params, "assistant_id", required=False)
    anesthesist = _int(params, "anesthesist_id", required=False)
    op_type = _int(params, "op_type_id", required=True)
    room = _int(params, "op_room_id", required=True)
    devices = _devices(params)
    start_date = None
    raw_date = params.get("start_date")
    if raw_date:
        try:
            start_date = timefmt.parse_date(raw_date)
        except ValueError as exc:
            raise bad_request("start_date must be in format YYYY-MM-DD.") from exc
    limit = DEFAULT_LIMIT
    raw_limit = params.get("limit")
    if raw_limit is not None and raw_limit != "":
        try:
            limit = parse_int(raw_limit)
        except ValueError as exc:
            raise bad_request("limit must be an integer.") from exc
        if limit <= 0:
            raise bad_request("limit must be >= 1.")
    assert patient_id is not None
    assert surgeon is not None
    assert op_type is not None
    assert room is not None
    return Query(
        patient_id=patient_id,
        primary_surgeon_id=surgeon,
        assistant_id=assistant,
        anesthesist_id=anesthesist,
        op_type_id=op_type,
        op_room_id=room,
        device_ids=devices,
        start_date=start_date,
        limit=min(limit, MAX_LIMIT),
    )


def _is_active_doctor(user: User) -> bool:
    return is_doctor(user) and user.is_active


def _check_rows(session: Session, query: Query) -> tuple[User, OperationType, Resource]:
    """Steps 10–15 of the §5.5 table."""
    surgeon = session.get(User, query.primary_surgeon_id)
    if surgeon is None:
        raise bad_request("primary_surgeon_id not found.")
    if not is_doctor(surgeon):
        raise bad_request('primary_surgeon_id must reference a user with role "doctor".')
    if not surgeon.is_active:
        raise bad_request("primary_surgeon_id must reference an active doctor.")
    op_type = session.get(OperationType, query.op_type_id)
    if op_type is None:
        raise bad_request("op_type_id not found.")
    if not op_type.active:
        raise bad_request("op_type_id is inactive.")
    room = session.get(Resource, query.op_room_id)
    if room is None or not room.active:
        raise bad_request("op_room_id not found.")
    if room.type != "room":
        raise bad_request('op_room_id must reference a Resource with type "room".')
    for name, member_id in (
        ("assistant_id", query.assistant_id),
        ("anesthesist_id", query.anesthesist_id),
    ):
        if member_id is None:
            continue
        member = session.get(User, member_id)
        if member is None:
            raise bad_request(f"{name} not found.")
        if not _is_active_doctor(member):
            raise bad_request(f"{name} must reference an active doctor.")
    if query.device_ids:
        valid = set(
            session.scalars(
                select(Resource.id).where(
                    Resource.id.in_(query.device_ids),
                    Resource.type == "device",
                    Resource.active.is_(True),
                )
            )
        )
        if valid != set(query.device_ids):
            raise bad_request("op_device_ids contains unknown, inactive or non-device resources.")
    return surgeon, op_type, room


def suggest(
    session: Session, params: dict[str, str], tz: ZoneInfo, now: datetime
) -> dict[str, Any]:
    query = parse_query(params)
    surgeon, op_type, room = _check_rows(session, query)
    today = local_date(now, tz)
    start_day = max(query.start_date or today, today)
    total = op_type.prep_duration + op_type.op_duration + op_type.post_duration
    slots = []
    if total > 0 and start_day < _LAST_SCANNABLE_DAY:
        team = [m for m in (surgeon.id, query.assistant_id, query.anesthesist_id) if m]
        # The horizon plus the longest block an operation can have (72 h) beyond it.
        last_day = start_day + timedelta(days=OPERATION_HORIZON_DAYS + 3)
        data = scheduling_data.load_cached(session, tz, start_day, last_day, doctor_ids=team)
        request = OperationRequest(
            patient_id=query.patient_id,
            primary_surgeon_id=surgeon.id,
            room_id=room.id,
            duration=timedelta(minutes=total),
            start_day=start_day,
            now=now,
            limit=query.limit,
            assistant_id=query.assistant_id,
            anesthesist_id=query.anesthesist_id,
            device_ids=frozenset(query.device_ids),
        )
        slots = suggest_operation_slots(data, request)
    return {
        "primary_surgeon": {
            "id": surgeon.id,
            "name": surgeon.display_name,
            "color": surgeon.calendar_color,
        },
        "suggestions": [
            {
                "start_time": timefmt.format_datetime(slot.start, tz),
                "end_time": timefmt.format_datetime(slot.end, tz),
                "op_type": {"id": op_type.id, "name": op_type.name, "color": op_type.color},
                "op_room": {"id": room.id, "name": room.name, "color": room.color},
                "op_device_ids": query.device_ids,
            }
            for slot in slots
        ],
    }
