"""Writing audit entries (01 §5.3, 00 §8)."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.core.access import Principal

log = logging.getLogger(__name__)


def record(
    session: Session,
    actor: Principal | None,
    action: str,
    *,
    patient_id: int | None = None,
    meta: dict[str, Any] | None = None,
) -> None:
    """Add an entry to the caller's transaction: it commits together with the write."""
    session.add(
        AuditLog(
            user_id=actor.id if actor else None,
            role_name=(actor.role_name or "") if actor else "",
            action=action,
            patient_id=patient_id,
            meta=meta,
        )
    )


# One statement in its own (autocommit) transaction: ``set_config(…, true)`` is SET LOCAL
# for that statement's transaction, so the commit does not wait for the WAL flush.
_READ_AUDIT_SQL = text(
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
    "INSERT INTO audit_log (user_id, role_name, action, patient_id, meta) "
    "SELECT :user_id, :role_name, :action, :patient_id, CAST(:meta AS jsonb) FROM relaxed"
)


def record_read(
    factory: sessionmaker[Session],
    actor: Principal | None,
    action: str,
    *,
    patient_id: int | None = None,
    meta: dict[str, Any] | None = None,
) -> None:
    """Audit a read in its own transaction; a failure is logged and never fails the read.

    Read audits are best effort by contract (00 §8), so their commit does not wait for the
    WAL flush (``synchronous_commit = off``): a crash can lose the last fraction of a second
    of read entries, never a write's entry (those commit with the write itself). It is one
    INSERT in autocommit mode, not an ORM unit of work: this runs on every read request, and
    each extra round trip (BEGIN, SET, COMMIT) showed up in the read endpoints' latency.
    """
    params = {
        "user_id": actor.id if actor else None,
        "role_name": (actor.role_name or "") if actor else "",
        "action": action,
        "patient_id": patient_id,
        "meta": None if meta is None else json.dumps(meta),
    }
    try:
        with factory() as session:
            engine = session.get_bind().engine
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(_READ_AUDIT_SQL, params)
    except Exception:
        log.exception("could not write audit entry %s", action)
