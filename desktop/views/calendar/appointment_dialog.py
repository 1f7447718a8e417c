"""Create or edit an appointment; conflicts are shown inline before saving (validate).

The patient is found as the server's search allows (docs/patients-search.md: "Nachname,
Vorname", birth date, insurance number, umlauts either way); Enter takes the first hit, and
"Neuer Patient" creates one inline (``PatientPicker``, shared with the OP dialog). An
existing appointment also gets its status, "Patient ist da", "Nicht erschienen", "Absagen …"
(with a reason) and, where the role may, "Löschen …" — the same actions as the calendar's
context menu (``appointment_actions``).
Every request goes through ``desktop.api`` inside ``desktop.ops`` work, so the dialog never
waits on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api import appointments, patients, suggest
from desktop.api.appointments import AppointmentDraft, AppointmentRecord
from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, ConnectionLost
from desktop.ops import Ops
from desktop.theme import GREEN, RED
from desktop.views.calendar.alternatives import AlternativeSlots
from desktop.views.calendar.appointment_actions import STATUS_CHOICES, AppointmentActions
from desktop.views.calendar.model import Appointment, CalendarData
from desktop.views.chains.chains_dialog import PatientChainsDialog
from desktop.views.form_parts import buddy_label, check_state, save_cancel_buttons
from desktop.views.patient_picker import PatientPicker
from desktop.views.reminders.status import ReminderStatusLabel
from desktop.views.series.repeat_dialog import RepeatDialog
from desktop.views.series.series_view import SeriesView
from desktop.views.waiting_list.from_dialog import WaitingListOffer
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus

VALIDATE_DELAY_MS = 300


class AppointmentDialog(QDialog):
    saved = Signal(object)  # the server's AppointmentRecord

    def __init__(
        self,
        ops: Ops,
        data: CalendarData,
        *,
        doctor_id: int,
        start: datetime,
        appointment: Appointment | None = None,
        type_id: int | None = None,
        minutes: int | None = None,
        resource_ids: list[int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.data = data
        self.appointment = appointment
        self.patient_id: int | None = appointment.patient_id if appointment else None
        self.setWindowTitle(
            self.tr("Termin bearbeiten") if appointment else self.tr("Neuer Termin")
        )
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.patient = PatientPicker(
            ops,
            chosen_name=appointment.patient_name if appointment else None,
            editable=not appointment,
        )
        # The names the calendar's tests and benches reach the picker's parts by.
        self.patient_search = self.patient.search
        self.patient_results = self.patient.results
        self.patient_label = self.patient.label
        self.new_patient = self.patient.new_patient
        self._choose_patient = self.patient.choose
        # A row built from a layout gets no buddy from QFormLayout, and a label without a
        # buddy shows its "&" instead of underlining the Alt key: set the buddies ourselves.
        form.addRow(buddy_label(self.tr("&Patient:"), self.patient_search), self.patient)

        self.doctor = QComboBox()
        for doctor in data.doctors:
            self.doctor.addItem(doctor.name, doctor.id)
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(doctor_id)))
        form.addRow(self.tr("&Arzt:"), self.doctor)

        self.type = QComboBox()
        self.type.addItem(self.tr("– ohne Terminart –"), None)
        for kind in data.types:
            self.type.addItem(kind.name, kind.id)
        chosen_type = appointment.type_id if appointment else type_id
        if chosen_type is not None:
            self.type.setCurrentIndex(max(0, self.type.findData(chosen_type)))
        form.addRow(self.tr("&Terminart:"), self.type)

        self.date = QDateEdit(QDate(start.year, start.month, start.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.time = QTimeEdit(QTime(start.hour, start.minute))
        self.time.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 600)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(self.tr(" Min."))
        default_minutes = appointment.minutes if appointment else (minutes or 15)
        self.minutes.setValue(default_minutes)
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(self.time)
        when.addWidget(buddy_label(self.tr("&Dauer:"), self.minutes))
        when.addWidget(self.minutes)
        form.addRow(buddy_label(self.tr("&Zeit:"), self.date), when)

        self.resources = QListWidget()
        self.resources.setMaximumHeight(90)
        self.resources.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for resource in data.resources:
            resource_kind = self.tr("Raum") if resource.type == "room" else self.tr("Gerät")
            entry = QListWidgetItem(f"{resource.name} ({resource_kind})")
            entry.setData(256, resource.id)
            preset = appointment.resource_ids if appointment is not None else resource_ids or []
            entry.setCheckState(check_state(resource.id in preset))
            self.resources.addItem(entry)
        form.addRow(self.tr("&Ressourcen:"), self.resources)

        self.notes = QLineEdit(appointment.notes if appointment else "")
        form.addRow(self.tr("&Notiz:"), self.notes)

        self.appointment_actions = AppointmentActions(ops, self)
        self.appointment_actions.done.connect(lambda _: self.accept())
        self.appointment_actions.refused.connect(self._show_refusal)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.action_buttons = QWidget()
        if appointment is not None and appointment.series is not None:
            self.series_label = QLabel(
                self.tr("Termin {0} einer Serie").format(appointment.series_place)
            )
            self.open_series_button = QPushButton(self.tr("Serie ö&ffnen …"))
            self.open_series_button.setAutoDefault(False)
            series_id = appointment.series[0]
            self.open_series_button.clicked.connect(
                lambda: SeriesView(self.ops, series_id, self).open()
            )
            series_row = QHBoxLayout()
            series_row.addWidget(self.series_label, 1)
            series_row.addWidget(self.open_series_button)
            form.addRow(self.tr("Serie:"), series_row)
        if appointment is not None and appointment.chain is not None:
            chain = appointment.chain
            self.chain_label = QLabel(
                self.tr("Schritt {0} der Terminkette „{1}“").format(
                    appointment.chain_place, chain.name
                )
            )
            self.open_chain_button = QPushButton(self.tr("&Kette öffnen …"))
            self.open_chain_button.setAutoDefault(False)
            patient_id, patient_name = appointment.patient_id, appointment.patient_name
            self.open_chain_button.clicked.connect(
                lambda: PatientChainsDialog.of_chain(
                    self.ops, chain.id, patient_id, patient_name, self
                ).open()
            )
            chain_row = QHBoxLayout()
            chain_row.addWidget(self.chain_label, 1)
            chain_row.addWidget(self.open_chain_button)
            form.addRow(self.tr("Terminkette:"), chain_row)
        if appointment is not None:
            self._add_status_and_actions(form, appointment)
            # issue 19: the appointment's reminders (geplant / gesendet / …), read-only
            self.reminder_status = ReminderStatusLabel(ops, appointment.id, self)
            form.addRow(self.tr("Erinnerungen:"), self.reminder_status)
        layout.addLayout(form)

        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Prüfergebnis"))
        layout.addWidget(self.verdict)
        self.alternatives = AlternativeSlots(self)
        self.alternatives.chosen.connect(self._take_slot)
        layout.addWidget(self.alternatives)
        # issue 18: no time fits → the patient waits for a freed slot (shown when refused)
        self.waiting_list = WaitingListOffer(self, self)
        layout.addWidget(self.waiting_list)
        self.buttons, self.save_button = save_cancel_buttons(self, self.save)
        # issue 17: a new appointment can become a series, previewed before it is booked
        self.repeat_button = QPushButton(self.tr("&Wiederholen …"))
        self.repeat_button.setAutoDefault(False)
        self.repeat_button.clicked.connect(self.repeat)
        if appointment is None:
            self.buttons.addButton(self.repeat_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)

        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self._validate)
        self._validation_seq = 0
        self.last_validation: dict[str, Any] | None = None
        self.patient.chosen.connect(self._take)
        self.type.currentIndexChanged.connect(self._type_changed)
        for signal in (
            self.doctor.currentIndexChanged,
            self.date.dateChanged,
            self.time.timeChanged,
            self.minutes.valueChanged,
            self.resources.itemChanged,
        ):
            signal.connect(self._schedule_validation)
        if appointment is None and chosen_type is not None and minutes is None:
            self._type_changed()
        self._update_save()
        if appointment:
            self._schedule_validation()
        else:
            self.patient_search.setFocus()

    # -- status and actions of an existing appointment ------------------------------------

    def _add_status_and_actions(self, form: QFormLayout, appointment: Appointment) -> None:
        for status, label in STATUS_CHOICES:
            self.status.addItem(self.appointment_actions.tr(label), status)
        if appointment.cancelled:
            # Only shown while it is the status: choosing another one re-activates it.
            self.status.addItem(self.tr("abgesagt"), AppointmentStatus.CANCELLED)
        self.status.setCurrentIndex(max(0, self.status.findData(appointment.status)))
        form.addRow(self.tr("Stat&us:"), self.status)
        # Alt keys: none of the form's (P, A, T, Z, D, R, N, S) is taken twice.
        row = QHBoxLayout(self.action_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.check_in_button = QPushButton(self.tr("Patient &ist da"))
        self.no_show_button = QPushButton(self.tr("Nicht &erschienen"))
        self.cancel_button = QPushButton(self.tr("Absa&gen …"))
        self.delete_button = QPushButton(self.tr("&Löschen …"))
        actions = self.appointment_actions
        self.check_in_button.clicked.connect(lambda: actions.check_in(appointment))
        self.no_show_button.clicked.connect(lambda: actions.mark_no_show(appointment))
        self.cancel_button.clicked.connect(lambda: actions.ask_cancel_in_scope(appointment))
        self.delete_button.clicked.connect(lambda: actions.delete(appointment, confirm=True))
        for button in (
            self.check_in_button,
            self.no_show_button,
            self.cancel_button,
            self.delete_button,
        ):
            button.setAutoDefault(False)  # Enter keeps saving the dialog
            row.addWidget(button)
        row.addStretch(1)
        self.check_in_button.setEnabled(self.appointment_actions.may_check_in(appointment))
        self.no_show_button.setEnabled(self.appointment_actions.may_mark_no_show(appointment))
        self.cancel_button.setEnabled(not appointment.cancelled)
        form.addRow("", self.action_buttons)
        if not self.appointment_actions.may_change(appointment):
            self.action_buttons.hide()
            self.status.setEnabled(False)

    def _show_refusal(self, text: str) -> None:
        self.verdict.setStyleSheet(f"color: {RED};")
        self.verdict.setText(text)

    # -- patient --------------------------------------------------------------------------

    def _take(self, patient: patients.Patient) -> None:
        self.patient_id = patient.id
        self._update_save()
        self._schedule_validation()
        self.type.setFocus()  # doctor and time come from the calendar: the type is next

    # -- body and validation --------------------------------------------------------------

    def _type_changed(self) -> None:
        type_id = self.type.currentData()
        kind = next((t for t in self.data.types if t.id == type_id), None)
        if kind is not None and kind.duration_minutes:
            self.minutes.setValue(kind.duration_minutes)
        self._schedule_validation()

    def start(self) -> datetime:
        day = self.date.date().toPython()
        clock = self.time.time().toPython()
        return datetime.combine(day, clock)  # type: ignore[arg-type]

    def draft(self) -> AppointmentDraft | None:
        """What is typed, as the server takes it; None until a patient is chosen."""
        if self.patient_id is None:
            return None
        start = self.start()
        resource_ids = tuple(
            int(self.resources.item(n).data(256))
            for n in range(self.resources.count())
            if self.resources.item(n).checkState() == check_state(True)
        )
        return AppointmentDraft(
            patient_id=self.patient_id,
            doctor=int(self.doctor.currentData()),
            start=start,
            end=start + timedelta(minutes=self.minutes.value()),
            type_id=self.type.currentData(),
            resource_ids=resource_ids,
            notes=self.notes.text(),
        )

    def chosen_status(self) -> AppointmentStatus | None:
        """The status to write: None when it is not changed (or for a new appointment)."""
        if self.appointment is None:
            return None
        data = self.status.currentData()
        if data is None:
            return None
        chosen = AppointmentStatus(data)  # Qt hands the enum back as its plain string
        return None if chosen == self.appointment.status else chosen

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.patient_id is not None)
        self.repeat_button.setEnabled(self.patient_id is not None)

    # -- series (issue 17) ----------------------------------------------------------------

    def repeat(self) -> None:
        """ "Wiederholen …": the typed appointment as a series; booked there, closes here."""
        draft = self.draft()
        if draft is None:
            return
        dialog = RepeatDialog(self.ops, draft, self)
        self.repeat_dialog = dialog  # reachable for tests while it is open
        dialog.booked.connect(lambda _: self.accept())
        dialog.open()

    def _schedule_validation(self, *_: Any) -> None:
        if self.patient_id is not None:
            self._validate_timer.start()

    def _validate(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        self._validation_seq += 1
        seq = self._validation_seq
        appointment_id = self.appointment.id if self.appointment is not None else None

        def shown(result: Any) -> None:
            if seq == self._validation_seq:
                self._show_verdict(None)

        def failed(exc: Exception) -> None:
            if seq == self._validation_seq:
                self._show_verdict(exc)

        self.ops.run(lambda api: appointments.validate(api, draft, appointment_id), self).success(
            shown
        ).failure(failed).run()

    def _show_verdict(self, error: Exception | None) -> None:
        self.waiting_list.offer(isinstance(error, ApiError))
        if error is None:
            self.last_validation = {"ok": True}
            self.verdict.setStyleSheet(f"color: {GREEN};")
            self.verdict.setText(self.tr("✓ Der Termin ist frei."))
            self.alternatives.clear()
            return
        self.last_validation = {"ok": False, "message": str(error)}
        self.verdict.setStyleSheet(f"color: {RED};")
        self.verdict.setText(str(error))
        if isinstance(error, ApiError):  # refused by the rules, not lost on the way
            self._offer_alternatives()

    # -- refused: where it fits instead ---------------------------------------------------

    def _offer_alternatives(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        seq = self._validation_seq
        minutes = self.minutes.value()

        def found(result: suggest.Alternatives) -> None:
            if seq == self._validation_seq:
                self.alternatives.show_alternatives(
                    result, self.doctor.currentText(), draft.start.date()
                )

        def failed(_: Exception) -> None:
            if seq == self._validation_seq:
                self.alternatives.clear()

        self.alternatives.show_searching()
        self.ops.run(
            lambda api: suggest.nearest_free(
                api,
                doctor_id=draft.doctor,
                start=draft.start,
                minutes=minutes,
                type_id=draft.type_id,
            ),
            self,
        ).success(found).failure(failed).run()

    def _take_slot(self, slot: suggest.Slot) -> None:
        """Doctor, date and time of the chosen slot; the change is checked again as usual."""
        self.alternatives.clear()
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(slot.doctor_id)))
        self.date.setDate(QDate(slot.start.year, slot.start.month, slot.start.day))
        self.time.setTime(QTime(slot.start.hour, slot.start.minute))

    def save(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        self.save_button.setEnabled(False)
        work: Callable[[ApiClient], AppointmentRecord]
        if self.appointment is None:
            work = lambda api: appointments.create(api, draft)  # noqa: E731
        else:
            appointment_id, status = self.appointment.id, self.chosen_status()
            work = lambda api: appointments.update(api, appointment_id, draft, status)  # noqa: E731
        self.ops.run(work, self).changes(LiveEntity.APPOINTMENT).success(self._saved).failure(
            self._save_failed
        ).run()

    def _saved(self, record: AppointmentRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        # The dialog stays open and keeps what was typed, also while the server is away.
        self._update_save()
        if isinstance(exc, ConnectionLost):
            self.verdict.setStyleSheet(f"color: {RED};")
            self.verdict.setText(
                self.tr(
                    "Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – "
                    "bitte erneut speichern, sobald die Verbindung wieder besteht."
                )
            )
            return
        self._show_verdict(exc if isinstance(exc, ApiError) else Exception(str(exc)))
