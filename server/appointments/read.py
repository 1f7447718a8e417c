"""``AppointmentRead`` (03 §2) built as JSON inside PostgreSQL.

Lists of 20,000 appointments must not be dominated by Python object building and datetime
formatting, so the database renders every object and aggregates the array; Python passes
the text on. The engine's session TimeZone is the practice zone (``server.db.make_engine``),
so PostgreSQL writes timestamps exactly as 00 §6 wants (offset, microseconds only when
non-zero). Names follow 01 §2 (doctor) and 02 §1.1 (patient).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

PATIENT_NAME_SQL = """
CASE WHEN p.id IS NULL OR (btrim(p.last_name) = '' AND btrim(p.first_name) = '')
     THEN 'Patient #' || a.patient_id
     ELSE btrim(btrim(btrim(p.last_name || ', ' || p.first_name), ','))
          || CASE WHEN p.birth_date IS NULL THEN ''
                  ELSE ' (' || to_char(p.birth_date, 'DD.MM.YYYY') || ')' END
END
"""

DOCTOR_NAME_SQL = "coalesce(nullif(btrim(u.first_name || ' ' || u.last_name), ''), u.username)"

RESOURCE_JSON_SQL = """json_build_object(
    'id', r.id, 'name', r.name, 'type', r.type, 'color', r.color, 'active', r.active,
    'created_at', r.created_at, 'updated_at', r.updated_at)"""

# One object per appointment; ``{extra}`` adds keys (the calendar's ``cancelled``).
_OBJECT_SQL = """
json_build_object(
    'id', a.id,
    'patient_id', a.patient_id,
    'patient_name', {patient_name},
    'type', CASE WHEN t.id IS NULL THEN NULL
                 ELSE json_build_object('id', t.id, 'name', t.name, 'color', t.color) END,
    'doctor', a.doctor_id,
    'doctor_name', {doctor_name},
    'resources', coalesce(res.resources, '[]'::json),
    'room_name', res.room_name,
    'resource_names', coalesce(res.resource_names, '[]'::json),
    'appointment_color', t.color,
    'doctor_color', u.calendar_color,
    'start_time', a.start_time,
    'end_time', a.end_time,
    'status', a.status,
    'is_no_show', a.is_no_show,
    'notes', a.notes,
    'created_at', a.created_at,
    'updated_at', a.updated_at{extra}
)"""

_FROM_SQL = f"""
FROM appointments a
JOIN users u ON u.id = a.doctor_id
LEFT JOIN appointment_types t ON t.id = a.type_id
LEFT JOIN patients p ON p.id = a.patient_id
LEFT JOIN LATERAL (
    SELECT json_agg({RESOURCE_JSON_SQL} ORDER BY r.type, r.name, r.id) AS resources,
           (array_agg(r.name ORDER BY r.type, r.name, r.id)
                FILTER (WHERE r.active AND r.type = 'room'))[1] AS room_name,
           json_agg(r.name ORDER BY r.type, r.name, r.id)
                FILTER (WHERE r.active AND r.type <> 'room') AS resource_names
    FROM appointment_resources ar JOIN resources r ON r.id = ar.resource_id
    WHERE ar.appointment_id = a.id
) res ON true
"""


_UTC_TIMESTAMP = re.compile(r'("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\+00:00"')


def finish(text_json: str) -> str:
    """00 §6 writes a zero offset as ``Z`` where PostgreSQL writes ``+00:00``.

    Timestamps carry ``+00:00`` only when the practice zone sits at UTC+0 (the session
    TimeZone is the practice zone), so in Europe/Berlin this never rewrites anything.
    """
    if '+00:00"' not in text_json:
        return text_json
    return _UTC_TIMESTAMP.sub(r'\1Z"', text_json)


def _object_sql(*, with_cancelled: bool) -> str:
    extra = ",\n    'cancelled', a.status = 'cancelled'" if with_cancelled else ""
    return _OBJECT_SQL.format(
        patient_name=PATIENT_NAME_SQL, doctor_name=DOCTOR_NAME_SQL, extra=extra
    )


def array_json(
    session: Session,
    where_sql: str,
    params: dict[str, Any],
    *,
    with_cancelled: bool = False,
) -> str:
    """JSON array text of the matching appointments, ordered by ``start_time``, ``id``."""
    # ``where_sql`` is assembled by callers from constant fragments; values are bound.
    sql = (
        "SELECT coalesce(json_agg(obj ORDER BY st, id)::text, '[]') FROM ("
        f"SELECT a.id AS id, a.start_time AS st, {_object_sql(with_cancelled=with_cancelled)} "
        f"AS obj {_FROM_SQL} WHERE {where_sql}) rows"
    )
    result: str = session.execute(text(sql), params).scalar_one()
    return finish(result)


def object_json(session: Session, appointment_id: int) -> str:
    sql = f"SELECT {_object_sql(with_cancelled=False)}::text {_FROM_SQL} WHERE a.id = :id"
    result: str = session.execute(text(sql), {"id": appointment_id}).scalar_one()
    return finish(result)


def overlapping_sql(start_param: str, end_param: str) -> str:
    """``[start, end)`` overlap that can use the ``start_time`` index.

    Appointments start and end on one local day (03 §4.2 check 2b), so none lasts longer
    than 25 hours; the lower bound on ``start_time`` makes the range scan bounded.
    """
    return (
        f"a.start_time < :{end_param} AND a.end_time > :{start_param} "
        f"AND a.start_time > :{start_param} - interval '26 hours'"
    )


def range_params(start: datetime, end: datetime) -> dict[str, datetime]:
    return {"range_start": start, "range_end": end}
