"""What suggest and the calendar's availability read per request, kept per process until the
tables it was read from change (issue 23).

Suggest (03 §9) and the calendar's availability summary (03 §12) ask the same questions many
times a minute: the doctors' hours, absences, breaks and bookings of a few days, the active
doctors, the requested type and resources. Loading them was most of suggest's time. This
cache keeps those answers (immutable values: ``SchedulingData``, tuples of frozen
dataclasses) per process and database, keyed by what was asked, and stays correct through
the database like the principal cache (``server.auth.principal_cache``, central mode):

* **A write in this process** to one of ``WATCHED_TABLES`` — whatever issued it: a service,
  a series, a chain, a test's own session, plain SQL text through SQLAlchemy — drops
  everything once its transaction has committed and its connection is back in the pool,
  before the request that wrote answers (``_note_write`` … ``_after_checkin``).
* **Every other process** drops everything when a live notice of one of
  ``WATCHED_ENTITIES`` reaches its LISTEN connection (``server.events.broker``), normally a
  few milliseconds after the commit. Every API write to those tables publishes one.
* **Listener down**: nothing is kept, everything is read per request, until it is back.
* **Races**: a load that overlaps a drop is not stored (generation counter); a load that
  started before a commit and finished after it is caught by the drop after the commit.
* **Changes behind the application's back** (plain SQL from another program, which
  publishes no notice): an entry is used for at most ``MAX_AGE_SECONDS``.

Suggestions are advice: a stale one can at worst be refused with 409 when booked, because
every booking is checked against the database's own constraints. The decisions and windows
are written down in ``docs/performance.md``.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from server.events.broker import WatchersPerEngine
from shared.domain.events import LiveEntity

MAX_AGE_SECONDS = 30.0
MAX_ENTRIES = 256

# The tables every cached answer is read from (``server.bookings.scheduling_data``, the
# doctor, type and resource look-ups of suggest and availability).
WATCHED_TABLES = frozenset(
    {
        "practice_hours",
        "doctor_hours",
        "doctor_absences",
        "doctor_breaks",
        "appointments",
        "appointment_resources",
        "operations",
        "operation_devices",
        "users",
        "roles",
        "appointment_types",
        "resources",
    }
)
# The live notices of writes to them (00 §11).
WATCHED_ENTITIES = frozenset(
    {
        LiveEntity.APPOINTMENT,
        LiveEntity.OPERATION,
        LiveEntity.PRACTICE_HOURS,
        LiveEntity.DOCTOR_HOURS,
        LiveEntity.DOCTOR_ABSENCE,
        LiveEntity.DOCTOR_BREAK,
        LiveEntity.USER,
        LiveEntity.RESOURCE,
        LiveEntity.APPOINTMENT_TYPE,
        LiveEntity.APPOINTMENT_SERIES,
        LiveEntity.CHAIN,
    }
)

# Every table a statement writes to, wherever the verb sits (a CTE may wrap it). A false hit
# ("FOR UPDATE OF …", a verb inside a string) only costs a reload.
_WRITE_TARGET = re.compile(
    r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|COPY)\s+(?:ONLY\s+)?"?(\w+)',
    re.IGNORECASE,
)
_DIRTY = "praxi_scheduling_dirty"  # on the DBAPI connection's record: written, not committed
_COMMITTED = "praxi_scheduling_committed"  # committed; drop when the connection is back

T = TypeVar("T")


class SchedulingCache:
    """The answers of one database in one process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, float]] = OrderedDict()
        self._generation = 0
        self._listening = False

    # -- the broker's ChangeWatcher ------------------------------------------------------

    def changed(self, entity: str, entity_id: int) -> None:
        if entity in WATCHED_ENTITIES:
            self.clear()

    def listening(self, connected: bool) -> None:
        with self._lock:
            self._listening = connected
            self._generation += 1
            self._entries.clear()

    # -- requests ------------------------------------------------------------------------

    def get_or_load(self, key: Hashable, load: Callable[[], T]) -> T:
        """The stored answer to ``key``, else ``load()`` (stored if nothing changed meanwhile)."""
        with self._lock:
            if not self._listening:
                generation = None
            else:
                entry = self._entries.get(key)
                if entry is not None and time.monotonic() - entry[1] <= MAX_AGE_SECONDS:
                    self._entries.move_to_end(key)
                    value: T = entry[0]
                    return value
                generation = self._generation
        value = load()
        if generation is not None:
            with self._lock:
                if self._listening and generation == self._generation:
                    self._entries[key] = (value, time.monotonic())
                    self._entries.move_to_end(key)
                    while len(self._entries) > MAX_ENTRIES:
                        self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_CACHES = WatchersPerEngine(SchedulingCache)


def cache_for(engine: Engine) -> SchedulingCache:
    """The engine's cache; it only ever holds entries once the app's broker listens."""
    return _CACHES.for_engine(engine)


def cached(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    """``load()`` through the cache of the session's database."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return cache_for(engine).get_or_load(key, load)


def clear_everywhere() -> None:
    """Drop every cached answer of this process (a test's database reset bypasses SQLAlchemy)."""
    for cache in _CACHES.all():
        cache.clear()


# -- writes of this process ------------------------------------------------------------------
# Process-wide: the writer may use another engine than the app (a second app on the same
# database, a test's own session); dropping the other databases' answers too only costs a
# reload.


@lru_cache(maxsize=512)
def writes_watched_table(statement: str) -> bool:
    """Whether ``statement`` may write one of ``WATCHED_TABLES``. Cached: SQLAlchemy hands
    the same compiled strings over and over, and scanning a long read for write verbs cost
    more than some reads' own work."""
    targets = (match.group(1).lower() for match in _WRITE_TARGET.finditer(statement))
    return any(table in WATCHED_TABLES for table in targets)


@event.listens_for(Engine, "after_cursor_execute")
def _note_write(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    if not writes_watched_table(statement):
        return
    if getattr(conn.connection.dbapi_connection, "autocommit", False):
        conn.info[_COMMITTED] = True  # already committed: drop at check-in
    else:
        conn.info[_DIRTY] = True


@event.listens_for(Engine, "commit")
def _note_commit(conn: Connection) -> None:
    if conn.info.pop(_DIRTY, False):
        conn.info[_COMMITTED] = True


@event.listens_for(Engine, "rollback")
def _forget_rolled_back(conn: Connection) -> None:
    conn.info.pop(_DIRTY, None)


@event.listens_for(Pool, "checkin")
def _after_checkin(dbapi_connection: Any, record: Any) -> None:
    # "commit" fires before the COMMIT is sent; only once the connection is back is the
    # write visible to every later load, so the drop here also catches a load that read
    # the old rows while the commit was on its way.
    if record is not None and record.info.pop(_COMMITTED, False):
        clear_everywhere()
