"""SQL fragments and the JSON rendering that every booking representation shares.

Booking lists are rendered as JSON inside PostgreSQL (lists of thousands of rows must not
be dominated by Python object building). The engine's session TimeZone is the practice
zone (``server.db.make_engine``), so PostgreSQL writes timestamps as 00 §6 wants (offset,
microseconds only when non-zero); only a zero offset needs rewriting to ``Z``.

Every ``where_sql`` and fragment here is assembled from constants; values are bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.bookings.bigjson import JsonChunks, LongList, RowsSql

# 02 §1.1 patient display name: the number when the patient is missing or has no name, else
# "Last, First (DD.MM.YYYY)" of ``patients p``.
_PATIENT_UNNAMED_SQL = "btrim(p.last_name) = '' AND btrim(p.first_name) = ''"
_PATIENT_LABEL_SQL = """btrim(btrim(btrim(p.last_name || ', ' || p.first_name), ','))
          || CASE WHEN p.birth_date IS NULL THEN ''
                  ELSE ' (' || to_char(p.birth_date, 'DD.MM.YYYY') || ')' END"""

# The display name over ``patients p``, for a booking alias ``a``; other aliases use
# ``patient_name_sql``.
PATIENT_NAME_SQL = f"""
CASE WHEN p.id IS NULL OR ({_PATIENT_UNNAMED_SQL})
     THEN 'Patient #' || a.patient_id
     ELSE {_PATIENT_LABEL_SQL}
END
"""

# The same name once per patient (``patients p``, column ``name``), for lists that name
# thousands of bookings of far fewer patients; a booking whose patient is missing still
# needs ``'Patient #' || patient_id`` of its own.
PATIENT_NAMES_SQL = f"""SELECT p.id,
       CASE WHEN {_PATIENT_UNNAMED_SQL} THEN 'Patient #' || p.id
            ELSE {_PATIENT_LABEL_SQL} END AS name
  FROM patients p"""  # noqa: S608 — constant fragments

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


class ObjectSql(Protocol):
    def __call__(self, *, with_cancelled: bool) -> str: ...


@dataclass(frozen=True)
class BookingJson:
    """The JSON of one booking table: ``object_sql`` over the joins of ``from_sql``.

    ``with_cancelled`` adds the calendar's ``cancelled`` key (03 §10.2). ``table`` is the
    booking table ``from_sql`` starts with (as ``alias``). ``rows_sql``: the same objects as
    one row each for long lists (``server.bookings.bigjson``), given a ``where_sql``; by
    default ``object_sql`` row by row.
    """

    alias: str
    object_sql: ObjectSql
    from_sql: str
    table: str
    rows_sql: RowsSql | None = None

    def list_json(
        self, session: Session, where_sql: str, params: dict[str, Any], *, one_day: bool
    ) -> str | JsonChunks:
        """The list route's JSON array: a long list in halves at once, others as ``array_json``.

        ``one_day``: the list is bounded to one day, never long enough to be worth counting.
        """
        if one_day:
            return self.array_json(session, where_sql, params)
        long_list = LongList(self.table, self.alias, self.rows_sql or self._object_rows_sql)
        body = long_list.render(session, where_sql, params, self._array_sql(where_sql))
        return finish(body) if isinstance(body, str) else body

    def _object_rows_sql(self, where_sql: str) -> str:
        alias, obj = self.alias, self.object_sql(with_cancelled=False)
        return (
            f"SELECT ({obj})::text {self.from_sql} WHERE {where_sql} "
            f"ORDER BY {alias}.start_time, {alias}.id"
        )

    def array_json(
        self,
        session: Session,
        where_sql: str,
        params: dict[str, Any],
        *,
        with_cancelled: bool = False,
    ) -> str:
        """JSON array text of the matching bookings, ordered by ``start_time``, ``id``."""
        statement = self._array_sql(where_sql, with_cancelled=with_cancelled)
        result: str = session.execute(text(statement), params).scalar_one()
        return finish(result)

    def _array_sql(self, where_sql: str, *, with_cancelled: bool = False) -> str:
        alias, obj = self.alias, self.object_sql(with_cancelled=with_cancelled)
        return (
            "SELECT coalesce(json_agg(obj ORDER BY st, id)::text, '[]') FROM ("  # noqa: S608
            f"SELECT {alias}.id AS id, {alias}.start_time AS st, {obj} "
            f"AS obj {self.from_sql} WHERE {where_sql}) rows"
        )

    def object_json(self, session: Session, row_id: int, /) -> str:
        """JSON text of one booking (which must exist)."""
        obj = self.object_sql(with_cancelled=False)
        statement = f"SELECT {obj}::text {self.from_sql} WHERE {self.alias}.id = :id"
        result: str = session.execute(text(statement), {"id": row_id}).scalar_one()
        return finish(result)
