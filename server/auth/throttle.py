"""Login throttling per username (01 §3.1) and per client address; counters live in the database.

The count, the password check and the recording of a failure must not interleave between
parallel attempts, or each of them counts the same failures and all get a password check.
``lock_attempts`` serialises them per username and per address with transaction-level
advisory locks, released when the login's transaction ends (after its failure is committed).
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.orm import Session

from server.auth.models import LoginFailure
from server.core.errors import APIError


def username_key(username: str) -> str:
    return username.strip().lower()[:150]


def _lock_key(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"login-{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_attempts(session: Session, key: str, client_address: str) -> None:
    """Wait until no other login for this username or from this address is between its
    count and its commit.

    Always the username first, then the address: a transaction holding an address lock never
    waits for a username lock, so two logins cannot deadlock.
    """
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key("user", key)})
    if client_address:
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": _lock_key("address", client_address[:64])},
        )


def refuse_if_throttled(
    session: Session, key: str, *, now: datetime, window: timedelta, max_failures: int
) -> None:
    """429 once ``max_failures`` failures for this username fall inside the window."""
    _refuse_if_over(session, LoginFailure.username_key == key, now, window, max_failures)


def refuse_if_address_throttled(
    session: Session, address: str, *, now: datetime, window: timedelta, max_failures: int
) -> None:
    """429 once ``max_failures`` failures from this client address (any username) fall inside
    the window: one address cannot try many usernames either."""
    if not address:
        return
    _refuse_if_over(session, LoginFailure.client_address == address[:64], now, window, max_failures)


def _refuse_if_over(
    session: Session,
    match: ColumnElement[bool],
    now: datetime,
    window: timedelta,
    max_failures: int,
) -> None:
    since = now - window
    failures = session.execute(
        select(func.count(), func.min(LoginFailure.failed_at)).where(
            match, LoginFailure.failed_at > since
        )
    ).one()
    count, oldest = failures
    if count < max_failures:
        return
    # The newest failures decide when the count drops below the limit again.
    boundary = session.scalar(
        select(LoginFailure.failed_at)
        .where(match, LoginFailure.failed_at > since)
        .order_by(LoginFailure.failed_at.desc())
        .offset(max_failures - 1)
        .limit(1)
    )
    reopens_at = (boundary or oldest) + window
    wait = max(1, math.ceil((reopens_at - now).total_seconds()))
    raise APIError(
        429,
        {"detail": f"Request was throttled. Expected available in {wait} seconds."},
        {"Retry-After": str(wait)},
    )


def record_failure(session: Session, key: str, client_address: str, now: datetime) -> None:
    session.add(LoginFailure(username_key=key, client_address=client_address[:64], failed_at=now))


def forget_failures(session: Session, key: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username_key == key))
