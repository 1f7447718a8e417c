"""Die Aufrufanzeige: a full-screen window for the waiting room.

It shows the number of the last call and its room large, the calls before it below, and —
if the practice wants it — chimes on every new call. It never shows a name: the server sends
numbers, rooms and times only (docs/call-up-display.md).

The calls come over ``/api/calls/stream/`` with the display's own token, read in a thread of
its own; each message carries the whole board, so after a network drop the display simply
reconnects (0.25 s … 5 s apart) and is complete with the first message.
"""

from __future__ import annotations

import logging
import threading
import time

import httpx
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.api.calls import CallBoard, DisplayConnection, DisplayRefused
from desktop.api.errors import ApiError, ConnectionLost

log = logging.getLogger("praxi.desktop.display")

BACKGROUND = "#0F2A44"
FOREGROUND = "#FFFFFF"
SOFT = "#C9D6E3"  # 9.9:1 on the background
HIGHLIGHT = "#FFD54F"  # 11:1 on the background
MIN_BACKOFF_S = 0.25
MAX_BACKOFF_S = 5.0
REFUSED_RETRY_S = 10.0


class _Relay(QObject):
    """Reader thread → UI thread (queued signals)."""

    board = Signal(object)
    state = Signal(str)


class _Reader:
    """Reads the stream until stopped; reconnects on its own after any failure."""

    def __init__(self, connection: DisplayConnection, relay: _Relay) -> None:
        self.connection = connection
        self.relay = relay
        self.stop_event = threading.Event()
        self.max_backoff_s = MAX_BACKOFF_S

    def run(self) -> None:
        backoff = MIN_BACKOFF_S
        while not self.stop_event.is_set():
            wait = backoff
            try:
                for board in self.connection.stream():
                    if self.stop_event.is_set():
                        return
                    if board is not None:
                        # "connected" first: a board on screen never sits under an offline
                        # notice (the two arrive in the UI thread in this order).
                        self.relay.state.emit("connected")
                        self.relay.board.emit(board)
                        backoff = MIN_BACKOFF_S
                wait = 0.0  # the stream ended normally (its lifetime): reconnect at once
            except DisplayRefused:
                self.relay.state.emit("refused")
                wait = REFUSED_RETRY_S
            except (httpx.HTTPError, ConnectionLost, ApiError, OSError, ValueError) as exc:
                if self.stop_event.is_set():
                    return
                log.info("call stream unavailable (%s); retrying in %.2f s", exc, backoff)
                self.relay.state.emit("offline")
                backoff = min(backoff * 2, self.max_backoff_s)
            if self.stop_event.wait(wait):
                return

    def stop(self) -> None:
        self.stop_event.set()
        self.connection.close()


class DisplayWindow(QWidget):
    """The waiting-room display; ``start()`` connects, ``stop()`` (or closing) ends it."""

    #: A board was shown (tests wait for it).
    shown = Signal(object)

    def __init__(self, connection: DisplayConnection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.board: CallBoard | None = None
        self.state = "connecting"
        self.chimes = 0
        #: monotonic time of the last board shown
        self.shown_at = 0.0
        self.setWindowTitle(self.tr("PraxiApp – Aufrufanzeige"))
        self.setObjectName("callDisplay")
        self.setStyleSheet(f"#callDisplay {{ background: {BACKGROUND}; }}")
        self.setAutoFillBackground(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 40, 60, 30)
        outer.setSpacing(10)
        self.title = QLabel(self.tr("Aufruf"))
        self.title.setStyleSheet(f"color: {SOFT}; font-size: 36pt; font-weight: 600;")
        outer.addWidget(self.title)
        self.number = QLabel("–")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet(f"color: {HIGHLIGHT}; font-size: 180pt; font-weight: 800;")
        self.number.setAccessibleName(self.tr("Aufgerufene Nummer"))
        outer.addWidget(self.number, 3)
        self.room = QLabel(self.tr("Bitte warten Sie, bis Ihre Nummer erscheint."))
        self.room.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.room.setWordWrap(True)
        self.room.setStyleSheet(f"color: {FOREGROUND}; font-size: 60pt; font-weight: 700;")
        self.room.setAccessibleName(self.tr("Raum"))
        outer.addWidget(self.room, 2)
        self.history_title = QLabel(self.tr("Zuletzt aufgerufen"))
        self.history_title.setStyleSheet(f"color: {SOFT}; font-size: 24pt; font-weight: 600;")
        outer.addWidget(self.history_title)
        row = QHBoxLayout()
        row.setSpacing(30)
        self.history: list[QLabel] = []
        for _ in range(9):
            label = QLabel()
            label.setStyleSheet(f"color: {FOREGROUND}; font-size: 30pt;")
            label.hide()
            self.history.append(label)
            row.addWidget(label)
        row.addStretch(1)
        outer.addLayout(row, 1)
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {SOFT}; font-size: 14pt;")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight)
        outer.addWidget(self.status)

        self._relay = _Relay(self)
        self._relay.board.connect(self._show_board)
        self._relay.state.connect(self._show_state)
        self._reader: _Reader | None = None
        self._thread: threading.Thread | None = None

    # -- connection ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        reader = _Reader(self.connection, self._relay)
        self._reader = reader
        self._thread = threading.Thread(target=reader.run, name="praxi-display", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        reader, thread = self._reader, self._thread
        self._reader = self._thread = None
        if reader is not None:
            reader.stop()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def max_backoff_s(self) -> float:
        return self._reader.max_backoff_s if self._reader else MAX_BACKOFF_S

    @max_backoff_s.setter
    def max_backoff_s(self, seconds: float) -> None:
        if self._reader is not None:
            self._reader.max_backoff_s = seconds

    # -- showing ------------------------------------------------------------------------------

    @Slot(object)
    def _show_board(self, board: CallBoard) -> None:
        previous = self.board.latest if self.board is not None else None
        self.board = board
        self.title.setText(board.title or self.tr("Aufruf"))
        latest = board.latest
        if latest is None:
            self.number.setText("–")
            self.room.setText(self.tr("Bitte warten Sie, bis Ihre Nummer erscheint."))
        else:
            self.number.setText(latest.number)
            self.room.setText(self.tr("→ {0}").format(latest.room))
        earlier = list(board.calls[1:])
        self.history_title.setVisible(bool(earlier))
        for label, entry in zip(self.history, earlier + [None] * len(self.history), strict=False):
            if entry is None:
                label.hide()
            else:
                label.setText(f"{entry.number} → {entry.room}")
                label.show()
        is_new = latest is not None and (previous is None or latest.id != previous.id)
        if is_new and board.chime and previous is not None:
            self.chimes += 1
            QApplication.beep()  # the bundle has no QtMultimedia; the system bell is enough
        self.shown_at = time.monotonic()
        self.shown.emit(board)

    @Slot(str)
    def _show_state(self, state: str) -> None:
        self.state = state
        texts = {
            "connected": "",
            "offline": self.tr("Verbindung unterbrochen – wird wiederhergestellt …"),
            "refused": self.tr("Der Zugang dieser Anzeige ist ungültig oder wurde widerrufen."),
        }
        self.status.setText(texts.get(state, ""))

    # -- window -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        if event.key() == Qt.Key.Key_F11:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().closeEvent(event)
