"""OP dashboard (spec 04 §5.6): the day list, the live list and the status endpoint.

Items are the dashboard shape of 04 §4.4 — ``id``, ``type`` (with durations), ``room``,
``devices``, ``team``, ``start_time``, ``end_time``, ``status``, ``progress``, ``color``; no
patient fields — rendered by PostgreSQL in one statement.

The status change (04 §5.6.3) locks the operation row (``SELECT … FOR UPDATE``, as the
operation service does), parses the body only after the lookup (404 before 400), judges the
transition with the status machine of ``server.operations.status`` and writes, in one
transaction: the new status, ``updated_at``, the released occupancy rows when the operation
is cancelled (``server.operations.service.sync_occupancy``), the ``op_status_update`` audit
row and the live event ``operation``/``updated``. A refused change commits only its
``op_status_update`` row (``ok: false``) and answers 400.

Decisions where the spec is silent:

* A body that is not a JSON object counts as "status missing" (step 2).
* A malformed JSON body (400) or a non-JSON content type (415) is refused before step 2 and
  writes no audit row; so is a ``status`` containing NUL characters (00 §12:
  ``{"status": ["Null characters are not allowed."]}``), which could not be stored in the
  audit ``meta``.
* ``to`` in the audit meta of step 2 is the sent value: ``null`` when missing or null,
  ``""`` for an empty string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.bookings.sql import RESOURCE_JSON_SQL
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import APIError
from server.core.events import publish
from server.op_views.common import PROGRESS_SQL, TEAM_JOINS, TEAM_SQL
from server.operations import read
from server.operations.models import OperationDevice
from server.operations.service import load_for_write, sync_occupancy
from server.operations.status import transition_error

STATUS_REQUIRED = "status is required."
NULL_CHARACTERS = "Null characters are not allowed."

_ITEM_SQL = f"""json_build_object(
    'id', o.id,
    'type', json_build_object(
        'id', t.id, 'name', t.name, 'color', t.color, 'prep_duration', t.prep_duration,
        'op_duration', t.op_duration, 'post_duration', t.post_duration),
    'room', room.obj,
    'devices', coalesce(dev.devices, '[]'::json),
    'team', {TEAM_SQL},
    'start_time', o.start_time,
    'end_time', o.end_time,
    'status', o.status,
    'progress', {PROGRESS_SQL},
    'color', t.color
)"""

_FROM_SQL = f"""
FROM operations o
JOIN operation_types t ON t.id = o.op_type_id
LEFT JOIN LATERAL (
    SELECT {RESOURCE_JSON_SQL} AS obj FROM resources r WHERE r.id = o.op_room_id
) room ON true
LEFT JOIN LATERAL (
    SELECT json_agg({RESOURCE_JSON_SQL} ORDER BY r.type, r.name, r.id) AS devices
    FROM operation_devices od JOIN resources r ON r.id = od.resource_id
    WHERE od.operation_id = o.id
) dev ON true
{TEAM_JOINS}
"""  # noqa: S608


def items_json(session: Session, where_sql: str, params: dict[str, Any]) -> str:
    """JSON array text of dashboard items, ordered ``start_time, id``.

    ``where_sql`` is assembled by callers from constant fragments over the alias ``o``;
    ``params`` must bind ``now`` (for ``progress``).
    """
    sql = (
        "SELECT coalesce(json_agg(obj ORDER BY st, id)::text, '[]') FROM ("  # noqa: S608
        f"SELECT o.id AS id, o.start_time AS st, {_ITEM_SQL} AS obj {_FROM_SQL} "
        f"WHERE {where_sql}) rows"
    )
    result: str = session.execute(text(sql), params).scalar_one()
    return read.finish(result)


def item_json(session: Session, operation_id: int, now: datetime) -> str:
    sql = f"SELECT {_ITEM_SQL}::text {_FROM_SQL} WHERE o.id = :id"
    result: str = session.execute(text(sql), {"id": operation_id, "now": now}).scalar_one()
    return read.finish(result)


@dataclass(frozen=True)
class _Refusal:
    body: dict[str, Any]
    meta: dict[str, Any]


def _contains_nul(value: Any) -> bool:
    return "\\u0000" in json.dumps(value)


def change_status(
    factory: sessionmaker[Session],
    principal: Principal,
    operation_id: int,
    body: RawBody,
    now: datetime,
) -> str:
    """``PATCH /api/op-dashboard/{id}/status/``: the updated item, or an audited 400."""
    refusal: _Refusal | None = None
    with factory() as session, session.begin():
        row = load_for_write(session, operation_id)  # step 1: 404, no audit
        raw = body.json()  # parsed after the lookup (00 §3)
        requested = raw.get("status") if isinstance(raw, dict) else None
        if _contains_nul(requested):
            raise APIError(400, {"status": [NULL_CHARACTERS]})
        old = row.status
        if requested is None or requested == "":  # step 2
            refusal = _Refusal(
                {"detail": STATUS_REQUIRED},
                {"from": old, "to": requested, "ok": False, "detail": "status is required"},
            )
        else:  # steps 3-5
            error = transition_error(old, requested, start_time=row.start_time, now=now)
            if error is not None:
                refusal = _Refusal(
                    error.body,
                    {"from": old, "to": requested, "ok": False, "detail": error.code},
                )
        if refusal is not None:
            # Nothing else changed: the transaction carries only the failure audit.
            record(
                session,
                principal,
                "op_status_update",
                patient_id=row.patient_id,
                meta=refusal.meta,
            )
            result = ""
        else:  # step 6
            row.status = str(requested)  # a valid status: the transition passed
            row.updated_at = func.now()
            session.flush()
            if requested == "cancelled":  # cancelled blocks nothing (04 §8)
                device_ids = list(
                    session.scalars(
                        select(OperationDevice.resource_id).where(
                            OperationDevice.operation_id == row.id
                        )
                    )
                )
                sync_occupancy(session, row, device_ids)
            record(
                session,
                principal,
                "op_status_update",
                patient_id=row.patient_id,
                meta={"from": old, "to": requested, "ok": True},
            )
            publish(session, "operation", row.id, "updated")
            session.flush()
            result = item_json(session, row.id, now)
    if refusal is not None:
        raise APIError(400, refusal.body)
    return result
