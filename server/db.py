"""Engine and session handling (SQLAlchemy 2, psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


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
    parts = [f"-c TimeZone={timezone}"] if timezone else []
    if audit_options:
        parts.append(audit_options)
    connect_args: dict[str, object] = {"connect_timeout": 5}
    if parts:
        connect_args["options"] = " ".join(parts)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args=connect_args,
        # Bound values (patient names, search terms) never appear in error texts or logs.
        hide_parameters=True,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
