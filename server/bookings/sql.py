"""SQL fragments and the JSON rendering that every booking representation shares.

Booking lists are rendered as JSON inside PostgreSQL (lists of thousands of rows must not
be dominated by Python object building). The engine's session TimeZone is the practice
zone (``server.db.make_engine``), so PostgreSQL writes timestamps as 00 §6 wants (offset,
microseconds only when non-zero); only a zero offset needs rewriting to ``Z``.

Every ``where_sql`` and fragment here is assembled from constants; values are bound.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

# 02 §1.1 patient display name over ``patients p``, for a booking alias ``a``; other
# aliases use ``patient_name_sql``.
PATIENT_NAME_SQL = """
CASE WHEN p.id IS NULL OR (btrim(p.last_name) = '' AND btrim(p.first_name) = '')
     THEN 'Patient #' || a.patient_id
     ELSE btrim(btrim(btrim(p.last_name || ', ' || p.first_name), ','))
          || CASE WHEN p.birth_date IS NULL THEN ''
                  ELSE ' (' || to_char(p.birth_date, 'DD.MM.YYYY') || ')' END
END
"""

# 01 §2 display name of ``users u``: "first last" trimmed, else the username.
DOCTOR_NAME_SQL = "coalesce(nullif(btrim(u.first_name || ' ' || u.last_name), ''), u.username)"

# 02 §5 resource object of ``resources r``.
RESOURCE_JSON_SQL = """json_build_object(
    'id', r.id, 'name', r.name, 'type', r.type, 'color', r.color, 'active', r.active,
    'created_at', r.created_at, 'updated_at', r.updated_at)"""

_UTC_TIMESTAMP = re.compile(r'("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\+00:00"')


def patient_name_sql(alias: str) -> str:
    """``PATIENT_NAME_SQL`` for the booking table alias ``alias``."""
    return PATIENT_NAME_SQL.replace("a.patient_id", f"{alias}.patient_id")


def finish(text_json: str) -> str:
    """00 §6 writes a zero offset as ``Z`` where PostgreSQL writes ``+00:00``.

    Timestamps carry ``+00:00`` only when the practice zone sits at UTC+0 (the session
    TimeZone is the practice zone), so in Europe/Berlin this never rewrites anything.
    """
    if '+00:00"' not in text_json:
        return text_json
    return _UTC_TIMESTAMP.sub(r'\1Z"', text_json)


def overlapping_sql(alias: str, start_param: str, end_param: str, *, longest_hours: int) -> str:
    """``[start, end)`` overlap that can use the ``start_time`` index.

    No booking of the table lasts ``longest_hours`` or more, which bounds the
    ``start_time`` range scan from below.
    """
    return (
        f"{alias}.start_time < :{end_param} AND {alias}.end_time > :{start_param} "
        f"AND {alias}.start_time > :{start_param} - interval '{longest_hours} hours'"
    )


def array_json(
    session: Session,
    *,
    alias: str,
    object_sql: str,
    from_sql: str,
    where_sql: str,
    params: dict[str, Any],
) -> str:
    """JSON array text of the matching bookings, ordered by ``start_time``, ``id``."""
    sql = (
        "SELECT coalesce(json_agg(obj ORDER BY st, id)::text, '[]') FROM ("  # noqa: S608
        f"SELECT {alias}.id AS id, {alias}.start_time AS st, {object_sql} "
        f"AS obj {from_sql} WHERE {where_sql}) rows"
    )
    result: str = session.execute(text(sql), params).scalar_one()
    return finish(result)


def object_json(
    session: Session, *, alias: str, object_sql: str, from_sql: str, row_id: int
) -> str:
    """JSON text of one booking (which must exist)."""
    sql = f"SELECT {object_sql}::text {from_sql} WHERE {alias}.id = :id"
    result: str = session.execute(text(sql), {"id": row_id}).scalar_one()
    return finish(result)
