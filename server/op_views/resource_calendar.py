"""Resource calendar (spec 04 §5.9, D-OP-16, D-OP-19, D-OP-20): one statement per request.

``resources`` lists the active resources (a doctor: those their appointments and operations
ever used), ordered ``type, name, id``. The calendar returns one column per requested active
resource, in the requested order, with the day's bookings of four kinds:

* ``appointment`` — appointments booking the resource (all statuses); colour = type colour,
  else the doctor's calendar colour; label ``"<type name or Termin> – <doctor>"``;
* ``operation`` — operations with the resource as room or attached device (all statuses);
  colour = type colour; label ``"<type name or OP> – <primary surgeon>"``; ``status``
  ``running`` / ``planned`` (planned, confirmed) / null; ``progress`` as 04 §4.4;
* ``absence`` — active absences covering the day, ``00:00`` to ``23:59:59.999999`` local,
  ``#FF4500``, ``"<reason or Abwesenheit> – <doctor>"``, with ``doctor_id``;
* ``break`` — active breaks on the day, ``#FFD700``, ``"Pause – <doctor>"`` or ``"Pause"``
  (practice-wide), with ``doctor_id`` (null when practice-wide).

Absences and breaks are copied into every column. Every booking has ``status``, ``color``
and ``cancelled``; only operations have ``progress``; only absences and breaks have
``doctor_id`` (the last key). Ordering in a column: ``start_time, end_time, kind, id`` (kind
compared bytewise). The dash is U+2013 with a space on each side.

Decisions where the spec is silent: an empty type name, absence reason falls back like a
missing one (Python ``or``); ids in ``resource_ids`` outside ``1 … 2⁶³−1`` are a 400 with
the 00 §12 range message as ``detail``; the audit's ``resource_ids`` is the de-duplicated
list.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.bookings.sql import DOCTOR_NAME_SQL, RESOURCE_JSON_SQL
from server.core.errors import bad_request
from server.core.fields import BIGINT_MAX
from server.op_views.common import PROGRESS_SQL, day_start, next_day_start
from server.operations import read

DASH = " \u2013 "
ABSENCE_COLOR = "#FF4500"
BREAK_COLOR = "#FFD700"
IDS_REQUIRED = "Provide resource_ids as comma-separated list."
IDS_NOT_INTEGERS = "resource_ids must be integers."
IDS_EMPTY = "resource_ids cannot be empty."
_INTEGER = re.compile(r"^[+-]?[0-9]{1,30}$")


def parse_resource_ids(request: Request) -> list[int]:
    """``resource_ids``: comma-separated integers, blanks skipped, duplicates dropped."""
    raw = request.query_params.get("resource_ids")
    if raw is None or not raw.strip():
        raise bad_request(IDS_REQUIRED)
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(_INTEGER.match(part) for part in parts):
        raise bad_request(IDS_NOT_INTEGERS)
    if not parts:
        raise bad_request(IDS_EMPTY)
    ids = list(dict.fromkeys(int(part) for part in parts))
    for value in ids:
        if value < 1:
            raise bad_request("Ensure this value is greater than or equal to 1.")
        if value > BIGINT_MAX:
            raise bad_request(f"Ensure this value is less than or equal to {BIGINT_MAX}.")
    return ids


def resources_json(session: Session, doctor_id: int | None) -> str:
    condition = "r.active"
    params: dict[str, Any] = {}
    if doctor_id is not None:
        params["me"] = doctor_id
        condition += """ AND (
            r.id IN (SELECT ar.resource_id FROM appointment_resources ar
                     JOIN appointments a ON a.id = ar.appointment_id WHERE a.doctor_id = :me)
            OR r.id IN (SELECT o.op_room_id FROM operations o WHERE o.primary_surgeon_id = :me
                        OR o.assistant_id = :me OR o.anesthesist_id = :me)
            OR r.id IN (SELECT od.resource_id FROM operation_devices od
                        JOIN operations o ON o.id = od.operation_id
                        WHERE o.primary_surgeon_id = :me OR o.assistant_id = :me
                           OR o.anesthesist_id = :me))"""
    sql = (
        f"SELECT coalesce(json_agg({RESOURCE_JSON_SQL} ORDER BY r.type, r.name, r.id)::text, "  # noqa: S608
        f"'[]') FROM resources r WHERE {condition}"
    )
    result: str = session.execute(text(sql), params).scalar_one()
    return read.finish(result)


_OP_STATUS_SQL = (
    "CASE o.status WHEN 'running' THEN 'running' WHEN 'planned' THEN 'planned' "
    "WHEN 'confirmed' THEN 'planned' END"
)

_CALENDAR_SQL = """
WITH cols AS (
    SELECT r.id, req.ord, {resource} AS obj
    FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS req(id, ord)
    JOIN resources r ON r.id = req.id AND r.active
),
shared AS (
    SELECT 'absence'::text AS kind, d.id, CAST(:abs_start AS timestamptz) AS st,
           CAST(:abs_end AS timestamptz) AS et,
           json_build_object(
               'kind', 'absence', 'id', d.id, 'start_time', CAST(:abs_start AS timestamptz),
               'end_time', CAST(:abs_end AS timestamptz), 'color', '{absence_color}',
               'label', coalesce(nullif(d.reason, ''), 'Abwesenheit') || '{dash}' || {doctor},
               'status', NULL, 'cancelled', false, 'doctor_id', d.doctor_id) AS obj
    FROM doctor_absences d JOIN users u ON u.id = d.doctor_id
    WHERE d.active AND d.start_date <= CAST(:day AS date) AND d.end_date >= CAST(:day AS date)
          {absence_filter}
    UNION ALL
    SELECT 'break', b.id, bt.st, bt.et,
           json_build_object(
               'kind', 'break', 'id', b.id, 'start_time', bt.st, 'end_time', bt.et,
               'color', '{break_color}',
               'label', CASE WHEN b.doctor_id IS NULL THEN 'Pause'
                             ELSE 'Pause{dash}' || {doctor} END,
               'status', NULL, 'cancelled', false, 'doctor_id', b.doctor_id)
    FROM doctor_breaks b LEFT JOIN users u ON u.id = b.doctor_id
    CROSS JOIN LATERAL (
        SELECT timezone(CAST(:tz AS text), CAST(:day AS date) + b.start_time) AS st,
               timezone(CAST(:tz AS text), CAST(:day AS date) + b.end_time) AS et
    ) bt
    WHERE b.active AND b.date = CAST(:day AS date) {break_filter}
),
bookings AS (
    SELECT ar.resource_id AS col, 'appointment'::text AS kind, a.id, a.start_time AS st,
           a.end_time AS et,
           json_build_object(
               'kind', 'appointment', 'id', a.id, 'start_time', a.start_time,
               'end_time', a.end_time, 'color', coalesce(t.color, u.calendar_color),
               'label', coalesce(nullif(t.name, ''), 'Termin') || '{dash}' || {doctor},
               'status', NULL, 'cancelled', a.status = 'cancelled') AS obj
    FROM appointment_resources ar
    JOIN appointments a ON a.id = ar.appointment_id
    JOIN users u ON u.id = a.doctor_id
    LEFT JOIN appointment_types t ON t.id = a.type_id
    WHERE ar.resource_id IN (SELECT id FROM cols) AND {appointment_overlap} {appointment_filter}
    UNION ALL
    SELECT c.id, 'operation', o.id, o.start_time, o.end_time,
           json_build_object(
               'kind', 'operation', 'id', o.id, 'start_time', o.start_time,
               'end_time', o.end_time, 'color', t.color,
               'label', coalesce(nullif(t.name, ''), 'OP') || '{dash}' || {doctor},
               'status', {op_status}, 'progress', {progress},
               'cancelled', o.status = 'cancelled')
    FROM operations o
    JOIN operation_types t ON t.id = o.op_type_id
    JOIN users u ON u.id = o.primary_surgeon_id
    JOIN cols c ON c.id = o.op_room_id OR EXISTS (
        SELECT 1 FROM operation_devices od WHERE od.operation_id = o.id AND od.resource_id = c.id)
    WHERE {operation_overlap} {operation_filter}
    UNION ALL
    SELECT c.id, s.kind, s.id, s.st, s.et, s.obj FROM cols c CROSS JOIN shared s
)
SELECT coalesce(json_agg(json_build_object('resource', c.obj,
                                           'bookings', coalesce(b.items, '[]'::json))
                         ORDER BY c.ord)::text, '[]')
