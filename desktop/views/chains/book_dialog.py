"""„Terminkette buchen …“: pick a template, see the first options side by side, book one.

Opened from the calendar and from Patienten. The options are a table with one column per
option and one row per step ("Mo 18.01. 09:00–09:30 · Dr. Müller · OP-Saal 1"), so the
front desk compares whole chains at a glance. Booking writes every step or none; when a
step was taken meanwhile the server names it and sends fresh options, which replace the
table.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.api import chains
from desktop.api.errors import ApiError
from desktop.api.patients import Patient
from desktop.ops import Ops
from desktop.views.patient_picker import PatientPicker

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
OPTIONS = 5


def step_text(step: chains.OptionStep) -> str:
    """One cell: local day and time, doctor, room and devices."""
    start, end = step.start.astimezone(BERLIN), step.end.astimezone(BERLIN)
    when = f"{WEEKDAYS[start.weekday()]} {start:%d.%m.} {start:%H:%M}–{end:%H:%M}"
    who = [step.doctor_name, *([step.room_name] if step.room_name else []), *step.resource_names]
    return f"{when}\n{' · '.join(who)}"


class ChainBookingDialog(QDialog):
    """Template, patient and first day → options side by side → one booked."""

    booked = Signal(object)  # chains.Chain

    def __init__(
        self,
        ops: Ops,
        *,
        patient: Patient | None = None,
        start: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(self.tr("Terminkette buchen"))
        self.resize(980, 560)
        self.templates: list[chains.ChainTemplate] = []
        self.options: list[chains.ChainOption] = []
        self.patient: Patient | None = patient
        self.chain: chains.Chain | None = None

        self.template_box = QComboBox()
        self.template_box.setAccessibleName(self.tr("Vorlage"))
        self.picker = PatientPicker(
            ops, chosen_name=patient.display_name if patient else None, parent=self
        )
        self.picker.chosen.connect(self._patient_chosen)
        self.first_day = QDateEdit()
        self.first_day.setCalendarPopup(True)
        self.first_day.setDisplayFormat("dd.MM.yyyy")
        day = start or date.today()
        self.first_day.setDate(QDate(day.year, day.month, day.day))
        self.search_button = QPushButton(self.tr("&Vorschläge suchen"))
        self.search_button.clicked.connect(self.search)
        form = QFormLayout()
        form.addRow(self.tr("&Vorlage:"), self.template_box)
        form.addRow(self.tr("&Patient:"), self.picker)
        day_row = QHBoxLayout()
        day_row.addWidget(self.first_day)
        day_row.addWidget(self.search_button)
        day_row.addStretch(1)
        form.addRow(self.tr("Ab &Datum:"), day_row)

        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName(self.tr("Vorschläge"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {theme.INK_MUTED};")

        self.buttons = QDialogButtonBox()
        self.book_button = self.buttons.addButton(
            self.tr("&Buchen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setEnabled(False)
        self.book_button.clicked.connect(self.book)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        close.setText(self.tr("Abbrechen"))
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._load_templates()

    # -- loading --------------------------------------------------------------------------

    def _load_templates(self) -> None:
        self.status.setText(self.tr("Vorlagen werden geladen …"))
        self.ops.run(lambda api: chains.templates(api, only_active=True), self).success(
            self._templates_loaded
        ).failure(self._failed).run()

    def _templates_loaded(self, templates: list[chains.ChainTemplate]) -> None:
        self.templates = templates
        self.template_box.clear()
        for template in templates:
            self.template_box.addItem(
                self.tr("{0} ({1} Schritte)").format(template.name, len(template.steps)),
                template.id,
            )
        self.status.setText(
            "" if templates else self.tr("Keine Vorlage – Terminketten unter Stammdaten anlegen.")
        )

    def _patient_chosen(self, patient: Patient) -> None:
        self.patient = patient

    @property
    def template_id(self) -> int | None:
        value = self.template_box.currentData()
        return int(value) if value is not None else None

    def search(self) -> None:
        template_id, patient = self.template_id, self.patient
        if template_id is None or patient is None:
            self.status.setText(self.tr("Bitte Vorlage und Patient wählen."))
            return
        first = self.first_day.date().toPython()
        assert isinstance(first, date)
        self.status.setText(self.tr("Suche …"))
        self.search_button.setEnabled(False)
        self.ops.run(
            lambda api: chains.suggest(api, template_id, patient.id, first, limit=OPTIONS), self
        ).success(self._show_options).failure(self._failed).run()

    def _show_options(self, options: list[chains.ChainOption], note: str = "") -> None:
        self.search_button.setEnabled(True)
        self.options = options
        self.table.clear()
        self.table.setColumnCount(len(options))
        steps = options[0].steps if options else ()
        self.table.setRowCount(len(steps))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Vorschlag {0}").format(i + 1) for i in range(len(options))]
        )
        self.table.setVerticalHeaderLabels([f"{s.position}. {s.name}" for s in steps])
        for column, option in enumerate(options):
            for row, step in enumerate(option.steps):
                item = QTableWidgetItem(step_text(step))
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.book_button.setEnabled(False)
        if options:
            self.table.selectColumn(0)
        found = (
            self.tr("{0} Vorschläge – einen wählen und buchen.").format(len(options))
            if options
            else self.tr("Keine vollständige Kette im Suchzeitraum (6 Wochen).")
        )
        self.status.setText(f"{note}\n{found}" if note else found)

    def _selection_changed(self) -> None:
        self.book_button.setEnabled(self.chosen_option() is not None)

    def chosen_option(self) -> chains.ChainOption | None:
        columns = {index.column() for index in self.table.selectedIndexes()}
        if len(columns) != 1:
            return None
        column = columns.pop()
        return self.options[column] if 0 <= column < len(self.options) else None

    # -- booking --------------------------------------------------------------------------

    def book(self) -> None:
        option, template_id, patient = self.chosen_option(), self.template_id, self.patient
        if option is None or template_id is None or patient is None:
            return
        self.book_button.setEnabled(False)
        self.status.setText(self.tr("Wird gebucht …"))
        self.ops.run(lambda api: chains.book(api, template_id, patient.id, option), self).changes(
            "chain", "appointment", "operation"
        ).success(self._booked).failure(self._book_failed).run()

    def _booked(self, chain: chains.Chain) -> None:
        self.chain = chain
        self.booked.emit(chain)
        self.accept()

    def _book_failed(self, error: Exception) -> None:
        if isinstance(error, chains.ChainTaken):
            note = self.tr("{0} Neue Vorschläge:").format(error.message)
            self._show_options(error.options, note)
            return
        self._failed(error)

    def _failed(self, error: Exception) -> None:
        self.search_button.setEnabled(True)
        self.book_button.setEnabled(self.chosen_option() is not None)
        text = error.message if isinstance(error, ApiError) else str(error)
        self.status.setText(self.tr("Fehler: {0}").format(text))


def first_step_day(chain: chains.Chain) -> date | None:
    """The local day of the chain's first step (the calendar shows it after booking)."""
    if not chain.steps:
        return None
    first: datetime = chain.steps[0].start
    return first.astimezone(BERLIN).date()
