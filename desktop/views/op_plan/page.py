"""OP-Plan page: day or week range, navigation, zoom, the timeline and a side panel.

The range (Tag / Woche) and the zoom of each range persist in QSettings. In the week range
◀ ▶ move by a week, the rows stay the rooms and the days sit side by side (which days and
which hours: ``model`` and ``timeline`` docstrings); dragging a block into another day
column moves the operation to that date, and the room utilisation refers to the shown days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.api import operations
from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.api.op_timeline import Operation, PlanData, load_plan, monday_of
from desktop.api.operations import (
    Choices,
    Conflict,
    Doctor,
    OperationDraft,
    OperationKind,
    OperationRefused,
    Resource,
)
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import RED
from desktop.views.op_plan import rooms as room_filter
from desktop.views.op_plan.model import ACTION_LABELS, STATUS_LABELS, TRANSITIONS
from desktop.views.op_plan.op_list import OpListWindow, shown_range
from desktop.views.op_plan.operation_dialog import OperationDialog, describe_conflict
from desktop.views.op_plan.timeline import OperationBlock, TimelineScene, TimelineView
from shared.domain.events import LiveEntity
from shared.domain.statuses import OperationStatus

ZOOM_STEPS = [0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0]
#: Pixels per minute in the week range: at the default a Monday–Friday week of 07–20 h is
#: about 1,750 px wide; the smallest step fits it into a narrow window.
WEEK_ZOOM_STEPS = [0.2, 0.3, 0.45, 0.6, 0.75, 1.0, 1.5, 2.0]
DEFAULT_ZOOM = {False: 3, True: 2}
RANGE_KEY = "op_plan/range"
ZOOM_KEYS = {False: "op_plan/zoom_day", True: "op_plan/zoom_week"}
WRITERS = {"admin", "assistant"}
#: Keys of the status actions on the selected block (the view must have the focus).
STATUS_KEYS = {
    OperationStatus.CONFIRMED: Qt.Key.Key_B,
    OperationStatus.RUNNING: Qt.Key.Key_S,
    OperationStatus.DONE: Qt.Key.Key_F,
    OperationStatus.CANCELLED: Qt.Key.Key_Delete,
}
#: While an operation runs, its elapsed bar and overrun follow the clock this often: an
#: overrun shows on every workstation within a second of the planned end (each computes it
#: from its own clock; status changes arrive through the live events). Only running blocks
#: repaint, so this costs next to nothing.
RUNNING_TICK_MS = 1000
STATS_READERS = {"admin", "assistant", "billing"}


def explain(error: Exception) -> str:
    """The German message, followed by the server's own words (e.g. the conflict reason)."""
    text = str(error)
    if isinstance(error, ApiError) and isinstance(error.body, dict):
        parts: list[str] = []
        for key in ("detail", "reason", "from", "to"):
            value = error.body.get(key)
            if isinstance(value, list):
                parts.extend(str(v) for v in value)
            elif value:
                parts.append(str(value))
        server = " – ".join(p for p in parts if p and p not in text)
        if server:
            text = f"{text} ({server})"
    return text


