"""The patient-flow read representation (spec 05 §5) built as JSON inside PostgreSQL.

One statement renders any number of flows: the nested ``appointment`` is the very object of
``server.appointments.read`` (03 §2) and the nested ``operation`` the very object of
``server.operations.read`` (04 §4.3) — the same SQL fragments, evaluated as scalar
subqueries per flow, so they render identically to ``GET /api/appointments/{id}/`` and
``GET /api/operations/{id}/``. The derived figures of 05 §4 come from the status events
(never from audit rows): ``E(s)`` is the first event per status, read through the index
``(flow_id, to_status, changed_at)``.

``now`` is bound as a parameter (the server clock, or the test clock of 00 §6), so the
figures of a still-running flow grow with it. Minutes are ``floor(seconds / 60)`` clamped at 0.

Callers pass a ``where_sql`` over the alias ``f`` (``patient_flows``), assembled from the
constant fragments of this module (and of ``scoping`` for what a doctor sees), with bound
``params``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.appointments import read as appointment_read
from server.operations import read as operation_read
from server.patient_flow.models import FLOW_STATUSES

# The appointment renderer keeps its object/join SQL module-private; it is the same
# fragment ``GET /api/appointments/`` evaluates, reused here verbatim.
_APPOINTMENT_SQL = (
    f"(SELECT {appointment_read._object_sql(with_cancelled=False)} "
    f"{appointment_read._FROM_SQL} WHERE a.id = f.appointment_id)"
)
_OPERATION_SQL = (
    f"(SELECT {operation_read.object_sql()} {operation_read.FROM_SQL} WHERE o.id = f.operation_id)"
)
_STATUS_ARRAY = "ARRAY[" + ", ".join(f"'{s}'" for s in FLOW_STATUSES) + "]::text[]"


def _minutes(interval_sql: str) -> str:
    return f"greatest(0, floor(extract(epoch FROM ({interval_sql})) / 60))::bigint"


_NOW = "CAST(:now AS timestamptz)"

_OBJECT_SQL = f"""
json_build_object(
    'id', f.id,
    'appointment', {_APPOINTMENT_SQL},
    'operation', {_OPERATION_SQL},
    'status', f.status,
    'arrival_time', f.arrival_time,
    'status_changed_at', f.status_changed_at,
    'notes', f.notes,
    'wait_time_minutes', CASE WHEN f.arrival_time IS NULL THEN NULL
        ELSE {_minutes(f"coalesce(ev.t_in, {_NOW}) - f.arrival_time")} END,
    'treatment_time_minutes', CASE WHEN ev.t_in IS NULL THEN 0
        ELSE {_minutes(f"coalesce(ev.t_done, {_NOW}) - ev.t_in")} END,
    'status_timestamps', coalesce(ev.stamps, '{{}}'::json),
    'call_number', f.call_number,
    'last_call', (SELECT json_build_object('room', c.room, 'called_at', c.called_at)
                  FROM flow_calls c WHERE c.flow_id = f.id
                  ORDER BY c.called_at DESC, c.id DESC LIMIT 1)
)"""  # noqa: S608 - constant fragments only

_FROM_SQL = f"""
FROM patient_flows f
LEFT JOIN LATERAL (
    SELECT json_object_agg(s.to_status, s.at ORDER BY s.ord) AS stamps,
           max(s.at) FILTER (WHERE s.to_status = 'in_treatment') AS t_in,
           max(s.at) FILTER (WHERE s.to_status = 'done') AS t_done
    FROM (
        SELECT e.to_status, min(e.changed_at) AS at,
               array_position({_STATUS_ARRAY}, e.to_status::text) AS ord
        FROM patient_flow_status_events e
        WHERE e.flow_id = f.id
        GROUP BY e.to_status
    ) s
) ev ON true
"""  # noqa: S608

LIVE_SQL = "f.status <> 'done'"  # matches the predicate of ``ix_patient_flows_live``
DAY_SQL = (
    "coalesce(f.arrival_time, f.status_changed_at) >= :day_start "
    "AND coalesce(f.arrival_time, f.status_changed_at) < :day_end"
)


def finish(text_json: str) -> str:
    """00 §6: a zero offset is written ``Z`` (shared with the nested renderers)."""
    return appointment_read.finish(text_json)


def array_json(session: Session, where_sql: str, params: dict[str, Any], now: datetime) -> str:
    """JSON array text of the matching flows, ordered ``-status_changed_at, -id`` (05 §7)."""
    sql = (
        "SELECT coalesce(json_agg(obj ORDER BY sca DESC, id DESC)::text, '[]') FROM ("  # noqa: S608
        f"SELECT f.id AS id, f.status_changed_at AS sca, {_OBJECT_SQL} AS obj {_FROM_SQL} "
        f"WHERE {where_sql} ORDER BY f.status_changed_at DESC, f.id DESC) rows"
    )
    result: str = session.execute(text(sql), {**params, "now": now}).scalar_one()
    return finish(result)


def object_json(
    session: Session,
    flow_id: int,
    now: datetime,
    *,
    where_sql: str = "true",
    params: dict[str, Any] | None = None,
) -> str | None:
    """One flow's representation, or None when it does not exist (or ``where_sql`` hides it)."""
    sql = f"SELECT {_OBJECT_SQL}::text {_FROM_SQL} WHERE f.id = :flow_id AND {where_sql}"
    result: str | None = session.execute(
        text(sql), {**(params or {}), "flow_id": flow_id, "now": now}
    ).scalar_one_or_none()
    return None if result is None else finish(result)
