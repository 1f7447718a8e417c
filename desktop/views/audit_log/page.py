"""Audit-Log (admin): who did what, when, to which patient — filterable, paged (01 §6.7)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.session import ROLE_LABELS, User, role_label
from desktop.views.audit_log.details import details_text
from desktop.views.calendar.model import local
from desktop.views.master_data.form import ERROR_STYLE, german

PAGE_SIZE = 50

SUBJECTS = {
    "appointment_type": QT_TRANSLATE_NOOP("AuditLog", "Terminart"),
    "operation_type": QT_TRANSLATE_NOOP("AuditLog", "OP-Art"),
    "patient_flow": QT_TRANSLATE_NOOP("AuditLog", "Patientenfluss"),
    "practice_hours": QT_TRANSLATE_NOOP("AuditLog", "Praxiszeiten"),
    "doctor_hours": QT_TRANSLATE_NOOP("AuditLog", "Sprechzeiten"),
    "doctor_absence": QT_TRANSLATE_NOOP("AuditLog", "Abwesenheit"),
    "doctor_break": QT_TRANSLATE_NOOP("AuditLog", "Pause"),
    "doctor_substitution": QT_TRANSLATE_NOOP("AuditLog", "Vertretung"),
    "resource_booking": QT_TRANSLATE_NOOP("AuditLog", "Ressourcenbuchung"),
    "resource_calendar": QT_TRANSLATE_NOOP("AuditLog", "Ressourcenkalender"),
    "op_dashboard": QT_TRANSLATE_NOOP("AuditLog", "OP-Übersicht"),
    "op_timeline": QT_TRANSLATE_NOOP("AuditLog", "OP-Zeitleiste"),
    "op_stats": QT_TRANSLATE_NOOP("AuditLog", "OP-Statistik"),
    "op_status": QT_TRANSLATE_NOOP("AuditLog", "OP-Status"),
    "kpi": QT_TRANSLATE_NOOP("AuditLog", "Kennzahlen"),
    "appointment_series": QT_TRANSLATE_NOOP("AuditLog", "Terminserie"),
    "chain_template": QT_TRANSLATE_NOOP("AuditLog", "Kettenvorlage"),
    "chain_step": QT_TRANSLATE_NOOP("AuditLog", "Kettenschritt"),
    "chain": QT_TRANSLATE_NOOP("AuditLog", "Terminkette"),
    "waiting_list_entry": QT_TRANSLATE_NOOP("AuditLog", "Wartelisteneintrag"),
    "waiting_list_slot": QT_TRANSLATE_NOOP("AuditLog", "Freier Termin (Warteliste)"),
    "reminder_consent": QT_TRANSLATE_NOOP("AuditLog", "Einwilligung Erinnerungen"),
    "reminder_rule": QT_TRANSLATE_NOOP("AuditLog", "Erinnerungsregel"),
    "reminder_settings": QT_TRANSLATE_NOOP("AuditLog", "Erinnerungseinstellungen"),
    "reminder": QT_TRANSLATE_NOOP("AuditLog", "Erinnerung"),
    "calendar_feed_settings": QT_TRANSLATE_NOOP("AuditLog", "Kalender-Abo-Einstellungen"),
    "calendar_feed": QT_TRANSLATE_NOOP("AuditLog", "Kalender-Abo"),
    "display_token": QT_TRANSLATE_NOOP("AuditLog", "Zugang der Aufrufanzeige"),
    "practice_settings": QT_TRANSLATE_NOOP("AuditLog", "Praxiseinstellungen"),
    "user_preferences": QT_TRANSLATE_NOOP("AuditLog", "Persönliche Einstellungen"),
    "appointment": QT_TRANSLATE_NOOP("AuditLog", "Termin"),
    "operation": QT_TRANSLATE_NOOP("AuditLog", "Operation"),
    "patient": QT_TRANSLATE_NOOP("AuditLog", "Patient"),
    "resource": QT_TRANSLATE_NOOP("AuditLog", "Ressource"),
    "availability": QT_TRANSLATE_NOOP("AuditLog", "Verfügbarkeit"),
    "calendar": QT_TRANSLATE_NOOP("AuditLog", "Kalender"),
    "user": QT_TRANSLATE_NOOP("AuditLog", "Benutzer"),
    "login": QT_TRANSLATE_NOOP("AuditLog", "Anmeldung"),
    "logout": QT_TRANSLATE_NOOP("AuditLog", "Abmeldung"),
}
VERBS = {
    "list": QT_TRANSLATE_NOOP("AuditLog", "Liste abgerufen"),
    "view": QT_TRANSLATE_NOOP("AuditLog", "angesehen"),
    "create": QT_TRANSLATE_NOOP("AuditLog", "angelegt"),
    "created": QT_TRANSLATE_NOOP("AuditLog", "angelegt"),
    "update": QT_TRANSLATE_NOOP("AuditLog", "geändert"),
    "updated": QT_TRANSLATE_NOOP("AuditLog", "geändert"),
    "delete": QT_TRANSLATE_NOOP("AuditLog", "gelöscht"),
    "search": QT_TRANSLATE_NOOP("AuditLog", "gesucht"),
    "suggest": QT_TRANSLATE_NOOP("AuditLog", "Vorschläge abgerufen"),
    "conflict": QT_TRANSLATE_NOOP("AuditLog", "Konflikt abgewiesen"),
    "mark_no_show": QT_TRANSLATE_NOOP("AuditLog", "als nicht erschienen markiert"),
    "status_update": QT_TRANSLATE_NOOP("AuditLog", "Status geändert"),
    "preview": QT_TRANSLATE_NOOP("AuditLog", "Vorschau angesehen"),
    "day": QT_TRANSLATE_NOOP("AuditLog", "Tag angesehen"),
    "week": QT_TRANSLATE_NOOP("AuditLog", "Woche angesehen"),
    "month": QT_TRANSLATE_NOOP("AuditLog", "Monat angesehen"),
    "failed": QT_TRANSLATE_NOOP("AuditLog", "fehlgeschlagen"),
    "success": QT_TRANSLATE_NOOP("AuditLog", "erfolgreich"),
    "book": QT_TRANSLATE_NOOP("AuditLog", "gebucht"),
    "expire": QT_TRANSLATE_NOOP("AuditLog", "abgelaufen"),
    "revoke": QT_TRANSLATE_NOOP("AuditLog", "widerrufen"),
    "call": QT_TRANSLATE_NOOP("AuditLog", "aufgerufen"),
    "password_change": QT_TRANSLATE_NOOP("AuditLog", "Passwort geändert"),
    "cancel": QT_TRANSLATE_NOOP("AuditLog", "abgesagt"),
    "move": QT_TRANSLATE_NOOP("AuditLog", "verschoben"),
    "read": QT_TRANSLATE_NOOP("AuditLog", "abgerufen"),
    "list_read": QT_TRANSLATE_NOOP("AuditLog", "Liste abgerufen"),
    "sent": QT_TRANSLATE_NOOP("AuditLog", "gesendet"),
    "retry": QT_TRANSLATE_NOOP("AuditLog", "erneut angestoßen"),
}
COMMON_ACTIONS = (
    "patient_view",
    "patient_search",
    "patient_list",
    "patient_created",
    "patient_updated",
    "appointment_create",
    "appointment_update",
    "appointment_delete",
    "appointment_view",
    "operation_create",
    "operation_update",
    "operation_delete",
    "user_create",
    "user_update",
    "user_delete",
)


def action_label(action: str) -> str:
    """``appointment_create`` → "Termin angelegt" (unknown codes stay as they are)."""
    for subject in sorted(SUBJECTS, key=len, reverse=True):
        noun = QCoreApplication.translate("AuditLog", SUBJECTS[subject])
        if action.startswith(subject + "_"):
            verb = action[len(subject) + 1 :]
            if verb in VERBS:
                return f"{noun} {QCoreApplication.translate('AuditLog', VERBS[verb])}"
        if action == subject:
            return noun
    return action


class AuditLogPage(QWidget):
    loaded = Signal()

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.entries: list[dict[str, Any]] = []
        self.page = 1
        self.count = 0
        self.loading = False
        self._seq = 0
        self.build_ui()
        ops.changed.connect(self._something_changed)

    def build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        bar = QHBoxLayout()
        self.patient = QLineEdit()
        self.patient.setPlaceholderText(self.tr("Patientennr."))
        self.patient.setAccessibleName(self.tr("Patientennummer"))
        self.patient.setMaximumWidth(110)
        self.action = QComboBox()
        self.action.setEditable(True)
        self.action.setAccessibleName(self.tr("Aktion"))
        self.action.addItem(self.tr("Alle Aktionen"), "")
        for code in COMMON_ACTIONS:
            self.action.addItem(action_label(code), code)
        self.action.setMinimumWidth(190)
        self.user_box = QComboBox()
        self.user_box.setAccessibleName(self.tr("Benutzer"))
        self.user_box.addItem(self.tr("Alle Benutzer"), None)
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Rolle"))
        self.role.addItem(self.tr("Alle Rollen"), None)
        for name in ROLE_LABELS:
            self.role.addItem(role_label(name), name)
        self.use_range = QCheckBox(self.tr("Zeitraum:"))
        self.start = QDateEdit()
        self.end = QDateEdit()
        today = date.today()
        for edit, day in ((self.start, today - timedelta(days=7)), (self.end, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.setEnabled(False)
        self.start.setAccessibleName(self.tr("Von"))
        self.end.setAccessibleName(self.tr("Bis"))
        self.use_range.toggled.connect(self.start.setEnabled)
        self.use_range.toggled.connect(self.end.setEnabled)
        self.filter_button = QPushButton(self.tr("Filtern"))
        self.filter_button.setDefault(True)
        self.filter_button.clicked.connect(self.apply_filter)
        self.patient.returnPressed.connect(self.apply_filter)
        for widget in (
            QLabel(self.tr("Patient:")),
            self.patient,
            self.action,
            self.user_box,
            self.role,
            self.use_range,
            self.start,
            QLabel("–"),
            self.end,
            self.filter_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        outer.addLayout(bar)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        outer.addWidget(self.message)

        headers = [
            self.tr("Zeitpunkt"),
            self.tr("Benutzer"),
            self.tr("Rolle"),
            self.tr("Aktion"),
            self.tr("Patient"),
            self.tr("Details"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(self.tr("Audit-Einträge"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        outer.addWidget(self.table, 1)

        pager = QHBoxLayout()
        pager.addStretch(1)
        self.prev_button = QPushButton(self.tr("◀ Neuere"))
        self.prev_button.clicked.connect(lambda: self.go_to_page(self.page - 1))
        self.page_label = QLabel()
        self.next_button = QPushButton(self.tr("Ältere ▶"))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.page + 1))
        for widget in (self.prev_button, self.page_label, self.next_button):
            pager.addWidget(widget)
        outer.addLayout(pager)

    # -- filters ------------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if self.patient.text().strip():
            query["patient_id"] = self.patient.text().strip()
        index = self.action.currentIndex()
        text = self.action.currentText().strip()
        code = self.action.itemData(index) if self.action.itemText(index) == text else text
        if code:
            query["action"] = code
        if self.user_box.currentData() is not None:
            query["user"] = self.user_box.currentData()
        if self.role.currentData():
            query["role_name"] = self.role.currentData()
        if self.use_range.isChecked():
            query["start_date"] = self.start.date().toString("yyyy-MM-dd")
            query["end_date"] = self.end.date().toString("yyyy-MM-dd")
        return query

    def apply_filter(self) -> None:
        self.page = 1
        self.load()

    def go_to_page(self, page: int) -> None:
        pages = max(1, -(-self.count // PAGE_SIZE))
        if 1 <= page <= pages:
            self.page = page
            self.load()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """First opening: the user list for the filter, then the newest entries."""
        self.ops.run(lambda api: api.get_all("/api/users/"), self).success(self._users).run()
        self.load()

    def _users(self, users: list[dict[str, Any]]) -> None:
        current = self.user_box.currentData()
        self.user_box.blockSignals(True)
        self.user_box.clear()
        self.user_box.addItem(self.tr("Alle Benutzer"), None)
        for row in users:
            self.user_box.addItem(str(row["username"]), int(row["id"]))
        self.user_box.setCurrentIndex(max(self.user_box.findData(current), 0))
        self.user_box.blockSignals(False)

    def load(self) -> None:
        self._seq += 1
        seq = self._seq
        self.loading = True
        query = {**self.filters(), "page": self.page, "page_size": PAGE_SIZE}
        self.ops.run(lambda api: api.get("/api/audit-log/", **query), self).success(
            lambda body: self._loaded(seq, body)
        ).failure(lambda exc: self._failed(seq, exc)).run()

    def _loaded(self, seq: int, body: dict[str, Any]) -> None:
        if seq != self._seq:
            return
        self.loading = False
        self.message.hide()
        self.entries = list(body["results"])
        self.count = int(body["count"])
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            at = local(entry["timestamp"])
            details = details_text(entry.get("meta"))
            role = entry.get("role_name")
            values = [
                at.strftime("%d.%m.%Y %H:%M:%S"),
                self.tr("System")
                if entry.get("user") is None
                else str(entry.get("user_display") or ""),
                role_label(role) if role else "–",
                action_label(str(entry["action"])),
                "" if entry.get("patient_id") is None else str(entry["patient_id"]),
                details,
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 3:  # the code the action filter also takes
                    item.setToolTip(self.tr("Aktionscode: {0}").format(entry["action"]))
                if column == 5 and details:
                    item.setToolTip(details)
                item.setData(Qt.ItemDataRole.UserRole, entry["id"])
                self.table.setItem(row, column, item)
        pages = max(1, -(-self.count // PAGE_SIZE))
        self.page_label.setText(
            self.tr("Seite {0} von {1} · {2} Einträge").format(self.page, pages, self.count)
        )
        self.prev_button.setEnabled(self.page > 1)
        self.next_button.setEnabled(self.page < pages)
        self.loaded.emit()

    def _failed(self, seq: int, error: Exception) -> None:
        if seq != self._seq:
            return
        self.loading = False
        body = getattr(error, "body", None)
        if isinstance(body, dict) and getattr(error, "status", 0) == 400:
            labels = {
                "patient_id": self.tr("Patientennr."),
                "user": self.tr("Benutzer"),
                "start_date": self.tr("Von"),
                "end_date": self.tr("Bis"),
                "action": self.tr("Aktion"),
                "role_name": self.tr("Rolle"),
            }
            text = " ".join(f"{labels.get(k, k)}: {german(v)}" for k, v in body.items())
        else:
            text = str(error)
        self.message.setText(text)
        self.message.show()
        self.loaded.emit()

    def _something_changed(self, entity: str) -> None:
        if entity == "user" and self.user_box.count() > 1:
            self.ops.run(lambda api: api.get_all("/api/users/"), self).success(self._users).run()
