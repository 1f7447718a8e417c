"""The matcher: after a write freed capacity has committed, find who on the waiting list fits.

The freeing write only inserted a ``waiting_list_freed_slots`` row (database trigger,
migration 0012) and sent ``pg_notify('praxi_waitlist')``, which PostgreSQL delivers at
commit. Every server process runs one matcher thread: it LISTENs on that channel and, on a
notification or every ``SWEEP_SECONDS`` (notifications sent while it was reconnecting are
lost; the sweep finds their rows), claims unmatched rows with ``FOR UPDATE SKIP LOCKED``.
Claiming, matching, storing the result and publishing the ``waiting_list_slot`` event is
one transaction: each freed slot is matched exactly once however many processes run, a
crash in between leaves the row for the next sweep, and the freeing request never waits
for any of it.

A plain thread with a synchronous psycopg connection (no event loop), so it runs the same
under uvicorn on Windows and in test clients.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.key import connection_options, derive_audit_key
from server.core import clock
from server.core.events import publish
from server.core.state import AppState
from server.db import make_engine, make_session_factory
from server.settings import Settings
from server.waiting_list import expiry, matching
from server.waiting_list.models import FreedSlot
from shared.domain.events import LiveEntity
from shared.domain.waiting_list import FreedSource

log = logging.getLogger(__name__)

CHANNEL = "praxi_waitlist"
SWEEP_SECONDS = 5.0
"""Safety sweep interval (rows whose notification was missed, expiry)."""
BATCH = 10
BACKOFF_MIN_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 10.0


def match_slot(session: Session, slot: FreedSlot, now: datetime, tz: ZoneInfo) -> int:
    """Match one claimed slot inside the caller's transaction; returns the candidate count."""
    period = matching.slot_period(slot, now, tz)
    count = 0
    if period is not None:
        doctors = matching.slot_doctors(session, slot)
        found, _ = matching.candidates_for(session, period, doctors, now=now, tz=tz)
        count = len(found)
    slot.matched_at = now
    slot.period_start = period.start if period else None
    slot.period_end = period.end if period else None
    slot.candidate_count = count
    if slot.source == FreedSource.APPOINTMENT:
        slot.freed_minutes = int(period.duration.total_seconds() // 60) if period else 0
    if count:
        publish(session, LiveEntity.WAITING_LIST_SLOT, slot.id, "created")
    return count


def process_pending(factory: sessionmaker[Session], now: datetime, tz: ZoneInfo) -> int:
    """Claim and match up to ``BATCH`` unmatched slots in one transaction; how many."""
    with factory() as session, session.begin():
        slots = session.scalars(
            select(FreedSlot)
            .where(FreedSlot.matched_at.is_(None))
            .order_by(FreedSlot.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for slot in slots:
            match_slot(session, slot, now, tz)
        return len(slots)


def sweep(factory: sessionmaker[Session], settings: Settings) -> None:
    """Expire due entries, then match every unmatched slot (on the app's current clock)."""
    now, tz = clock.now(settings), settings.tz
    expiry.expire_due(factory, now, tz)
    while process_pending(factory, now, tz) == BATCH:
        pass


class Matcher:
    """The matcher thread of one app."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        # A small engine of its own: matching never takes a connection from the requests'
        # pool, and the app engine's statements stay the requests' alone.
        settings = state.settings
        assert settings.database_url is not None  # the app factory refuses to start without
        self._engine = make_engine(
            settings.database_url.get_secret_value(),
            pool_size=2,
            timezone=settings.timezone,
            audit_options=connection_options(derive_audit_key(state.secret_key)),
        )
        self._factory = make_session_factory(self._engine)
        _, params = state.engine.dialect.create_connect_args(state.engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters map, not a libpq parameter
        self._params: dict[str, Any] = {
            **params,
            "connect_timeout": 5,
            "application_name": "praxi-waitlist",
        }
        self._stop = threading.Event()
        # A channel of this matcher's own: ``stop`` notifies it, so the thread wakes at once
        # instead of at its next sweep (an app's shutdown, every test's teardown).
        self._wake_channel = f"praxi_waitlist_stop_{uuid.uuid4().hex}"
        self._thread = threading.Thread(target=self._run, name="praxi-waitlist", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        try:
            with self._engine.connect() as connection:
                connection.execute(
                    text("SELECT pg_notify(:channel, '')"), {"channel": self._wake_channel}
                )
                connection.commit()
        except Exception:  # the database is gone: the thread notices at its next sweep
            log.debug("waiting list: could not wake the matcher for its stop", exc_info=True)
        self._thread.join(timeout)
        self._engine.dispose()

    def _sweep(self) -> None:
        try:
            # The settings are read each time: tests swap them (and the clock) per test.
            sweep(self._factory, self._state.settings)
        except Exception:  # a bad row or a lost connection must not end matching for good
            log.exception("waiting list: matching failed; retrying on the next sweep")

    def _run(self) -> None:
        backoff = BACKOFF_MIN_SECONDS
        while not self._stop.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._params) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    connection.execute(f"LISTEN {self._wake_channel}")
                    backoff = BACKOFF_MIN_SECONDS
                    self._listen(connection)
            except psycopg.Error as exc:
                log.warning("waiting list: listener connection failed (%s); retrying", exc)
            self._stop.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)

    def _listen(self, connection: psycopg.Connection[Any]) -> None:
        self._sweep()  # whatever was freed while nobody listened
        last_sweep = time.monotonic()
        while not self._stop.is_set():
            until_sweep = max(0.0, SWEEP_SECONDS - (time.monotonic() - last_sweep))
            woken = any(True for _ in connection.notifies(timeout=until_sweep, stop_after=1))
            if self._stop.is_set():
                break
            if woken or time.monotonic() - last_sweep >= SWEEP_SECONDS:
                self._sweep()
                last_sweep = time.monotonic()


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """The router's lifespan: one matcher per app, stopped before the engine is disposed."""
    matcher = Matcher(app.state.praxi)
    matcher.start()
    try:
        yield
    finally:
        await asyncio.to_thread(matcher.stop)
