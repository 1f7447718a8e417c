"""OP statistics (spec 04 §5.8, D-OP-13): one ``GROUP BY`` statement per request.

Operation set: operations overlapping ``[A 00:00, (B+1) 00:00)`` local, without cancelled
ones (D-OP-13); for a doctor only those where they hold a team role (``overview``) or are
the primary surgeon (``surgeons``). Minutes per operation = ``floor((end − start) seconds /
60)``, never negative, never clipped to the range. Averages are ``total / count`` (``0.0``
without operations); ``rooms`` assumes 480 minutes (08:00–16:00) per calendar day.

PostgreSQL aggregates; Python only shapes the handful of result rows (one per room, device,
surgeon or type). Resource objects come from the shared ``RESOURCE_JSON_SQL``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.bookings.sql import DOCTOR_NAME_SQL, RESOURCE_JSON_SQL
from server.core import timefmt
from server.core.errors import bad_request
from server.op_views.common import day_start, next_day_start
from server.operations import read

MAX_RANGE_DAYS = 366
MINUTES_PER_DAY = 480
RANGE_REQUIRED = "Provide either ?date=YYYY-MM-DD or ?from=YYYY-MM-DD&to=YYYY-MM-DD."
BAD_DATES = "Dates must be in format YYYY-MM-DD."
FROM_AFTER_TO = "from must be <= to."
RANGE_TOO_LARGE = "Range too large (max 366 days)."
SCOPES = ("overview", "rooms", "devices", "surgeons", "types")

_MINUTES_SQL = "greatest(0, floor(extract(epoch FROM (o.end_time - o.start_time)) / 60))::bigint"


@dataclass(frozen=True)
class StatsRange:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def meta(self, scope: str) -> dict[str, str]:
        return {"scope": scope, "from": self.first.isoformat(), "to": self.last.isoformat()}

    def head(self) -> dict[str, Any]:
        return {"range_from": self.first.isoformat(), "range_to": self.last.isoformat()}


def _parse(raw: str) -> date:
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        raise bad_request(BAD_DATES) from exc


def parse_range(request: Request) -> StatsRange:
    """``date`` wins over ``from``/``to``; empty values count as absent."""
    query = request.query_params
    if query.get("date"):
        day = _parse(query["date"])
        return StatsRange(day, day)
    if not (query.get("from") and query.get("to")):
        raise bad_request(RANGE_REQUIRED)
    first, last = _parse(query["from"]), _parse(query["to"])
    if first > last:
        raise bad_request(FROM_AFTER_TO)
    result = StatsRange(first, last)
    if result.days > MAX_RANGE_DAYS:
        raise bad_request(RANGE_TOO_LARGE)
    return result


_SET_SQL = (
    "o.status <> 'cancelled' AND "
    "o.start_time < :range_end AND o.end_time > :range_start "
    "AND o.start_time > CAST(:range_start AS timestamptz) - interval '73 hours'"
)


# Per scope: the select list with its joins, and the grouping (constant SQL fragments).
_QUERIES: dict[str, tuple[str, str]] = {
    "overview": (
        f"SELECT count(*), coalesce(sum({_MINUTES_SQL}), 0) FROM operations o",  # noqa: S608
        "",
    ),
    "rooms": (
        f"SELECT (SELECT {RESOURCE_JSON_SQL}::text FROM resources r "  # noqa: S608
        f"WHERE r.id = o.op_room_id), sum({_MINUTES_SQL}) FROM operations o",
        "GROUP BY o.op_room_id ORDER BY o.op_room_id",
    ),
    "devices": (
        f"SELECT (SELECT {RESOURCE_JSON_SQL}::text FROM resources r "  # noqa: S608
        f"WHERE r.id = od.resource_id), sum({_MINUTES_SQL}) "
        "FROM operations o JOIN operation_devices od ON od.operation_id = o.id",
        "GROUP BY od.resource_id ORDER BY od.resource_id",
    ),
    "surgeons": (
        f"SELECT u.id, {DOCTOR_NAME_SQL}, u.calendar_color, count(*), sum({_MINUTES_SQL}) "  # noqa: S608
        "FROM operations o JOIN users u ON u.id = o.primary_surgeon_id",
        "GROUP BY u.id ORDER BY u.id",
    ),
    "types": (
        f"SELECT t.id, t.name, t.color, count(*), sum({_MINUTES_SQL}), "  # noqa: S608
        f"min({_MINUTES_SQL}), max({_MINUTES_SQL}) "
        "FROM operations o JOIN operation_types t ON t.id = o.op_type_id",
        "GROUP BY t.id ORDER BY t.id",
    ),
}


def _rows(
    session: Session, scope: str, member_sql: str | None, params: dict[str, Any]
) -> list[Any]:
    select_sql, group_sql = _QUERIES[scope]
    where = _SET_SQL if member_sql is None else f"{_SET_SQL} AND {member_sql}"
    return list(session.execute(text(f"{select_sql} WHERE {where} {group_sql}"), params))


def _resource(obj_text: str) -> Any:
    return json.loads(read.finish(obj_text))


def compute(
    session: Session,
    scope: str,
    span: StatsRange,
    tz: ZoneInfo,
    *,
    member_sql: str | None = None,
    member_id: int | None = None,
) -> dict[str, Any]:
    """The body of ``/api/op-stats/<scope>/``; ``member_sql`` filters for doctors."""
    params: dict[str, Any] = {
        "range_start": day_start(span.first, tz),
        "range_end": next_day_start(span.last, tz),
    }
    if member_id is not None:
        params["me"] = member_id
    result = span.head()
    if scope == "overview":
        ((count, total),) = _rows(session, "overview", member_sql, params)
        minutes = int(total)
        result.update(
            op_count=count,
            total_op_minutes=minutes,
            average_op_duration=minutes / count if count else 0.0,
        )
    elif scope == "rooms":
        total_minutes = span.days * MINUTES_PER_DAY
        rows = _rows(session, "rooms", member_sql, params)
        result["rooms"] = [
            {
                "room": _resource(room),
                "total_minutes": total_minutes,
                "used_minutes": int(used),
                "utilization": int(used) / total_minutes,
            }
            for room, used in rows
        ]
    elif scope == "devices":
        rows = _rows(session, "devices", member_sql, params)
        result["devices"] = [
            {"device": _resource(device), "usage_minutes": int(used)} for device, used in rows
        ]
    elif scope == "surgeons":
        rows = _rows(session, "surgeons", member_sql, params)
        result["surgeons"] = [
            {
                "surgeon": {"id": user_id, "name": name, "color": color},
                "op_count": count,
                "total_op_minutes": int(total),
                "average_op_duration": int(total) / count,
            }
            for user_id, name, color, count, total in rows
        ]
    else:  # types
        rows = _rows(session, "types", member_sql, params)
        result["types"] = [
            {
                "type": {"id": type_id, "name": name, "color": color},
                "count": count,
                "avg_duration": int(total) / count,
                "min_duration": int(low),
                "max_duration": int(high),
            }
            for type_id, name, color, count, total, low, high in rows
        ]
    return result
