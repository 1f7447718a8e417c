"""Background operations (Anki style): every server call runs on a worker thread.

    ops.run(lambda api: api.get("/api/appointments/", date="2027-01-18"), parent=self) \\
        .success(self._show).failure(self._complain)

``fn`` receives the :class:`ApiClient` and runs in ``QThreadPool``; ``success``/``failure``
callbacks run on the UI thread. Nothing touches widgets from a worker. Cross-cutting outcomes
are handled here once: a lost connection raises the banner and starts reconnect polling, a
dead session asks for a new sign-in and re-runs the interrupted operations afterwards, and a
successful write announces what changed (``Ops.changed``) so every view decides whether to
reload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, AuthRequired, ConnectionLost

log = logging.getLogger("praxi.desktop.ops")

Work = Callable[[ApiClient], Any]


class _Relay(QObject):
    """Lives on the UI thread; the worker emits ``finished`` and Qt queues the delivery.

    One relay per :class:`Ops` (not one per operation): an operation is deleted once it has
    delivered, and a per-operation relay connected to it made that deletion call back into an
    already released Python wrapper now and then (a crash inside ``QObject::~QObject``).
    """

    finished = Signal(object, object, object)  # Op, result, error


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, op: Op) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._op = op

    def run(self) -> None:
        op, self._op = self._op, None  # type: ignore[assignment]
        try:
            result = self._work()
        except BaseException as exc:
            self._relay.finished.emit(op, None, exc)
        else:
            self._relay.finished.emit(op, result, None)


class Op(QObject):
    """One background call with fluent callbacks; runs when ``run()`` is called."""

    def __init__(self, ops: Ops, work: Work, parent: QObject | None) -> None:
        super().__init__(ops)
        self._ops = ops
        self._work = work
        self._owner = parent
        self._on_success: list[Callable[[Any], None]] = []
        self._on_failure: list[Callable[[Exception], None]] = []
        self._changes: tuple[str, ...] = ()
        self._public = False

    def success(self, callback: Callable[[Any], None]) -> Op:
        """Add a callback for the result (callbacks run in the order they were added)."""
        self._on_success.append(callback)
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Op:
        """Add a callback for a failure; without any, the message goes to ``Ops.error``."""
        self._on_failure.append(callback)
        return self

    def changes(self, *entities: str) -> Op:
        """Entities this write changes; announced through ``Ops.changed`` on success."""
        self._changes = entities
        return self

    def public(self) -> Op:
        """No session needed (health, setup, login): never triggers the sign-in dialog."""
        self._public = True
        return self

    def run(self) -> Op:
        self._ops._started(self)
        client = self._ops.client
        work = self._work
        QThreadPool.globalInstance().start(_Runnable(lambda: work(client), self._ops._relay, self))
        return self

    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def _finished(self, result: Any, error: BaseException | None) -> None:
        self._ops._finished(self)
        try:
            self._deliver(result, error)
        finally:
            if self not in self._ops._waiting_for_login:
                self.deleteLater()

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        if error is None:
            self._ops._reachable()
            if self._changes:
                for entity in self._changes:
                    self._ops.changed.emit(entity)
            if self._owner_alive():
                for callback in self._on_success:
                    callback(result)
            return
        if isinstance(error, AuthRequired) and not self._public:
            self._ops._reachable()
            self._ops._needs_login(self)
            return
        if isinstance(error, ConnectionLost):
            self._ops._unreachable(error)
        elif isinstance(error, ApiError):
            self._ops._reachable()
        elif not isinstance(error, Exception):
            raise error
        else:
            if not isinstance(error, AuthRequired):
                log.exception("background operation failed", exc_info=error)
        if self._owner_alive():
            if self._on_failure:
                for handler in self._on_failure:
                    handler(error)
            elif not isinstance(error, ConnectionLost):
                self._ops.error.emit(str(error))


class Ops(QObject):
    """The app-wide background-operation hub (one per signed-in client)."""

    #: Something changed on the server through this client (entity name, e.g. "appointment").
    changed = Signal(str)
    #: The server cannot be reached (German message) / is reachable again.
    connection_lost = Signal(str)
    connection_restored = Signal()
    #: The session is gone; show the sign-in dialog, then call ``resume_after_login``.
    login_required = Signal()
    #: An error nobody handled (German message), for the status bar.
    error = Signal(str)
    #: Number of operations in flight changed.
    busy = Signal(int)

    def __init__(self, client: ApiClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.online = True
        self._running: set[Op] = set()
        self._waiting_for_login: list[Op] = []
        self.reconnect_interval_ms = 1500
        self._probe = QTimer(self)
        self._probe.setInterval(self.reconnect_interval_ms)
        self._probe.timeout.connect(self._probe_server)
        self._probing = False
        self._relay = _Relay(self)
        self._relay.finished.connect(self._delivered)

    def run(self, work: Work, parent: QObject | None = None) -> Op:
        """Create (not yet started) operation; chain callbacks, then ``.run()``."""
        return Op(self, work, parent)

    @Slot(object, object, object)
    def _delivered(self, op: Op, result: Any, error: BaseException | None) -> None:
        op._finished(result, error)

    def in_flight(self) -> int:
        return len(self._running)

    # -- bookkeeping, called by Op on the UI thread -----------------------------------------

    def _started(self, op: Op) -> None:
        self._running.add(op)
        self.busy.emit(len(self._running))

    def _finished(self, op: Op) -> None:
        self._running.discard(op)
        self.busy.emit(len(self._running))

    def _needs_login(self, op: Op) -> None:
        first = not self._waiting_for_login
        self._waiting_for_login.append(op)
        if first:
            self.login_required.emit()

    def resume_after_login(self) -> None:
        """Re-run every operation a dead session interrupted."""
        waiting, self._waiting_for_login = self._waiting_for_login, []
        for op in waiting:
            op.run()

    def drop_interrupted(self) -> None:
        """The user declined to sign in again: forget the interrupted operations."""
        waiting, self._waiting_for_login = self._waiting_for_login, []
        for op in waiting:
            op.deleteLater()

    def _unreachable(self, error: ConnectionLost) -> None:
        if self.online:
            self.online = False
            self.connection_lost.emit(str(error))
            self._probe.setInterval(self.reconnect_interval_ms)
            self._probe.start()

    def _reachable(self) -> None:
        if not self.online:
            self.online = True
            self._probe.stop()
            self.connection_restored.emit()

    def _probe_server(self) -> None:
        if self._probing:
            return
        self._probing = True

        def done(_: Any) -> None:
            self._probing = False

        def failed(_: Exception) -> None:
            self._probing = False

        self.run(lambda api: api.public("GET", "/api/health/")).public().success(done).failure(
            failed
        ).run()