FROM cols c LEFT JOIN LATERAL (
    SELECT json_agg(obj ORDER BY st, et, kind COLLATE "C", id) AS items
    FROM bookings WHERE col = c.id
) b ON true
"""


def _calendar_sql(*, doctor: bool) -> str:
    return _CALENDAR_SQL.format(
        resource=RESOURCE_JSON_SQL,
        doctor=DOCTOR_NAME_SQL,
        dash=DASH,
        absence_color=ABSENCE_COLOR,
        break_color=BREAK_COLOR,
        op_status=_OP_STATUS_SQL,
        progress=PROGRESS_SQL,
        appointment_overlap=(
            "a.start_time < :day_end AND a.end_time > :day_start "
            "AND a.start_time > :day_start - interval '26 hours'"
        ),
        operation_overlap=read.overlapping_sql("day_start", "day_end"),
        absence_filter="AND d.doctor_id = :me" if doctor else "",
        break_filter="AND (b.doctor_id IS NULL OR b.doctor_id = :me)" if doctor else "",
        appointment_filter="AND a.doctor_id = :me" if doctor else "",
        operation_filter=f"AND {read.team_member_sql('me')}" if doctor else "",
    )


_SQL_ALL = _calendar_sql(doctor=False)
_SQL_DOCTOR = _calendar_sql(doctor=True)


def calendar_json(
    session: Session,
    day: date,
    resource_ids: list[int],
    tz: ZoneInfo,
    now: datetime,
    doctor_id: int | None,
) -> str:
    params: dict[str, Any] = {
        "ids": resource_ids,
        "day": day,
        "tz": tz.key,
        "now": now,
        "day_start": day_start(day, tz),
        "day_end": next_day_start(day, tz),
        "abs_start": day_start(day, tz),
        "abs_end": datetime.combine(day, time.max, tzinfo=tz),
    }
    if doctor_id is not None:
        params["me"] = doctor_id
    sql = _SQL_DOCTOR if doctor_id is not None else _SQL_ALL
    result: str = session.execute(text(sql), params).scalar_one()
    return read.finish(result)
