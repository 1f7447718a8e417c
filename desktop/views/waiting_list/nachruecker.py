""" "Nachrücker": when time frees up, the waiting patients who fit it, with one-click booking.

The panel sits beside the calendar and shows itself when the server's matcher found
candidates for a freed slot (live notice ``waiting_list_slot``, docs/waiting-list.md §5).
It reads every open freed slot (``freed_slots``) whenever something that changes them is
announced — a new or booked slot, an entry written, and while slots are shown an appointment
anywhere — so a candidate booked or removed on another workstation disappears here too, and
after a reconnect (every entity is announced then) the panel is complete again.

Each slot lists its candidates in the server's rank with their phone numbers (the MFA
calls, then books): "Buchen" books the entry into the slot with one click. If another
workstation was faster, the server answers 409 with the next candidates, which the panel
shows at once. Nothing here blocks: every call runs through ``desktop.ops``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import waiting_list
from desktop.api.suggest import Slot
from desktop.api.waiting_list import Booking, Candidate, FreedSlot, SlotGone
from desktop.ops import Ops
from desktop.theme import GREEN, RED
from desktop.views.waiting_list.labels import FREED, label, when_text
from shared.domain.events import LiveEntity

#: Changes that can add a freed slot or candidates to one: always read the slots again.
RELOAD_ON = {LiveEntity.WAITING_LIST_SLOT, LiveEntity.WAITING_LIST_ENTRY}
#: Changes that can fill a shown slot (a booking elsewhere) or rename a candidate: read
#: again only while slots are shown (freeing time announces a slot of its own).
RELOAD_WHILE_SHOWN = {LiveEntity.APPOINTMENT, LiveEntity.PATIENT}
#: Who may read freed slots and book from them (docs/waiting-list.md §6).
BOOKERS = {"admin", "assistant"}
#: Candidates shown per slot; the rest are counted ("+ 3 weitere").
SHOWN_CANDIDATES = 5
CARD_STYLE = "#freedSlot { background: #FFFFFF; border: 1px solid #D9DEE4; border-radius: 6px; }"
MUTED_STYLE = "color: #52606D;"


class CandidateRow(QWidget):
    """Name (and "Dringend"), phone, type and the offered time; "Buchen"."""

    def __init__(
        self, candidate: Candidate, slot: FreedSlot, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.candidate = candidate
        entry = candidate.entry
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        text = QVBoxLayout()
        text.setSpacing(0)
        name = entry.patient_name
        self.name = QLabel(
            f"{name} · <span style='color:{RED}'>{self.tr('Dringend')}</span>"
            if entry.urgent
            else name
        )
        self.name.setStyleSheet("font-weight: 600;")
        self.name.setTextFormat(Qt.TextFormat.RichText)
        self.phone = QLabel(
            self.tr("☎ {0}").format(entry.phone) if entry.phone else self.tr("keine Telefonnummer")
        )
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phone.setAccessibleName(self.tr("Telefon"))
        # A slot of one doctor on one day reads by time alone; a longer one (an absence
        # shortened, hours extended) or one for any doctor names the day and the doctor.
        when = (
            f"{candidate.start:%H:%M}–{candidate.end:%H:%M}"
            if _one_day(slot)
            else when_text(candidate.start, candidate.end)
        )
        parts = [entry.type_name, when]
        if slot.doctor_id != candidate.doctor_id:
            parts.append(candidate.doctor_name)
        self.details = QLabel(" · ".join(parts))
        self.details.setStyleSheet(MUTED_STYLE)
        for label_ in (self.name, self.phone, self.details):
            label_.setWordWrap(True)  # the panel is narrow: wrap rather than widen it
            text.addWidget(label_)
        row.addLayout(text, 1)
        self.book_button = QPushButton(self.tr("Buchen"))
        self.book_button.setToolTip(
            self.tr("{0} um {1} bei {2} buchen").format(
                name, f"{candidate.start:%d.%m. %H:%M}", candidate.doctor_name
            )
        )
        self.book_button.setAccessibleName(self.tr("{0} buchen").format(name))
        row.addWidget(self.book_button, 0, Qt.AlignmentFlag.AlignVCenter)


class SlotCard(QFrame):
    """One freed slot: when, whose, why; its candidates."""

    def __init__(self, slot: FreedSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slot = slot
        self.setObjectName("freedSlot")
        self.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title = QLabel(
            self.tr("Frei: {0}").format(
                when_text(slot.start, slot.end)
                if _one_day(slot)
                else f"{slot.start:%d.%m.} – {slot.end:%d.%m.%Y}"
            )
        )
        self.title.setStyleSheet("font-weight: 700;")
        self.title.setWordWrap(True)
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("×")
        self.dismiss_button.setToolTip(self.tr("Diesen freien Termin ausblenden"))
        self.dismiss_button.setAccessibleName(self.tr("Ausblenden"))
        head.addWidget(self.title, 1)
        head.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        who = slot.doctor_name or self.tr("jeder Arzt")
        self.subtitle = QLabel(f"{who} · {label(FREED[slot.reason])}")
        self.subtitle.setStyleSheet(MUTED_STYLE)
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        self.rows: list[CandidateRow] = []
        for candidate in slot.candidates[:SHOWN_CANDIDATES]:
            row = CandidateRow(candidate, slot)
            self.rows.append(row)
            layout.addWidget(row)
        hidden = len(slot.candidates) - SHOWN_CANDIDATES
        if hidden > 0:
            more = QLabel(self.tr("+ {0} weitere auf der Warteliste").format(hidden))
            more.setStyleSheet(MUTED_STYLE)
            layout.addWidget(more)


class NachrueckerPanel(QWidget):
    #: the new appointment's id and its time as a :class:`Slot` (the calendar shows it)
    booked = Signal(int, object)
    #: the freed slots were read (and shown)
    refreshed = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.active = False
        self.slots: list[FreedSlot] = []
        self.cards: dict[int, SlotCard] = {}
        self.dismissed: set[int] = set()
        self.booking = False
        self._seq = 0
        self.setMinimumWidth(290)
        self.setMaximumWidth(340)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Nachrücker"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("Nachrücker"))
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip(self.tr("Alle gezeigten freien Termine ausblenden"))
        self.close_button.setAccessibleName(self.tr("Nachrücker schließen"))
        head.addWidget(self.title, 1)
        head.addWidget(self.close_button)
        layout.addLayout(head)
        self.hint = QLabel(
            self.tr("Freie Termine und wer von der Warteliste passt – anrufen, dann buchen.")
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(MUTED_STYLE)
        layout.addWidget(self.hint)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Hinweis zu den Nachrückern"))
        self.status.hide()
        layout.addWidget(self.status)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_host = QWidget()
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(6)
        self.list_layout.addStretch(1)
        self.scroll_area.setWidget(self.list_host)
        layout.addWidget(self.scroll_area, 1)
        self.close_button.clicked.connect(self.dismiss_all)
        self._status_timer = QTimer(self, singleShot=True, interval=10_000)
        self._status_timer.timeout.connect(self._status_expired)
        self.hide()

    # -- loading --------------------------------------------------------------------------

    def activate(self) -> None:
        """Start following freed slots (for roles that may book them)."""
        if self.active:
            return
        self.active = True
        self.ops.changed.connect(self._something_changed)
        self.reload()

    def _something_changed(self, entity: str) -> None:
        if entity in RELOAD_ON or (entity in RELOAD_WHILE_SHOWN and self.slots):
            self.reload()

    def reload(self) -> None:
        if not self.active:
            return
        self._seq += 1
        seq = self._seq
        self.ops.run(waiting_list.freed_slots, self).success(
            lambda slots: self._loaded(seq, slots)
        ).failure(lambda exc: self._failed(seq, exc)).run()

    def _loaded(self, seq: int, slots: list[FreedSlot]) -> None:
        if seq != self._seq:
            return  # a newer read is on its way
        self.show_slots(slots)
        self.refreshed.emit()

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq == self._seq:
            self.refreshed.emit()  # the last slots stay; the status bar names the failure

    # -- showing --------------------------------------------------------------------------

    def visible_slots(self) -> list[FreedSlot]:
        return [s for s in self.slots if s.id not in self.dismissed and s.candidates]

    def show_slots(self, slots: list[FreedSlot]) -> None:
        self.slots = list(slots)
        for card in self.cards.values():
            card.deleteLater()
        self.cards = {}
        for slot in self.visible_slots():
            card = SlotCard(slot, self.list_host)
            card.dismiss_button.clicked.connect(lambda _=False, s=slot.id: self.dismiss(s))
            for row in card.rows:
                row.book_button.clicked.connect(
                    lambda _=False, c=row.candidate, s=slot.id: self.book(c, s)
                )
                row.book_button.setEnabled(not self.booking)
            self.cards[slot.id] = card
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
        self._update_visibility()

    def _update_visibility(self) -> None:
        has_slots = bool(self.cards)
        self.hint.setVisible(has_slots)
        self.setVisible(self.active and (has_slots or self.status.isVisible()))

    def dismiss(self, slot_id: int) -> None:
        self.dismissed.add(slot_id)
        self.show_slots(self.slots)

    def dismiss_all(self) -> None:
        self.dismissed |= {s.id for s in self.slots}
        self.status.hide()
        self.show_slots(self.slots)

    def _say(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color}; font-weight: 600;")
        self.status.show()
        self._status_timer.start()
        self._update_visibility()

    def _status_expired(self) -> None:
        self.status.hide()
        self._update_visibility()

    # -- booking --------------------------------------------------------------------------

    def book(self, candidate: Candidate, slot_id: int) -> None:
        """Books the candidate into the freed slot (one click)."""
        if self.booking:
            return
        self.booking = True
        for card in self.cards.values():
            for row in card.rows:
                row.book_button.setEnabled(False)
        self._say(self.tr("Wird gebucht …"), "#1F2933")
        self.ops.run(lambda api: waiting_list.book(api, candidate, slot_id), self).changes(
            LiveEntity.APPOINTMENT, LiveEntity.WAITING_LIST_ENTRY, LiveEntity.WAITING_LIST_SLOT
        ).success(lambda booking: self._booked(candidate, booking)).failure(
            lambda exc: self._refused(slot_id, exc)
        ).run()

    def _booked(self, candidate: Candidate, booking: Booking) -> None:
        self.booking = False
        self._say(
            self.tr("Gebucht: {0} · {1} bei {2}.").format(
                candidate.entry.patient_name,
                when_text(booking.start, booking.end),
                candidate.doctor_name,
            ),
            GREEN,
        )
        # Booked is booked: the entry leaves every slot now, the server's list follows.
        booked_entry = booking.entry.id
        self.show_slots(
            [
                _with_candidates(s, tuple(c for c in s.candidates if c.entry.id != booked_entry))
                for s in self.slots
            ]
        )
        self.reload()
        slot = Slot(booking.doctor_id, candidate.doctor_name, booking.start, booking.end)
        self.booked.emit(booking.appointment_id, slot)

    def _refused(self, slot_id: int, exc: Exception) -> None:
        self.booking = False
        if isinstance(exc, SlotGone):
            # The next candidates as the server sees them after the winner's commit.
            self.slots = [
                _with_candidates(s, exc.candidates) if s.id == slot_id else s for s in self.slots
            ]
            following = (
                self.tr("Die nächsten Kandidaten stehen unten.")
                if exc.candidates
                else self.tr("Für diesen Termin wartet niemand mehr, der passt.")
            )
            self._say(self.tr("Nicht gebucht: {0} {1}").format(exc, following), RED)
        else:
            self._say(self.tr("Nicht gebucht: {0}").format(exc), RED)
        self.show_slots(self.slots)


def _one_day(slot: FreedSlot) -> bool:
    return slot.start.date() == slot.end.date()


def _with_candidates(slot: FreedSlot, candidates: tuple[Candidate, ...]) -> FreedSlot:
    return FreedSlot(
        slot.id,
        slot.source,
        slot.reason,
        slot.doctor_id,
        slot.doctor_name,
        slot.start,
        slot.end,
        slot.freed_minutes,
        candidates,
    )
