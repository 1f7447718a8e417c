"""Change notices for ``/api/events/`` (00 §11), published with ``pg_notify``.

The notification is sent inside the writing transaction, so PostgreSQL delivers it to every
listening server process exactly when (and only if) the write commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

CHANNEL = "praxi_events"

Action = Literal["created", "updated", "deleted"]


def publish(session: Session, entity: str, entity_id: int, action: Action) -> None:
    payload = orjson.dumps(
        {
            "entity": entity,
            "id": entity_id,
            "action": action,
            "at": datetime.now(UTC).isoformat(),
        }
    ).decode()
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )
