"""Patientenfluss: one column per status, cards with a live timer; a card moves on to the
next status by its button or by dragging it to another column (the server decides).

In front of the status columns, "Erwartet" lists today's appointments whose patient has not
arrived yet: "Patient ist da" (or dragging the card onto "Angemeldet") checks the patient in,
so the board fills from the day's appointments as patients arrive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QPoint,
    QRect,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import appointments, calls, patient_flow, practice, resources
from desktop.api.appointments import AppointmentRecord
from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.api.patient_flow import Flow, FlowRefused, status_label
from desktop.api.practice import PracticeSettings
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import AMBER, RED, text_on
from desktop.views.patient_flow.model import STATUSES
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus, PatientFlowStatus

translate = QCoreApplication.translate

# What the cards show: the visit itself and the appointment, OP and patient it names, and the
# minutes until amber/red, which come from the practice settings (issue 20).
_SHOWN_ENTITIES = frozenset(
    {
        LiveEntity.PATIENT_FLOW,
        LiveEntity.APPOINTMENT,
        LiveEntity.OPERATION,
        LiveEntity.PATIENT,
        LiveEntity.PRACTICE_SETTINGS,
    }
)
#: Statuses in which a patient can still be called into a room ("Aufrufen", issue 20).
CALLABLE = (
    PatientFlowStatus.REGISTERED,
    PatientFlowStatus.WAITING,
    PatientFlowStatus.PREPARING,
)
CARD_BORDER = {"": QColor("#D9DEE4"), "amber": QColor(AMBER), "red": QColor(RED)}
TIMER_COLOUR = {"": QColor("#52606D"), "amber": QColor("#8A6100"), "red": QColor(RED)}
NAME_COLOUR = QColor("#1F2933")
DETAIL_COLOUR = QColor("#52606D")


def explain(error: Exception) -> str:
    """German message plus the server's own words where they add something."""
    text = str(error)
    if isinstance(error, FlowRefused):
        return text  # already says it all, in the front desk's words
    if isinstance(error, ApiError) and isinstance(error.body, dict):
        words: list[str] = []
        for value in error.body.values():
            items = value if isinstance(value, list) else [value]
            words.extend(str(v) for v in items if v and str(v) not in text)
        if words:
            text = f"{text} ({' '.join(words)})"
    return text


class _CardFonts:
    """Regular and semi-bold font with their metrics, per base font (shared by all cards)."""

    cache: ClassVar[dict[str, tuple[QFont, QFont, QFontMetrics]]] = {}

    @classmethod
    def of(cls, base: QFont) -> tuple[QFont, QFont, QFontMetrics]:
        key = base.key()
        found = cls.cache.get(key)
        if found is None:
            bold = QFont(base)
            bold.setWeight(QFont.Weight.DemiBold)
            found = cls.cache[key] = (QFont(base), bold, QFontMetrics(bold))
        return found


