"""``AppointmentRead`` (03 §2) built as JSON inside PostgreSQL.

Lists of 20,000 appointments must not be dominated by Python object building and datetime
formatting, so the database renders every object and aggregates the array; Python passes
the text on. The engine's session TimeZone is the practice zone (``server.db.make_engine``),
so PostgreSQL writes timestamps exactly as 00 §6 wants (offset, microseconds only when
non-zero). Names follow 01 §2 (doctor) and 02 §1.1 (patient); the fragments and the
rendering are shared with operations (``server.bookings.sql``). ``series`` (issue 17,
docs/series-and-chains.md) is additive: ``{"id", "index", "count"}`` or null; so is
``chain``: ``{"id", "step", "step_count", "name", "step_name"}`` or null.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.bookings import sql
from server.bookings.limits import APPOINTMENT_LOOKBACK_HOURS
from server.bookings.sql import (
    DOCTOR_NAME_SQL,
    PATIENT_NAME_SQL,
    PATIENT_NAMES_SQL,
    RESOURCE_JSON_SQL,
)
from server.bookings.sql import finish as finish  # the patient flow renders with it too
from server.core import timefmt

ALIAS = "a"
LONGEST_HOURS = APPOINTMENT_LOOKBACK_HOURS
ID_FILTERS = {"doctor_id": "a.doctor_id", "patient_id": "a.patient_id"}  # 03 §6.1

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
    'updated_at', a.updated_at,
    'series', CASE WHEN sm.series_id IS NULL THEN NULL
                   ELSE json_build_object('id', sm.series_id, 'index', sm.position,
                                          'count', ss.occurrence_count) END,
    'chain', (SELECT json_build_object('id', c.id, 'step', cs.position,
                                       'step_count', c.step_count, 'name', c.name,
                                       'step_name', cs.name)
                FROM appointment_chain_steps cs JOIN appointment_chains c ON c.id = cs.chain_id
               WHERE cs.appointment_id = a.id){extra}
)"""

_FROM_SQL = f"""
FROM appointments a
JOIN users u ON u.id = a.doctor_id
LEFT JOIN appointment_types t ON t.id = a.type_id
LEFT JOIN patients p ON p.id = a.patient_id
LEFT JOIN appointment_series_members sm ON sm.appointment_id = a.id
LEFT JOIN appointment_series ss ON ss.id = sm.series_id
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


def _object_sql(*, with_cancelled: bool) -> str:
    extra = ",\n    'cancelled', a.status = 'cancelled'" if with_cancelled else ""
    return _OBJECT_SQL.format(
        patient_name=PATIENT_NAME_SQL, doctor_name=DOCTOR_NAME_SQL, extra=extra
    )


# The same objects for long lists (``server.bookings.bigjson``), one ``text`` per row: the
# row's columns, named as the keys, rendered with ``row_to_json`` (one call per row instead
# of a ``json_build_object`` per object, and compact). What is the same for many rows is
# computed once per patient, doctor, type and resource in the ``OFFSET 0`` subqueries (kept
# apart, so not recomputed per row), then joined; resources are aggregated once for all the
# list's appointments and joined by hash instead of one lateral aggregate per row; the
# chain step is a join (one step per appointment at most: unique ``appointment_id``).
_ROW_COLUMNS_SQL = """
    a.id AS id,
    a.patient_id AS patient_id,
    CASE WHEN p.id IS NULL THEN 'Patient #' || a.patient_id ELSE p.name END AS patient_name,
    t.obj AS type,
    a.doctor_id AS doctor,
    u.name AS doctor_name,
    coalesce(res.resources, '[]'::json) AS resources,
    res.room_name AS room_name,
    coalesce(res.resource_names, '[]'::json) AS resource_names,
    t.color AS appointment_color,
    u.calendar_color AS doctor_color,
    a.start_time AS start_time,
    a.end_time AS end_time,
    a.status AS status,
    a.is_no_show AS is_no_show,
    a.notes AS notes,
    a.created_at AS created_at,
    a.updated_at AS updated_at,
    CASE WHEN sm.series_id IS NULL THEN NULL
         ELSE json_build_object('id', sm.series_id, 'index', sm.position,
                                'count', ss.occurrence_count) END AS series,
    CASE WHEN cs.id IS NULL THEN NULL
         ELSE json_build_object('id', c.id, 'step', cs.position, 'step_count', c.step_count,
                                'name', c.name, 'step_name', cs.name) END AS chain"""

_ROWS_FROM_SQL = f"""
FROM appointments a
JOIN (SELECT u.id, {DOCTOR_NAME_SQL} AS name, u.calendar_color FROM users u OFFSET 0) u
  ON u.id = a.doctor_id
LEFT JOIN (SELECT t.id, t.color, json_build_object('id', t.id, 'name', t.name, 'color', t.color)
                  AS obj
             FROM appointment_types t OFFSET 0) t ON t.id = a.type_id
LEFT JOIN ({PATIENT_NAMES_SQL} OFFSET 0) p ON p.id = a.patient_id
LEFT JOIN appointment_series_members sm ON sm.appointment_id = a.id
LEFT JOIN appointment_series ss ON ss.id = sm.series_id
LEFT JOIN appointment_chain_steps cs ON cs.appointment_id = a.id
LEFT JOIN appointment_chains c ON c.id = cs.chain_id
LEFT JOIN (
    SELECT ar.appointment_id,
           json_agg(r.obj ORDER BY r.type, r.name, r.id) AS resources,
           (array_agg(r.name ORDER BY r.type, r.name, r.id)
                FILTER (WHERE r.active AND r.type = 'room'))[1] AS room_name,
           json_agg(r.name ORDER BY r.type, r.name, r.id)
                FILTER (WHERE r.active AND r.type <> 'room') AS resource_names
      FROM appointment_resources ar
      JOIN (SELECT r.id, r.type, r.name, r.active, {RESOURCE_JSON_SQL} AS obj
              FROM resources r OFFSET 0) r ON r.id = ar.resource_id
     WHERE ar.appointment_id IN (SELECT a.id FROM appointments a WHERE {{where}})
     GROUP BY ar.appointment_id
) res ON res.appointment_id = a.id
"""


def _rows_sql(where_sql: str) -> str:
    """The list's appointments matching ``where_sql``, one JSON text per row, in list order."""
    return (
        f"SELECT row_to_json(x)::text FROM (SELECT {_ROW_COLUMNS_SQL} "
        f"{_ROWS_FROM_SQL.format(where=where_sql)} WHERE {where_sql}) x "
        "ORDER BY x.start_time, x.id"
    )


_JSON = sql.BookingJson(ALIAS, _object_sql, _FROM_SQL, "appointments", _rows_sql)
array_json = _JSON.array_json
list_json = _JSON.list_json
object_json = _JSON.object_json


def overlapping_sql(start_param: str, end_param: str) -> str:
    """``[start, end)`` overlap of appointments that can use the ``start_time`` index."""
    return sql.overlapping_sql(ALIAS, start_param, end_param, longest_hours=LONGEST_HOURS)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The list's local day ``[midnight, next midnight)``."""
    return timefmt.local_day_bounds(day, tz)


def range_params(start: datetime, end: datetime) -> dict[str, datetime]:
    return {"range_start": start, "range_end": end}
