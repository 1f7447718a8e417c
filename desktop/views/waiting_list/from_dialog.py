""" "Auf die Warteliste …" in the appointment dialog: when the wanted time is refused and no
offered alternative suits the patient, the patient waits for a freed slot instead.

The button reads what the dialog holds (patient, type, doctor, day) and opens the entry
dialog prefilled with it; the appointment dialog only places the widget and shows it when
the server refused the time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.api.waiting_list import Choice, Choices, Entry
from desktop.theme import GREEN
from desktop.views.calendar.model import CalendarData
from desktop.views.waiting_list.entry_dialog import EntryDialog, EntryPreset

if TYPE_CHECKING:  # the dialog imports this module to place the offer
    from desktop.views.calendar.appointment_dialog import AppointmentDialog


def choices_of(data: CalendarData) -> Choices:
    return Choices(
        tuple(Choice(d.id, d.name) for d in data.doctors),
        tuple(Choice(t.id, t.name, t.duration_minutes) for t in data.types),
    )


class WaitingListOffer(QWidget):
    #: the entry the patient now waits with
    entered = Signal(object)

    def __init__(self, dialog: AppointmentDialog, parent: QWidget) -> None:
        super().__init__(parent)
        self.dialog = dialog
        self.entry_dialog: EntryDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        # No Alt key: every letter of the text is taken in the dialog (W by "Wiederholen").
        self.button = QPushButton(self.tr("Auf die Warteliste …"))
        self.button.setAutoDefault(False)  # Enter keeps saving the appointment dialog
        self.button.setToolTip(
            self.tr("Passt keine Zeit? Der Patient wartet auf einen frei werdenden Termin.")
        )
        self.done = QLabel()
        self.done.setWordWrap(True)
        self.done.setStyleSheet(f"color: {GREEN}; font-weight: 600;")
        self.done.hide()
        row.addWidget(self.button)
        row.addWidget(self.done, 1)
        self.button.clicked.connect(self.open_entry_dialog)
        self.hide()

    def offer(self, refused: bool) -> None:
        """Shown while the dialog's time is refused (and once the patient waits)."""
        self.setVisible(refused or self.done.isVisible())
        self.button.setEnabled(self.dialog.patient_id is not None and not self.done.isVisible())

    def preset(self) -> EntryPreset | None:
        dialog = self.dialog
        if dialog.patient_id is None:
            return None
        start = dialog.start()
        type_id = dialog.type.currentData()
        doctor_id = dialog.doctor.currentData()
        return EntryPreset(
            patient_id=dialog.patient_id,
            patient_name=dialog.patient.label.text(),
            type_id=int(type_id) if isinstance(type_id, int) else None,
            doctor_id=int(doctor_id) if isinstance(doctor_id, int) else None,
            earliest_date=start.date(),
        )

    def open_entry_dialog(self) -> None:
        preset = self.preset()
        if preset is None:
            return
        parent = self.window()
        entry_dialog = EntryDialog(
            self.dialog.ops,
            choices_of(self.dialog.data),
            today=preset.earliest_date,
            preset=preset,
            parent=parent if isinstance(parent, QDialog) else None,
        )
        entry_dialog.saved.connect(self._entered)
        entry_dialog.finished.connect(lambda _: setattr(self, "entry_dialog", None))
        self.entry_dialog = entry_dialog
        entry_dialog.open()

    def _entered(self, entry: Entry) -> None:
        self.done.setText(
            self.tr("✓ {0} steht auf der Warteliste ({1}).").format(
                entry.patient_name, entry.type_name
            )
        )
        self.done.show()
        self.button.setEnabled(False)
        self.show()
        self.entered.emit(entry)
