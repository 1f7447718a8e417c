"""Live updates: one ``GET /api/events/`` subscription per signed-in session (00 §11).

The stream is read with httpx in a thread of its own (a read blocks for up to the 15 s ping
interval, far too long for the UI thread or the shared worker pool). Every ``event: change``
becomes a Qt signal delivered on the UI thread and is fed into ``Ops.changed``, the one
"something changed" notification every view already listens to; changes that arrive in a
burst are coalesced per entity so a view reloads once, not once per row.

The server sends no replay: notices missed while disconnected are gone. So after every
reconnect — a dropped stream, a server restart, or the normal end of the stream when the
access token that opened it expires — all entities are announced as changed and every view
reloads. Reconnects back off exponentially (0.25 s … 10 s) while the server is unreachable.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import socket
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, AuthRequired, ConnectionLost
from desktop.ops import Ops
from shared.domain.events import LiveEntity

log = logging.getLogger("praxi.desktop.live")

PATH = "/api/events/"
#: Every entity the server announces (00 §11); a reload after reconnecting covers them all.
ENTITIES: tuple[str, ...] = tuple(entity.value for entity in LiveEntity)
#: The server pings every 15 s; three missed pings mean the connection is dead.
READ_TIMEOUT_S = 45.0
#: How long notices are collected before views hear of them (one reload per burst).
COALESCE_MS = 40


@dataclass(frozen=True)
class Change:
    entity: str
    id: int
    action: str
    at: str


def parse_events(lines: Iterator[str]) -> Iterator[Change | None]:
    """SSE lines → changes; ``None`` for a keep-alive comment (``: ping``)."""
    event = ""
    data: list[str] = []
    for line in lines:
        if line == "":
            if event == "change" and data:
                try:
                    body = json.loads("\n".join(data))
                    yield Change(
                        str(body["entity"]), int(body["id"]), str(body["action"]), str(body["at"])
                    )
                except (ValueError, KeyError, TypeError):
                    log.warning("ignoring a malformed live event: %.200r", data)
            event, data = "", []
        elif line.startswith(":"):
            yield None
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)


class _Stopped(Exception):
    pass


class _Forbidden(Exception):
    """This role may not subscribe (00 §11): live updates stay off for the session."""


class _Bridge(QObject):
    """Worker → UI thread, for every session: lives as long as the application.

    Emitting a signal of a session's own object from the worker raced with that object's
    deletion at sign-out; this object is never deleted before the application, and it routes
    each notice to its subscription only while that still exists.
    """

    delivered = Signal(int, str, object)  # subscription key, "notice"/"state", arguments

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.subscriptions: dict[int, weakref.ref[LiveEvents]] = {}
        self.delivered.connect(self._route)

    @Slot(int, str, object)
    def _route(self, key: int, kind: str, args: tuple[Any, ...]) -> None:
        ref = self.subscriptions.get(key)
        target = ref() if ref is not None else None
        if target is None or not shiboken6.isValid(target):
            self.subscriptions.pop(key, None)
            return
        target._receive(kind, args)


_BRIDGE: _Bridge | None = None
_KEYS = itertools.count(1)


def _bridge() -> _Bridge:
    """The application's bridge (created on the UI thread by the first subscription)."""
    global _BRIDGE
    if _BRIDGE is None or not shiboken6.isValid(_BRIDGE):
        _BRIDGE = _Bridge(QCoreApplication.instance())
    return _BRIDGE


def _register(live: LiveEvents) -> int:
    key = next(_KEYS)
    _bridge().subscriptions[key] = weakref.ref(live)
    return key