class OpPlanPage(QWidget):
    message_shown = Signal(str)
    loaded = Signal()
    date_changed = Signal(object)  # date
    #: ◀ / ▶ now move by a day or by a week
    navigation_changed = Signal()

    def __init__(
        self,
        ops: Ops,
        user: User,
        clock: Callable[[], datetime] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.clock = clock or datetime.now
        self.settings = settings or QSettings()
        self.day: date = self.clock().date()
        self.week = str(self.settings.value(RANGE_KEY, "day")) == "week"
        self.loading = False
        self.data: PlanData | None = None
        self.selected: int | None = None
        self._zooms = {week: self._stored_zoom(week) for week in (False, True)}
        self._generation = 0
        self._pending_reload = False
        self._shown: tuple[date, bool] | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        # The day is chosen with the main window's date navigator (Heute, ◀, ▶, date), which
        # steers whichever screen is shown (``date_changed``, ``step_labels``).
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&Neue OP"))
        self.new_button.setToolTip(
            self.tr("Neue Operation (Strg+N) – oder auf dem Zeitplan einen freien Bereich ziehen")
        )
        self.new_button.clicked.connect(lambda: self.new_operation())
        self.new_button.setVisible(user.role in WRITERS)
        bar.addWidget(self.new_button)
        self.zoom_out = QPushButton("−")
        self.zoom_out.setAccessibleName(self.tr("Verkleinern"))
        self.zoom_in = QPushButton("+")
        self.zoom_in.setAccessibleName(self.tr("Vergrößern"))
        for button in (self.zoom_out, self.zoom_in):
            button.setFixedWidth(36)
        self.range_label = QLabel()
        self.range_label.setStyleSheet("color: #52606D;")
        bar.addWidget(self.range_label)
        bar.addStretch(1)
        # docs/op-rooms.md: operating rooms (and rooms holding an operation) unless toggled.
        self.all_rooms_button = QPushButton(self.tr("Alle Räume"))
        self.all_rooms_button.setCheckable(True)
        self.all_rooms_button.setToolTip(
            self.tr("Auch Räume zeigen, die kein OP-Saal sind (Stammdaten: OP-Saal)")
        )
        self.all_rooms_button.setChecked(
            str(self.settings.value(room_filter.ALL_ROOMS_KEY, "false")) == "true"
        )
        self.all_rooms_button.toggled.connect(self.set_all_rooms)
        bar.addWidget(self.all_rooms_button)
        self.op_list_button = QPushButton(self.tr("OP-&Liste"))
        self.op_list_button.setToolTip(
            self.tr("Operationen als Tabelle: filtern, sortieren, als OP-Plan drucken")
        )
        self.op_list_button.clicked.connect(self.open_op_list)
        bar.addWidget(self.op_list_button)
        self.op_list: OpListWindow | None = None
        bar.addSpacing(12)
        self.day_button = QPushButton(self.tr("Tag"))
        self.day_button.setAccessibleName(self.tr("Tagesansicht"))
        self.week_button = QPushButton(self.tr("Woche"))
        self.week_button.setAccessibleName(self.tr("Wochenansicht"))
        self.range_group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            self.range_group.addButton(button)
            bar.addWidget(button)
        self.day_button.clicked.connect(lambda: self.set_week(False))
        self.week_button.clicked.connect(lambda: self.set_week(True))
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Zoom")))
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        outer.addLayout(bar)
        self.zoom_in.clicked.connect(lambda: self.zoom(1))
        self.zoom_out.clicked.connect(lambda: self.zoom(-1))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
        )
        self.message.hide()
        outer.addWidget(self.message)

        self.scene = TimelineScene(self)
        self.scene.geometry.px_per_minute = self.px_per_minute
        self.scene.show_utilisation = user.role in STATS_READERS
        self.scene.movable = user.role in WRITERS
        self.scene.on_drop = self._dropped
        self.scene.on_select = self._selected
        self.scene.on_hover = self._hovered
        self.scene.on_open = self._open_block
        self.scene.on_propose = self._proposed
        self.dialog: OperationDialog | None = None
        self.context_menu: QMenu | None = None
        self.confirm_box: QMessageBox | None = None
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(150)
        self._check_timer.timeout.connect(self._check_target)
        self._check: tuple[OperationBlock, int, datetime] | None = None
        self._check_key: tuple[int, int, datetime] | None = None
        self.view = TimelineView(self.scene, self.zoom)
        self.view.on_context_menu = self._show_context_menu
        self.view.on_key = self._key

        self.panel = QWidget()
        self.panel.setMinimumWidth(240)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel(self.tr("Details"))
        title.setStyleSheet("font-weight: 700; font-size: 11pt;")
        panel_layout.addWidget(title)
        self.details = QLabel(self.tr("Keine Operation ausgewählt."))
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        panel_layout.addWidget(self.details)
        self.actions_row = QVBoxLayout()
        panel_layout.addLayout(self.actions_row)
        panel_layout.addStretch(1)
        self.status_buttons: dict[str, QPushButton] = {}
        self.edit_button: QPushButton | None = None

        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 260])
        outer.addWidget(splitter, 1)

        self._sync_range()
        self.ops.changed.connect(self._something_changed)
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(60_000)
        self._now_timer.timeout.connect(self._tick)
        self._now_timer.start()
        self._running_timer = QTimer(self)
        self._running_timer.setInterval(RUNNING_TICK_MS)
        self._running_timer.timeout.connect(self._tick_running)

    # -- navigation and zoom --------------------------------------------------------------

    def _sync_range(self) -> None:
        (self.week_button if self.week else self.day_button).setChecked(True)
        unit = self.tr("Woche") if self.week else self.tr("Tag")
        self.navigation_changed.emit()
        self.view.setAccessibleName(self.tr("OP-Zeitplan ({0})").format(unit))
        self._sync_range_label(self.data.days if self.data and self.data.week else None)

    def _sync_range_label(self, days: list[date] | None) -> None:
        if not self.week:
            self.range_label.clear()
            return
        if not days:
            monday = monday_of(self.day)
            days = [monday, monday + timedelta(days=4)]
        week = days[0].isocalendar().week
        self.range_label.setText(
            self.tr("KW {0}: {1} – {2}").format(week, f"{days[0]:%d.%m.}", f"{days[-1]:%d.%m.%Y}")
        )

    def step_labels(self) -> tuple[str, str]:
        """What ◀ and ▶ of the main window's navigator do here (their accessible names)."""
        if self.week:
            return self.tr("Vorherige Woche"), self.tr("Nächste Woche")
        return self.tr("Vorheriger Tag"), self.tr("Nächster Tag")

    def today(self) -> None:
        self.set_day(self.clock().date())

    def set_day(self, day: date) -> None:
        if day == self.day:
            return
        self.day = day
        self.date_changed.emit(day)
        self._sync_range_label(None)
        self.selected = None
        self.reload()

    def step(self, direction: int) -> None:
        """◀ / ▶: a day in the day range, a week in the week range."""
        self.set_day(self.day + timedelta(days=direction * (7 if self.week else 1)))

    def set_week(self, week: bool) -> None:
        """Switch between Tag and Woche (remembered for the next start)."""
        if week == self.week:
            self._sync_range()
            return
        self.week = week
        self.settings.setValue(RANGE_KEY, "week" if week else "day")
        self._sync_range()
        self.reload()

    def _stored_zoom(self, week: bool) -> int:
        steps = WEEK_ZOOM_STEPS if week else ZOOM_STEPS
        try:
            index = int(str(self.settings.value(ZOOM_KEYS[week], DEFAULT_ZOOM[week])))
        except (TypeError, ValueError):
            index = DEFAULT_ZOOM[week]
        return max(0, min(len(steps) - 1, index))

    @property
    def px_per_minute(self) -> float:
        steps = WEEK_ZOOM_STEPS if self.week else ZOOM_STEPS
        return steps[self._zooms[self.week]]

    def zoom(self, step: int) -> None:
        steps = WEEK_ZOOM_STEPS if self.week else ZOOM_STEPS
        index = max(0, min(len(steps) - 1, self._zooms[self.week] + step))
        self._zooms[self.week] = index
        self.settings.setValue(ZOOM_KEYS[self.week], index)
        self.scene.geometry.px_per_minute = self.px_per_minute
        if self.data is not None:
            self._build(self.data)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.data is None and not self.loading:
            self.reload()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom(-1)
        else:
            super().keyPressEvent(event)

    def _tick(self) -> None:
        self.scene.set_now(self.clock())
        self.scene.update()

    def _tick_running(self) -> None:
        """Only the running blocks follow the clock here (cheap); the now-line each minute."""
        self.scene.set_now(self.clock())

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        if self.loading:
            self._pending_reload = True
            return
        self.loading = True
        self._generation += 1
        generation = self._generation
        day, week = self.day, self.week
        stats = self.user.role in STATS_READERS
        all_rooms = self.all_rooms_button.isChecked()

        def work(api: ApiClient) -> PlanData:
            data = load_plan(api, day, stats, week)
            if not all_rooms:
                capable = room_filter.operating_room_ids(api)
                data.rooms = room_filter.shown_rooms(
                    data.rooms, capable, data.operations, all_rooms=False
                )
            return data

        self.ops.run(work, parent=self).success(
            lambda data: self._loaded(generation, data)
        ).failure(self._failed).run()

    def set_all_rooms(self, all_rooms: bool) -> None:
        """Toggle "Alle Räume": every active room as a row, or the operating rooms only."""
        self.settings.setValue(room_filter.ALL_ROOMS_KEY, "true" if all_rooms else "false")
        if self.all_rooms_button.isChecked() != all_rooms:
            self.all_rooms_button.setChecked(all_rooms)  # toggles back into this method
            return
        if self.data is not None or self.loading:
            self.reload()

    def open_op_list(self) -> OpListWindow:
        """The OP list (its own window) for the shown day or week."""
        first, last = shown_range(self.data.days if self.data else [self.day])
        if self.op_list is None:
            self.op_list = OpListWindow(self.ops, first, last, self)
        else:
            self.op_list.set_range(first, last)
        self.op_list.show()
        self.op_list.raise_()
        self.op_list.activateWindow()
        return self.op_list

    def _loaded(self, generation: int, data: PlanData) -> None:
        self.loading = False
        outdated = data.day != self.day or data.week != self.week
        if self._pending_reload or outdated:
            self._pending_reload = False
            self.reload()
            if outdated:
                return
        self.data = data
        self._sync_range_label(data.days if data.week else None)
        self._build(data)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._pending_reload = False
        self.show_message(str(error))

    def _build(self, data: PlanData) -> None:
        self.scene.geometry.px_per_minute = self.px_per_minute
        self.scene.build(data, self.clock())
        if self.scene.running_blocks():
            self._running_timer.start()
        else:
            self._running_timer.stop()
        shown = (data.days[0], data.week)
        if shown != self._shown:
            self._shown = shown
            self._scroll_to_today()
        if self.selected is not None and self.selected in self.scene.blocks:
            block = self.scene.blocks[self.selected]
            block.setSelected(True)
            self._show_details(block)
        else:
            self.selected = None
            self._show_details(None)

    def _scroll_to_today(self) -> None:
        """A newly shown week opens at today's column (or its Monday), not where the last was."""
        g = self.scene.geometry
        if not g.week:
            return
        today = self.clock().date()
        index = g.shown_days.index(today) if today in g.shown_days else 0
        # The scroll bar's value is the scene x at the viewport's left edge.
        self.view.horizontalScrollBar().setValue(int(g.day_x(index)))

    def _something_changed(self, entity: str) -> None:
        # Never opened yet: nothing to refresh (the first show loads).
        if self.data is not None and entity in ("operation", "resource", "operation_type"):
            self.reload()

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)
        QTimer.singleShot(8000, self.message.hide)

    # -- moving ---------------------------------------------------------------------------

    def _draft_for(self, block: OperationBlock, row: int, start: datetime) -> OperationDraft:
        """The block's operation as it would be after the drag (team and devices kept)."""
        assert self.data is not None
        room = self.data.rooms[min(row, len(self.data.rooms) - 1)]
        op = block.op
        return OperationDraft(
            patient_id=op.patient_id,
            surgeon=op.surgeon_id,
            room=room.id,
            kind=op.type_id,
            start=start,
            assistant=op.member_id("assistant"),
            anesthesist=op.member_id("anesthesist"),
            device_ids=tuple(op.device_ids),
            notes=op.notes,
        )

    def _hovered(self, block: OperationBlock, row: int, start: datetime) -> None:
        """While dragging: ask ``/api/operations/validate/`` (debounced) about the target."""
        key = (block.op.id, row, start)
        if key == self._check_key:
            return
        self._check_key = key
        self._check = (block, row, start)
        self._check_timer.start()

    def _check_target(self) -> None:
        if self._check is None or self.data is None or not self.data.rooms:
            return
        block, row, start = self._check
        draft = self._draft_for(block, row, start)
        op_id, minutes = block.op.id, block.op.minutes
        choices = self._choices_for(block.op)
        key = self._check_key

        def answered(conflict: Conflict | None) -> None:
            if key == self._check_key and block.scene() is not None:
                # also the block's tooltip now
                text = "" if conflict is None else describe_conflict(choices, draft, conflict)
                block.set_conflict(text)

        def refused(error: Exception) -> None:
            if key == self._check_key and block.scene() is not None:
                block.set_conflict(explain(error))  # also the block's tooltip now

        self.ops.run(lambda api: operations.check(api, draft, minutes, op_id), parent=self).success(
            answered
        ).failure(refused).run()

    def _dropped(self, block: OperationBlock, row: int, start: datetime) -> None:
        self._check_timer.stop()
        self._check = self._check_key = None
        data = self.data
        if data is None or not data.rooms:
            block.snap_back()
            return
        op_id, minutes = block.op.id, block.op.minutes
        draft = self._draft_for(block, row, start)
        choices = self._choices_for(block.op)

        def refused(error: Exception) -> None:
            if op_id in self.scene.blocks:
                self.scene.blocks[op_id].snap_back()
            if isinstance(error, OperationRefused) and error.conflict is not None:
                text = describe_conflict(choices, draft, error.conflict)
            else:
                text = explain(error)
            self.show_message(self.tr("Verschieben abgelehnt: {0}").format(text))

        self.ops.run(
            lambda api: operations.move_checked(api, op_id, draft, minutes), parent=self
        ).changes(LiveEntity.OPERATION).failure(refused).run()

    def _choices_for(self, op: Operation) -> Choices:
        """Names for a conflict of ``op`` moved on the plan: the shown rooms, its own type,
        devices and team (a drag changes nothing else)."""
        rooms = self.data.rooms if self.data else []
        return Choices(
            kinds=[OperationKind(op.type_id, op.type_name, op.prep, op.duration, op.post)],
            rooms=[Resource(r.id, r.name) for r in rooms],
            devices=[Resource(i, n) for i, n in zip(op.device_ids, op.devices, strict=False)],
            doctors=[Doctor(person_id, name) for person_id, name in op.members()],
        )

    # -- side panel -----------------------------------------------------------------------

    def _selected(self, block: OperationBlock) -> None:
        self.selected = block.op.id
        self._show_details(block)

    def _show_details(self, block: OperationBlock | None) -> None:
        shown = list(self.status_buttons.values())
        if self.edit_button is not None:
            shown.append(self.edit_button)
        for button in shown:
            # Out of the panel at once; deleteLater alone leaves it visible until the loop runs.
            self.actions_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.status_buttons = {}
        self.edit_button = None
        if block is None:
            self.details.setText(self.tr("Keine Operation ausgewählt."))
            return
        op = block.op

        def member(key: str) -> str:
            return op.member_name(key) or "–"

        rooms = self.data.rooms if self.data else []
        room = next((r.name for r in rooms if r.id == op.room_id), "")
        status = self.tr(STATUS_LABELS.get(op.status, op.status))
        lines = [
            f"<b>{escape(op.type_name)}</b>",
            escape(op.patient_name),
            self.tr("{0}, {1}–{2} Uhr").format(
                f"{op.start:%d.%m.%Y}", f"{op.start:%H:%M}", f"{op.end:%H:%M}"
            ),
            self.tr("Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min").format(
                op.prep, op.duration, op.post
            ),
            self.tr("Raum: {0}").format(escape(room)),
            self.tr("Operateur: {0}").format(escape(member("primary_surgeon"))),
            self.tr("Assistenz: {0}").format(escape(member("assistant"))),
            self.tr("Anästhesie: {0}").format(escape(member("anesthesist"))),
            self.tr("Geräte: {0}").format(escape(", ".join(op.devices) or "–")),
            self.tr("Status: <b>{0}</b>").format(escape(status)),
        ]
        if op.notes:
            lines.append(self.tr("Notiz: {0}").format(escape(op.notes)))
        self.details.setText("<br>".join(lines))
        if op.status == OperationStatus.RUNNING:
            lines.append(escape(block.progress_text()))
        self.details.setText("<br>".join(lines))
        if self.user.role not in WRITERS:
            return
        for target, label in TRANSITIONS.get(op.status, []):
            button = QPushButton(self.tr(label))
            button.setAccessibleName(self.tr("Status: {0}").format(self.tr(label)))
            button.clicked.connect(lambda _=False, t=target, o=op: self.change_status(o, t))
            self._explain_start(button, op, target)
            self.actions_row.addWidget(button)
            self.status_buttons[target] = button
        if op.status not in (OperationStatus.DONE, OperationStatus.CANCELLED):
            edit = QPushButton(self.tr("Bearbeiten …"))
            edit.clicked.connect(lambda _=False, o=op: self.edit_operation(o))
            self.actions_row.addWidget(edit)
            self.edit_button = edit

    def _explain_start(self, widget: QPushButton | QAction, op: Operation, target: str) -> None:
        """ "Starten" before the planned start: the server refuses it (04 §5.6.3), so say when."""
        if target != OperationStatus.RUNNING or self.clock() >= op.start:
            return
        widget.setEnabled(False)
        widget.setToolTip(self.tr("Starten ist ab {0} Uhr möglich.").format(f"{op.start:%H:%M}"))

    def change_status(self, op: Operation, status: OperationStatus) -> None:
        """One step of the status machine; cancelling is asked first (it cannot be undone)."""
        if status == OperationStatus.CANCELLED:
            self._ask_cancel(op)
            return
        op_id = op.id
        self.ops.run(lambda api: operations.set_status(api, op_id, status), parent=self).changes(
            LiveEntity.OPERATION
        ).failure(lambda e: self.show_message(explain(e))).run()

    def _ask_cancel(self, op: Operation) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("OP absagen"),
            self.tr(
                "{0} für {1} am {2} um {3} Uhr absagen? Das kann nicht rückgängig gemacht werden."
            ).format(op.type_name, op.patient_name, f"{op.start:%d.%m.%Y}", f"{op.start:%H:%M}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("OP absagen"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Nicht absagen"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        op_id = op.id

        def answered(button: int) -> None:
            self.confirm_box = None
            if button != QMessageBox.StandardButton.Yes:
                return
            self.ops.run(
                lambda api: operations.set_status(api, op_id, OperationStatus.CANCELLED),
                parent=self,
            ).changes(LiveEntity.OPERATION).failure(lambda e: self.show_message(explain(e))).run()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()  # not exec(): the plan keeps painting and live updates keep arriving

    # -- creating and editing -------------------------------------------------------------

    def _selected_block(self) -> OperationBlock | None:
        return self.scene.blocks.get(self.selected) if self.selected is not None else None

    def new_operation(
        self, room_id: int | None = None, start: datetime | None = None
    ) -> OperationDialog | None:
        """The dialog for a new operation, prefilled with a room and a start."""
        if self.user.role not in WRITERS:
            return None
        if start is None:
            now = self.clock()
            start = datetime.combine(self.day, now.time()) if self.day == now.date() else None
            start = start or datetime.combine(self.day, datetime.min.time()).replace(hour=8)
            start = start.replace(second=0, microsecond=0)
            start += timedelta(minutes=(-start.minute) % 15)
        if room_id is None and self.data and self.data.rooms:
            room_id = self.data.rooms[0].id
        return self._open_dialog(
            OperationDialog(self.ops, room_id=room_id, start=start, parent=self)
        )

    def edit_operation(self, op: Operation) -> OperationDialog | None:
        if self.user.role not in WRITERS:
            return None
        return self._open_dialog(
            OperationDialog(self.ops, room_id=op.room_id, start=op.start, operation=op, parent=self)
        )

    def _open_dialog(self, dialog: OperationDialog) -> OperationDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(lambda record: self._remember_selection(record.id))
        dialog.finished.connect(lambda _: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: OperationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.scene.clear_proposal()
        dialog.deleteLater()

    def _remember_selection(self, op_id: int) -> None:
        """The saved operation is the selected one once the plan has reloaded."""
        self.selected = op_id

    def _proposed(self, row: int, start: datetime, _end: datetime) -> None:
        """A range dragged on an empty row: a new operation in that room at that time."""
        if self.data is None or not self.data.rooms:
            return
        room = self.data.rooms[min(row, len(self.data.rooms) - 1)]
        self.new_operation(room.id, start)

    def _open_block(self, block: OperationBlock) -> None:
        if block.op.status not in (OperationStatus.DONE, OperationStatus.CANCELLED):
            self.edit_operation(block.op)

    # -- status actions: context menu and keys --------------------------------------------

    def _show_context_menu(self, block: OperationBlock, where: QPoint) -> None:
        if self.user.role not in WRITERS:
            return
        op = block.op
        menu = QMenu(self)
        edit = menu.addAction(self.tr("Bearbeiten …"))
        edit.setEnabled(op.status not in (OperationStatus.DONE, OperationStatus.CANCELLED))
        edit.triggered.connect(lambda: self.edit_operation(op))
        menu.addSeparator()
        for target, label in TRANSITIONS.get(op.status, []):
            action = menu.addAction(self.tr(label))
            action.setShortcut(QKeySequence(STATUS_KEYS[target]))
            action.triggered.connect(lambda _=False, t=target: self.change_status(op, t))
            self._explain_start(action, op, target)
        self.context_menu = menu
        menu.popup(where)

    def _key(self, event: QKeyEvent) -> bool:
        """Keys on the timeline: Strg+N new, Enter edit, B/S/F/Entf the status steps.

        Handled as key presses of the focused timeline rather than window shortcuts, so they
        work wherever the plan has the focus and never fire while typing in a dialog."""
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key == Qt.Key.Key_N:
            self.new_operation()
            return True
        if ctrl or mods & Qt.KeyboardModifier.AltModifier:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._edit_selected()
            return True
        for target, keys in STATUS_KEYS.items():
            if keys == key:
                self._step_selected(target)
                return True
        return False

    def _edit_selected(self) -> None:
        block = self._selected_block()
        if block is not None:
            self._open_block(block)

    def _step_selected(self, target: OperationStatus) -> None:
        block = self._selected_block()
        if block is None or self.user.role not in WRITERS:
            return
        allowed = [t for t, _ in TRANSITIONS.get(block.op.status, [])]
        if target not in allowed:
            self.show_message(
                self.tr("„{0}“ ist im Status „{1}“ nicht möglich.").format(
                    self.tr(ACTION_LABELS[target]),
                    self.tr(STATUS_LABELS.get(block.op.status, block.op.status)),
                )
            )
            return
        if target == OperationStatus.RUNNING and self.clock() < block.op.start:
            self.show_message(
                self.tr("Starten ist ab {0} Uhr möglich.").format(f"{block.op.start:%H:%M}")
            )
            return
        self.change_status(block.op, target)
