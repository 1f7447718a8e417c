"""The Patienten screen: search, paged list, detail with the appointment/operation history.

Search-as-you-type uses ``GET /api/patients/search/?q=`` (name, birth date ``TT.MM.JJJJ``,
insurance number, patient number — 02 §1.4); with an empty search the full list is paged
through ``GET /api/patients/``. The detail shows the master record (editable by admin,
assistant and doctor; billing reads only — 02 §1.2) and the patient's history from the
``patient_id`` filter of the appointment and operation lists. Leaving an edited master record
(another patient, "Neuer Patient", another screen) asks first (:mod:`desktop.views.unsaved`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.api.patients import Patient
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.session import User
from desktop.views.calendar.model import local
from desktop.views.chains.book_dialog import ChainBookingDialog
from desktop.views.chains.chains_dialog import PatientChainsDialog
from desktop.views.master_data.form import (
    ERROR_STYLE,
    Field,
    RecordForm,
    failure_text,
    german_date,
    weekday_name,
)
from desktop.views.reminders.consent import ConsentPanel
from desktop.views.unsaved import LeaveGuard

PAGE_SIZE = 50
SEARCH_DELAY_MS = 250
WRITERS = {"admin", "assistant", "doctor"}
#: Who may book appointments for any doctor (rbac-appointments: create; a doctor books only
#: for themself, which "Freie Termine" with "Beliebiger Arzt" would not respect).
BOOKERS = {"admin", "assistant"}
#: The history reaches this far back and ahead (the lists always carry a date range).
HISTORY_YEARS_BACK = 30
HISTORY_YEARS_AHEAD = 5

translate = QCoreApplication.translate
#: Status → label (source texts; shown through ``self.tr`` of the page).
APPOINTMENT_STATUS = {
    "scheduled": QT_TRANSLATE_NOOP("PatientsPage", "geplant"),
    "confirmed": QT_TRANSLATE_NOOP("PatientsPage", "bestätigt"),
    "completed": QT_TRANSLATE_NOOP("PatientsPage", "abgeschlossen"),
    "cancelled": QT_TRANSLATE_NOOP("PatientsPage", "abgesagt"),
    "no_show": QT_TRANSLATE_NOOP("PatientsPage", "nicht erschienen"),
}
OPERATION_STATUS = {
    "planned": QT_TRANSLATE_NOOP("PatientsPage", "geplant"),
    "confirmed": QT_TRANSLATE_NOOP("PatientsPage", "bestätigt"),
    "running": QT_TRANSLATE_NOOP("PatientsPage", "läuft"),
    "done": QT_TRANSLATE_NOOP("PatientsPage", "abgeschlossen"),
    "cancelled": QT_TRANSLATE_NOOP("PatientsPage", "abgesagt"),
}


def patient_fields() -> list[Field]:
    """The master record form as shown (built with the page, so its texts are translated)."""
    genders = (
        ("female", translate("PatientsPage", "weiblich")),
        ("male", translate("PatientsPage", "männlich")),
        ("diverse", translate("PatientsPage", "divers")),
    )
    return [
        Field(
            "id",
            translate("PatientsPage", "Patientennr."),
            "optional_number",
            placeholder=translate("PatientsPage", "leer lassen – wird vergeben"),
            read_only_on_edit=True,
        ),
        Field("last_name", translate("PatientsPage", "Nachname")),
        Field("first_name", translate("PatientsPage", "Vorname")),
        Field("birth_date", translate("PatientsPage", "Geburtsdatum"), "optional_date"),
        Field(
            "gender",
            translate("PatientsPage", "Geschlecht"),
            "choice",
            choices=genders,
            none_label="–",
        ),
        Field("insurance_number", translate("PatientsPage", "Versichertennr.")),
        Field("phone", translate("PatientsPage", "Telefon")),
        Field("email", translate("PatientsPage", "E-Mail")),
    ]


def display_name(patient: dict[str, Any]) -> str:
    name = ", ".join(p for p in (patient.get("last_name"), patient.get("first_name")) if p)
    return name or translate("PatientsPage", "Patient #{0}").format(patient["id"])


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], ids: list[Any] | None = None) -> None:
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)
    table.blockSignals(False)


def _when(start: str, end: str) -> tuple[str, str]:
    first, last = local(start), local(end)
    return (
        f"{weekday_name(first.weekday(), short=True)} {first:%d.%m.%Y}",
        f"{first:%H:%M}–{last:%H:%M}",
    )


class PatientsPage(QWidget):
    loaded = Signal()
    history_loaded = Signal()
    saved = Signal(object)
    #: "Termin vereinbaren": the calendar books for this :class:`desktop.api.patients.Patient`
    book_requested = Signal(object)

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.can_write = user.role in WRITERS
        self.may_book = user.role in BOOKERS
        self.patients: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.page = 1
        self.count = 0
        self.searching = False
        self.loading = False
        self.saving = False
        self.appointments: list[dict[str, Any]] = []
        self.operations: list[dict[str, Any]] = []
        self._seq = 0
        self._history_seq = 0
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._refresh_after_change)
        self._changed: set[str] = set()
        self.guard = LeaveGuard(
            self,
            modified=lambda: self.dirty,
            save=self.save,
            saving=lambda: self.saving,
            discard=self.discard,
        )
        self.build_ui()
        ops.changed.connect(self._something_changed)
        ops.connection_restored.connect(self.reload)

    # -- UI -----------------------------------------------------------------------------------

    def build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Suchen: Name, Geburtsdatum (TT.MM.JJJJ), Versichertennr. oder Patientennr.")
        )
        self.search.setAccessibleName(self.tr("Patientensuche"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        bar.addWidget(self.search, 1)
        self.prev_button = QPushButton("◀")
        self.prev_button.setAccessibleName(self.tr("Vorherige Seite"))
        self.prev_button.setFixedWidth(36)
        self.prev_button.clicked.connect(lambda: self.go_to_page(self.page - 1))
        self.page_label = QLabel()
        self.next_button = QPushButton("▶")
        self.next_button.setAccessibleName(self.tr("Nächste Seite"))
        self.next_button.setFixedWidth(36)
        self.next_button.clicked.connect(lambda: self.go_to_page(self.page + 1))
        for widget in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        self.new_button = QPushButton(self.tr("Neuer Patient"))
        self.new_button.setToolTip(self.tr("Neuen Patienten anlegen (Strg+N)"))
        self.new_button.clicked.connect(self.new_patient)
        self.new_button.setVisible(self.can_write)
        bar.addWidget(self.new_button)
        outer.addLayout(bar)

        self.list_message = QLabel()
        self.list_message.setWordWrap(True)
        self.list_message.setStyleSheet(ERROR_STYLE)
        self.list_message.hide()
        outer.addWidget(self.list_message)

        splitter = QSplitter()
        self.table = _table(
            [
                self.tr("Nr."),
                self.tr("Name"),
                self.tr("Geburtsdatum"),
                self.tr("Versichertennr."),
                self.tr("Telefon"),
            ],
            self.tr("Patientenliste"),
        )
        self.table.itemSelectionChanged.connect(self._row_chosen)
        splitter.addWidget(self.table)

        detail = QWidget()
        side = QVBoxLayout(detail)
        side.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel(self.tr("Kein Patient gewählt"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        self.book_button = QPushButton(self.tr("Termin vereinbaren"))
        self.book_button.setToolTip(
            self.tr("Freie Termine im Kalender für diesen Patienten suchen und buchen")
        )
        self.book_button.clicked.connect(self.book_appointment)
        title_row.addWidget(self.book_button)
        self.chain_button = QPushButton(self.tr("Terminkette buchen …"))
        self.chain_button.setToolTip(self.tr("Eine Terminkette für diesen Patienten buchen"))
        self.chain_button.clicked.connect(lambda: self.book_chain())
        self.chain_button.setVisible(self.may_book)
        title_row.addWidget(self.chain_button)
        self.chains_button = QPushButton(self.tr("Terminketten …"))
        self.chains_button.setToolTip(self.tr("Gebuchte Terminketten ansehen und Schritte absagen"))
        self.chains_button.clicked.connect(lambda: self.show_chains())
        title_row.addWidget(self.chains_button)
        side.addLayout(title_row)
        self.hint = QLabel(self.tr("Nur Lesezugriff: Patientendaten ändern Ärzte, MFA und Admins."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #52606D;")
        self.hint.setVisible(not self.can_write)
        side.addWidget(self.hint)
        self.tabs = QTabWidget()
        master = QWidget()
        master_layout = QVBoxLayout(master)
        self.form = RecordForm(patient_fields())
        master_layout.addWidget(self.form, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.discard_button = QPushButton(self.tr("Verwerfen"))
        self.discard_button.clicked.connect(self.discard)
        self.save_button = QPushButton(self.tr("Speichern"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Speichern (Strg+S)"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        master_layout.addLayout(buttons)
        self.tabs.addTab(master, self.tr("Stammdaten"))
        self.appointment_table = _table(
            [
                self.tr("Datum"),
                self.tr("Zeit"),
                self.tr("Arzt"),
                self.tr("Terminart"),
                self.tr("Status"),
            ],
            self.tr("Termine des Patienten"),
        )
        self.tabs.addTab(self.appointment_table, self.tr("Termine"))
        self.operation_table = _table(
            [
                self.tr("Datum"),
                self.tr("Zeit"),
                self.tr("OP-Art"),
                self.tr("Saal"),
                self.tr("Operateur"),
                self.tr("Status"),
            ],
            self.tr("Operationen des Patienten"),
        )
        self.tabs.addTab(self.operation_table, self.tr("Operationen"))
        self.consent = ConsentPanel(self.ops, self.user)  # issue 19: reminder consent
        self.tabs.addTab(self.consent, self.tr("Einwilligungen"))
        side.addWidget(self.tabs, 1)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)
        for keys, action in (("Ctrl+N", self.new_patient), ("Ctrl+S", self.save)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.show_patient(None)

    # -- list and search ----------------------------------------------------------------------

    def go_to_page(self, page: int) -> None:
        pages = max(1, -(-self.count // PAGE_SIZE))
        if 1 <= page <= pages:
            self.page = page
            self.reload()

    def reload(self) -> None:
        query = self.search.text().strip()
        self._seq += 1
        seq = self._seq
        self.loading = True
        page = self.page
        if query:

            def work(api: Any) -> dict[str, Any]:
                rows = api.get("/api/patients/search/", q=query)
                return {"results": rows, "count": len(rows), "search": True}

        else:

            def work(api: Any) -> dict[str, Any]:
                body: dict[str, Any] = api.get("/api/patients/", page=page, page_size=PAGE_SIZE)
                return body

        self.ops.run(work, self).success(lambda body: self._listed(seq, body)).failure(
            lambda exc: self._list_failed(seq, exc)
        ).run()

    def _listed(self, seq: int, body: dict[str, Any]) -> None:
        if seq != self._seq:
            return
        self.loading = False
        self.list_message.hide()
        self.searching = bool(body.get("search"))
        self.patients = list(body["results"])
        self.count = int(body["count"])
        _fill(
            self.table,
            [
                [
                    str(p["id"]),
                    display_name(p),
                    german_date(p.get("birth_date")),
                    p.get("insurance_number") or "",
                    p.get("phone") or "",
                ]
                for p in self.patients
            ],
            [p["id"] for p in self.patients],
        )
        pages = max(1, -(-self.count // PAGE_SIZE))
        if self.searching:
            self.page_label.setText(self.tr("{0} Treffer").format(self.count))
        else:
            self.page_label.setText(
                self.tr("Seite {0} von {1} · {2} Patienten").format(self.page, pages, self.count)
            )
        self.prev_button.setEnabled(not self.searching and self.page > 1)
        self.next_button.setEnabled(not self.searching and self.page < pages)
        if self.current is not None:
            self._select(self.current.get("id"))
        self.loaded.emit()

    def _list_failed(self, seq: int, error: Exception) -> None:
        if seq != self._seq:
            return
        self.loading = False
        self.list_message.setText(failure_text(error))
        self.list_message.show()
        self.loaded.emit()

    def _select(self, patient_id: Any) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        for row, patient in enumerate(self.patients):
            if patient["id"] == patient_id:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._go_to(self.patients[rows[0].row()])

    def open_patient(self, patient_id: int) -> None:
        patient = next((p for p in self.patients if p["id"] == patient_id), None)
        if patient is not None:
            self._go_to(patient)

    def _go_to(self, patient: dict[str, Any]) -> None:
        patient_id = int(patient["id"])
        if self.guard.leave(lambda: self.open_patient(patient_id)):
            self._select(patient_id)
            self.show_patient(patient)
        else:  # stay on the patient being edited (none: a new one)
            self._select(self.current.get("id") if self.current is not None else None)

    @property
    def dirty(self) -> bool:
        """The master record form holds edits that are not saved."""
        return self.form.is_modified()

    def can_leave(self, then: Callable[[], object]) -> bool:
        """Whether the screen may be left now (:class:`desktop.views.unsaved.Leavable`)."""
        return self.guard.leave(then)

    def discard(self) -> None:
        self.show_patient(self.current)

    # -- detail -------------------------------------------------------------------------------

    def show_patient(self, patient: dict[str, Any] | None) -> None:
        self.current = patient
        self.form.load(patient)
        self.form.set_writable(self.can_write)
        self.save_button.setVisible(self.can_write)
        self.discard_button.setVisible(self.can_write)
        self.book_button.setVisible(patient is not None and self.may_book)
        self.consent.show_patient(int(patient["id"]) if patient is not None else None)
        if patient is None:
            self.title.setText(
                self.tr("Neuer Patient") if self.can_write else self.tr("Kein Patient gewählt")
            )
            self.appointments, self.operations = [], []
            self._show_history()
            return
        born = german_date(patient.get("birth_date"))
        self.title.setText(f"{display_name(patient)}" + (f" (* {born})" if born else ""))
        self.load_history(int(patient["id"]))

    def book_appointment(self) -> None:
        """Hands the shown patient to the calendar's booking ("Termin vereinbaren")."""
        current = self.current
        if current is None:
            return
        birth = current.get("birth_date")
        self.book_requested.emit(
            Patient(
                id=int(current["id"]),
                first_name=str(current.get("first_name") or ""),
                last_name=str(current.get("last_name") or ""),
                birth_date=date.fromisoformat(birth) if birth else None,
                insurance_number=current.get("insurance_number"),
            )
        )

    def book_chain(self) -> ChainBookingDialog | None:
        """„Terminkette buchen …“ for the shown patient (issue 17)."""
        current = self.current
        if current is None:
            return None
        birth = current.get("birth_date")
        patient = Patient(
            id=int(current["id"]),
            first_name=str(current.get("first_name") or ""),
            last_name=str(current.get("last_name") or ""),
            birth_date=date.fromisoformat(birth) if birth else None,
            insurance_number=current.get("insurance_number"),
        )
        dialog = ChainBookingDialog(self.ops, patient=patient, parent=self)
        dialog.booked.connect(lambda _chain: self.load_history(patient.id))
        dialog.open()
        return dialog

    def show_chains(self) -> PatientChainsDialog | None:
        """The shown patient's Terminketten (issue 17)."""
        current = self.current
        if current is None:
            return None
        patient = Patient(
            id=int(current["id"]),
            first_name=str(current.get("first_name") or ""),
            last_name=str(current.get("last_name") or ""),
            birth_date=None,
        )
        dialog = PatientChainsDialog(self.ops, patient, parent=self)
        dialog.open()
        return dialog

    def new_patient(self) -> None:
        if not self.can_write or not self.guard.leave(self.new_patient):
            return
        self.table.clearSelection()
        self.show_patient(None)
        self.tabs.setCurrentIndex(0)
        self.form.widgets["last_name"].setFocus()

    def load_history(self, patient_id: int) -> None:
        self._history_seq += 1
        seq = self._history_seq
        today = date.today()
        window = {
            "patient_id": patient_id,
            "start_date": (today - timedelta(days=365 * HISTORY_YEARS_BACK)).isoformat(),
            "end_date": (today + timedelta(days=365 * HISTORY_YEARS_AHEAD)).isoformat(),
        }

        def work(api: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
            appointments = api.get("/api/appointments/", **window)
            try:
                operations = api.get("/api/operations/", **window)
            except Exception:  # the operations list may be closed to this role: show the rest
                operations = None
            return appointments, operations

        def done(result: tuple[list[dict[str, Any]], list[dict[str, Any]] | None]) -> None:
            if seq != self._history_seq:
                return
            self.appointments = list(reversed(result[0]))  # newest first
            self.operations = list(reversed(result[1] or []))
            self._show_history()
            self.history_loaded.emit()

        def failed(error: Exception) -> None:
            if seq == self._history_seq:
                self.form.show_message(failure_text(error))

        self.ops.run(work, self).success(done).failure(failed).run()

    def _show_history(self) -> None:
        rows = []
        for item in self.appointments:
            day, clock = _when(item["start_time"], item["end_time"])
            kind = item.get("type") or {}
            status = APPOINTMENT_STATUS.get(item.get("status", ""), item.get("status", ""))
            if item.get("is_no_show"):
                status = APPOINTMENT_STATUS["no_show"]
            rows.append(
                [
                    day,
                    clock,
                    str(item.get("doctor_name") or ""),
                    str(kind.get("name") or "") if isinstance(kind, dict) else "",
                    self.tr(status),
                ]
            )
        _fill(self.appointment_table, rows)
        op_rows = []
        for op in self.operations:
            day, clock = _when(op["start_time"], op["end_time"])
            team = op.get("team") or {}
            surgeon = team.get("primary_surgeon") or {}
            op_rows.append(
                [
                    day,
                    clock,
                    str((op.get("op_type") or {}).get("name") or ""),
                    str((op.get("op_room") or {}).get("name") or ""),
                    str(surgeon.get("name") or ""),
                    self.tr(OPERATION_STATUS.get(op.get("status", ""), op.get("status", ""))),
                ]
            )
        _fill(self.operation_table, op_rows)
        self.tabs.setTabText(1, self.tr("Termine ({0})").format(len(rows)))
        self.tabs.setTabText(2, self.tr("Operationen ({0})").format(len(op_rows)))

    # -- writing ------------------------------------------------------------------------------

    def body(self) -> dict[str, Any]:
        values = self.form.values()
        if self.current is None:
            if values.get("id") in (None, ""):
                values.pop("id", None)  # the server assigns the next number (02 §1.3)
            return values
        values.pop("id", None)
        return {k: v for k, v in values.items() if (self.current.get(k) or None) != (v or None)}

    def save(self) -> bool:
        """Send the master record; False if nothing was sent."""
        if not self.can_write or self.saving:
            return False
        body = self.body()
        current = self.current
        if current is not None and not body:
            self.form.show_message(self.tr("Keine Änderungen."), ok=True)
            return False
        self.saving = True
        self.save_button.setEnabled(False)
        if current is None:
            op = self.ops.run(lambda api: api.post("/api/patients/", body), self)
        else:
            path = f"/api/patients/{current['id']}/"
            op = self.ops.run(lambda api: api.patch(path, body), self)
        op.changes("patient").success(self._saved).failure(self._save_failed).run()
        return True

    def _saved(self, patient: dict[str, Any]) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.show_patient(patient)
        self.form.show_message(
            self.tr("Gespeichert (Patientennr. {0}).").format(patient["id"]), ok=True
        )
        self.saved.emit(patient)
        self.guard.save_finished(True)

    def _save_failed(self, error: Exception) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.form.show_failure(error)
        self.guard.save_finished(False)

    # -- live ---------------------------------------------------------------------------------

    def _something_changed(self, entity: str) -> None:
        if entity in ("patient", "appointment", "operation"):
            self._changed.add(entity)
            self._refresh.start()

    def _refresh_after_change(self) -> None:
        changed, self._changed = self._changed, set()
        if not self.isVisible() and not self.patients:
            return  # never opened: loads when first shown
        if "patient" in changed:
            self.reload()
        if self.current is not None and changed & {"appointment", "operation"}:
            self.load_history(int(self.current["id"]))
