"""Change notices for ``/api/events/`` (00 §11), published with ``pg_notify``.

The notification is sent inside the writing transaction, so PostgreSQL delivers it to every
listening server process exactly when (and only if) the write commits.

``at`` is taken from the database clock (``clock_timestamp()``) when the write publishes,
which is at the end of its transaction, so it is the commit time to within the few
milliseconds the transaction still needs, and one clock for every server process and host.
The payload carries it in UTC with full microseconds; the stream (``server.events``) renders
it in the practice time zone in the 00 §6 format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from sqlalchemy import event, text
from sqlalchemy.orm import Session

CHANNEL = "praxi_events"

Action = Literal["created", "updated", "deleted"]

# UTC, always six fractional digits: an exact instant that the listener re-renders.
AT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'

_NOTIFY = text(
    "SELECT pg_notify(:channel, json_build_object("
    "'entity', CAST(:entity AS text), "
    "'id', CAST(:id AS bigint), "
    "'action', CAST(:action AS text), "
    "'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', :at_format)"
    ")::text)"
)


CommitListener = Callable[[Session, int], None]
_COMMIT_LISTENERS: dict[str, list[CommitListener]] = {}
_PENDING = "praxi_committed_notices"


def on_commit(entity: str, listener: CommitListener) -> None:
    """Call ``listener(session, entity_id)`` in THIS process right after a transaction that
    published a notice for ``entity`` commits, before the request that wrote it answers.

    The ``pg_notify`` reaches this process's listener too, but a moment later: an in-process
    cache (the principal cache of ``server.auth``) must not answer the writer's next request
    from what it held before the write.
    """
    _COMMIT_LISTENERS.setdefault(entity, []).append(listener)


# A notice of a rolled-back transaction stays pending until the session's next commit and is
# delivered then: telling a cache once too often only costs it a reload.
@event.listens_for(Session, "after_commit")
def _deliver_committed(session: Session) -> None:
    for entity, entity_id in session.info.pop(_PENDING, ()):
        for listener in _COMMIT_LISTENERS.get(entity, ()):
            listener(session, entity_id)


def publish(session: Session, entity: str, entity_id: int, action: Action) -> None:
    """Queue the notice ``{"entity", "id", "action", "at"}`` for delivery at commit."""
    if entity in _COMMIT_LISTENERS:
        session.info.setdefault(_PENDING, []).append((entity, entity_id))
    session.execute(
        _NOTIFY,
        {
            "channel": CHANNEL,
            "entity": entity,
            "id": entity_id,
            "action": action,
            "at_format": AT_FORMAT,
        },
    )
