"""Patienten → Einwilligungen: the patient's consent to reminders per channel.

Each box records the patient's answer for one way (e-mail, SMS) at once, with who recorded it
and when (the server stamps both); without consent nothing is sent on that way. Billing
staff read only. Every call runs through ``desktop.ops``; a stale answer for a patient no
longer shown is dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.api import reminders
from desktop.api.reminders import ChannelConsent, Consent
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import GREEN, INK_MUTED, RED
from desktop.views.reminders.common import error_text
from shared.domain.events import LiveEntity
from shared.domain.reminders import ReminderChannel

WRITERS = ("admin", "assistant", "doctor")


class ConsentPanel(QWidget):
    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.patient_id: int | None = None
        self.consent: Consent | None = None
        self.loading = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Terminerinnerungen gehen nur auf den Wegen hinaus, für die der Patient "
                "eingewilligt hat. Die Nachrichten nennen keine medizinischen Inhalte."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {INK_MUTED};")
        layout.addWidget(intro)
        form = QFormLayout()
        self.boxes: dict[ReminderChannel, QCheckBox] = {}
        self.recorded: dict[ReminderChannel, QLabel] = {}
        for channel in ReminderChannel:
            text = (
                self.tr("Erinnerungen per E-Mail erlaubt")
                if channel is ReminderChannel.EMAIL
                else self.tr("Erinnerungen per SMS erlaubt")
            )
            box = QCheckBox(text)
            box.clicked.connect(lambda checked, c=channel: self.record(c, checked))
            note = QLabel()
            note.setStyleSheet(f"color: {INK_MUTED};")
            self.boxes[channel], self.recorded[channel] = box, note
            form.addRow(box)
            form.addRow(note)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.show_patient(None)
        ops.changed.connect(self._something_changed)

    @property
    def can_write(self) -> bool:
        return self.user.role in WRITERS

    def show_patient(self, patient_id: int | None) -> None:
        self.patient_id, self.consent = patient_id, None
        self.message.clear()
        self._show()
        if patient_id is None:
            for note in self.recorded.values():
                note.setText(self.tr("Erst nach dem Speichern des Patienten."))
            return
        self.loading = True
        self.ops.run(lambda api: reminders.consent(api, patient_id), self).success(
            lambda consent: self._loaded(patient_id, consent)
        ).failure(lambda error: self._failed(patient_id, error)).run()

    def _loaded(self, patient_id: int, consent: Consent) -> None:
        if patient_id != self.patient_id:
            return
        self.loading = False
        self.consent = consent
        self._show()

    def _failed(self, patient_id: int, error: Exception) -> None:
        if patient_id != self.patient_id:
            return
        self.loading = False
        self._show()
        self.message.setText(error_text(error))
        self.message.setStyleSheet(f"color: {RED};")

    def _note(self, state: ChannelConsent) -> str:
        if state.recorded_at is None:
            return self.tr("Noch nicht erfasst.")
        text = self.tr("Eingewilligt") if state.granted else self.tr("Nicht eingewilligt")
        when = state.recorded_at
        return self.tr("{0} – erfasst von {1} am {2} um {3} Uhr.").format(
            text, state.recorded_by or "–", when.strftime("%d.%m.%Y"), when.strftime("%H:%M")
        )

    def _show(self) -> None:
        for channel, box in self.boxes.items():
            state = self.consent.of(channel) if self.consent else None
            box.setChecked(bool(state and state.granted))
            box.setEnabled(self.can_write and state is not None and not self.loading)
            if state is not None:
                self.recorded[channel].setText(self._note(state))

    def record(self, channel: ReminderChannel, granted: bool) -> None:
        patient_id = self.patient_id
        if patient_id is None or not self.can_write:
            return
        self.loading = True
        self._show_busy()
        self.ops.run(
            lambda api: reminders.record_consent(api, patient_id, channel, granted), self
        ).changes(LiveEntity.REMINDER_CONSENT).success(
            lambda consent: self._recorded(patient_id, consent)
        ).failure(lambda error: self._failed(patient_id, error)).run()

    def _show_busy(self) -> None:
        for box in self.boxes.values():
            box.setEnabled(False)

    def _recorded(self, patient_id: int, consent: Consent) -> None:
        self._loaded(patient_id, consent)
        if patient_id == self.patient_id:
            self.message.setText(self.tr("Einwilligung gespeichert."))
            self.message.setStyleSheet(f"color: {GREEN};")

    def _something_changed(self, entity: str) -> None:
        """Recorded on another workstation meanwhile: read again, keeping the message."""
        patient_id = self.patient_id
        if entity != LiveEntity.REMINDER_CONSENT or patient_id is None or self.loading:
            return
        self.ops.run(lambda api: reminders.consent(api, patient_id), self).success(
            lambda consent: self._loaded(patient_id, consent)
        ).failure(lambda _error: None).run()

    def reload(self, *_: Any) -> None:
        self.show_patient(self.patient_id)
