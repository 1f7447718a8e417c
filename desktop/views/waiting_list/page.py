"""The Warteliste screen: who waits for which appointment, filtered; add, edit, call, remove.

The list comes from ``desktop.api.waiting_list`` in the server's order (urgent first, then
waiting since — the order candidates are offered in). Admin and assistant manage entries;
a doctor sees the entries naming them, read-only (docs/waiting-list.md §6). Live: a change
notice for entries (or the master data the filters list) reloads the screen while it is
shown; a hidden screen reloads when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from desktop.api import waiting_list
from desktop.api.client import ApiClient
from desktop.api.waiting_list import Choices, Entry
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import RED
from desktop.views.master_data.form import ERROR_STYLE, OK_STYLE
from desktop.views.waiting_list.entry_dialog import EntryDialog
from desktop.views.waiting_list.labels import (
    PRIORITY,
    STATUS,
    label,
    period_text,
    status_text,
    windows_text,
)
from desktop.views.waiting_list.remove_dialog import RemoveDialog
from shared.domain.events import LiveEntity
from shared.domain.waiting_list import EntryStatus, Priority

#: Who adds, changes and books entries (docs/waiting-list.md §6).
MANAGERS = {"admin", "assistant"}
#: Who sees the screen at all (billing reads only the counts).
READERS = {"admin", "assistant", "doctor"}
RELOAD_ON = {
    LiveEntity.WAITING_LIST_ENTRY,
    LiveEntity.APPOINTMENT_TYPE,
    LiveEntity.USER,
    LiveEntity.PATIENT,
}
LIVE_DELAY_MS = 150
#: how long a confirmation or refusal stays above the table
MESSAGE_MS = 10_000
ENTRY_ROLE = Qt.ItemDataRole.UserRole
#: The status filter's choices: None = the open entries (the server's default).
STATUS_FILTERS: list[tuple[str, tuple[EntryStatus, ...] | None]] = [
    ("open", None),
    ("waiting", (EntryStatus.WAITING,)),
    ("offered", (EntryStatus.OFFERED,)),
    ("booked", (EntryStatus.BOOKED,)),
    ("removed", (EntryStatus.REMOVED,)),
    ("all", ()),
]


class WaitingListPage(QWidget):
    loaded = Signal()
    message_shown = Signal(str)

    def __init__(
        self,
        ops: Ops,
        user: User,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.clock = clock or datetime.now
        self.may_manage = user.role in MANAGERS
        self.entries: list[Entry] = []
        self.choices: Choices | None = None
        self.loading = False
        self.opened = False
        self._stale = False
        self._seq = 0
        self.active_dialog: EntryDialog | RemoveDialog | None = None
        self._reload_timer = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(lambda: self.message.hide())
        self._build_ui()
        ops.changed.connect(self._something_changed)

    # -- layout ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        actions = QHBoxLayout()
        self.title = QLabel(self.tr("Warteliste"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        actions.addWidget(self.title)
        actions.addSpacing(12)
        self.new_button = QPushButton(self.tr("Neuer Eintrag …"))
        self.new_button.setStyleSheet("font-weight: 600;")
        self.new_button.setToolTip(self.tr("Einen Patienten auf die Warteliste setzen"))
        self.edit_button = QPushButton(self.tr("Bearbeiten …"))
        self.called_button = QPushButton(self.tr("Angerufen"))
        self.called_button.setToolTip(
            self.tr("Markiert, dass dem Patienten ein Termin angeboten wurde (und zurück)")
        )
        self.remove_button = QPushButton(self.tr("Entfernen …"))
        self.reactivate_button = QPushButton(self.tr("Wieder aufnehmen"))
        for button in (
            self.new_button,
            self.edit_button,
            self.called_button,
            self.remove_button,
            self.reactivate_button,
        ):
            actions.addWidget(button)
            button.setVisible(self.may_manage)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Anzahl der Einträge"))
        actions.addWidget(self.count_label)
        outer.addLayout(actions)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, Telefon oder Notiz …"))
        self.search.setAccessibleName(self.tr("Einträge durchsuchen"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Status"))
        status_names = {
            "open": self.tr("Offen (wartend, angeboten)"),
            "all": self.tr("Alle Status"),
        }
        for key, _statuses in STATUS_FILTERS:
            text = status_names.get(key) or label(STATUS[EntryStatus(key)])
            self.status_filter.addItem(text, key)
        self.priority_filter = QComboBox()
        self.priority_filter.setAccessibleName(self.tr("Priorität"))
        self.priority_filter.addItem(self.tr("Jede Priorität"), None)
        for value in (Priority.URGENT, Priority.NORMAL):
            self.priority_filter.addItem(label(PRIORITY[value]), value.value)
        self.doctor_filter = QComboBox()
        self.doctor_filter.setAccessibleName(self.tr("Arzt"))
        self.type_filter = QComboBox()
        self.type_filter.setAccessibleName(self.tr("Terminart"))
        for box in (self.doctor_filter, self.type_filter):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
        self._fill_choice_filters()
        filters.addWidget(self.search, 1)
        for widget in (
            self.status_filter,
            self.priority_filter,
            self.doctor_filter,
            self.type_filter,
        ):
            filters.addWidget(widget)
        outer.addLayout(filters)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)

        headers = [
            self.tr("Priorität"),
            self.tr("Patient"),
            self.tr("Telefon"),
            self.tr("Terminart"),
            self.tr("Ärzte"),
            self.tr("Zeitraum"),
            self.tr("Zeitfenster"),
            self.tr("Wartet seit"),
            self.tr("Status"),
            self.tr("Notiz"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(self.tr("Einträge der Warteliste"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 180, 105, 110, 120, 125, 150, 85, 100)):
            self.table.setColumnWidth(column, width)
        outer.addWidget(self.table, 1)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #52606D; padding: 12px;")
        self.empty_label.hide()
        outer.addWidget(self.empty_label)

        self.new_button.clicked.connect(self.new_entry)
        self.edit_button.clicked.connect(self.edit_selected)
        self.called_button.clicked.connect(self.toggle_called)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reactivate_button.clicked.connect(self.reactivate_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.search.textChanged.connect(lambda _text: self._show())
        for box in (
            self.status_filter,
            self.priority_filter,
            self.doctor_filter,
            self.type_filter,
        ):
            box.currentIndexChanged.connect(lambda _index: self.reload())
        self._update_buttons()

    def _fill_choice_filters(self) -> None:
        for box, everything, items in (
            (
                self.doctor_filter,
                self.tr("Jeder Arzt"),
                self.choices.doctors if self.choices else (),
            ),
            (
                self.type_filter,
                self.tr("Jede Terminart"),
                self.choices.types if self.choices else (),
            ),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for item in items:
                box.addItem(item.name, item.id)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.opened = True
        self._stale = False
        self._reload_timer.stop()
        self._seq += 1
        seq = self._seq
        self.loading = True
        statuses = dict(STATUS_FILTERS)[str(self.status_filter.currentData())]
        priority = self.priority_filter.currentData()
        doctor_id = self.doctor_filter.currentData()
        type_id = self.type_filter.currentData()
        need_choices = self.choices is None

        def work(api: ApiClient) -> tuple[list[Entry], Choices | None]:
            found = waiting_list.entries(
                api,
                statuses=statuses,
                priority=Priority(priority) if priority else None,
                doctor_id=doctor_id,
                type_id=type_id,
            )
            return found, waiting_list.choices(api) if need_choices else None

        self.ops.run(work, self).success(lambda result: self._loaded(seq, *result)).failure(
            lambda exc: self._failed(seq, exc)
        ).run()

    def _loaded(self, seq: int, found: list[Entry], choices: Choices | None) -> None:
        if seq != self._seq:
            return  # a newer filter's answer is on its way
        self.loading = False
        if choices is not None:
            self.choices = choices
            self._fill_choice_filters()
        self.entries = found
        self._show()
        self.loaded.emit()

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq != self._seq:
            return
        self.loading = False
        self.show_message(str(exc))
        self.loaded.emit()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale and not self.loading:
            self.reload()

    def _something_changed(self, entity: str) -> None:
        if not self.opened or entity not in RELOAD_ON:
            return
        if entity in (LiveEntity.APPOINTMENT_TYPE, LiveEntity.USER):
            self.choices = None  # a doctor or type renamed: read the choices again
        if self.isVisible():
            self._reload_timer.start()
        else:
            self._stale = True

    # -- the table ------------------------------------------------------------------------

    def shown_entries(self) -> list[Entry]:
        """The loaded entries the search text lets through, in the server's order."""
        text = self.search.text().strip().casefold()
        if not text:
            return list(self.entries)
        return [
            e
            for e in self.entries
            if text in e.display_name.casefold()
            or text in e.phone.replace(" ", "").casefold()
            or text in e.phone.casefold()
            or text in e.note.casefold()
        ]

    def _doctors_text(self, entry: Entry) -> str:
        if not entry.doctor_ids:
            return self.tr("jeder Arzt")
        if self.choices is None:
            return ", ".join(f"#{d}" for d in entry.doctor_ids)
        return ", ".join(self.choices.doctor_name(d) for d in entry.doctor_ids)

    def _show(self) -> None:
        selected = self.selected()
        shown = self.shown_entries()
        bold = QFont(self.font())
        bold.setBold(True)
        self.table.blockSignals(True)
        self.table.setRowCount(len(shown))
        for row, entry in enumerate(shown):
            since = entry.waiting_since
            values = [
                label(PRIORITY[entry.priority]),
                entry.display_name,
                entry.phone or "–",
                entry.type_name,
                self._doctors_text(entry),
                period_text(entry),
                windows_text(entry.windows),
                f"{since:%d.%m.%Y}" if since else "",
                status_text(entry),
                entry.note,
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(ENTRY_ROLE, entry.id)
                item.setToolTip(text)
                if column == 0 and entry.urgent:
                    item.setForeground(QColor(RED))
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if selected is not None:
            self.select(selected.id)
        total = len(self.entries)
        self.count_label.setText(
            self.tr("{0} von {1} Einträgen").format(len(shown), total)
            if len(shown) != total
            else (self.tr("1 Eintrag") if total == 1 else self.tr("{0} Einträge").format(total))
        )
        self.empty_label.setText(
            self.tr("Keine Einträge für diese Auswahl.")
            if self.entries
            else self.tr("Niemand wartet – die Warteliste ist leer.")
        )
        self.empty_label.setVisible(not shown)
        self._update_buttons()

    def select(self, entry_id: int) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ENTRY_ROLE) == entry_id:
                self.table.selectRow(row)
                return

    def selected(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        entry_id = item.data(ENTRY_ROLE) if item is not None else None
        return next((e for e in self.entries if e.id == entry_id), None)

    def _update_buttons(self) -> None:
        entry = self.selected()
        is_open = entry is not None and entry.status.is_open
        self.edit_button.setEnabled(is_open)
        self.called_button.setEnabled(is_open)
        self.remove_button.setEnabled(is_open)
        self.reactivate_button.setEnabled(entry is not None and entry.status is EntryStatus.REMOVED)
        self.called_button.setText(
            self.tr("Nicht mehr angeboten")
            if entry is not None and entry.status is EntryStatus.OFFERED
            else self.tr("Angerufen")
        )

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str, ok: bool = False) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)
        self._message_timer.start()

    # -- actions --------------------------------------------------------------------------

    def _today(self) -> date:
        return self.clock().date()

    def new_entry(self) -> None:
        self._open_entry_dialog(None)

    def edit_selected(self) -> None:
        entry = self.selected()
        if entry is not None and entry.status.is_open and self.may_manage:
            self._open_entry_dialog(entry)

    def _open_entry_dialog(self, entry: Entry | None) -> None:
        if self.choices is None or not self.may_manage:
            return
        dialog = EntryDialog(self.ops, self.choices, today=self._today(), entry=entry, parent=self)
        dialog.saved.connect(self._entry_saved)
        self._open(dialog)

    def _open(self, dialog: EntryDialog | RemoveDialog) -> None:
        self.active_dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "active_dialog", None))
        dialog.open()

    def _entry_saved(self, entry: Entry) -> None:
        self.show_message(
            self.tr("Gespeichert: {0} wartet auf „{1}“.").format(
                entry.patient_name, entry.type_name
            ),
            ok=True,
        )
        self._after_write(entry)

    def _after_write(self, entry: Entry) -> None:
        self.entries = [entry if e.id == entry.id else e for e in self.entries]
        if all(e.id != entry.id for e in self.entries):
            self.entries.append(entry)
        self._show()
        self.select(entry.id)
        self.reload()  # the server's order and filters decide where it stands

    def _set_status(self, entry: Entry, status: EntryStatus, **reason: Any) -> None:
        self.ops.run(
            lambda api: waiting_list.set_status(api, entry.id, status, **reason), self
        ).changes(LiveEntity.WAITING_LIST_ENTRY).success(self._status_written).failure(
            lambda exc: self.show_message(self.tr("Nicht geändert: {0}").format(exc))
        ).run()

    def _status_written(self, entry: Entry) -> None:
        self.message.hide()
        self._after_write(entry)

    def toggle_called(self) -> None:
        entry = self.selected()
        if entry is None or not entry.status.is_open:
            return
        target = EntryStatus.WAITING if entry.status is EntryStatus.OFFERED else EntryStatus.OFFERED
        self._set_status(entry, target)

    def remove_selected(self) -> None:
        entry = self.selected()
        if entry is None or not entry.status.is_open or not self.may_manage:
            return
        dialog = RemoveDialog(entry, self)

        def answered(result: int) -> None:
            if result:
                self._set_status(
                    entry,
                    EntryStatus.REMOVED,
                    reason=dialog.chosen_reason(),
                    note=dialog.remark.text().strip(),
                )

        dialog.finished.connect(answered)
        self._open(dialog)

    def reactivate_selected(self) -> None:
        entry = self.selected()
        if entry is not None and entry.status is EntryStatus.REMOVED:
            self._set_status(entry, EntryStatus.WAITING)
