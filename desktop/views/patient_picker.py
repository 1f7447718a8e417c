"""Choose a patient by the server's search, or create one inline: one widget for every dialog
that books something for a patient (appointments, operations).

The search follows docs/patients-search.md ("Nachname, Vorname", birth date, insurance
number, umlauts either way) and runs as you type, off the UI thread through
``desktop.api.patients``. Enter takes the first hit, now or once the answer for what is typed
arrives; arrow down moves into the hits. "Neuer Patient …" opens the calendar's
``NewPatientPanel`` with what was typed. The hit list stays hidden until there is something to
show, so a dialog opens compact. The chosen patient is announced with ``chosen``; the dialog
decides what that means for it (enable saving, validate, move the focus on).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import patients
from desktop.ops import Ops
from desktop.views.calendar.new_patient import KeyCatcher, NewPatientPanel

SEARCH_DELAY_MS = 250
PATIENT_ID_ROLE = 256
#: About four hits: enough to choose from, small enough for a dialog at 1280×720.
RESULTS_HEIGHT = 96


class PatientPicker(QWidget):
    chosen = Signal(object)  # desktop.api.patients.Patient

    def __init__(
        self,
        ops: Ops,
        *,
        chosen_name: str | None = None,
        editable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """``chosen_name``: the patient already chosen (editing); ``editable=False`` shows just
        that name (an existing booking keeps its patient)."""
        super().__init__(parent)
        self.ops = ops
        self.patient_id: int | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, Geburtsdatum oder Versichertennr."))
        self.search.setAccessibleName(self.tr("Patientensuche"))
        self.search.setToolTip(
            self.tr(
                "„Nachname, Vorname“, „Vorname Nachname“, Geburtsdatum (TT.MM.JJJJ), "
                "Versicherten- oder Patientennummer; Eingabetaste übernimmt den ersten Treffer"
            )
        )
        self.new_patient_button = QPushButton(self.tr("Ne&uer Patient …"))
        self.new_patient_button.setToolTip(self.tr("Patienten hier anlegen und übernehmen"))
        self.new_patient_button.setAutoDefault(False)
        self.results = QListWidget()
        self.results.setMaximumHeight(RESULTS_HEIGHT)
        self.results.setAccessibleName(self.tr("Suchergebnisse"))
        self.results.hide()
        self.new_patient = NewPatientPanel(ops, self)
        self.label = QLabel(chosen_name or self.tr("– kein Patient gewählt –"))
        self.label.setAccessibleName(self.tr("Gewählter Patient"))
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.new_patient_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addWidget(self.results)
        layout.addWidget(self.new_patient)
        layout.addWidget(self.label)
        if not editable:
            self.search.hide()
            self.new_patient_button.hide()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        self._hits: dict[int, patients.Patient] = {}
        self._shown_query: str | None = None
        # Enter was pressed before the answer for this text arrived: take its first hit then.
        self._take_first_for: str | None = None
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        KeyCatcher(self.search, KeyCatcher.ENTER, self._take_first_hit)
        KeyCatcher(self.search, (Qt.Key.Key_Down,), self._go_to_results)
        self.results.itemClicked.connect(self.choose)
        self.results.itemActivated.connect(self.choose)
        self.new_patient_button.clicked.connect(self._start_new_patient)
        self.new_patient.created.connect(self._patient_created)
        self.new_patient.cancelled.connect(self._new_patient_cancelled)

    def take(self, patient: patients.Patient) -> None:
        """Make ``patient`` the chosen one and say so."""
        self.patient_id = patient.id
        self.label.setText(patient.display_name)
        self.chosen.emit(patient)

    def choose(self, entry: QListWidgetItem) -> None:
        """A hit clicked or activated ("Kein Patient gefunden" carries no id and is ignored)."""
        patient_id = entry.data(PATIENT_ID_ROLE)
        patient = self._hits.get(int(patient_id)) if patient_id is not None else None
        if patient is not None:
            self.take(patient)

    # -- search ---------------------------------------------------------------------------

    def _search(self) -> None:
        self._search_timer.stop()
        query = self.search.text().strip()
        if not query:
            self._shown_query = None
            self._hits = {}
            self.results.clear()
            self.results.hide()
            return
        self.ops.run(lambda api: patients.search(api, query), self).success(
            lambda hits: self._show(query, hits)
        ).run()

    def _show(self, query: str, hits: list[patients.Patient]) -> None:
        if query != self.search.text().strip():
            return  # an older answer
        self._shown_query = query
        self._hits = {patient.id: patient for patient in hits}
        self.results.clear()
        self.results.setVisible(not self.new_patient.isVisible())
        for patient in hits:
            entry = QListWidgetItem(
                self.tr("{0}  · Nr. {1}").format(patient.display_name, patient.id)
            )
            entry.setData(PATIENT_ID_ROLE, patient.id)
            self.results.addItem(entry)
        if not hits:
            self.results.addItem(self.tr("Kein Patient gefunden – „Neuer Patient …“ legt ihn an"))
        if self._take_first_for == query:
            self._take_first_for = None
            if hits:
                self.take(hits[0])

    def _take_first_hit(self) -> None:
        """Enter in the search: the first hit of what is typed, now or once it is found."""
        query = self.search.text().strip()
        if not query:
            return
        if query == self._shown_query and not self._search_timer.isActive():
            first = self.results.item(0)
            if first is not None:
                self.choose(first)
            return
        self._take_first_for = query
        self._search()  # now, without the typing delay

    def _go_to_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)

    # -- new patient ----------------------------------------------------------------------

    def _start_new_patient(self) -> None:
        self.results.hide()
        self.new_patient.start(self.search.text())

    def _new_patient_cancelled(self) -> None:
        self.results.setVisible(self.results.count() > 0)
        self.search.setFocus()

    def _patient_created(self, patient: patients.Patient) -> None:
        self.results.clear()
        self._hits = {patient.id: patient}
        self.take(patient)
