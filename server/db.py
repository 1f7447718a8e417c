"""Engine and session handling (SQLAlchemy 2, psycopg 3)."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from server.core.memory import tune_allocator
from server.db_statements import PREPARE_THRESHOLD, keep_prepared_statements


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    timezone: str | None = None,
    audit_options: str | None = None,
) -> Engine:
    """``timezone``: the practice zone as the session TimeZone, so that timestamps the
    database renders itself (JSON built in SQL) carry the practice offset (00 §6).

    ``audit_options``: the audit chain's key material for every session
    (``server.audit.key.connection_options``). Without it, writing an audit entry fails:
    the trigger refuses to chain a row it cannot sign.
    """
    # Every server process makes its engine once, at start: the place to tune its allocator.
    tune_allocator()
    parts = [f"-c TimeZone={timezone}"] if timezone else []
    if audit_options:
        parts.append(audit_options)
    connect_args: dict[str, object] = {
        "connect_timeout": 5,
        # Server-side prepared statements from a statement's 2nd run on a connection; they
        # survive the end of a read because reads end with COMMIT (server.db_statements).
        "prepare_threshold": PREPARE_THRESHOLD,
    }
    if parts:
        connect_args["options"] = " ".join(parts)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args=connect_args,
        # Bound values (patient names, search terms) never appear in error texts or logs.
        hide_parameters=True,
    )
    _ping_without_round_trip(engine)
    keep_prepared_statements(engine)
    return engine


def _ping_without_round_trip(engine: Engine) -> None:
    """Pre-ping a pooled connection by looking at its socket, not with a query.

    The pre-ping (a query per checkout) was one of the round trips every request paid. An idle
    connection the server ended (restart, ``pg_terminate_backend``, idle timeout) has its
    termination message or EOF waiting on the socket: a socket with nothing to read is taken
    as alive, anything else gets the real ping. A peer that vanished without a word (cable
    pulled) is not seen by either check; the keep-alives and the query's own error handle it.
    """
    dialect = engine.dialect
    full_ping = dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        pgconn = getattr(dbapi_connection, "pgconn", None)
        if pgconn is None or dbapi_connection.closed or dbapi_connection.broken:
            return full_ping(dbapi_connection)
        if pgconn.status != pq.ConnStatus.OK:
            return False
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError, psycopg.Error):
            return full_ping(dbapi_connection)
        return True if not readable else full_ping(dbapi_connection)

    dialect.do_ping = do_ping  # type: ignore[method-assign]


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
