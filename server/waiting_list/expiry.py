"""Entries past their latest date expire: status ``removed``, reason ``expired``.

Lazily, before every read of the waiting list and on every matcher sweep, on the server
clock (``server.core.clock``), so the test clock drives it. One transaction: the status
change, an audit entry per entry (no user) and a live event per entry commit together.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.core.events import publish
from shared.domain.events import LiveEntity
from shared.scheduling import local_date

_EXPIRE = text(
    """
    UPDATE waiting_list_entries
       SET status = 'removed', removal_reason = 'expired', updated_at = :now
     WHERE status IN ('waiting', 'offered') AND latest_date < :today
    RETURNING id, patient_id
    """
)
_ANY_DUE = text(
    "SELECT EXISTS (SELECT 1 FROM waiting_list_entries "
    "WHERE status IN ('waiting', 'offered') AND latest_date < :today)"
)


def expire_in(session: Session, now: datetime, tz: ZoneInfo) -> int:
    """Expire due entries inside the caller's transaction; returns how many."""
    rows = session.execute(_EXPIRE, {"now": now, "today": local_date(now, tz)}).all()
    for entry_id, patient_id in rows:
        record(
            session,
            None,
            "waiting_list_entry_expire",
            patient_id=patient_id,
            meta={"entry_id": entry_id},
        )
        publish(session, LiveEntity.WAITING_LIST_ENTRY, entry_id, "updated")
    return len(rows)


def expire_due(factory: sessionmaker[Session], now: datetime, tz: ZoneInfo) -> int:
    """Expire due entries in a transaction of their own (a read's first step)."""
    with factory() as session:
        # The common case (nothing due) costs one indexed read, no write transaction.
        if not session.execute(_ANY_DUE, {"today": local_date(now, tz)}).scalar_one():
            return 0
        count = expire_in(session, now, tz)
        session.commit()
        return count
