"""One ``LISTEN praxi_events`` connection per server process, fanned out to open streams.

The listener runs in a thread of its own with its own ``SelectorEventLoop``: psycopg's async
mode cannot use Windows' ``ProactorEventLoop``, which uvicorn picks for a single worker on
Windows, and a separate loop keeps the listener independent of whatever loop serves the
requests (uvicorn, a test client's portal thread). Each notification is turned into one
ready-made SSE frame and handed to every subscriber's own loop with ``call_soon_threadsafe``;
subscribers read it from a bounded ``asyncio.Queue``. A subscriber whose queue overflows is
closed (its client reconnects and reloads) instead of slowing everyone else down.

When the database connection drops, every open stream is closed as well: notifications sent
while the listener was away are lost, and the contract (00 §11) has clients reload after
reconnecting, so ending the streams is what keeps their views correct.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, tzinfo
from types import FrameType
from typing import Any, Final, Generic, Protocol, TypeVar

import orjson
import psycopg
from sqlalchemy import Engine

from server.core.events import CHANNEL
from server.core.timefmt import format_datetime
from shared.domain.events import LiveAction, LiveEntity

log = logging.getLogger(__name__)

QUEUE_SIZE = 4096
"""Frames buffered per stream; a client that falls this far behind is disconnected."""
READY_TIMEOUT_SECONDS = 10.0
"""How long a new stream waits for the LISTEN connection before answering 503."""
HEALTH_CHECK_SECONDS = 30.0
"""Idle time after which the listener probes its connection (finds half-open sockets)."""
BACKOFF_MIN_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0

# The names live in shared/domain so the desktop reloads on exactly what is published here.
ENTITIES: Final = frozenset(entity.value for entity in LiveEntity)
ACTIONS: Final = frozenset(action.value for action in LiveAction)


class _Closed:
    """Queue sentinel: the stream ends."""


CLOSED: Final = _Closed()
Item = bytes | _Closed


class EventsUnavailable(Exception):
    """The broker is shutting down or cannot reach the database."""


class ChangeWatcher(Protocol):
    """An in-process cache that the change notices keep correct (``EventBroker.watch``).

    Both methods run on the listener thread and must be quick and must not block.
    """

    def changed(self, entity: str, entity_id: int) -> None:
        """A write to ``entity`` ``entity_id`` committed (in any process)."""

    def listening(self, connected: bool) -> None:
        """The LISTEN connection came up or went away: notices may have been missed, so a
        cache drops what it holds either way, and keeps nothing while it is down."""


_BROKERS: weakref.WeakKeyDictionary[Engine, EventBroker] = weakref.WeakKeyDictionary()


def broker_for(engine: Engine) -> EventBroker | None:
    """The broker of the app that serves requests with ``engine`` (None outside an app)."""
    return _BROKERS.get(engine)


Watcher = TypeVar("Watcher", bound=ChangeWatcher)


class WatchersPerEngine(Generic[Watcher]):
    """One in-process cache per database engine, told about every change from its creation
    on by that engine's broker (the principal cache, the scheduling cache). Outside an app
    (no broker) a cache is never told it is listening, so it keeps nothing."""

    def __init__(self, make: Callable[[], Watcher]) -> None:
        self._make = make
        self._watchers: weakref.WeakKeyDictionary[Engine, Watcher] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, engine: Engine) -> Watcher | None:
        """The engine's cache if it has one already."""
        return self._watchers.get(engine)

    def for_engine(self, engine: Engine) -> Watcher:
        """The engine's cache, made (and registered with its broker) on first use."""
        watcher = self._watchers.get(engine)
        if watcher is not None:
            return watcher
        with self._lock:
            watcher = self._watchers.get(engine)
            if watcher is None:
                watcher = self._watchers[engine] = self._make()
                broker = broker_for(engine)
                if broker is not None:
                    broker.watch(watcher)
        return watcher

    def all(self) -> list[Watcher]:
        return list(self._watchers.values())


