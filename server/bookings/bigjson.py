"""Long booking lists: rendered in two halves at once, from one snapshot, as bytes.

A list of 20,000 appointments is ≈ 12 MB of JSON that PostgreSQL renders row by row; one
backend does that on one core, and ``json_agg`` of it sorts and copies the 12 MB once more
(issue 23). Above ``SPLIT_MIN_ROWS`` rows the list is rendered as two halves of its
``start_time`` order, each on its own connection at the same time, so two cores share the
work:

* **One snapshot**: the request's connection counts the rows and exports its snapshot in a
  ``REPEATABLE READ`` transaction (``pg_export_snapshot``); the second connection imports it
  (``SET TRANSACTION SNAPSHOT``) before it reads, so both halves see exactly the same rows —
  a booking moved or written meanwhile is in neither or in its one place.
* **Order**: the halves are split at the median ``start_time`` (all rows of one
  ``start_time`` fall into the same half), each ordered by ``start_time, id``; the second
  follows the first.
* **Bytes, in chunks**: every row is one ``text`` value, fetched in binary format as
  ``bytes`` in results of ``CHUNK_ROWS`` rows and joined chunk by chunk (``JsonChunks``):
  no 12 MB ``str`` to decode and encode again, no 12 MB message for libpq to buffer (its
  input buffer grows to the largest message and keeps that size), no 12 MB copy to join.
* **No waiting for a second connection**: the second connection is taken only while the
  pool has an idle one, so a burst of long lists cannot hold every pooled connection while
  each waits for another; otherwise (and on one core, or when the request's session has
  already begun its transaction) the request's connection renders the whole list in one
  statement, row by row in the same chunks.

The body is complete before the response starts: a failure in either half is the request's
error (500 as before), never a truncated 200.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Lock
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.rows import scalar_row
from psycopg.types.string import ByteaBinaryLoader
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

# Below this many rows one statement is as fast: at ≈ 1,100–1,500 appointments both took
# 21–35 ms, at 2,500 the halves 32–35 ms against 42–47 ms, at 4,900 53–64 against 76–93 ms
# (1-connection p50s, load 3.4–3.7).
SPLIT_MIN_ROWS = 2_000

# Rows per chunk of the body (``JsonChunks``).
CHUNK_ROWS = 1_000
# libpq 17 and later can hand over a result in chunks of rows (psycopg ``stream(size=…)``).
_CHUNKED_RESULTS = psycopg.pq.version() >= 170_000

# Each half sorts its rows' JSON texts (≈ 6 MB for 10,000 appointments): in memory, not in
# files as with the default 4 MB (≈ 5 ms less per half). For this transaction only.
_SORT_MEMORY = pgsql.SQL("SET LOCAL work_mem = '32MB'")

_SPLIT_PARAM = "long_list_split"
_MIN_ROWS_PARAM = "long_list_min_rows"
_UTC_TIMESTAMP = re.compile(rb'("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\+00:00"')
# What ``_UTC_TIMESTAMP`` ends with, looked for in every chunk: on these texts a regular
# expression takes ≈ 60 % of the time of ``in`` (measured 6.5 against 10.9 ms for 12 MB).
_UTC_OFFSET = re.compile(rb'\+00:00"')

_executor: ThreadPoolExecutor | None = None
_executor_lock = Lock()

# A statement of one half: the list's rows matching ``where_sql``, one JSON text per row,
# in list order.
RowsSql = Callable[[str], str]


@dataclass(frozen=True)
class LongList:
    """How a booking list is counted and rendered in halves.

    ``table``/``alias``: the booking table the list's ``where_sql`` is written over;
    ``rows_sql``: the statement of one half, given its condition (the list's ``where_sql``
    and the half's bound on ``start_time``).
    """

    table: str
    alias: str
    rows_sql: RowsSql

    def render(
        self, session: Session, where_sql: str, params: dict[str, Any], short_sql: str
    ) -> str | JsonChunks:
        """The JSON array of the list: ``short_sql``'s one text when the list is short.

        ``short_sql`` renders the whole list as one JSON text in one statement. It runs in the
        same statement that counts the rows (only when they are fewer than
        ``SPLIT_MIN_ROWS``), so a short list still costs one statement, as before.

        A long list is rendered in halves at once when the session has not begun its
        transaction yet (it begins it in ``REPEATABLE READ`` to export the snapshot) and the
        pool has an idle connection; else in one statement on the session's connection.
        """
        fresh = not session.in_transaction()
        conn = (
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            if fresh
            else session.connection()
        )
        alias = self.alias
        # The uncorrelated subquery (an init plan) runs only when its CASE branch is taken.
        statement = (  # constant fragments, values bound
            "SELECT n.split_at, n.snapshot, "  # noqa: S608
            f"CASE WHEN n.snapshot IS NULL THEN ({short_sql}) END "
            "FROM (SELECT percentile_disc(0.5) WITHIN GROUP "
            f"(ORDER BY {alias}.start_time) AS split_at, "
            f"CASE WHEN count(*) >= :{_MIN_ROWS_PARAM} THEN pg_export_snapshot() END AS snapshot "
            f"FROM {self.table} {alias} WHERE {where_sql}) n"
        )
        split_at, snapshot, short = conn.execute(
            text(statement), {**params, _MIN_ROWS_PARAM: SPLIT_MIN_ROWS}
        ).one()
        if snapshot is None:
            return str(short)
        _driver(conn).execute(_SORT_MEMORY)
        if not (fresh and _has_idle_connection(conn)):
            return JsonChunks.of(_fetch(conn, *_compiled(conn, self.rows_sql(where_sql), params)))
        halves = (
            f"({where_sql}) AND {alias}.start_time < :{_SPLIT_PARAM}",
            f"({where_sql}) AND {alias}.start_time >= :{_SPLIT_PARAM}",
        )
        values = {**params, _SPLIT_PARAM: split_at}
        first, second = (_compiled(conn, self.rows_sql(half), values) for half in halves)
        later = _pool().submit(_fetch_in_snapshot, conn, snapshot, *second)
        try:
            chunks = _fetch(conn, *first)
        finally:
            # Wait for the second half even when the first failed: its connection must be
            # back in the pool, and this transaction (its snapshot) open until it has begun.
            rest = later.result()
        chunks.extend(rest)
        return JsonChunks.of(chunks)


@dataclass(frozen=True)
class JsonChunks:
    """A JSON array as consecutive byte strings of whole rows, and its length in bytes.

    Chunks of ``CHUNK_ROWS`` rows (≈ 600 KB for appointments) are allocated and freed
    whole (memory mapped, above the allocator's 256 KB threshold: ``server.core.memory``)
    instead of a 12 MB text, a 12 MB ``bytes`` and thousands of row strings that leave
    the heap fragmented; they can be sent one after the other.
    """

    chunks: list[bytes]
    size: int

    @classmethod
    def of(cls, rows: list[bytes]) -> JsonChunks:
        """The array of the chunks ``_fetch`` made (each starts with the separator)."""
        if not rows:
            return cls([b"[]"], 2)
        rows[0] = b"[" + rows[0][1:]
        rows.append(b"]")
        return cls(rows, sum(len(chunk) for chunk in rows))


def _compiled(conn: Connection, statement: str, params: dict[str, Any]) -> tuple[str, Any]:
    """``statement`` with ``:name`` parameters in the driver's own style, and its values."""
    compiled = text(statement).compile(dialect=conn.dialect)
    return compiled.string, compiled.construct_params(params)


def _driver(conn: Connection) -> psycopg.Connection[Any]:
    driver = conn.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    return driver


def _fetch(conn: Connection, query: str, values: Any) -> list[bytes]:
    """The rows of ``query`` (one ``text`` column) in chunks of ``CHUNK_ROWS``, each chunk
    the rows' JSON texts, every one after a ``,``; in the connection's transaction.

    00 §6 writes a zero offset as ``Z`` (as ``server.bookings.sql.finish``).
    """
    chunks: list[bytes] = []
    with _driver(conn).cursor(binary=True, row_factory=scalar_row) as cursor:
        # ``text`` in binary format is its UTF-8 bytes: load them as they are.
        cursor.adapters.register_loader("text", ByteaBinaryLoader)
        if _CHUNKED_RESULTS:
            # libpq hands over the rows in results of a chunk each, freed chunk by chunk.
            rows = cursor.stream(query, values, size=CHUNK_ROWS)
        else:
            cursor.execute(query, values)
            rows = iter(cursor)
        chunk = [b""]
        for row in rows:
            chunk.append(row)
            if len(chunk) > CHUNK_ROWS:
                chunks.append(_joined(chunk))
                chunk = [b""]
        if len(chunk) > 1:
            chunks.append(_joined(chunk))
    return chunks


def _joined(chunk: list[bytes]) -> bytes:
    joined = b",".join(chunk)
    if _UTC_OFFSET.search(joined):
        joined = _UTC_TIMESTAMP.sub(rb'\1Z"', joined)
    return joined


def _fetch_in_snapshot(first: Connection, snapshot: str, query: str, values: Any) -> list[bytes]:
    """``_fetch`` on another pooled connection, inside the snapshot ``first`` exported."""
    with first.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        # The first statement of its transaction; the pool's reset ends it (ROLLBACK).
        setup = pgsql.SQL("SET TRANSACTION SNAPSHOT {}; {}").format(snapshot, _SORT_MEMORY)
        _driver(conn).execute(setup)
        return _fetch(conn, query, values)


def _has_idle_connection(conn: Connection) -> bool:
    """Whether the pool holds an idle connection (and the machine a second core) now."""
    pool = conn.engine.pool
    return (os.cpu_count() or 1) > 1 and isinstance(pool, QueuePool) and pool.checkedin() > 0


def _pool() -> ThreadPoolExecutor:
    """The threads that render second halves (made on first use, per process)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="long-list")
        return _executor
