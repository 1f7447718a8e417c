"""A table of records beside a form that edits the selected one (every call through ops).

One class serves every master-data list and the user list: a :class:`TableSpec` says where
the rows come from, which columns and fields exist and who may write. Writes send only the
fields that changed (PATCH) or the whole form (POST); a refusal appears in the form (field
messages at their fields, 403/409 at the top). The table reloads when ``Ops.changed`` names
its entity — after its own writes and after live notices from other workstations. Leaving
an edited form (another row, "Neu", another tab or screen) asks first (:mod:`unsaved`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ops import Ops
from desktop.session import User
from desktop.views.master_data.form import ERROR_STYLE, Field, RecordForm, failure_text
from desktop.views.unsaved import LeaveGuard

Record = dict[str, Any]


@dataclass(frozen=True)
class Column:
    label: str
    text: Callable[[Record], str]
    color: Callable[[Record], str | None] | None = None


def everyone(_user: User, _record: Record | None = None) -> bool:
    return True


def roles(*names: str) -> Callable[[User, Record | None], bool]:
    def allowed(user: User, _record: Record | None = None) -> bool:
        return user.role in names

    return allowed


@dataclass
class TableSpec:
    """What a table page shows; every text is given as shown (translated when built)."""

    title: str
    entity: str
    path: str
    columns: list[Column]
    fields: list[Field]
    can_create: Callable[[User, Record | None], bool]
    can_edit: Callable[[User, Record | None], bool]
    can_delete: Callable[[User, Record | None], bool]
    read_only_hint: str = ""
    #: Empty: the general wording ("Neu", "Löschen", …).
    new_label: str = ""
    delete_label: str = ""
    delete_question: str = ""
    deleted_message: str = ""
    list_params: dict[str, Any] = field(default_factory=dict)
    #: Other entities whose change should reload this table (e.g. "user" for doctor names).
    also_reload_on: tuple[str, ...] = ()


class TablePage(QWidget):
    loaded = Signal()
    saved = Signal(object)

    def __init__(
        self, ops: Ops, user: User, spec: TableSpec, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.spec = spec
        self.rows: list[Record] = []
        self.current: Record | None = None
        self.loading = False
        self.saving = False
        self._load_seq = 0
        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._reload_soon.timeout.connect(self.reload)
        self.writable = False
        self.loaded_once = False
        self.build_ui()
        self.guard = LeaveGuard(
            self,
            modified=lambda: self.dirty,
            save=self.save,
            saving=self.save_under_way,
            discard=self.discard,
        )
        self._show_record(None)
        ops.changed.connect(self._something_changed)
        ops.connection_restored.connect(self.reload)

    # -- UI -----------------------------------------------------------------------------------

    def build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        bar = QHBoxLayout()
        self.filter_bar = QHBoxLayout()
        bar.addLayout(self.filter_bar)
        bar.addStretch(1)
        self.new_button = QPushButton(self.spec.new_label or self.tr("Neu"))
        self.new_button.setToolTip(self.tr("Neuen Eintrag anlegen (Strg+N)"))
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton(self.spec.delete_label or self.tr("Löschen"))
        self.delete_button.clicked.connect(lambda: self.delete_current(confirm=True))
        self.extra_buttons = QHBoxLayout()
        self.reload_button = QPushButton(self.tr("Aktualisieren"))
        self.reload_button.setToolTip(self.tr("Neu laden (F5)"))
        self.reload_button.clicked.connect(self.reload)
        bar.addLayout(self.extra_buttons)
        for button in (self.new_button, self.delete_button, self.reload_button):
            bar.addWidget(button)
        outer.addLayout(bar)

        self.list_message = QLabel()
        self.list_message.setWordWrap(True)
        self.list_message.setStyleSheet(ERROR_STYLE)
        self.list_message.hide()
        outer.addWidget(self.list_message)

        splitter = QSplitter()
        self.table = QTableWidget(0, len(self.spec.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in self.spec.columns])
        self.table.setAccessibleName(self.spec.title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        splitter.addWidget(self.table)

        panel = QWidget()
        panel.setMinimumWidth(340)
        side = QVBoxLayout(panel)
        side.setContentsMargins(8, 0, 0, 0)
        side.setSpacing(8)
        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        side.addWidget(self.form_title)
        self.hint = QLabel(self.spec.read_only_hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #52606D;")
        self.hint.hide()
        side.addWidget(self.hint)
        self.form = RecordForm(self.spec.fields)
        self.form.edited.connect(self._form_edited)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        side.addWidget(scroll, 1)
        self.extra_panel = QVBoxLayout()
        side.addLayout(self.extra_panel)
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
        side.addLayout(buttons)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)

        for keys, action in (
            ("Ctrl+N", self.new_record),
            ("Ctrl+S", self.save),
            ("F5", self.reload),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.new_button.setVisible(self.spec.can_create(self.user, None))

    # -- loading ------------------------------------------------------------------------------

    def list_params(self) -> dict[str, Any]:
        """Query of the list request (subclasses add their filters)."""
        return dict(self.spec.list_params)

    def fetch(self, api: Any) -> list[Record]:
        """Runs in a worker: every row of the list."""
        return list(api.get_all(self.spec.path, **self.list_params()))

    def reload(self) -> None:
        self._load_seq += 1
        seq = self._load_seq
        self.loading = True
        self.ops.run(self.fetch, self).success(lambda rows: self._loaded(seq, rows)).failure(
            lambda exc: self._load_failed(seq, exc)
        ).run()

    def _loaded(self, seq: int, rows: list[Record]) -> None:
        if seq != self._load_seq:
            return
        self.loading = False
        self.loaded_once = True
        self.list_message.hide()
        self.rows = rows
        self.fill_table()
        if self.current is not None and self.current.get("id") is not None:
            fresh = next((r for r in rows if r.get("id") == self.current.get("id")), None)
            if fresh is not None:
                self.select_id(fresh["id"])
                if not self.dirty:
                    self._show_record(fresh)
            elif not self.dirty:
                self._show_record(None)
        self.loaded.emit()

    def _load_failed(self, seq: int, exc: Exception) -> None:
        if seq != self._load_seq:
            return
        self.loading = False
        self.loaded_once = True
        self.list_message.setText(failure_text(exc))
        self.list_message.show()
        self.loaded.emit()

    def fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for row, record in enumerate(self.rows):
            for column, spec in enumerate(self.spec.columns):
                item = QTableWidgetItem(spec.text(record))
                item.setData(Qt.ItemDataRole.UserRole, record.get("id"))
                if spec.color is not None:
                    color = spec.color(record)
                    if color and QColor(color).isValid():
                        item.setData(Qt.ItemDataRole.DecorationRole, QColor(color))
                if record.get("active") is False or record.get("is_active") is False:
                    item.setForeground(QColor("#7B8794"))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)

    def _something_changed(self, entity: str) -> None:
        if entity == self.spec.entity or entity in self.spec.also_reload_on:
            self._reload_soon.start()

    # -- selection and form -------------------------------------------------------------------

    def select_id(self, record_id: Any) -> None:
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == record_id:
                self.table.selectRow(row)
                break
        self.table.blockSignals(False)

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self._go_to(self.rows[rows[0].row()])

    def open_record(self, record_id: Any) -> None:
        """Select and show a record by id (keyboard, tests)."""
        record = next((r for r in self.rows if r.get("id") == record_id), None)
        if record is not None:
            self._go_to(record)

    def _go_to(self, record: Record) -> None:
        record_id = record.get("id")
        if self.guard.leave(lambda: self.open_record(record_id)):
            self.select_id(record_id)
            self._show_record(record)
        else:
            self._keep_selection()

    def _keep_selection(self) -> None:
        """Back to the row of the record still being edited (none for a new one)."""
        if self.current is not None:
            self.select_id(self.current.get("id"))
        else:
            self.table.blockSignals(True)
            self.table.clearSelection()
            self.table.blockSignals(False)

    @property
    def dirty(self) -> bool:
        """The form holds edits that are not saved."""
        return self.form.is_modified()

    def save_under_way(self) -> bool:
        return self.saving

    def can_leave(self, then: Callable[[], object]) -> bool:
        """Whether the screen may be left now (:class:`desktop.views.unsaved.Leavable`)."""
        return self.guard.leave(then)

    def record_title(self, record: Record | None) -> str:
        return self.tr("Neuer Eintrag") if record is None else self.tr("Eintrag bearbeiten")

    def _show_record(self, record: Record | None) -> None:
        self.current = record
        self.form.load(record)
        writable = (
            self.spec.can_create(self.user, None)
            if record is None
            else self.spec.can_edit(self.user, record)
        )
        self.writable = writable
        self.form.set_writable(writable)
        self.save_button.setVisible(writable)
        self.discard_button.setVisible(writable)
        self.hint.setVisible(not writable and bool(self.spec.read_only_hint))
        self.delete_button.setVisible(
            record is not None and self.spec.can_delete(self.user, record)
        )
        self.form_title.setText(self.record_title(record))
        self.record_shown(record)

    def record_shown(self, record: Record | None) -> None:
        """Hook: a record (or the empty form) is now shown."""

    def _form_edited(self) -> None:
        self.form_edited()

    def form_edited(self) -> None:
        """Hook: the user changed a field."""

    def new_record(self) -> None:
        if not self.spec.can_create(self.user, None):
            return
        if not self.guard.leave(self.new_record):
            return
        self.table.clearSelection()
        self._show_record(None)
        first = self.spec.fields[0].key
        self.form.widgets[first].setFocus()

    def discard(self) -> None:
        self._show_record(self.current)

    # -- writing ------------------------------------------------------------------------------

    def body(self) -> Record:
        """What to send: the whole form for a new record, only the changes otherwise."""
        values = self.form.values()
        if self.current is None:
            return values
        return {k: v for k, v in values.items() if _differs(self.current.get(k), v)}

    def save(self) -> bool:
        """Send the form; False if nothing was sent."""
        if self.saving or not self.writable:
            return False
        body = self.body()
        record = self.current
        if record is not None and not body:
            self.form.show_message(self.tr("Keine Änderungen."), ok=True)
            return False
        self.saving = True
        self.save_button.setEnabled(False)
        path = self.spec.path if record is None else f"{self.spec.path}{record['id']}/"
        method = "post" if record is None else "patch"

        def work(api: Any) -> Record:
            result: Record = getattr(api, method)(path, body)
            return result

        self.ops.run(work, self).changes(self.spec.entity).success(self._saved).failure(
            self._save_failed
        ).run()
        return True

    def _saved(self, record: Record) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._show_record(record)
        self.form.show_message(self.tr("Gespeichert."), ok=True)
        self.saved.emit(record)
        self.guard.save_finished(True)

    def _save_failed(self, error: Exception) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.form.show_failure(error)
        self.guard.save_finished(False)

    def delete_current(self, *, confirm: bool) -> None:
        record = self.current
        if record is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.delete_button.text(),
                self.spec.delete_question or self.tr("Diesen Eintrag wirklich löschen?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        path = f"{self.spec.path}{record['id']}/"

        def deleted(_: Any) -> None:
            if self.current is record:
                self._show_record(None)
            self.form.show_message(self.spec.deleted_message or self.tr("Gelöscht."), ok=True)

        self.ops.run(lambda api: api.delete(path), self).changes(self.spec.entity).success(
            deleted
        ).failure(self.form.show_failure).run()


def _differs(stored: Any, value: Any) -> bool:
    if isinstance(stored, str) and isinstance(value, str):
        if len(stored) == 8 and len(value) == 8 and stored[2] == ":":
            return stored[:5] != value[:5]  # times: minutes are what the form edits
        return stored != value
    if stored in (None, "") and value in (None, ""):
        return False
    return bool(stored != value)