def render_frame(payload: str, tz: tzinfo) -> bytes | None:
    """The SSE frame for one ``pg_notify`` payload, or None when it is not a valid notice."""
    try:
        raw = orjson.loads(payload)
        entity, entity_id, action = raw["entity"], raw["id"], raw["action"]
        at = datetime.fromisoformat(raw["at"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    if (
        entity not in ENTITIES
        or action not in ACTIONS
        or not isinstance(entity_id, int)
        or isinstance(entity_id, bool)
        or at.tzinfo is None
    ):
        return None
    data = orjson.dumps(
        {"entity": entity, "id": entity_id, "action": action, "at": format_datetime(at, tz)}
    )
    return b"event: change\ndata: " + data + b"\n\n"


class Subscription:
    """One open stream: a bounded queue on the loop that serves the stream."""

    def __init__(self, broker: EventBroker, loop: asyncio.AbstractEventLoop) -> None:
        self._broker = broker
        self.loop = loop
        self._queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._ready = asyncio.Event()
        self.closed = False
        self.overflowed = False

    # The methods below run on ``self.loop`` only.

    def _mark_ready(self) -> None:
        self._ready.set()

    def _offer(self, frame: bytes) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.overflowed = True
            log.info("event stream fell %d notices behind; disconnecting it", QUEUE_SIZE)
            self.close()

    def close(self) -> None:
        """End the stream (idempotent); queued notices are dropped."""
        if self.closed:
            return
        self.closed = True
        self._broker._discard(self)
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(CLOSED)
        self._ready.set()

    async def wait_ready(self, timeout: float) -> bool:
        """True once the listener is connected (notices from now on arrive)."""
        try:
            async with asyncio.timeout(timeout):
                await self._ready.wait()
        except TimeoutError:
            return False
        return not self.closed

    async def get(self, timeout: float) -> Item | None:
        """The next frame, ``CLOSED``, or None after ``timeout`` seconds without one."""
        if timeout <= 0:
            return None
        try:
            async with asyncio.timeout(timeout):
                return await self._queue.get()
        except TimeoutError:
            return None


class EventBroker:
    """The process-wide LISTEN connection and the set of open streams of one app."""

    def __init__(self, engine: Engine, tz: tzinfo) -> None:
        _, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters map, not a libpq parameter
        self._connect_params: dict[str, Any] = {
            **params,
            "connect_timeout": 5,
            "application_name": "praxi-events",
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        self._tz = tz
        self._lock = threading.Lock()
        self._subscribers: set[Subscription] = set()
        self._connected = False
        self._closing = False
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._watchers: list[ChangeWatcher] = []
        _BROKERS[engine] = self

    # -- in-process caches ---------------------------------------------------------------

    def watch(self, watcher: ChangeWatcher) -> None:
        """Tell ``watcher`` about every committed change from now on and start listening
        (caches need the listener even while no stream is open)."""
        with self._lock:  # under the lock: the watcher sees the connection changes in order
            self._watchers.append(watcher)
            if self._connected:
                watcher.listening(True)
            self._ensure_started()

    def _tell_watchers(self, payload: str) -> None:
        try:
            raw = orjson.loads(payload)
            entity, entity_id = raw["entity"], raw["id"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return
        if isinstance(entity, str) and isinstance(entity_id, int):
            for watcher in self._watchers:
                watcher.changed(entity, entity_id)

    # -- subscribers -------------------------------------------------------------------

    async def subscribe(self, timeout: float = READY_TIMEOUT_SECONDS) -> Subscription:
        """Register a stream and wait until the LISTEN connection is up.

        Once this returns, every write committed afterwards reaches the subscription.
        """
        subscription = Subscription(self, asyncio.get_running_loop())
        with self._lock:
            if self._closing:
                raise EventsUnavailable("the server is shutting down")
            self._subscribers.add(subscription)
            if self._connected:
                subscription._mark_ready()
            self._ensure_started()
        if not await subscription.wait_ready(timeout):
            subscription.close()
            raise EventsUnavailable("the change listener is not connected")
        return subscription

    def _discard(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(subscription)

    def _each_loop(
        self, subscribers: list[Subscription], action: Callable[[Subscription], None]
    ) -> None:
        """Run ``action`` for each subscriber on its own loop (one wake-up per loop)."""
        by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
        for subscription in subscribers:
            by_loop.setdefault(subscription.loop, []).append(subscription)
        for loop, group in by_loop.items():

            def run(group: list[Subscription] = group) -> None:
                for subscription in group:
                    action(subscription)

            try:
                loop.call_soon_threadsafe(run)
            except RuntimeError:  # that loop is closed: its streams are gone
                with self._lock:
                    self._subscribers.difference_update(group)

    def _dispatch(self, payload: str) -> None:
        if self._watchers:
            self._tell_watchers(payload)
        frame = render_frame(payload, self._tz)
        if frame is None:
            log.warning("ignoring a malformed notice on %s: %.200r", CHANNEL, payload)
            return
        with self._lock:
            subscribers = list(self._subscribers)
        self._each_loop(subscribers, lambda subscription: subscription._offer(frame))

    def _set_connected(self, connected: bool) -> None:
        with self._lock:
            self._connected = connected
            subscribers = list(self._subscribers)
            for watcher in self._watchers:
                watcher.listening(connected)
        if connected:
            self._each_loop(subscribers, Subscription._mark_ready)
        else:
            self._each_loop(subscribers, Subscription.close)

    def close_streams(self) -> None:
        """End every open stream (server shutdown); new ones are refused from now on."""
        with self._lock:
            self._closing = True
            subscribers = list(self._subscribers)
        self._each_loop(subscribers, Subscription.close)

    # -- the listener thread -------------------------------------------------------------

    def _ensure_started(self) -> None:
        """Start the listener thread (caller holds the lock)."""
        if self._thread is not None or self._closing:
            return
        self._thread = threading.Thread(target=self._run_thread, name="praxi-events", daemon=True)
        self._thread.start()

    def _run_thread(self) -> None:
        loop = asyncio.SelectorEventLoop()
        try:
            with self._lock:
                if self._closing:
                    return
                self._loop = loop
                self._task = loop.create_task(self._listen_forever())
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
        finally:
            with self._lock:
                self._loop = None
            loop.close()

    async def _listen_forever(self) -> None:
        backoff = BACKOFF_MIN_SECONDS
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    autocommit=True, **self._connect_params
                )
            except psycopg.Error as exc:
                log.warning("events: cannot connect to the database (%s); retrying", exc)
            else:
                try:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True)
                    backoff = BACKOFF_MIN_SECONDS
                    log.info("events: listening on %s", CHANNEL)
                    while True:
                        async for notify in connection.notifies(timeout=HEALTH_CHECK_SECONDS):
                            self._dispatch(notify.payload)
                        await connection.execute("SELECT 1")
                except psycopg.Error as exc:
                    log.warning("events: lost the database connection (%s); reconnecting", exc)
                except Exception:  # never let a bug end live updates for good
                    log.exception("events: listener failed; reconnecting")
                finally:
                    self._set_connected(False)
                    await connection.close()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)

    async def aclose(self) -> None:
        """Close all streams, cancel the listener and close its connection."""
        self.close_streams()
        with self._lock:
            thread, loop, task = self._thread, self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop already finished
                loop.call_soon_threadsafe(task.cancel)
        if thread is not None:
            await asyncio.to_thread(thread.join, STOP_TIMEOUT_SECONDS)
            if thread.is_alive():
                log.warning("events: the listener thread did not stop in time")

    # -- lifespan ------------------------------------------------------------------------

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The app's lifespan: end streams on a shutdown signal, stop the listener after.

        uvicorn waits for open responses to finish before it runs the lifespan shutdown, and
        an event stream never finishes on its own; so the signal that starts a shutdown ends
        the streams first (the handler chains to uvicorn's own).
        """
        restore = _chain_exit_signals(asyncio.get_running_loop(), self.close_streams)
        with self._lock:
            # Listen from the start (in the background): the in-process caches that watch the
            # notices (``watch``) work only while the listener is connected.
            self._ensure_started()
        try:
            yield
        finally:
            restore()
            await self.aclose()


_Handler = Callable[[int, FrameType | None], Any]


def _exit_signals() -> list[signal.Signals]:
    names = ("SIGINT", "SIGTERM", "SIGBREAK")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


def _chain_exit_signals(
    loop: asyncio.AbstractEventLoop, on_exit: Callable[[], None]
) -> Callable[[], None]:
    """Run ``on_exit`` on ``loop`` when a signal reaches a handler the server installed.

    Only Python handlers are chained (uvicorn's, while it serves); default handlers stay
    as they are. Off the main thread (test servers in threads) signals cannot be handled.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    installed: list[tuple[signal.Signals, _Handler, _Handler]] = []

    for sig in _exit_signals():
        previous = signal.getsignal(sig)
        if not callable(previous) or previous is signal.default_int_handler:
            continue

        def handler(
            signum: int,
            frame: FrameType | None,
            previous: _Handler = previous,
        ) -> None:
            # Only schedule here: a signal handler must not take locks the interrupted
            # code may hold.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(on_exit)
            previous(signum, frame)

        signal.signal(sig, handler)
        installed.append((sig, handler, previous))

    def restore() -> None:
        for sig, handler, previous in installed:
            if signal.getsignal(sig) is handler:
                signal.signal(sig, previous)

    return restore
