"""What ``core`` needs from the domains, passed in by the app factory (``server.app``).

``core`` imports no domain package, so that any domain can build on it: it authenticates
through a ``PrincipalLoader`` (token → user, ``server.auth``) and audits through an
``Auditor`` (``server.audit``), both registered on the ``AppState``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.core.principal import Principal


class PrincipalLoader(Protocol):
    """The active user of a bearer token; raises the 401 ``APIError`` of 00 §3 otherwise."""

    def __call__(
        self, session: Session, token: str, *, secret: str, now: datetime
    ) -> Principal: ...

    def cached(self, engine: Engine, token: str, *, now: datetime) -> Principal | None:
        """The principal if the loader can answer without the database, else None (then
        ``__call__`` decides, 401s included). Runs on the event loop: it must not block."""
        ...


class RecordWrite(Protocol):
    """Add an audit entry to the caller's transaction (it commits with the write)."""

    def __call__(
        self,
        session: Session,
        actor: Principal | None,
        action: str,
        *,
        patient_id: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None: ...


class RecordRead(Protocol):
    """Audit a read in its own transaction, best effort (00 §8)."""

    def __call__(
        self,
        factory: sessionmaker[Session],
        actor: Principal | None,
        action: str,
        *,
        patient_id: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class Auditor:
    record: RecordWrite
    record_read: RecordRead
