"""Patientenfluss: one column per status, cards with a live timer, drag to the next status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import AMBER, RED, text_on
from desktop.views.patient_flow.model import LABELS, STATUSES, FlowCard

AMBER_KEY = "patient_flow/amber_minutes"
RED_KEY = "patient_flow/red_minutes"
BOARD_STYLE = (
    "#flowCard { background: #FFFFFF; border: 1px solid #D9DEE4; border-radius: 6px; }"
    f'#flowCard[level="amber"] {{ border: 2px solid {AMBER}; }}'
    f'#flowCard[level="red"] {{ border: 2px solid {RED}; }}'
    "#flowName { font-weight: 600; }"
    "#flowDetail { color: #52606D; }"
)


def explain(error: Exception) -> str:
    """German message plus the server's own words (e.g. ``Ungültiger Übergang …``)."""
    text = str(error)
    if isinstance(error, ApiError) and isinstance(error.body, dict):
        words: list[str] = []
        for value in error.body.values():
            items = value if isinstance(value, list) else [value]
            words.extend(str(v) for v in items if v and str(v) not in text)
        if words:
            text = f"{text} ({' '.join(words)})"
    return text


class Card(QFrame):
    """One patient; press, move and release over another column to change the status."""

    def __init__(self, card: FlowCard, board: PatientFlowPage) -> None:
        super().__init__()
        self.card = card
        self.board = board
        self._press: QPoint | None = None
        self.setObjectName("flowCard")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setAccessibleName(f"{card.patient}, {LABELS.get(card.status, card.status)}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        name = QLabel(card.patient)
        name.setObjectName("flowName")
        name.setWordWrap(True)
        layout.addWidget(name)
        when = f"{card.start:%H:%M}" if card.start else "–"
        kind = ("OP " if card.is_operation else "") + (card.kind or "")
        layout.addWidget(QLabel(f"{when} · {kind}".strip(" ·")))
        place = " · ".join(p for p in (card.doctor, card.room) if p)
        if place:
            detail = QLabel(place)
            detail.setObjectName("flowDetail")
            detail.setWordWrap(True)
            layout.addWidget(detail)
        self.timer = QLabel()
        self.timer.setAccessibleName("Zeit im Status")
        layout.addWidget(self.timer)
        self.level = ""
        self.setProperty("level", "ok")

    def _style(self, level: str) -> None:
        """Border by level through a dynamic property (one page-wide style sheet, fast)."""
        self.setProperty("level", level or "ok")
        style = self.style()
        style.unpolish(self)
        style.polish(self)

    def refresh_timer(self, now: datetime, amber: int, red: int) -> None:
        minutes = max(0, int((now - self.card.changed_at).total_seconds() // 60))
        hours, rest = divmod(minutes, 60)
        text = f"{hours} h {rest:02d} min" if hours else f"{rest} min"
        level = "red" if minutes >= red else "amber" if minutes >= amber else ""
        if self.card.status == "done":
            level = ""
        color = {"amber": "#8A6100", "red": RED}.get(level, "#52606D")
        self.timer.setText(f"<span style='color:{color}'>{text} im Status</span>")
        if level != self.level:
            self.level = level
            self._style(level)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None:
            self.board.hover(self.mapToGlobal(event.position().toPoint()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, self._press = self._press, None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.board.hover(None)
        if press is None:
            return
        position = event.position().toPoint()
        if (position - press).manhattanLength() < QApplication.startDragDistance():
            return
        target = self.board.column_at(self.mapToGlobal(position))
        if target is not None and target != self.card.status:
            self.board.move_card(self.card.id, target)


class Column(QFrame):
    def __init__(self, status: str, label: str, color: str) -> None:
        super().__init__()
        self.status = status
        self.setObjectName("flowColumn")
        self._normal = "#flowColumn { background: #F3F5F8; border-radius: 6px; }"
        self._hover = (
            "#flowColumn { background: #E3ECF7; border: 2px dashed #2F6FB2; border-radius: 6px; }"
        )
        self.setStyleSheet(self._normal)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)
        self.header = QLabel()
        background = QColor(color)
        self.header.setStyleSheet(
            f"background: {color}; color: {text_on(background).name()}; font-weight: 700;"
            " padding: 6px; border-radius: 4px;"
        )
        self.label = label
        outer.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea { background: transparent; }")
        inner = QWidget()
        inner.setStyleSheet("background: transparent;")
        self.cards_layout = QVBoxLayout(inner)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.cards: list[Card] = []
        self.set_count()

    def set_count(self) -> None:
        self.header.setText(f"{self.label} ({len(self.cards)})")
        self.setAccessibleName(f"{self.label}, {len(self.cards)} Patienten")

    def add(self, card: Card) -> None:
        self.cards.append(card)
        self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        self.set_count()

    def take(self, card: Card) -> None:
        if card in self.cards:
            self.cards.remove(card)
            self.cards_layout.removeWidget(card)
            self.set_count()

    def clear(self) -> None:
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        self.set_count()

    def highlight(self, on: bool) -> None:
        self.setStyleSheet(self._hover if on else self._normal)


class PatientFlowPage(QWidget):
    message_shown = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        ops: Ops,
        user: User,
        clock: Callable[[], datetime] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.clock = clock or datetime.now
        self.settings = settings or QSettings()
        self.loading = False
        self.flows: list[FlowCard] = []
        self.cards: dict[int, Card] = {}
        self._pending_reload = False
        self.opened = False
        self._hovered: Column | None = None

        self.setStyleSheet(BOARD_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        bar = QHBoxLayout()
        title = QLabel(self.tr("Patientenfluss"))
        title.setStyleSheet("font-size: 12pt; font-weight: 700;")
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Arzt")))
        self.doctor_filter = QComboBox()
        self.doctor_filter.setAccessibleName(self.tr("Nach Arzt filtern"))
        bar.addWidget(self.doctor_filter)
        bar.addWidget(QLabel(self.tr("Raum")))
        self.room_filter = QComboBox()
        self.room_filter.setAccessibleName(self.tr("Nach Raum filtern"))
        bar.addWidget(self.room_filter)
        outer.addLayout(bar)
        for combo in (self.doctor_filter, self.room_filter):
            combo.addItem(self.tr("Alle"), "")
            combo.setMinimumWidth(160)
            combo.currentIndexChanged.connect(lambda _=0: self._fill())

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
        )
        self.message.hide()
        outer.addWidget(self.message)

        columns = QHBoxLayout()
        columns.setSpacing(8)
        self.columns: dict[str, Column] = {}
        for status, label, color in STATUSES:
            column = Column(status, self.tr(label), color)
            self.columns[status] = column
            columns.addWidget(column, 1)
        outer.addLayout(columns, 1)

        self.ops.changed.connect(self._something_changed)
        self.ticker = QTimer(self)
        self.ticker.setInterval(15_000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

    # -- thresholds -----------------------------------------------------------------------

    def thresholds(self) -> tuple[int, int]:
        def read(key: str, default: int) -> int:
            try:
                return int(str(self.settings.value(key, default)))
            except (TypeError, ValueError):
                return default

        return read(AMBER_KEY, 15), read(RED_KEY, 30)

    def tick(self) -> None:
        """Labels only, no requests."""
        now = self.clock()
        amber, red = self.thresholds()
        for card in self.cards.values():
            card.refresh_timer(now, amber, red)

    # -- loading --------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.opened and not self.loading:
            self.reload()

    def reload(self) -> None:
        self.opened = True
        if self.loading:
            self._pending_reload = True
            return
        self.loading = True

        def work(api: ApiClient) -> list[FlowCard]:
            return [FlowCard.from_api(body) for body in api.get("/api/patient-flow/live/")]

        self.ops.run(work, parent=self).success(self._loaded).failure(self._failed).run()

    def _loaded(self, flows: list[FlowCard]) -> None:
        self.loading = False
        if self._pending_reload:
            self._pending_reload = False
            self.reload()
        self.flows = flows
        self._fill_filters()
        self._fill()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._pending_reload = False
        self.show_message(explain(error))

    def _fill_filters(self) -> None:
        for combo, values in (
            (self.doctor_filter, sorted({f.doctor for f in self.flows if f.doctor})),
            (self.room_filter, sorted({f.room for f in self.flows if f.room})),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Alle"), "")
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _fill(self) -> None:
        doctor = self.doctor_filter.currentData() or ""
        room = self.room_filter.currentData() or ""
        for column in self.columns.values():
            column.clear()
        self.cards = {}
        for flow in self.flows:
            if doctor and flow.doctor != doctor:
                continue
            if room and flow.room != room:
                continue
            card = Card(flow, self)
            self.cards[flow.id] = card
            self.columns.get(flow.status, self.columns["registered"]).add(card)
        self.tick()

    def _something_changed(self, entity: str) -> None:
        # Never opened yet: nothing to refresh (the first show loads).
        if self.opened and entity in ("patient_flow", "appointment", "operation", "patient"):
            self.reload()

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)
        QTimer.singleShot(8000, self.message.hide)

    # -- dragging -------------------------------------------------------------------------

    def column_at(self, global_pos: QPoint) -> str | None:
        for status, column in self.columns.items():
            if column.rect().contains(column.mapFromGlobal(global_pos)):
                return status
        return None

    def hover(self, global_pos: QPoint | None) -> None:
        target = self.column_at(global_pos) if global_pos is not None else None
        column = self.columns.get(target) if target else None
        if column is not self._hovered:
            if self._hovered is not None:
                self._hovered.highlight(False)
            if column is not None:
                column.highlight(True)
            self._hovered = column

    def move_card(self, flow_id: int, status: str) -> None:
        """Optimistic placement; the server decides, a refusal puts the card back."""
        card = self.cards.get(flow_id)
        if card is None:
            return
        origin = card.card.status
        self.columns[origin].take(card)
        self.columns[status].add(card)

        def refused(error: Exception) -> None:
            if self.cards.get(flow_id) is card:
                self.columns[status].take(card)
                self.columns[origin].add(card)
            self.show_message(self.tr("Statuswechsel abgelehnt: {0}").format(explain(error)))

        def accepted(_: Any) -> None:
            card.card.status = status

        self.ops.run(
            lambda api: api.patch(f"/api/patient-flow/{flow_id}/status/", {"status": status}),
            parent=self,
        ).changes("patient_flow").success(accepted).failure(refused).run()
