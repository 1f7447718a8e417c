"""Shared pieces of the OP views: query dates, day bounds, SQL fragments, ``progress``.

``progress`` (04 §4.4) is computed in SQL from the bound ``now``; whole values are written
as ``0.0`` / ``1.0`` so that clients always read a float (PostgreSQL would write ``0``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import Request, Response

from server.bookings.sql import DOCTOR_NAME_SQL
from server.core import timefmt
from server.core.errors import bad_request

END_OF_TIME = datetime.max.replace(tzinfo=UTC)


def json_response(text: str, status_code: int = 200) -> Response:
    return Response(content=text, status_code=status_code, media_type="application/json")


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def next_day_start(day: date, tz: ZoneInfo) -> datetime:
    """Start of the following local day; the end of time after 9999-12-31."""
    try:
        return day_start(day + timedelta(days=1), tz)
    except OverflowError:
        return END_OF_TIME


def required_date(request: Request, *, missing: str, malformed: str) -> date:
    """``?date=`` with the endpoint's own messages (missing/empty, malformed)."""
    raw = request.query_params.get("date")
    if not raw:
        raise bad_request(missing)
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        raise bad_request(malformed) from exc


def float_json(expr: str) -> str:
    """A ``json`` value of the float8 ``expr`` that always looks like a float (``1.0``)."""
    return (
        f"(CASE WHEN ({expr}) = trunc({expr}) THEN to_json(({expr})::numeric(30, 1)) "
        f"ELSE to_json({expr}) END)"
    )


# 04 §4.4: 0.0 unless running; else the elapsed fraction of [start, end), clamped to [0, 1].
PROGRESS_SQL = float_json(
    "CASE WHEN o.status <> 'running' OR o.end_time <= o.start_time THEN 0.0::float8 "
    "ELSE greatest(0.0::float8, least(1.0::float8, ("
    "extract(epoch FROM (CAST(:now AS timestamptz) - o.start_time)) "
    "/ extract(epoch FROM (o.end_time - o.start_time)))::float8)) END"
)

MEMBER_SQL = f"json_build_object('id', u.id, 'name', {DOCTOR_NAME_SQL}, 'color', u.calendar_color)"


def member_join(column: str, alias: str) -> str:
    """``alias.obj``: the team member object (04 §4.1) of ``o.<column>``, or null."""
    return (
        f"LEFT JOIN LATERAL (SELECT {MEMBER_SQL} AS obj FROM users u "  # noqa: S608
        f"WHERE u.id = o.{column}) {alias} ON true"
    )


TEAM_JOINS = "\n".join(
    (
        member_join("primary_surgeon_id", "surgeon"),
        member_join("assistant_id", "assistant"),
        member_join("anesthesist_id", "anesthesist"),
    )
)

TEAM_SQL = (
    "json_build_object('primary_surgeon', surgeon.obj, 'assistant', assistant.obj, "
    "'anesthesist', anesthesist.obj)"
)
