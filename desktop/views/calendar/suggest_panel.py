""" "Freie Termine": free slots from ``desktop.api.suggest``, booked for a patient in one click.

With a patient bound (typed into the panel, or handed over by "Termin vereinbaren" on the
Patienten screen) a click on a slot books it at once; without one the click opens the
appointment dialog prefilled with the slot.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import patients, suggest
from desktop.api.errors import ApiError
from desktop.api.patients import Patient
from desktop.api.suggest import PartOfDay, Slot, SlotQuery
from desktop.ops import Ops
from desktop.theme import GREEN, RED
from desktop.views.calendar.model import CalendarData

SEARCH_DELAY_MS = 250
SLOT_ROLE = Qt.ItemDataRole.UserRole
PATIENT_ROLE = Qt.ItemDataRole.UserRole


class SuggestPanel(QWidget):
    #: doctor id, start datetime, type id or None, minutes (no patient bound: open the dialog)
    book_requested = Signal(int, object, object, int)
    #: the new appointment's id and the booked :class:`Slot`
    booked = Signal(int, object)
    #: a slot search finished (shown or failed)
    searched = Signal()

    def __init__(
        self, ops: Ops, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.day = today or date.today()
        self.today = today or date.today()
        self.patient: Patient | None = None
        self.slots: list[Slot] = []
        self.booking = False
        self.searched_once = False
        self._doctor_ids: list[int] = []
        self._types: dict[int, int | None] = {}
        self._patient_seq = 0
        self._search_seq = 0
        self.setMinimumWidth(250)
        self.setMaximumWidth(320)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        title = QLabel(self.tr("Freie Termine"))
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)

        self.patient_search = QLineEdit()
        self.patient_search.setPlaceholderText(self.tr("Patient suchen …"))
        self.patient_search.setAccessibleName(self.tr("Patient für die Buchung"))
        self.patient_search.setToolTip(
            self.tr(
                "„Nachname, Vorname“, Geburtsdatum oder Versichertennr.; Eingabetaste übernimmt"
            )
        )
        self.patient_search.setClearButtonEnabled(True)
        layout.addWidget(self.patient_search)
        self.patient_hits = QListWidget()
        self.patient_hits.setAccessibleName(self.tr("Gefundene Patienten"))
        self.patient_hits.setMaximumHeight(96)
        self.patient_hits.hide()
        layout.addWidget(self.patient_hits)
        patient_row = QHBoxLayout()
        self.patient_label = QLabel()
        self.patient_label.setWordWrap(True)
        self.patient_label.setAccessibleName(self.tr("Patient der Buchung"))
        self.unbind_button = QToolButton()
        self.unbind_button.setText("×")
        self.unbind_button.setToolTip(self.tr("Patient abwählen"))
        self.unbind_button.setAccessibleName(self.tr("Patient abwählen"))
        patient_row.addWidget(self.patient_label, 1)
        patient_row.addWidget(self.unbind_button)
        layout.addLayout(patient_row)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(15)
        self.minutes.setSuffix(self.tr(" Min."))
        self.doctor = QComboBox()
        self.part = QComboBox()
        self.part.setAccessibleName(self.tr("Tageszeit"))
        self.part.addItem(self.tr("ganztags"), PartOfDay.ALL)
        self.part.addItem(self.tr("vormittags"), PartOfDay.MORNING)
        self.part.addItem(self.tr("nachmittags"), PartOfDay.AFTERNOON)
        self.days = QSpinBox()
        self.days.setRange(1, 31)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" Tage"))
        for box in (self.type, self.doctor, self.part):
            # long type or doctor names must not widen the panel (and the window)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(10)
        form.addRow(self.tr("Terminart:"), self.type)
        form.addRow(self.tr("Dauer:"), self.minutes)
        form.addRow(self.tr("Arzt:"), self.doctor)
        form.addRow(self.tr("Tageszeit:"), self.part)
        form.addRow(self.tr("Zeitraum:"), self.days)
        layout.addLayout(form)
        self.search_button = QPushButton(self.tr("Freie Termine suchen"))
        self.search_button.clicked.connect(self.search)
        layout.addWidget(self.search_button)
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Vorschläge"))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)  # two lines per slot: keep them apart
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        layout.addWidget(self.results, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Hinweis zur Terminsuche"))
        layout.addWidget(self.status)

        self._patient_timer = QTimer(self)
        self._patient_timer.setSingleShot(True)
        self._patient_timer.setInterval(SEARCH_DELAY_MS)
        self._patient_timer.timeout.connect(self._find_patients)
        self.patient_search.textEdited.connect(lambda _text: self._patient_timer.start())
        self.patient_search.returnPressed.connect(self._take_first_patient)
        self.patient_hits.itemClicked.connect(self._patient_chosen)
        self.patient_hits.itemActivated.connect(self._patient_chosen)
        self.unbind_button.clicked.connect(lambda: self.bind_patient(None))
        self.type.currentIndexChanged.connect(self._type_changed)
        self.bind_patient(None)

    # -- calendar data --------------------------------------------------------------------

    def set_data(self, data: CalendarData, day: date, today: date | None = None) -> None:
        self.day = day
        if today is not None:
            self.today = today
        self._doctor_ids = [d.id for d in data.doctors]
        current_doctor, current_type = self.doctor.currentData(), self.type.currentData()
        self.doctor.blockSignals(True)
        self.doctor.clear()
        self.doctor.addItem(self.tr("Beliebiger Arzt"), None)
        for doctor in data.doctors:
            self.doctor.addItem(doctor.name, doctor.id)
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(current_doctor)))
        self.doctor.blockSignals(False)
        self.type.blockSignals(True)
        self.type.clear()
        self.type.addItem(self.tr("– ohne Terminart –"), None)
        self._types = {t.id: t.duration_minutes for t in data.types}
        for kind in data.types:
            self.type.addItem(kind.name, kind.id)
        self.type.setCurrentIndex(max(0, self.type.findData(current_type)))
        self.type.blockSignals(False)

    def _type_changed(self) -> None:
        minutes = self._types.get(self.type.currentData())
        if minutes:
            self.minutes.setValue(minutes)

    # -- the patient the slots are booked for -----------------------------------------------

    def bind_patient(self, patient: Patient | None) -> None:
        self.patient = patient
        self.patient_hits.clear()
        self.patient_hits.hide()
        if patient is None:
            self.patient_label.setText(
                self.tr("Kein Patient gewählt: ein Klick öffnet den Dialog.")
            )
            self.patient_label.setStyleSheet("color: #52606D;")
        else:
            self.patient_search.clear()
            self.patient_label.setText(self.tr("Für: {0}").format(patient.display_name))
            self.patient_label.setStyleSheet("font-weight: 600;")
        self.unbind_button.setVisible(patient is not None)
        self._hint()

    def _find_patients(self) -> None:
        text = self.patient_search.text().strip()
        self._patient_seq += 1
        seq = self._patient_seq
        if not text:
            self.patient_hits.clear()
            self.patient_hits.hide()
            return
        self.ops.run(lambda api: patients.search(api, text), self).success(
            lambda hits: self._patients_found(seq, hits)
        ).failure(lambda exc: self.status.setText(str(exc))).run()

    def _patients_found(self, seq: int, hits: list[Patient]) -> None:
        if seq != self._patient_seq:
            return
        self.patient_hits.clear()
        for patient in hits:
            entry = QListWidgetItem(patient.display_name)
            entry.setData(PATIENT_ROLE, patient)
            self.patient_hits.addItem(entry)
        if not hits:
            self.patient_hits.addItem(self.tr("Kein Patient gefunden."))
        self.patient_hits.show()

    def _take_first_patient(self) -> None:
        if self._patient_timer.isActive() or not self.patient_hits.count():
            # the hits for what was typed are not in yet: take the first once they are
            self._patient_timer.stop()
            text = self.patient_search.text().strip()
            if not text:
                return
            self._patient_seq += 1
            seq = self._patient_seq

            def first(hits: list[Patient]) -> None:
                if seq == self._patient_seq and hits:
                    self.bind_patient(hits[0])
                elif seq == self._patient_seq:
                    self._patients_found(seq, hits)

            self.ops.run(lambda api: patients.search(api, text), self).success(first).run()
            return
        self._patient_chosen(self.patient_hits.item(0))

    def _patient_chosen(self, entry: QListWidgetItem) -> None:
        patient = entry.data(PATIENT_ROLE)
        if isinstance(patient, Patient):
            self.bind_patient(patient)

    # -- slots ----------------------------------------------------------------------------

    def query(self) -> SlotQuery:
        part = self.part.currentData()
        return SlotQuery(
            minutes=self.minutes.value(),
            first_day=max(self.day, self.today),
            days=self.days.value(),
            type_id=self.type.currentData(),
            doctor_id=self.doctor.currentData(),
            part=part if isinstance(part, PartOfDay) else PartOfDay.ALL,
        )

    def search(self) -> None:
        query, doctors = self.query(), list(self._doctor_ids)
        self.status.setText(self.tr("Suche läuft …"))
        self.status.setStyleSheet("")
        self.search_button.setEnabled(False)
        # a search started meanwhile (another filter) answers for the list, not this one
        self._search_seq += 1
        seq = self._search_seq
        self.ops.run(lambda api: suggest.find_slots(api, query, doctors), self).success(
            lambda slots: self._show(seq, slots)
        ).failure(lambda exc: self._failed(seq, exc)).run()

    def _show(self, seq: int, slots: list[Slot]) -> None:
        if seq != self._search_seq:
            return
        self.search_button.setEnabled(True)
        self.searched_once = True
        self.slots = list(slots)
        self.results.clear()
        for slot in slots:
            entry = QListWidgetItem(f"{slot.when}\n{slot.doctor_name}")
            entry.setToolTip(f"{slot.when} · {slot.doctor_name}")
            entry.setData(SLOT_ROLE, slot)
            self.results.addItem(entry)
        self._hint()
        self.searched.emit()

    def _hint(self) -> None:
        if not self.search_button.isEnabled():
            return
        self.status.setStyleSheet("")
        if not self.slots:
            self.status.setText(
                self.tr("Keine freien Termine im Zeitraum.") if self.searched_once else ""
            )
        elif self.patient is not None:
            self.status.setText(
                self.tr("Ein Klick bucht den Termin für {0}.").format(self.patient.name)
            )
        else:
            self.status.setText(self.tr("Klicken Sie auf einen Vorschlag, um zu buchen."))

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq != self._search_seq:
            return
        self.search_button.setEnabled(True)
        if isinstance(exc, ApiError) and exc.status == 404:
            self.status.setText(self.tr("Der Server bietet die Terminsuche noch nicht an."))
        else:
            self.status.setText(str(exc))
        self.status.setStyleSheet(f"color: {RED};")
        self.searched.emit()

    def _chosen(self, entry: QListWidgetItem) -> None:
        slot = entry.data(SLOT_ROLE)
        if not isinstance(slot, Slot) or self.booking:
            return
        if self.patient is None:
            self.book_requested.emit(
                slot.doctor_id, slot.start, self.type.currentData(), slot.minutes
            )
            return
        self.book(slot)

    def book(self, slot: Slot) -> None:
        """Books ``slot`` for the bound patient (one click); the calendar shows it."""
        patient = self.patient
        if patient is None or self.booking:
            return
        self.booking = True
        type_id = self.type.currentData()
        self.status.setText(self.tr("Wird gebucht …"))
        self.status.setStyleSheet("")

        def done(appointment_id: int) -> None:
            self.booking = False
            if slot in self.slots:
                index = self.slots.index(slot)
                self.slots.pop(index)
                self.results.takeItem(index)
            self.status.setText(
                self.tr("Gebucht: {0} bei {1} für {2}.").format(
                    slot.when, slot.doctor_name, patient.name
                )
            )
            self.status.setStyleSheet(f"color: {GREEN}; font-weight: 600;")
            self.booked.emit(appointment_id, slot)

        def refused(exc: Exception) -> None:
            self.booking = False
            self.status.setText(self.tr("Nicht gebucht: {0}").format(exc))
            self.status.setStyleSheet(f"color: {RED};")

        self.ops.run(
            lambda api: suggest.book(api, slot, patient_id=patient.id, type_id=type_id), self
        ).changes("appointment").success(done).failure(refused).run()
