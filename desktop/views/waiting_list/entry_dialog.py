"""Put a patient on the waiting list, or change an entry: type, doctors, period, time windows,
priority and a note.

Time windows are edited as rows of "days + hours" ("Mo–Fr 08:00–12:00", "Di 15:00–18:00");
the server stores one window per weekday, so a row stands for one window on each of its
days. No row means "jederzeit" (any time within practice and doctor hours). Saving goes
through ``desktop.ops``; a refusal stays in the dialog with the server's German text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api import waiting_list
from desktop.api.client import ApiClient
from desktop.api.waiting_list import Choices, Entry, EntryDraft, TimeWindow
from desktop.ops import Ops
from desktop.theme import RED
from desktop.views.form_parts import buddy_label, check_state, save_cancel_buttons
from desktop.views.patient_picker import PatientPicker
from desktop.views.waiting_list.labels import PRIORITY, label, weekday, windows_text
from shared.domain.events import LiveEntity
from shared.domain.waiting_list import Priority

ID_ROLE = Qt.ItemDataRole.UserRole
#: the day choices of a window row: (days, text shown) — text built from the weekday names
DAY_CHOICES: list[tuple[int, ...]] = [(0, 1, 2, 3, 4), (0,), (1,), (2,), (3,), (4,), (5,), (6,)]
#: What the front desk says most: "vormittags", "nachmittags" (ends of the usual hours).
PARTS_OF_DAY = {"morning": (time(8), time(12)), "afternoon": (time(12), time(18))}
NOTE_LIMIT = 2000
#: "spätestens" offered four weeks ahead when it is ticked
LATEST_DEFAULT_DAYS = 28


@dataclass(frozen=True)
class EntryPreset:
    """What the appointment dialog hands over when no slot fits."""

    patient_id: int
    patient_name: str
    type_id: int | None
    doctor_id: int | None
    earliest_date: date


@dataclass(frozen=True)
class WindowRow:
    days: tuple[int, ...]
    start: time
    end: time

    def windows(self) -> tuple[TimeWindow, ...]:
        return tuple(TimeWindow(day, self.start, self.end) for day in self.days)


def rows_of(windows: tuple[TimeWindow, ...]) -> list[WindowRow]:
    """The entry's windows as the dialog shows them: one row per hours, with its days."""
    rows: dict[tuple[time, time], list[int]] = {}
    for window in windows:
        rows.setdefault((window.start, window.end), []).append(window.weekday)
    return [WindowRow(tuple(sorted(set(days))), s, e) for (s, e), days in rows.items()]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class EntryDialog(QDialog):
    saved = Signal(object)  # the server's Entry

    def __init__(
        self,
        ops: Ops,
        choices: Choices,
        *,
        today: date,
        entry: Entry | None = None,
        preset: EntryPreset | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.choices = choices
        self.entry = entry
        self.today = today
        self.setWindowTitle(
            self.tr("Wartelisteneintrag bearbeiten") if entry else self.tr("Auf die Warteliste")
        )
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        fixed_name = entry.display_name if entry else (preset.patient_name if preset else None)
        self.patient = PatientPicker(ops, chosen_name=fixed_name, editable=fixed_name is None)
        self.patient_id: int | None = (
            entry.patient_id if entry else (preset.patient_id if preset else None)
        )
        self.patient.chosen.connect(self._patient_chosen)
        form.addRow(buddy_label(self.tr("&Patient:"), self.patient.search), self.patient)

        self.type = QComboBox()
        self.type.setAccessibleName(self.tr("Terminart"))
        for kind in choices.bookable_types:
            self.type.addItem(
                self.tr("{0} ({1} Min.)").format(kind.name, kind.duration_minutes), kind.id
            )
        wanted_type = entry.type_id if entry else (preset.type_id if preset else None)
        if wanted_type is not None:
            self.type.setCurrentIndex(max(0, self.type.findData(wanted_type)))
        form.addRow(self.tr("&Terminart:"), self.type)

        self.doctors = QListWidget()
        self.doctors.setAccessibleName(self.tr("Gewünschte Ärzte"))
        self.doctors.setMaximumHeight(78)
        wanted_doctors = set(entry.doctor_ids) if entry else set()
        if preset is not None and preset.doctor_id is not None:
            wanted_doctors = {preset.doctor_id}
        for doctor in choices.doctors:
            item = QListWidgetItem(doctor.name)
            item.setData(ID_ROLE, doctor.id)
            item.setCheckState(check_state(doctor.id in wanted_doctors))
            self.doctors.addItem(item)
        doctors_box = QVBoxLayout()
        doctors_box.setSpacing(2)
        doctors_box.addWidget(self.doctors)
        doctors_hint = QLabel(self.tr("Ohne Haken: jeder Arzt"))
        doctors_hint.setStyleSheet("color: #52606D;")
        doctors_box.addWidget(doctors_hint)
        form.addRow(buddy_label(self.tr("Ä&rzte:"), self.doctors), doctors_box)

        self.earliest = QDateEdit()
        self.earliest.setCalendarPopup(True)
        self.earliest.setDisplayFormat("dd.MM.yyyy")
        self.earliest.setAccessibleName(self.tr("Frühestens"))
        first = entry.earliest_date if entry else (preset.earliest_date if preset else None)
        # a new entry cannot start in the past; an older entry keeps its date as it is
        self.earliest.setDate(_qdate(first or today if entry else max(first or today, today)))
        self.has_latest = QCheckBox(self.tr("spätestens"))
        self.latest = QDateEdit()
        self.latest.setCalendarPopup(True)
        self.latest.setDisplayFormat("dd.MM.yyyy")
        self.latest.setAccessibleName(self.tr("Spätestens"))
        last = entry.latest_date if entry else None
        self.latest.setDate(_qdate(last or today + timedelta(days=LATEST_DEFAULT_DAYS)))
        self.has_latest.setChecked(last is not None)
        self.latest.setEnabled(last is not None)
        self.has_latest.toggled.connect(self.latest.setEnabled)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("ab")))
        period.addWidget(self.earliest)
        period.addSpacing(8)
        period.addWidget(self.has_latest)
        period.addWidget(self.latest)
        period.addStretch(1)
        form.addRow(buddy_label(self.tr("&Zeitraum:"), self.earliest), period)

        form.addRow(buddy_label(self.tr("Zeit&fenster:"), self._windows_editor()), self.windows_box)
        for row in rows_of(entry.windows) if entry else []:
            self._add_row(row)

        self.priority = QComboBox()
        self.priority.setAccessibleName(self.tr("Priorität"))
        for value in (Priority.NORMAL, Priority.URGENT):
            self.priority.addItem(label(PRIORITY[value]), value.value)
        if entry is not None:
            self.priority.setCurrentIndex(self.priority.findData(entry.priority.value))
        form.addRow(self.tr("Pri&orität:"), self.priority)

        self.note = QLineEdit(entry.note if entry else "")
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText(self.tr("z. B. „kann kurzfristig kommen“"))
        form.addRow(self.tr("&Notiz:"), self.note)
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setAccessibleName(self.tr("Hinweis"))
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons, self.save_button = save_cancel_buttons(self, self.save)
        layout.addWidget(self.buttons)
        self._update_save()
        if self.patient_id is None:
            self.patient.search.setFocus()
        else:
            self.type.setFocus()

    # -- time windows ---------------------------------------------------------------------

    def _windows_editor(self) -> QWidget:
        """Days + von/bis + "Hinzufügen", the list of rows below; returns the first field."""
        self.windows_box = QWidget()
        box = QVBoxLayout(self.windows_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        editor = QHBoxLayout()
        self.window_days = QComboBox()
        self.window_days.setAccessibleName(self.tr("Wochentage des Zeitfensters"))
        for index, days in enumerate(DAY_CHOICES):
            text = weekday(days[0]) if len(days) == 1 else f"{weekday(days[0])}–{weekday(days[-1])}"
            self.window_days.addItem(text, index)
        self.window_part = QComboBox()
        self.window_part.setAccessibleName(self.tr("Tageszeit des Zeitfensters"))
        self.window_part.addItem(self.tr("vormittags"), "morning")
        self.window_part.addItem(self.tr("nachmittags"), "afternoon")
        self.window_part.addItem(self.tr("eigene Zeit"), "own")
        self.window_from = QTimeEdit(QTime(8, 0))
        self.window_to = QTimeEdit(QTime(12, 0))
        for edit, name in ((self.window_from, self.tr("von")), (self.window_to, self.tr("bis"))):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(name)
        self.window_part.currentIndexChanged.connect(self._part_chosen)
        self.window_from.timeChanged.connect(self._times_edited)
        self.window_to.timeChanged.connect(self._times_edited)
        self.add_window_button = QPushButton(self.tr("&Hinzufügen"))
        self.add_window_button.setAutoDefault(False)
        self.add_window_button.clicked.connect(self._add_window)
        editor.addWidget(self.window_days)
        editor.addWidget(self.window_part)
        editor.addWidget(self.window_from)
        editor.addWidget(QLabel("–"))
        editor.addWidget(self.window_to)
        editor.addWidget(self.add_window_button)
        editor.addStretch(1)
        box.addLayout(editor)
        rows = QHBoxLayout()
        self.window_list = QListWidget()
        self.window_list.setAccessibleName(self.tr("Zeitfenster"))
        self.window_list.setMaximumHeight(70)
        self.remove_window_button = QPushButton(self.tr("Entfernen"))
        self.remove_window_button.setAutoDefault(False)
        self.remove_window_button.clicked.connect(self._remove_window)
        rows.addWidget(self.window_list, 1)
        rows.addWidget(self.remove_window_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(rows)
        self.windows_hint = QLabel()
        self.windows_hint.setStyleSheet("color: #52606D;")
        box.addWidget(self.windows_hint)
        self._show_windows_hint()
        return self.window_days

    def _part_chosen(self) -> None:
        hours = PARTS_OF_DAY.get(str(self.window_part.currentData()))
        if hours is None:
            return
        for edit, value in zip((self.window_from, self.window_to), hours, strict=True):
            edit.blockSignals(True)
            edit.setTime(QTime(value.hour, value.minute))
            edit.blockSignals(False)

    def _times_edited(self) -> None:
        chosen = (self.window_from.time().toPython(), self.window_to.time().toPython())
        key = next((k for k, hours in PARTS_OF_DAY.items() if hours == chosen), "own")
        index = self.window_part.findData(key)
        self.window_part.blockSignals(True)
        self.window_part.setCurrentIndex(index)
        self.window_part.blockSignals(False)

    def _add_window(self) -> None:
        start: time = self.window_from.time().toPython()  # type: ignore[assignment]
        end: time = self.window_to.time().toPython()  # type: ignore[assignment]
        if start >= end:
            self._show_message(self.tr("Das Zeitfenster muss vor seinem Ende beginnen."))
            return
        self.message.hide()
        days = DAY_CHOICES[int(self.window_days.currentData())]
        self._add_row(WindowRow(days, start, end))

    def _add_row(self, row: WindowRow) -> None:
        item = QListWidgetItem(windows_text(row.windows()))
        item.setData(ID_ROLE, row)
        self.window_list.addItem(item)
        self._show_windows_hint()

    def _remove_window(self) -> None:
        row = self.window_list.currentRow()
        if row < 0 and self.window_list.count():
            row = self.window_list.count() - 1
        if row >= 0:
            self.window_list.takeItem(row)
        self._show_windows_hint()

    def _show_windows_hint(self) -> None:
        empty = self.window_list.count() == 0
        self.window_list.setVisible(not empty)
        self.remove_window_button.setVisible(not empty)
        self.windows_hint.setText(
            self.tr("Ohne Zeitfenster: jederzeit in den Sprechzeiten.") if empty else ""
        )
        self.windows_hint.setVisible(empty)

    def windows(self) -> tuple[TimeWindow, ...]:
        seen: dict[tuple[int, time, time], TimeWindow] = {}
        for n in range(self.window_list.count()):
            row: WindowRow = self.window_list.item(n).data(ID_ROLE)
            for window in row.windows():
                seen.setdefault((window.weekday, window.start, window.end), window)
        return tuple(seen.values())

    # -- patient and saving ---------------------------------------------------------------

    def _patient_chosen(self, patient: object) -> None:
        self.patient_id = getattr(patient, "id", None)
        self._update_save()
        self.type.setFocus()

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.patient_id is not None and self.type.count() > 0)
        if self.type.count() == 0:
            self._show_message(
                self.tr("Keine Terminart mit Dauer angelegt (Stammdaten → Terminarten).")
            )

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def draft(self) -> EntryDraft | None:
        if self.patient_id is None or self.type.currentData() is None:
            return None
        doctors = tuple(
            int(self.doctors.item(n).data(ID_ROLE))
            for n in range(self.doctors.count())
            if self.doctors.item(n).checkState() == check_state(True)
        )
        return EntryDraft(
            patient_id=self.patient_id,
            type_id=int(self.type.currentData()),
            doctor_ids=doctors,
            earliest_date=self.earliest.date().toPython(),  # type: ignore[arg-type]
            latest_date=self.latest.date().toPython() if self.has_latest.isChecked() else None,  # type: ignore[arg-type]
            windows=self.windows(),
            priority=Priority(str(self.priority.currentData())),
            note=self.note.text().strip(),
        )

    def save(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        self.save_button.setEnabled(False)
        work: Callable[[ApiClient], Entry]
        if self.entry is None:
            work = lambda api: waiting_list.create(api, draft)  # noqa: E731
        else:
            entry_id = self.entry.id
            work = lambda api: waiting_list.update(api, entry_id, draft)  # noqa: E731
        self.ops.run(work, self).changes(LiveEntity.WAITING_LIST_ENTRY).success(
            self._saved
        ).failure(self._refused).run()

    def _saved(self, entry: Entry) -> None:
        self.saved.emit(entry)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._update_save()
        self._show_message(self.tr("Nicht gespeichert: {0}").format(exc))
