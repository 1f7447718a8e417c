"""Prepared statements that survive the end of a read (issue 23).

psycopg prepares a statement on a connection once it has run ``prepare_threshold`` times
there, so later runs skip PostgreSQL's parse and plan: for the flow board's, the calendar's
and the booking lists' statements, planning cost as much as executing. But psycopg drops
every prepared statement of the connection at each ``ROLLBACK`` (a statement prepared in a
rolled-back transaction might refer to an object that is gone), and every read request ends
with one: the session closes, or the pool resets the connection.

So a transaction that only read ends with ``COMMIT`` instead: for a transaction without
writes the two are the same to PostgreSQL (locks, ``SET LOCAL`` and snapshots end either
way), and psycopg keeps its statements. "Only read" is decided conservatively per
statement: a plain ``SELECT`` that neither notifies, nor selects ``INTO`` a table, nor
touches a sequence. Anything else — and any transaction in an error state — is rolled back
as before.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, event

PREPARE_THRESHOLD = 2

_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_SIDE_EFFECT = re.compile(r"\b(?:pg_notify|INTO|nextval|setval|set_config|pg_advisory)\b", re.I)


@lru_cache(maxsize=512)
def only_reads(statement: str) -> bool:
    """Whether ``statement`` certainly writes nothing that a ROLLBACK would undo."""
    return bool(_READ.match(statement)) and not _SIDE_EFFECT.search(statement)


def keep_prepared_statements(engine: Engine) -> None:
    """End ``engine``'s read-only transactions with COMMIT (see the module's text)."""
    wrote: weakref.WeakSet[Any] = weakref.WeakSet()

    @event.listens_for(engine, "after_cursor_execute")
    def _note(
        conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if not only_reads(statement):
            wrote.add(conn.connection.dbapi_connection)

    dialect = engine.dialect
    rollback = dialect.do_rollback
    commit = dialect.do_commit

    def do_rollback(dbapi_connection: Any) -> None:
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if raw in wrote or raw.info.transaction_status != TransactionStatus.INTRANS:
            wrote.discard(raw)
            rollback(dbapi_connection)
        else:
            commit(dbapi_connection)

    def do_commit(dbapi_connection: Any) -> None:
        wrote.discard(getattr(dbapi_connection, "dbapi_connection", dbapi_connection))
        commit(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]
    dialect.do_commit = do_commit  # type: ignore[method-assign]
