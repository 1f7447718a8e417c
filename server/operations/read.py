"""The operation representation (spec 04 §4.3) built as JSON inside PostgreSQL.

One statement renders any number of operations — type, room, devices (ordered ``type,
name, id``), team members with display name and colour, patient display name — so lists
need a bounded number of queries (00 §5). Reused by the calendar (03 §10.2 ``operations``:
the same object plus ``cancelled`` right after ``status``) and, later, by patient flows.

Callers pass a ``where_sql`` over the alias ``o`` (``operations``), assembled from constant
fragments, with bound ``params``. The engine's session TimeZone is the practice zone, so
PostgreSQL writes offsets as 00 §6 wants; only a zero offset needs rewriting to ``Z``.

``chain`` (issue 17, docs/series-and-chains.md) is additive: ``{"id", "step",
"step_count", "name", "step_name"}`` of the chain the operation is a step of, or null.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.bookings import sql
from server.bookings.limits import MAX_OPERATION_HOURS
from server.bookings.sql import DOCTOR_NAME_SQL, RESOURCE_JSON_SQL, patient_name_sql
from server.bookings.sql import finish as finish  # the op views render with it too

ALIAS = "o"
LONGEST_HOURS = MAX_OPERATION_HOURS + 1
ID_FILTERS = {"patient_id": "o.patient_id"}  # 04 §5.2

_MEMBER_SQL = f"json_build_object('id', u.id, 'name', {DOCTOR_NAME_SQL}, 'color', u.calendar_color)"

_OBJECT_SQL = """
json_build_object(
    'id', o.id,
    'patient_id', o.patient_id,
    'patient_name', CASE WHEN coalesce(o.patient_id, 0) = 0 THEN '' ELSE {patient_name} END,
    'op_type', json_build_object(
        'id', t.id, 'name', t.name, 'color', t.color, 'prep_duration', t.prep_duration,
        'op_duration', t.op_duration, 'post_duration', t.post_duration),
    'op_room', room.obj,
    'op_devices', coalesce(dev.devices, '[]'::json),
    'team', json_build_object(
        'primary_surgeon', surgeon.obj, 'assistant', assistant.obj,
        'anesthesist', anesthesist.obj),
    'start_time', o.start_time,
    'end_time', o.end_time,
    'color', t.color,
    'status', o.status,{extra}
    'notes', o.notes,
    'created_at', o.created_at,
    'updated_at', o.updated_at,
    'chain', (SELECT json_build_object('id', c.id, 'step', cs.position,
                                       'step_count', c.step_count, 'name', c.name,
                                       'step_name', cs.name)
                FROM appointment_chain_steps cs JOIN appointment_chains c ON c.id = cs.chain_id
               WHERE cs.operation_id = o.id)
)"""


def _member_join(column: str, alias: str) -> str:
    return (
        f"LEFT JOIN LATERAL (SELECT {_MEMBER_SQL} AS obj FROM users u "  # noqa: S608
        f"WHERE u.id = o.{column}) {alias} ON true"
    )


FROM_SQL = f"""
FROM operations o
JOIN operation_types t ON t.id = o.op_type_id
LEFT JOIN patients p ON p.id = o.patient_id
LEFT JOIN LATERAL (
    SELECT {RESOURCE_JSON_SQL} AS obj FROM resources r WHERE r.id = o.op_room_id
) room ON true
LEFT JOIN LATERAL (
    SELECT json_agg({RESOURCE_JSON_SQL} ORDER BY r.type, r.name, r.id) AS devices
    FROM operation_devices od JOIN resources r ON r.id = od.resource_id
    WHERE od.operation_id = o.id
) dev ON true
{_member_join("primary_surgeon_id", "surgeon")}
{_member_join("assistant_id", "assistant")}
{_member_join("anesthesist_id", "anesthesist")}
"""  # noqa: S608


def object_sql(*, with_cancelled: bool = False) -> str:
    """The ``json`` expression of one operation (over the joins of ``FROM_SQL``)."""
    extra = "\n    'cancelled', o.status = 'cancelled'," if with_cancelled else ""
    return _OBJECT_SQL.format(patient_name=patient_name_sql("o"), extra=extra)


_JSON = sql.BookingJson(ALIAS, object_sql, FROM_SQL, "operations")
array_json = _JSON.array_json
list_json = _JSON.list_json
object_json = _JSON.object_json


def overlapping_sql(start_param: str, end_param: str) -> str:
    """``[start, end)`` overlap of operations that can use the ``start_time`` index.

    An operation lasts at most 72 hours (CHECK ``ck_operations_time_order``).
    """
    return sql.overlapping_sql(ALIAS, start_param, end_param, longest_hours=LONGEST_HOURS)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The list's local day ``[midnight, next midnight)``; the end of time after 9999-12-31."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    try:
        return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    except OverflowError:
        return start, datetime.max.replace(tzinfo=UTC)


def team_member_sql(param: str) -> str:
    """The doctor visibility filter of 04 §6: the user holds any team role."""
    return (
        f"(o.primary_surgeon_id = :{param} OR o.assistant_id = :{param} "
        f"OR o.anesthesist_id = :{param})"
    )
