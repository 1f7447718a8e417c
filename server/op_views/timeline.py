"""OP timeline (spec 04 §5.7, §4.5): operations grouped by room, one statement per request.

Item: ``id``, ``type`` (``id``, ``name``, ``color``), ``team``, ``start_time``, ``end_time``,
``status``, ``progress``, ``color``. Group: ``{"room": {"id", "name", "color"},
"operations": [...]}``; groups ordered by room ``name``, ``id``; items by ``start_time, id``.

* ``/op-timeline/?date=D`` — operations *starting* on local day D (all statuses), one group
  per room with at least one visible operation (inactive rooms included).
* ``/op-timeline/rooms/?date=D`` — the same operations, one group per **active** room (even
  empty); operations of inactive rooms are left out.
* ``/op-timeline/live/`` (D-OP-12) — ``running`` (any start) or ``confirmed`` with
  ``now − 30 min <= start_time <`` end of the current local day; grouped as the first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.op_views.common import PROGRESS_SQL, TEAM_JOINS, TEAM_SQL
from server.operations import read

_ITEM_SQL = f"""json_build_object(
    'id', o.id,
    'type', json_build_object('id', t.id, 'name', t.name, 'color', t.color),
    'team', {TEAM_SQL},
    'start_time', o.start_time,
    'end_time', o.end_time,
    'status', o.status,
    'progress', {PROGRESS_SQL},
    'color', t.color
)"""

_GROUPS_SQL = f"""
SELECT o.op_room_id AS room_id, json_agg({_ITEM_SQL} ORDER BY o.start_time, o.id) AS ops
FROM operations o
JOIN operation_types t ON t.id = o.op_type_id
{TEAM_JOINS}
WHERE {{where}}
GROUP BY o.op_room_id
"""  # noqa: S608

_ROOM_SQL = "json_build_object('id', r.id, 'name', r.name, 'color', r.color)"

_BUSY_ROOMS_SQL = f"""
SELECT coalesce(json_agg(json_build_object('room', {_ROOM_SQL}, 'operations', g.ops)
                         ORDER BY r.name, r.id)::text, '[]')
FROM ({_GROUPS_SQL}) g JOIN resources r ON r.id = g.room_id
"""  # noqa: S608

_ACTIVE_ROOMS_SQL = f"""
SELECT coalesce(json_agg(json_build_object('room', {_ROOM_SQL},
                                           'operations', coalesce(g.ops, '[]'::json))
                         ORDER BY r.name, r.id)::text, '[]')
FROM resources r LEFT JOIN ({_GROUPS_SQL}) g ON g.room_id = r.id
WHERE r.active AND r.type = 'room'
"""  # noqa: S608

STARTS_ON_DAY_SQL = "o.start_time >= :day_start AND o.start_time < :day_end"
LIVE_SQL = (
    "(o.status = 'running' OR (o.status = 'confirmed' "
    "AND o.start_time >= CAST(:now AS timestamptz) - interval '30 minutes' "
    "AND o.start_time < :day_end))"
)


def groups_json(
    session: Session, where_sql: str, params: dict[str, Any], *, all_active_rooms: bool
) -> str:
    """JSON array text of room groups; ``params`` must bind ``now``."""
    template = _ACTIVE_ROOMS_SQL if all_active_rooms else _BUSY_ROOMS_SQL
    result: str = session.execute(text(template.format(where=where_sql)), params).scalar_one()
    return read.finish(result)
