"""Writing audit entries (01 §5.3, 00 §8)."""

from __future__ import annotations

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
    of read entries, never a write's entry (those commit with the write itself).
    """
    try:
        with factory() as session, session.begin():
            session.execute(text("SET LOCAL synchronous_commit = off"))
            record(session, actor, action, patient_id=patient_id, meta=meta)
    except Exception:
        log.exception("could not write audit entry %s", action)
