"""Create or edit an appointment; conflicts are shown inline before saving (validate)."""

from __future__ import annotations

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
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import ApiError, ConnectionLost
from desktop.ops import Ops
from desktop.theme import GREEN, RED
from desktop.views.calendar.model import Appointment, CalendarData, api_datetime

SEARCH_DELAY_MS = 250
VALIDATE_DELAY_MS = 300


class AppointmentDialog(QDialog):
    saved = Signal(object)  # the server's AppointmentRead

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

        self.patient_search = QLineEdit()
        self.patient_search.setPlaceholderText(self.tr("Name, Geburtsdatum oder Versichertennr."))
        self.patient_search.setAccessibleName(self.tr("Patientensuche"))
        self.patient_results = QListWidget()
        self.patient_results.setMaximumHeight(110)
        self.patient_results.setAccessibleName(self.tr("Suchergebnisse"))
        self.patient_label = QLabel(
            appointment.patient_name if appointment else self.tr("– kein Patient gewählt –")
        )
        patient_box = QVBoxLayout()
        patient_box.addWidget(self.patient_search)
        patient_box.addWidget(self.patient_results)
        patient_box.addWidget(self.patient_label)
        form.addRow(self.tr("&Patient:"), patient_box)
        if appointment:
            self.patient_search.hide()
            self.patient_results.hide()

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
        when.addWidget(QLabel(self.tr("Dauer:")))
        when.addWidget(self.minutes)
        form.addRow(self.tr("&Zeit:"), when)

        self.resources = QListWidget()
        self.resources.setMaximumHeight(90)
        self.resources.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for resource in data.resources:
            resource_kind = self.tr("Raum") if resource.type == "room" else self.tr("Gerät")
            entry = QListWidgetItem(f"{resource.name} ({resource_kind})")
            entry.setData(256, resource.id)
            preset = appointment.resource_ids if appointment is not None else resource_ids or []
            entry.setCheckState(_checked(resource.id in preset))
            self.resources.addItem(entry)
        form.addRow(self.tr("&Ressourcen:"), self.resources)

        self.notes = QLineEdit(appointment.notes if appointment else "")
        form.addRow(self.tr("&Notiz:"), self.notes)
        layout.addLayout(form)

        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Prüfergebnis"))
        layout.addWidget(self.verdict)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self._validate)
        self._validation_seq = 0
        self.last_validation: dict[str, Any] | None = None
        self.patient_search.textChanged.connect(lambda _: self._search_timer.start())
        self.patient_results.itemClicked.connect(self._choose_patient)
        self.patient_results.itemActivated.connect(self._choose_patient)
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

    # -- patient search -------------------------------------------------------------------

    def _search(self) -> None:
        query = self.patient_search.text().strip()
        if not query:
            self.patient_results.clear()
            return
        self.ops.run(lambda api: api.get("/api/patients/search/", q=query), self).success(
            lambda rows: self._show_patients(query, rows)
        ).run()

    def _show_patients(self, query: str, rows: list[dict[str, Any]]) -> None:
        if query != self.patient_search.text().strip():
            return  # an older answer
        self.patient_results.clear()
        for row in rows:
            name = ", ".join(x for x in (row.get("last_name"), row.get("first_name")) if x)
            birth = row.get("birth_date")
            if birth:
                name += f" ({birth[8:10]}.{birth[5:7]}.{birth[0:4]})"
            shown = name or self.tr("Patient #{0}").format(row["id"])
            entry = QListWidgetItem(self.tr("{0}  · Nr. {1}").format(shown, row["id"]))
            entry.setData(256, row["id"])
            entry.setData(257, name)
            self.patient_results.addItem(entry)
        if not rows:
            self.patient_results.addItem(self.tr("Kein Patient gefunden"))

    def _choose_patient(self, entry: QListWidgetItem) -> None:
        patient_id = entry.data(256)
        if patient_id is None:
            return
        self.patient_id = int(patient_id)
        self.patient_label.setText(str(entry.data(257)))
        self._update_save()
        self._schedule_validation()

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

    def body(self) -> dict[str, Any]:
        start = self.start()
        end = start + timedelta(minutes=self.minutes.value())
        resource_ids = [
            int(self.resources.item(n).data(256))
            for n in range(self.resources.count())
            if self.resources.item(n).checkState() == _checked(True)
        ]
        body: dict[str, Any] = {
            "patient_id": self.patient_id,
            "doctor": self.doctor.currentData(),
            "type": self.type.currentData(),
            "start_time": api_datetime(start),
            "end_time": api_datetime(end),
            "resource_ids": resource_ids,
            "notes": self.notes.text(),
        }
        if self.appointment is not None:
            body["id"] = self.appointment.id
        return body

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.patient_id is not None)

    def _schedule_validation(self, *_: Any) -> None:
        if self.patient_id is not None:
            self._validate_timer.start()

    def _validate(self) -> None:
        self._validation_seq += 1
        seq = self._validation_seq
        body = self.body()

        def shown(result: Any) -> None:
            if seq == self._validation_seq:
                self._show_verdict(None)

        def failed(exc: Exception) -> None:
            if seq == self._validation_seq:
                self._show_verdict(exc)

        self.ops.run(lambda api: api.post("/api/appointments/validate/", body), self).success(
            shown
        ).failure(failed).run()

    def _show_verdict(self, error: Exception | None) -> None:
        if error is None:
            self.last_validation = {"ok": True}
            self.verdict.setStyleSheet(f"color: {GREEN};")
            self.verdict.setText(self.tr("✓ Der Termin ist frei."))
            return
        self.last_validation = {"ok": False, "message": str(error)}
        self.verdict.setStyleSheet(f"color: {RED};")
        self.verdict.setText(str(error))

    def save(self) -> None:
        if self.patient_id is None:
            return
        body = self.body()
        body.pop("id", None)
        self.save_button.setEnabled(False)
        if self.appointment is None:
            work = lambda api: api.post("/api/appointments/", body)  # noqa: E731
        else:
            path = f"/api/appointments/{self.appointment.id}/"
            work = lambda api: api.patch(path, body)  # noqa: E731
        self.ops.run(work, self).changes("appointment").success(self._saved).failure(
            self._save_failed
        ).run()

    def _saved(self, row: dict[str, Any]) -> None:
        self.saved.emit(row)
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


def _checked(value: bool) -> Any:
    from PySide6.QtCore import Qt

    return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