class Card(QWidget):
    """One patient, painted in one go (no child labels, no style sheet: 200 cards stay
    cheap to build); its one button moves it on to the next status, and press, move and
    release over another column asks for that column's status."""

    PAD_X = 8
    PAD_Y = 6
    GAP = 2

    def __init__(self, card: Flow, board: PatientFlowPage) -> None:
        super().__init__()
        self.board = board
        self._press: QPoint | None = None
        self.level = ""
        #: The live timer line, e.g. "20 min im Status".
        self.timer_text = ""
        self._lines: list[str] = []
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        #: "→": on to the next status (the keyboard way, and the mouse way without dragging).
        self.next_button = QToolButton(self)
        self.next_button.setText("→")
        self.next_button.setAutoRaise(True)
        self.next_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.next_button.clicked.connect(self._next_clicked)
        #: "Aufrufen": call the patient into a room by number (the call-up display shows it).
        self.call_button = QToolButton(self)
        self.call_button.setText(translate("PatientFlowPage", "Aufrufen"))
        self.call_button.setAutoRaise(True)
        self.call_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.call_button.clicked.connect(lambda: self.board.choose_room(self))
        self.busy = False
        self.set_card(card)

    def set_card(self, card: Flow) -> None:
        """Show (new data of) a patient; the column placement is the board's job."""
        self.card = card
        label = status_label(card.status)
        number = f"{card.call_number} " if card.call_number else ""
        self.setAccessibleName(f"{number}{card.patient}, {label}")
        self.call_button.setVisible(card.status in CALLABLE and self.board.may_write(card))
        called = (
            translate("PatientFlowPage", "Aufgerufen in {0}").format(card.called_room)
            if card.called_room
            else translate("PatientFlowPage", "Nummer {0} aufrufen").format(card.call_number)
        )
        self.call_button.setToolTip(called)
        self.call_button.setAccessibleName(
            translate("PatientFlowPage", "{0} aufrufen").format(card.call_number or card.patient)
        )
        following = card.status.next
        self.next_button.setVisible(following is not None)
        if following is not None:
            hint = translate("PatientFlowPage", "Weiter: {0}").format(status_label(following))
            self.next_button.setToolTip(hint)
            self.next_button.setAccessibleName(hint)
        when = f"{card.start:%H:%M}" if card.start else "–"
        kind = ("OP " if card.is_operation else "") + (card.kind or "")
        place = " · ".join(p for p in (card.doctor, card.room) if p)
        name = f"{card.call_number} · {card.patient}" if card.call_number else card.patient
        lines = [name, f"{when} · {kind}".strip(" ·")] + ([place] if place else [])
        if len(lines) != len(self._lines):
            self._lines = lines
            self.updateGeometry()
        self._lines = lines
        self.setToolTip("\n".join(lines))
        self.update()

    @property
    def pressed(self) -> bool:
        return self._press is not None

    def _line_height(self) -> int:
        return _CardFonts.of(self.font())[2].height()

    def set_busy(self, busy: bool) -> None:
        """A move of this card is on its way to the server (no further one until it is)."""
        self.busy = busy
        self.next_button.setEnabled(not busy)

    def _next_clicked(self) -> None:
        following = self.card.status.next
        if following is not None:
            self.board.move_card(self.card.id, following)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        size = self.next_button.sizeHint()
        x = self.width() - size.width() - self.PAD_X // 2
        self.next_button.setGeometry(x, self.PAD_Y // 2, size.width(), size.height())
        call = self.call_button.sizeHint()
        self.call_button.setGeometry(
            self.width() - call.width() - self.PAD_X // 2,
            self.height() - call.height() - self.PAD_Y // 2,
            call.width(),
            call.height(),
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = len(self._lines) + 1  # the timer line
        return QSize(160, 2 * self.PAD_Y + rows * self._line_height() + (rows - 1) * self.GAP)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(60, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        regular, bold, metrics = _CardFonts.of(self.font())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = 2.0 if self.level else 1.0
        pen = QPen(CARD_BORDER.get(self.level, CARD_BORDER[""]))
        pen.setWidthF(width)
        painter.setPen(pen)
        painter.setBrush(QColor("#FFFFFF"))
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 6, 6)
        text_w = max(0, self.width() - 2 * self.PAD_X)
        line_h = metrics.height()
        y = self.PAD_Y
        rows = [(text, bold if i == 0 else regular) for i, text in enumerate(self._lines)]
        rows.append((self.timer_text, regular))
        # The first line (the name) leaves room for the "→" button in the top right corner.
        button_w = 0 if self.next_button.isHidden() else self.next_button.width()
        name_w = max(0, text_w - button_w)
        for i, (text, font) in enumerate(rows):
            painter.setFont(font)
            if i == len(rows) - 1:
                painter.setPen(TIMER_COLOUR.get(self.level, TIMER_COLOUR[""]))
            else:
                painter.setPen(NAME_COLOUR if i < 2 else DETAIL_COLOUR)
            width = name_w if i == 0 else text_w
            if i == len(rows) - 1 and not self.call_button.isHidden():
                width = max(0, text_w - self.call_button.width())  # "Aufrufen" sits there
            shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(
                QRect(self.PAD_X, y, width, line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
            y += line_h + self.GAP
        painter.end()

    def refresh_timer(self, now: datetime, amber: int, red: int) -> None:
        minutes = max(0, int((now - self.card.changed_at).total_seconds() // 60))
        hours, rest = divmod(minutes, 60)
        text = f"{hours} h {rest:02d} min" if hours else f"{rest} min"
        level = "red" if minutes >= red else "amber" if minutes >= amber else ""
        if self.card.status is PatientFlowStatus.DONE:
            level = ""
        text = translate("PatientFlowPage", "{0} im Status").format(text)
        if text != self.timer_text or level != self.level:
            self.timer_text, self.level = text, level
            self.setAccessibleDescription(text)
            self.update()

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
        if target is not None and target != self.card.status and not self.busy:
            self.board.move_card(self.card.id, target)


class Column(QWidget):
    """One status: header with the count, the cards below (scrolling); painted background,
    so no style sheet reaches the cards."""

    def __init__(self, status: PatientFlowStatus, label: str, color: str) -> None:
        super().__init__()
        self.status = status
        self._highlighted = False
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
        scroll.viewport().setAutoFillBackground(False)
        inner = self._list = QWidget()
        inner.setAutoFillBackground(False)
        self.cards_layout = QVBoxLayout(inner)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.cards: list[Card] = []
        self.set_count()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._highlighted:
            pen = QPen(QColor("#2F6FB2"))
            pen.setWidthF(2)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(QColor("#E3ECF7"))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#F3F5F8"))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        painter.end()

    def set_count(self) -> None:
        self.header.setText(f"{self.label} ({len(self.cards)})")
        self.setAccessibleName(
            translate("PatientFlowPage", "{0}, {1} Patienten").format(self.label, len(self.cards))
        )

    def add(self, card: Card) -> None:
        self.cards.append(card)
        self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        self.set_count()

    def take(self, card: Card) -> None:
        if card in self.cards:
            self.cards.remove(card)
            self.cards_layout.removeWidget(card)
            self.set_count()

    def set_cards(self, cards: list[Card]) -> None:
        """Exactly these cards in this order; untouched when nothing changed (a refresh)."""
        if cards == self.cards:
            return
        # Many new cards: hidden list, one show for all of them afterwards (instead of a
        # queued show per card). Not while a card of it is being dragged (that would end the drag).
        inner = self._list
        pressed = any(card.pressed for card in self.cards)
        shown = inner.isVisible() and len(cards) > 8 and not pressed
        if shown:
            inner.hide()
        for card in self.cards:
            self.cards_layout.removeWidget(card)
        for index, card in enumerate(cards):
            self.cards_layout.insertWidget(index, card)
        if shown:
            inner.show()
        # Lay out now: the card list grows to its full height at once, instead of a first
        # paint of every card squeezed into the visible part (then laid out and painted again).
        self.cards_layout.activate()
        self.cards = list(cards)
        self.set_count()

    def highlight(self, on: bool) -> None:
        if on != self._highlighted:
            self._highlighted = on
            self.update()


class ExpectedCard(QFrame):
    """An appointment of today whose patient has not arrived yet."""

    def __init__(self, appointment: AppointmentRecord, board: PatientFlowPage) -> None:
        super().__init__()
        self.board = board
        self.appointment = appointment
        self._press: QPoint | None = None
        self.setObjectName("expected")
        self.setStyleSheet(
            "#expected { background: #FFFFFF; border: 1px dashed #B8C2CC; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        name = QLabel(appointment.patient_name)
        name.setStyleSheet("font-weight: 600;")
        layout.addWidget(name)
        layout.addWidget(QLabel(f"{appointment.start:%H:%M} · {appointment.doctor_name}"))
        self.check_in_button = QPushButton(translate("PatientFlowPage", "Patient ist da"))
        self.check_in_button.setAccessibleName(
            translate("PatientFlowPage", "{0} ist da").format(appointment.patient_name)
        )
        self.check_in_button.clicked.connect(lambda: board.check_in(self))
        layout.addWidget(self.check_in_button)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(
            translate("PatientFlowPage", "Ziehen auf „Angemeldet“ meldet den Patienten an")
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None:
            self.board.hover(self.mapToGlobal(event.position().toPoint()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, self._press = self._press, None
        self.board.hover(None)
        if press is None:
            return
        position = event.position().toPoint()
        if (position - press).manhattanLength() < QApplication.startDragDistance():
            return
        # Arriving is "Angemeldet"; any other column would skip a step the server refuses.
        if self.board.column_at(self.mapToGlobal(position)) is PatientFlowStatus.REGISTERED:
            self.board.check_in(self)


class ExpectedColumn(QWidget):
    """ "Erwartet": today's appointments without a visit yet, in time order."""

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)
        self.header = QLabel()
        self.header.setStyleSheet(
            "background: #E4E7EB; color: #1F2933; font-weight: 700; padding: 6px;"
            " border-radius: 4px;"
        )
        outer.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.cards_layout = QVBoxLayout(inner)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.cards: list[ExpectedCard] = []
        self.set_cards([])

    def set_cards(self, cards: list[ExpectedCard]) -> None:
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        for index, card in enumerate(cards):
            self.cards_layout.insertWidget(index, card)
        self.cards = cards
        label = translate("PatientFlowPage", "Erwartet")
        self.header.setText(f"{label} ({len(cards)})")
        self.setAccessibleName(
            translate("PatientFlowPage", "{0}, {1} Patienten").format(label, len(cards))
        )


class PatientFlowPage(QWidget):
    message_shown = Signal(str)
    loaded = Signal()
    #: A patient was called ("Aufrufen"): the updated visit.
    call_done = Signal(object)

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
        self.flows: list[Flow] = []
        #: today's appointments (the "Erwartet" column shows those without a visit)
        self.appointments: list[AppointmentRecord] = []
        self.cards: dict[int, Card] = {}
        #: minutes until amber/red per status: the practice settings on the server
        self.practice_settings = PracticeSettings()
        #: the practice's rooms, offered by "Aufrufen"
        self.room_names: list[str] = []
        #: the doctor filter to choose once the board is filled (the start page's tiles)
        self.wanted_doctor: str | None = None
        self.room_menu: QMenu | None = None
        self._pending_reload = False
        #: moves and check-ins this board has written (a load read before the last is stale)
        self.writes = 0
        self.opened = False
        self._hovered: Column | None = None

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

        # The columns scroll sideways on a narrow window instead of widening it.
        row = QWidget()
        columns = QHBoxLayout(row)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(8)
        self.expected = ExpectedColumn()
        columns.addWidget(self.expected, 1)
        self.columns: dict[PatientFlowStatus, Column] = {}
        for status, _, color in STATUSES:
            column = Column(status, status_label(status), color)
            self.columns[status] = column
            columns.addWidget(column, 1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(row)
        outer.addWidget(self.scroller, 1)

        self.ops.changed.connect(self._something_changed)
        self.ticker = QTimer(self)
        self.ticker.setInterval(15_000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

    # -- thresholds -----------------------------------------------------------------------

    def thresholds(self, status: PatientFlowStatus) -> tuple[int, int]:
        """Minutes in ``status`` until a card turns amber / red (Einstellungen → Praxis)."""
        limit = self.practice_settings.threshold(status)
        return limit.amber, limit.red

    def tick(self) -> None:
        """Labels only, no requests."""
        now = self.clock()
        for card in self.cards.values():
            card.refresh_timer(now, *self.thresholds(card.card.status))

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
        day, writes = self.clock().date(), self.writes

        def work(api: ApiClient) -> tuple[Any, tuple[PracticeSettings, list[str]]]:
            extras = practice.get_settings(api), [room.name for room in resources.rooms(api)]
            return (patient_flow.board(api, day), appointments.of_day(api, day)), extras

        self.ops.run(work, parent=self).success(
            lambda result: self._loaded(result[0], writes, extras=result[1])
        ).failure(self._failed).run()

    def _loaded(
        self,
        loaded: tuple[list[Flow], list[AppointmentRecord]],
        writes: int | None = None,
        *,
        extras: tuple[PracticeSettings, list[str]] | None = None,
    ) -> None:
        if extras is not None:
            self.practice_settings, self.room_names = extras
        self.loading = False
        if self._pending_reload or (writes is not None and writes != self.writes):
            # Asked again meanwhile, or read before this board's last move was written:
            # showing it would put a card back where it was a moment ago.
            self._pending_reload = False
            self.reload()
            return
        self.flows, self.appointments = loaded
        self._fill_filters()
        self._fill()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._pending_reload = False
        self.show_message(explain(error))

    def show_doctor(self, name: str | None) -> None:
        """Filter the board to one doctor's visits (None: everyone's), also before loading."""
        self.wanted_doctor = name or ""
        index = self.doctor_filter.findData(self.wanted_doctor)
        if index >= 0:
            self.doctor_filter.setCurrentIndex(index)

    def _fill_filters(self) -> None:
        wanted = self.wanted_doctor
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
        if wanted is not None:
            self.wanted_doctor = None
            self.doctor_filter.setCurrentIndex(max(0, self.doctor_filter.findData(wanted)))

    def _fill(self) -> None:
        """Cards for the shown flows: unchanged ones stay as they are, changed ones are
        updated in place, only new ones are built and only columns that differ re-laid."""
        doctor = self.doctor_filter.currentData() or ""
        room = self.room_filter.currentData() or ""
        cards: dict[int, Card] = {}
        wanted: dict[PatientFlowStatus, list[Card]] = {status: [] for status in self.columns}
        for flow in self.flows:
            if doctor and flow.doctor != doctor:
                continue
            if room and flow.room != room:
                continue
            card = self.cards.pop(flow.id, None)
            if card is None:
                card = Card(flow, self)
            elif card.busy:
                pass  # a move is on its way: an answer read before it would undo it on screen
            elif card.card != flow:
                card.set_card(flow)
            cards[flow.id] = card
            wanted[card.card.status].append(card)
        gone = list(self.cards.values())
        self.cards = cards
        for status, column in self.columns.items():
            column.set_cards(wanted[status])
        for card in gone:
            card.hide()
            card.deleteLater()
        self._fill_expected()
        self.tick()

    def _fill_expected(self) -> None:
        """Today's appointments that are still to come: not cancelled, not marked as not
        come or completed, and without a visit (running or finished) on the board."""
        doctor = self.doctor_filter.currentData() or ""
        visited = {flow.appointment_id for flow in self.flows}
        waiting_for = [
            a
            for a in self.appointments
            if a.id not in visited
            and a.status in (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
            and not a.is_no_show
            and (not doctor or a.doctor_name == doctor)
        ]
        shown = [card.appointment for card in self.expected.cards]
        if shown != waiting_for:
            self.expected.set_cards([ExpectedCard(a, self) for a in waiting_for])
        for card in self.expected.cards:
            card.check_in_button.setVisible(self._may_check_in(card.appointment))

    def may_write(self, flow: Flow) -> bool:
        """Admin and MFA; a doctor on own visits only (the server checks it again)."""
        role = self.user.role
        if role == "doctor":
            return flow.doctor == self.user.display_name
        return role in ("admin", "assistant")

    # -- Aufrufen (issue 20) --------------------------------------------------------------

    def choose_room(self, card: Card) -> None:
        """The rooms to call the patient into: the visit's own room first."""
        menu = QMenu(card)
        menu.setAccessibleName(self.tr("Raum wählen"))
        names = ([card.card.room] if card.card.room else []) + [
            name for name in self.room_names if name != card.card.room
        ]
        flow_id = card.card.id
        for name in names:
            menu.addAction(name, partial(self.call_patient, flow_id, name))
        if not names:
            self.show_message(self.tr("Es sind keine Räume angelegt (Stammdaten)."))
            return
        menu.popup(card.call_button.mapToGlobal(card.call_button.rect().bottomLeft()))
        self.room_menu = menu

    def call_patient(self, flow_id: int, room: str) -> None:
        """ "Aufrufen": the call-up displays show the visit's number and ``room``."""

        def accepted(flow: Flow) -> None:
            self.writes += 1
            self.flows = [flow if f.id == flow.id else f for f in self.flows]
            card = self.cards.get(flow.id)
            if card is not None and not card.busy:
                card.set_card(flow)
            self.call_done.emit(flow)

        def refused(error: Exception) -> None:
            self.show_message(self.tr("Nicht aufgerufen: {0}").format(explain(error)))

        self.ops.run(lambda api: calls.call(api, flow_id, room), self).changes(
            LiveEntity.PATIENT_FLOW
        ).success(accepted).failure(refused).run()

    def _may_check_in(self, appointment: AppointmentRecord) -> bool:
        """Admin and MFA; a doctor for their own patients (05 §8); billing reads only."""
        role = self.user.role
        if role == "doctor":
            return appointment.doctor == self.user.id
        return role in ("admin", "assistant")

    def check_in(self, card: ExpectedCard) -> None:
        """ "Patient ist da": the server starts the visit in "Angemeldet"."""
        appointment_id = card.appointment.id
        if not self._may_check_in(card.appointment) or not card.check_in_button.isEnabled():
            return
        card.check_in_button.setEnabled(False)  # once; the reload replaces the card

        def refused(error: Exception) -> None:
            card.check_in_button.setEnabled(True)
            self.show_message(self.tr("Nicht angemeldet: {0}").format(explain(error)))

        def accepted(_: Flow) -> None:
            self.writes += 1

        self.ops.run(lambda api: patient_flow.check_in(api, appointment_id), self).changes(
            LiveEntity.PATIENT_FLOW, LiveEntity.APPOINTMENT
        ).success(accepted).failure(refused).run()

    def _something_changed(self, entity: str) -> None:
        # Never opened yet: nothing to refresh (the first show loads).
        if self.opened and entity in _SHOWN_ENTITIES:
            self.reload()

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)
        QTimer.singleShot(8000, self.message.hide)

    # -- dragging -------------------------------------------------------------------------

    def column_at(self, global_pos: QPoint) -> PatientFlowStatus | None:
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

    def move_card(self, flow_id: int, status: PatientFlowStatus) -> None:
        """Optimistic placement; the server decides, a refusal puts the card back.

        While the server answers, the card shows the new status but takes no further move: a
        second step sent before the first is written would reach the server first now and
        then, and be refused."""
        card = self.cards.get(flow_id)
        if card is None or card.busy or card.card.status == status:
            return
        before = card.card
        self.columns[before.status].take(card)
        self.columns[status].add(card)
        card.set_card(replace(before, status=status))
        card.set_busy(True)

        def refused(error: Exception) -> None:
            card.set_busy(False)
            if self.cards.get(flow_id) is card:
                self.columns[status].take(card)
                self.columns[before.status].add(card)
                card.set_card(before)
            self.show_message(self.tr("Statuswechsel abgelehnt: {0}").format(explain(error)))

        def accepted(flow: Flow) -> None:
            self.writes += 1
            card.set_busy(False)
            self.flows = [flow if f.id == flow.id else f for f in self.flows]
            if self.cards.get(flow_id) is card:
                card.set_card(flow)
                self.tick()

        self.ops.run(lambda api: patient_flow.move(api, flow_id, status), parent=self).changes(
            LiveEntity.PATIENT_FLOW
        ).success(accepted).failure(refused).run()
