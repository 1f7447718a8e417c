"""Heute: the start page — the day at a glance, per role, live.

MFA and admin see the whole practice: today's appointments by status, the next patients, who
is waiting now and the longest wait, free slots left per doctor, today's operations by status
and who is absent. A doctor sees their own day (the server scopes the calendar and the flows):
next patients, who is waiting for them, their operations and appointments, their free slots.
Billing sees the counts only (no names).

Every figure comes from the server (``desktop.api.practice.load_today``), is reloaded on
every change notice that can move it, and every tile opens the screen it summarises
(``open_requested``: screen key and options such as the day or the doctor filter).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.api.client import ApiClient
from desktop.api.practice import TodayData, load_today
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import ACCENT, BASE, INK, INK_MUTED, RED
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus, OperationStatus

translate = QCoreApplication.translate

#: Changes that can move a figure of this page.
_RELEVANT = frozenset(
    {
        LiveEntity.APPOINTMENT,
        LiveEntity.OPERATION,
        LiveEntity.PATIENT_FLOW,
        LiveEntity.PATIENT,
        LiveEntity.DOCTOR_ABSENCE,
        LiveEntity.DOCTOR_BREAK,
        LiveEntity.DOCTOR_HOURS,
        LiveEntity.PRACTICE_HOURS,
        LiveEntity.USER,
        LiveEntity.WAITING_LIST_ENTRY,
        LiveEntity.WAITING_LIST_SLOT,
    }
)
#: Waiting times and free slots age without any change: refresh now and then.
REFRESH_MS = 60_000
WEEKDAYS = [
    QT_TRANSLATE_NOOP("TodayPage", "Montag"),
    QT_TRANSLATE_NOOP("TodayPage", "Dienstag"),
    QT_TRANSLATE_NOOP("TodayPage", "Mittwoch"),
    QT_TRANSLATE_NOOP("TodayPage", "Donnerstag"),
    QT_TRANSLATE_NOOP("TodayPage", "Freitag"),
    QT_TRANSLATE_NOOP("TodayPage", "Samstag"),
    QT_TRANSLATE_NOOP("TodayPage", "Sonntag"),
]
APPOINTMENT_LABELS = {
    AppointmentStatus.SCHEDULED: QT_TRANSLATE_NOOP("TodayPage", "geplant"),
    AppointmentStatus.CONFIRMED: QT_TRANSLATE_NOOP("TodayPage", "bestätigt"),
    AppointmentStatus.COMPLETED: QT_TRANSLATE_NOOP("TodayPage", "abgeschlossen"),
    AppointmentStatus.CANCELLED: QT_TRANSLATE_NOOP("TodayPage", "abgesagt"),
}
OPERATION_LABELS = {
    OperationStatus.PLANNED: QT_TRANSLATE_NOOP("TodayPage", "geplant"),
    OperationStatus.CONFIRMED: QT_TRANSLATE_NOOP("TodayPage", "bestätigt"),
    OperationStatus.RUNNING: QT_TRANSLATE_NOOP("TodayPage", "läuft"),
    OperationStatus.DONE: QT_TRANSLATE_NOOP("TodayPage", "fertig"),
    OperationStatus.CANCELLED: QT_TRANSLATE_NOOP("TodayPage", "abgesagt"),
}


class Tile(QFrame):
    """One figure with its title and details; a click (or Enter) opens the screen behind."""

    clicked = Signal()

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key = key
        self.setObjectName("todayTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(
            f"#todayTile {{ background: {BASE}; border: 1px solid #D9DEE4; border-radius: 8px; }}"
            f"#todayTile:focus {{ border: 2px solid {ACCENT}; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setStyleSheet(f"color: {INK_MUTED}; font-weight: 600; font-size: 11pt;")
        self.figure = QLabel("–")
        self.figure.setStyleSheet(f"color: {INK}; font-size: 28pt; font-weight: 700;")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setStyleSheet(f"color: {INK}; font-size: 10pt;")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.figure)
        layout.addWidget(self.detail, 1)
        self.setMinimumHeight(150)

    def show_values(self, figure: str, detail: str, *, alert: bool = False) -> None:
        self.figure.setText(figure)
        colour = RED if alert else INK
        self.figure.setStyleSheet(f"color: {colour}; font-size: 28pt; font-weight: 700;")
        self.detail.setText(detail)
        self.setAccessibleName(f"{self.title.text()}: {figure}")
        self.setAccessibleDescription(detail)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class TodayPage(QWidget):
    """The start page; ``reload()`` after it is shown, live afterwards."""

    #: screen key ("calendar", "patient_flow", "op_plan") and options ({"day": …, "doctor": …})
    open_requested = Signal(str, object)
    loaded = Signal()

    def __init__(
        self,
        ops: Ops,
        user: User,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.clock = clock or datetime.now
        self.data: TodayData | None = None
        self.loading = False
        self._pending = False
        self.opened = False
        self.is_doctor = user.role == "doctor"
        self.counts_only = user.role not in ("admin", "assistant", "doctor")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)
        self.heading = QLabel()
        self.heading.setStyleSheet(f"font-size: 16pt; font-weight: 700; color: {INK};")
        outer.addWidget(self.heading)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
        )
        self.message.hide()
        outer.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(12)
        outer.addLayout(grid)
        outer.addStretch(1)

        self.tiles: dict[str, Tile] = {}
        titles = self._tile_titles()
        columns = 4 if len(titles) > 6 else 3
        for key, title in titles:
            tile = Tile(key, title)
            tile.clicked.connect(lambda key=key: self._open(key))
            self.tiles[key] = tile
            index = len(self.tiles) - 1
            grid.addWidget(tile, index // columns, index % columns)

        self.ops.changed.connect(self._something_changed)
        self.ops.connection_restored.connect(self._reload_if_opened)
        self.refresher = QTimer(self)
        self.refresher.setInterval(REFRESH_MS)
        self.refresher.timeout.connect(self._reload_if_opened)
        self.refresher.start()
        self._show_heading()

    def _tile_titles(self) -> list[tuple[str, str]]:
        if self.counts_only:
            return [
                ("appointments", self.tr("Termine heute")),
                ("waiting", self.tr("Im Wartezimmer")),
                ("operations", self.tr("OPs heute")),
            ]
        if self.is_doctor:
            return [
                ("next", self.tr("Meine nächsten Patienten")),
                ("waiting", self.tr("Wartet auf mich")),
                ("operations", self.tr("Meine OPs heute")),
                ("appointments", self.tr("Meine Termine heute")),
                ("free", self.tr("Meine freien Termine")),
            ]
        return [
            ("appointments", self.tr("Termine heute")),
            ("next", self.tr("Nächste Patienten")),
            ("waiting", self.tr("Im Wartezimmer")),
            ("free", self.tr("Freie Termine heute")),
            ("operations", self.tr("OPs heute")),
            ("absent", self.tr("Abwesend")),
            ("waiting_list", self.tr("Warteliste")),
        ]

    @property
    def day(self) -> date:
        return self.clock().date()

    def _show_heading(self) -> None:
        day = self.day
        weekday = translate("TodayPage", WEEKDAYS[day.weekday()])
        self.heading.setText(self.tr("Heute, {0}, {1}").format(weekday, day.strftime("%d.%m.%Y")))

    # -- loading ------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.opened:
            self.reload()

    def _reload_if_opened(self) -> None:
        if self.opened:
            self.reload()

    def reload(self) -> None:
        self.opened = True
        if self.loading:
            self._pending = True
            return
        self.loading = True
        now = self.clock()
        own = self.user.id if self.is_doctor else None
        with_free = not self.counts_only
        with_waiting_list = "waiting_list" in self.tiles

        def work(api: ApiClient) -> TodayData:
            return load_today(
                api,
                now.date(),
                now.replace(tzinfo=None),
                own_doctor_id=own,
                with_free_slots=with_free,
                with_waiting_list=with_waiting_list,
            )

        self.ops.run(work, self).success(self._loaded).failure(self._failed).run()

    def _loaded(self, data: TodayData) -> None:
        self.loading = False
        if self._pending:
            self._pending = False
            self.reload()
            return
        self.data = data
        self.message.hide()
        self._show_heading()
        self._fill(data)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._pending = False
        self.message.setText(
            self.tr("Die Übersicht konnte nicht geladen werden: {0}").format(error)
        )
        self.message.show()

    def _something_changed(self, entity: str) -> None:
        if self.opened and entity in _RELEVANT:
            self.reload()

    # -- showing -----------------------------------------------------------------------------

    def _fill(self, data: TodayData) -> None:
        for key, tile in self.tiles.items():
            getattr(self, f"_fill_{key}")(tile, data)

    def _fill_appointments(self, tile: Tile, data: TodayData) -> None:
        parts = [
            f"{data.appointments[status]} {translate('TodayPage', label)}"
            for status, label in APPOINTMENT_LABELS.items()
        ]
        tile.show_values(str(data.appointment_total), " · ".join(parts))

    def _fill_operations(self, tile: Tile, data: TodayData) -> None:
        parts = [
            f"{data.operations[status]} {translate('TodayPage', label)}"
            for status, label in OPERATION_LABELS.items()
            if data.operations[status] or status in (OperationStatus.PLANNED, OperationStatus.DONE)
        ]
        tile.show_values(str(data.operation_total), " · ".join(parts))

    def _fill_next(self, tile: Tile, data: TodayData) -> None:
        if not data.next_patients:
            tile.show_values("0", self.tr("Heute kommt niemand mehr."))
            return
        lines = [
            f"{p.start:%H:%M}  {p.patient}" + ("" if self.is_doctor else f" – {p.doctor}")
            for p in data.next_patients
        ]
        tile.show_values(str(len(data.next_patients)), "\n".join(lines))

    def _fill_waiting(self, tile: Tile, data: TodayData) -> None:
        count = len(data.waiting)
        longest = data.longest_wait
        detail = (
            self.tr("Längste Wartezeit: {0} min").format(longest)
            if longest is not None
            else self.tr("Niemand wartet.")
        )
        if not self.counts_only:
            names = [
                (f"{flow.call_number}  " if flow.call_number else "") + flow.patient
                for flow in sorted(data.waiting, key=lambda f: f.arrival or f.changed_at)[:5]
            ]
            detail = "\n".join([detail, *names])
        tile.show_values(str(count), detail, alert=longest is not None and longest >= 30)

    def _fill_free(self, tile: Tile, data: TodayData) -> None:
        total = sum(slot.free for slot in data.free_slots)
        lines = [
            self.tr("{0}: {1} × 30 min").format(slot.name, slot.free) for slot in data.free_slots
        ]
        tile.show_values(str(total), "\n".join(lines) or self.tr("Keine Sprechstunde mehr."))

    def _fill_absent(self, tile: Tile, data: TodayData) -> None:
        detail = "\n".join(data.absent) if data.absent else self.tr("Alle Ärzte sind da.")
        tile.show_values(str(len(data.absent)), detail)

    def _fill_waiting_list(self, tile: Tile, data: TodayData) -> None:
        counts = data.waiting_list
        if counts is None:
            tile.show_values("–", self.tr("Die Warteliste ist nicht erreichbar."))
            return
        detail = self.tr("{0} wartend · {1} angeboten · {2} dringend").format(
            counts.waiting, counts.offered, counts.urgent
        )
        if counts.open_slots:
            detail += "\n" + self.tr("{0} frei gewordene Termine mit Kandidaten").format(
                counts.open_slots
            )
        tile.show_values(str(counts.open), detail)

    # -- navigation ---------------------------------------------------------------------------

    def _open(self, key: str) -> None:
        day = self.day
        doctor = self.user.display_name if self.is_doctor else None
        if key in ("next", "waiting"):
            self.open_requested.emit("patient_flow", {"doctor": doctor})
        elif key == "operations":
            self.open_requested.emit("op_plan", {"day": day})
        elif key == "waiting_list":
            self.open_requested.emit("waiting_list", {})
        else:  # appointments, free slots, absences: the day in the calendar
            self.open_requested.emit("calendar", {"day": day, "mode": "day"})
