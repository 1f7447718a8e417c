"""The nearest free slots, offered right in the appointment dialog when the server refuses a
time (issue 15: squeezing an emergency in must not be a dead end).

The database guarantees that nothing is double-booked, so a refused overlap stays refused;
what the front desk needs next is where it *does* fit: the same doctor's nearest free
slots, then the other doctors'. One click takes a slot over into the dialog (doctor, date,
time), which then checks it again like any change.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.api.suggest import Alternatives, Slot


class AlternativeSlots(QWidget):
    #: the chosen :class:`Slot`
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Freie Alternativen"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._grid_host)
        #: the offered slots' buttons, in the order shown (tests and keyboard users)
        self.buttons: list[QPushButton] = []
        self.hide()

    def clear(self) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        self.hide()

    def show_searching(self) -> None:
        self.clear()
        self.title.setText(self.tr("Suche die nächsten freien Termine …"))
        self.show()

    def show_alternatives(self, found: Alternatives, doctor_name: str, day: date) -> None:
        """``day``: the refused appointment's day — its slots are shown by time alone."""
        self.clear()
        if not found:
            self.title.setText(self.tr("In den nächsten 7 Tagen ist nichts Passendes frei."))
            self.show()
            return
        self.title.setText(self.tr("Stattdessen frei:"))
        row = 0
        if found.same_doctor:
            self._grid.addWidget(QLabel(self.tr("Bei {0}:").format(doctor_name)), row, 0, 1, 3)
            row += 1
            # The same doctor's slots are short: side by side.
            for column, slot in enumerate(found.same_doctor):
                self._grid.addWidget(self._button(slot, day, with_doctor=False), row, column)
            row += 1
        if found.other_doctors:
            self._grid.addWidget(QLabel(self.tr("Bei anderen Ärzten:")), row, 0, 1, 3)
            row += 1
            # The others' carry the doctor's name: one per line, the dialog keeps its width.
            for slot in found.other_doctors:
                self._grid.addWidget(self._button(slot, day, with_doctor=True), row, 0, 1, 3)
                row += 1
        self.show()

    def _button(self, slot: Slot, day: date, *, with_doctor: bool) -> QPushButton:
        text = f"{slot.start:%H:%M}–{slot.end:%H:%M}" if slot.start.date() == day else slot.when
        if with_doctor:
            text = f"{text} · {slot.doctor_name}"
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter keeps saving the dialog
        button.setToolTip(self.tr("Diesen Termin übernehmen: {0}").format(slot.when))
        button.clicked.connect(lambda: self.chosen.emit(slot))
        self.buttons.append(button)
        return button