class LiveEvents(QObject):
    """The events subscription of one session; ``start()`` after sign-in, ``stop()`` after."""

    #: One notice, on the UI thread: entity, id, action.
    change = Signal(str, int, str)
    #: The stream is open (True) or not (False).
    state_changed = Signal(bool)
    #: Reconnected after a gap: every view should reload (no replay).
    resynced = Signal()

    def __init__(
        self, client: ApiClient, ops: Ops | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.ops = ops
        self.connected = False
        self.min_backoff_s = 0.25
        self._max_backoff_s = 10.0
        self._thread: threading.Thread | None = None
        self._worker: _Worker | None = None
        self._pending: set[str] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(COALESCE_MS)
        self._flush.timeout.connect(self._announce)
        self._key = _register(self)

    # -- lifecycle (UI thread) ---------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        worker = _Worker(self.client, self._key, self.min_backoff_s, self.max_backoff_s)
        self._worker = worker
        self._thread = threading.Thread(target=worker.run, name="praxi-live", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the subscription; returns at once (the thread finishes on its own)."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        self._thread = None
        if self.connected:
            self._set_state(False, False)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def max_backoff_s(self) -> float:
        """Longest wait between reconnect attempts (tests shorten it while running)."""
        return self._max_backoff_s

    @max_backoff_s.setter
    def max_backoff_s(self, seconds: float) -> None:
        self._max_backoff_s = seconds
        if self._worker is not None:
            self._worker.max_backoff_s = seconds

    # -- UI thread ----------------------------------------------------------------------------

    def _receive(self, kind: str, args: tuple[Any, ...]) -> None:
        if kind == "notice":
            self._deliver(*args)
        else:
            self._set_state(*args)

    @Slot(object)
    def _deliver(self, change: Change) -> None:
        self.change.emit(change.entity, change.id, change.action)
        self._pending.add(change.entity)
        if not self._flush.isActive():
            self._flush.start()

    def _announce(self) -> None:
        pending, self._pending = self._pending, set()
        if self.ops is not None and shiboken6.isValid(self.ops):
            for entity in sorted(pending):
                self.ops.changed.emit(entity)

    @Slot(bool, bool)
    def _set_state(self, connected: bool, after_gap: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.state_changed.emit(connected)
        if connected and after_gap:
            self._pending.update(ENTITIES)
            self._flush.start(0)
            self.resynced.emit()

    # -- worker thread ------------------------------------------------------------------------


class _Worker:
    """The stream reader (its own thread). It never touches the session's Qt objects: notices
    go through the application-wide :class:`_Bridge`, which outlives every session. It holds
    the client only weakly and only for single calls: the client refers to the session, and
    the last reference to a Qt object dropped in this thread would destroy it here, off the
    UI thread."""

    def __init__(
        self,
        client: ApiClient,
        key: int,
        min_backoff_s: float,
        max_backoff_s: float,
    ) -> None:
        self._client_ref = weakref.ref(client)
        self._key = key
        self._bridge = _bridge()
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None

    def _client(self) -> ApiClient | None:
        """The session's client while it is open (held only for one short call at a time)."""
        client = self._client_ref()
        # ApiClient.close() at the end of a session closes its httpx client; stop with it.
        http = getattr(client, "_http", None)
        if client is None or bool(getattr(http, "is_closed", False)):
            return None
        return client

    def _client_closed(self) -> bool:
        return self._client() is None

    def stop(self) -> None:
        """Ask the reader to end; it closes its own connection.

        An open stream's socket is shut down, which wakes a blocked ``recv()`` at once. A
        request still waiting for its response headers is left alone: the reader checks the
        flag as soon as they arrive (milliseconds). Closing its httpx client from this thread
        instead closed the socket's descriptor under the blocked ``recv()``, which does not
        wake it on Linux, so the reader hung until its 45 s read timeout.
        """
        self._stop.set()
        with self._lock:
            sock, self._socket = self._socket, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _post(self, kind: str, *args: Any) -> None:
        self._bridge.delivered.emit(self._key, kind, args)

    def run(self) -> None:
        stop = self._stop
        backoff = self.min_backoff_s
        opened_before = False
        while not stop.is_set() and not self._client_closed():
            try:
                opened_before = self._stream_once(stop, opened_before) or opened_before
                backoff = self.min_backoff_s  # the server answered: reconnect promptly
                continue
            except _Stopped:
                break
            except _Forbidden:
                log.info("live updates are not available for this role")
                break
            except AuthRequired:
                # Signed out or the session died: the sign-in dialog is ops' business.
                # Wait for new tokens rather than hammering the server.
                self._wait_for_tokens(stop)
                continue
            except (httpx.HTTPError, ConnectionLost, ApiError) as exc:
                log.info("live stream unavailable (%s); retrying in %.2f s", exc, backoff)
            if stop.wait(backoff):
                break
            backoff = min(backoff * 2, self.max_backoff_s)
        self._post("state", False, False)

    def _wait_for_tokens(self, stop: threading.Event) -> None:
        while not stop.wait(0.5):
            client = self._client()
            if client is None or client.tokens is not None:
                return

    def _stream_once(self, stop: threading.Event, opened_before: bool) -> bool:
        """Open the stream and read it until it ends; True once it was open."""
        client = self._client()
        if client is None:
            raise _Stopped()
        tokens, base_url, tls = client.tokens, client.base_url, client.tls
        del client  # no reference while streaming (see the class docstring)
        if tokens is None:
            raise AuthRequired()
        http = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(10.0, connect=3.0, read=READ_TIMEOUT_S),
            verify=tls,  # the session's context: same trust as every other call
        )
        if stop.is_set():
            http.close()
            raise _Stopped()
        opened = False
        try:
            headers = {"Authorization": f"Bearer {tokens.access}", "Accept": "text/event-stream"}
            with http.stream("GET", PATH, headers=headers) as response:
                if response.status_code == 401:
                    # The access token ran out: one ordinary call refreshes it (with rotation).
                    client = self._client()
                    if client is None:
                        raise _Stopped()
                    client.get("/api/auth/me/")
                    return False
                if response.status_code != 200:
                    response.read()
                    error = ApiError(response.status_code, _json(response), "GET", PATH)
                    if response.status_code == 403:
                        raise _Forbidden() from error
                    raise error
                opened = True
                stream = response.extensions.get("network_stream")
                with self._lock:
                    self._socket = stream.get_extra_info("socket") if stream else None
                    if stop.is_set():
                        raise _Stopped()
                self._post("state", True, opened_before)
                for change in parse_events(response.iter_lines()):
                    if stop.is_set():
                        raise _Stopped()
                    if change is not None:
                        self._post("notice", change)
            return True
        except (_Forbidden, AuthRequired, ApiError):
            raise
        except Exception as exc:
            if stop.is_set():
                raise _Stopped() from exc  # stop() closed the connection under the reader
            if opened and isinstance(exc, httpx.HTTPError):
                return True  # the stream dropped: reconnect (and reload) at once
            raise
        finally:
            with self._lock:
                self._socket = None
            http.close()
            if opened and not stop.is_set():
                self._post("state", False, False)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
