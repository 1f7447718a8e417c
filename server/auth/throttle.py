"""Login throttling per username (01 §3.1); the counters live in the database."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.auth.models import LoginFailure
from server.core.errors import APIError


def username_key(username: str) -> str:
    return username.strip().lower()[:150]


def refuse_if_throttled(
    session: Session, key: str, *, now: datetime, window: timedelta, max_failures: int
) -> None:
    """429 once ``max_failures`` failures for this username fall inside the window."""
    since = now - window
    failures = session.execute(
        select(func.count(), func.min(LoginFailure.failed_at)).where(
            LoginFailure.username_key == key, LoginFailure.failed_at > since
        )
    ).one()
    count, oldest = failures
    if count < max_failures:
        return
    # The newest failures decide when the count drops below the limit again.
    boundary = session.scalar(
        select(LoginFailure.failed_at)
        .where(LoginFailure.username_key == key, LoginFailure.failed_at > since)
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
