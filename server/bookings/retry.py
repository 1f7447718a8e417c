"""The retry-once of a booking write that lost a race (00 §9).

When the occupancy exclusion constraint fires (a concurrent request won), the transaction
is rolled back and the whole write re-runs in a fresh one: its checks now see the winner
and answer with the same body as the application check. If they pass, the write is tried
once more; a second violation answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.core.errors import conflict

T = TypeVar("T")

CONCURRENT_BOOKING = "Concurrent booking conflict, please retry."


def _is_booking_race(exc: DBAPIError) -> bool:
    """The exclusion constraint fired, or two bookings deadlocked on it."""
    return isinstance(
        exc.orig,
        pg_errors.ExclusionViolation | pg_errors.DeadlockDetected | pg_errors.SerializationFailure,
    )


def with_booking_retry(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction; on an occupancy violation re-run it once."""
    for _ in range(2):
        with factory() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if not _is_booking_race(exc):
                    raise
    raise conflict(CONCURRENT_BOOKING)
