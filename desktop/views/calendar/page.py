"""The Kalender screen: toolbar, day/week/month views, suggest panel; turns intentions into ops."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.api.chains import Chain
from desktop.api.patients import Patient
from desktop.api.suggest import Slot
from desktop.config import Preferences
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.theme import RED
from desktop.views.calendar.appointment_actions import AppointmentActions
from desktop.views.calendar.appointment_dialog import AppointmentDialog
from desktop.views.calendar.checklist import ChecklistButton
from desktop.views.calendar.day_list import day_list_document, print_document, write_pdf
from desktop.views.calendar.legend import LegendButton
from desktop.views.calendar.loader import MASTER_ENTITIES, CalendarLoader
from desktop.views.calendar.model import Appointment, CalendarData, api_datetime
from desktop.views.calendar.month_view import MonthView
from desktop.views.calendar.scene import RULER_W, Column, weekday_short
from desktop.views.calendar.suggest_panel import SuggestPanel
from desktop.views.calendar.view import CalendarView
from desktop.views.chains.book_dialog import ChainBookingDialog, first_step_day
from desktop.views.save_as import ask_save_path
from desktop.views.waiting_list.nachruecker import NachrueckerPanel
from shared.domain.events import LiveEntity

#: Source texts, shown through ``QCoreApplication.translate("Calendar", …)``.
RESOURCE_KINDS = {
    "room": QT_TRANSLATE_NOOP("Calendar", "Raum"),
    "device": QT_TRANSLATE_NOOP("Calendar", "Gerät"),
}

#: Source texts of the resource-kind filter.
RESOURCE_KIND_PLURALS = {
    "room": QT_TRANSLATE_NOOP("Calendar", "Nur Räume"),
    "device": QT_TRANSLATE_NOOP("Calendar", "Nur Geräte"),
}
#: QSettings keys of the week's doctors and the shown rooms/devices (spec 07: filters persist)
WEEK_DOCTORS_KEY = "calendar/week_doctors"
RESOURCES_KEY = "calendar/resources"
RESOURCE_KIND_KEY = "calendar/resource_kind"
#: A room column never grows wider than this to fit its name (then the name is cut).
MAX_RESOURCE_COLUMN_W = 240.0

MONTHS = [
    QT_TRANSLATE_NOOP("Calendar", "Januar"),
    QT_TRANSLATE_NOOP("Calendar", "Februar"),
    QT_TRANSLATE_NOOP("Calendar", "März"),
    QT_TRANSLATE_NOOP("Calendar", "April"),
    QT_TRANSLATE_NOOP("Calendar", "Mai"),
    QT_TRANSLATE_NOOP("Calendar", "Juni"),
    QT_TRANSLATE_NOOP("Calendar", "Juli"),
    QT_TRANSLATE_NOOP("Calendar", "August"),
    QT_TRANSLATE_NOOP("Calendar", "September"),
    QT_TRANSLATE_NOOP("Calendar", "Oktober"),
    QT_TRANSLATE_NOOP("Calendar", "November"),
    QT_TRANSLATE_NOOP("Calendar", "Dezember"),
]


def practice_now() -> datetime:
    zone = ZoneInfo(os.environ.get("PRAXI_TIMEZONE") or "Europe/Berlin")
    return datetime.now(zone).replace(tzinfo=None)


@dataclass(frozen=True)
class Move:
    appointment_id: int
    doctor: int
    start: datetime
    end: datetime


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class CalendarPage(QWidget):
    date_changed = Signal(object)  # date
    #: the meaning of ◀ / ▶ changed (day, week or month view)
    navigation_changed = Signal()
    loaded = Signal()
    message_shown = Signal(str)
    #: ISO weekdays (1 = Monday) the week view shows besides open and booked days, from the
    #: practice settings (issue 20); None: Monday to Friday.
    shown_weekdays: set[int] | None = None

    def __init__(
        self,
        ops: Ops,
        prefs: Preferences,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = practice_now,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.prefs = prefs
        self.clock = clock
        self.loader = CalendarLoader()
        self.day = clock().date()
        self.mode = prefs.calendar_mode
        self.slot_minutes = prefs.slot_minutes
        #: the doctors of the week view (None: every doctor) and the shown rooms/devices
        self.week_doctors: set[int] | None = self._stored_ids(WEEK_DOCTORS_KEY) or None
        kind = str(prefs.qsettings.value(RESOURCE_KIND_KEY, "") or "")
        self.resource_kind: str | None = kind if kind in RESOURCE_KIND_PLURALS else None
        self.chosen_resources: set[int] = self._stored_ids(RESOURCES_KEY)
        self._select_after_load: int | None = None
        self.data: CalendarData | None = None
        self.undo_move: Move | None = None
        self.active_dialog: AppointmentDialog | None = None
        self.loading = False
        self._load_seq = 0
        self.build_ui()
        self.ops.changed.connect(self._something_changed)
        self.ops.connection_restored.connect(self.reload)
        self._now_timer = QTimer(self, interval=60_000)
        self._now_timer.timeout.connect(self._tick)
        self._now_timer.start()

    # -- UI -------------------------------------------------------------------------------

    def build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        # Two rows, so that the bar never makes the window wider than a 1366 px screen (or
        # 1920 px at 150 %): what to do on top, how the shown range looks below.
        actions = QHBoxLayout()
        self.new_button = QPushButton(self.tr("Neuer Termin"))
        self.new_button.setToolTip(self.tr("Neuen Termin anlegen (Strg+N)"))
        self.new_button.setStyleSheet("font-weight: 600;")
        self.new_button.clicked.connect(self.new_appointment)
        actions.addWidget(self.new_button)
        actions.addSpacing(12)
        self.mode_group = QButtonGroup(self)
        for key, label in (
            ("day", self.tr("Tag")),
            ("week", self.tr("Woche")),
            ("month", self.tr("Monat")),
            ("resources", self.tr("Räume/Geräte")),
        ):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setProperty("mode", key)
            button.setChecked(key == self.mode)
            self.mode_group.addButton(button)
            actions.addWidget(button)
        self.mode_group.buttonClicked.connect(lambda b: self.set_mode(str(b.property("mode"))))
        actions.addStretch(1)
        self.suggest_button = QPushButton(self.tr("Freie Termine"))
        self.suggest_button.setCheckable(True)
        self.suggest_button.setToolTip(
            self.tr("Freie Termine suchen und für einen Patienten buchen")
        )
        actions.addWidget(self.suggest_button)
        self.chain_button = QPushButton(self.tr("Terminkette buchen …"))
        self.chain_button.setToolTip(
            self.tr("Eine Terminkette (mehrere Schritte) für einen Patienten buchen")
        )
        self.chain_button.clicked.connect(lambda: self.book_chain())
        actions.addWidget(self.chain_button)
        self.print_button = QPushButton(self.tr("Drucken"))
        self.print_button.setAccessibleName(self.tr("Tagesliste drucken oder als PDF speichern"))
        self.print_menu = QMenu(self.print_button)
        self.print_menu.aboutToShow.connect(self._fill_print_menu)
        self.print_button.setMenu(self.print_menu)
        actions.addWidget(self.print_button)
        self.legend_button = LegendButton(self)
        actions.addWidget(self.legend_button)
        outer.addLayout(actions)

        bar = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        bar.addWidget(self.title)
        bar.addStretch(1)
        self.doctor_filter = ChecklistButton(self.tr("Ärzte"))
        self.doctor_filter.setAccessibleName(self.tr("Ärzte der Wochenansicht"))
        self.doctor_filter.changed.connect(self._week_doctors_chosen)
        bar.addWidget(self.doctor_filter)
        self.resource_kind_box = QComboBox()
        self.resource_kind_box.setAccessibleName(self.tr("Art der Ressourcen"))
        self.resource_kind_box.addItem(self.tr("Räume und Geräte"), None)
        for kind, label in RESOURCE_KIND_PLURALS.items():
            self.resource_kind_box.addItem(QCoreApplication.translate("Calendar", label), kind)
        self.resource_kind_box.setCurrentIndex(
            max(0, self.resource_kind_box.findData(self.resource_kind))
        )
        self.resource_kind_box.currentIndexChanged.connect(self._resource_kind_chosen)
        bar.addWidget(self.resource_kind_box)
        self.resource_filter = ChecklistButton(self.tr("Auswahl"))
        self.resource_filter.setAccessibleName(self.tr("Gezeigte Räume und Geräte"))
        self.resource_filter.changed.connect(self._resources_chosen)
        bar.addWidget(self.resource_filter)
        self.slot_label = QLabel(self.tr("Raster:"))
        bar.addWidget(self.slot_label)
        self.slot_box = QComboBox()
        self.slot_box.setAccessibleName(self.tr("Zeitraster"))
        for minutes in (5, 10, 15, 30):
            self.slot_box.addItem(self.tr("{0} Min.").format(minutes), minutes)
        self.slot_box.setCurrentIndex(self.slot_box.findData(self.slot_minutes))
        self.slot_box.currentIndexChanged.connect(self._slot_chosen)
        bar.addWidget(self.slot_box)
        self.color_box = QComboBox()
        self.color_box.setAccessibleName(self.tr("Farbe der Termine"))
        self.color_box.addItem(self.tr("Farbe nach Arzt"), False)
        self.color_box.addItem(self.tr("Farbe nach Terminart"), True)
        self.color_box.setCurrentIndex(1 if self.prefs.color_by_type else 0)
        self.color_box.currentIndexChanged.connect(self._color_chosen)
        bar.addWidget(self.color_box)
        outer.addLayout(bar)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
        )
        self.message.hide()
        outer.addWidget(self.message)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.grid = CalendarView()
        self.grid.calendar_scene.color_by_type = self.prefs.color_by_type
        self.month_view = MonthView()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.month_view)
        # The grid scrolls sideways: its width must never add to the window's minimum.
        self.stack.setMinimumWidth(320)
        splitter.addWidget(self.stack)
        self.suggest = SuggestPanel(self.ops, today=self.clock().date())
        self.suggest.hide()
        splitter.addWidget(self.suggest)
        # Freed slots with waiting-list candidates (issue 18); shows itself when activated.
        self.nachruecker = NachrueckerPanel(self.ops)
        splitter.addWidget(self.nachruecker)
        splitter.setStretchFactor(0, 1)
        outer.addWidget(splitter, 1)
        self.suggest_button.toggled.connect(self.suggest.setVisible)
        self.suggest.book_requested.connect(self._book_suggestion)
        self.suggest.booked.connect(self._suggestion_booked)
        self.nachruecker.booked.connect(self._suggestion_booked)

        self.grid.create_requested.connect(self._create_at)
        self.grid.open_requested.connect(self.open_appointment)
        self.grid.move_requested.connect(self.move_appointment)
        self.grid.context_requested.connect(self._context_menu)
        # Check-in, status, cancel, no-show and delete: the same actions as in the dialog.
        self.appointment_actions = AppointmentActions(self.ops, self, clock=self.clock)
        self.appointment_actions.refused.connect(self.show_message)
        self.appointment_actions.open_requested.connect(self.open_appointment)
        self.grid.check_in_requested.connect(self.appointment_actions.check_in)
        self.month_view.day_selected.connect(self._month_day)
        commands: dict[str, Callable[[], None]] = {
            "new": self.new_appointment,
            "today": self.today,
            "undo": self.undo,
            "prev": lambda: self.step(-1),
            "next": lambda: self.step(1),
        }
        self.grid.command.connect(lambda name: commands[name]())

        for keys, action in (
            ("Ctrl+N", self.new_appointment),
            ("T", self.today),
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("Ctrl+Z", self.undo),
            ("F5", self.reload),
            ("Ctrl+P", lambda: self.print_day_list(None)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._update_title()

    # -- navigation -----------------------------------------------------------------------

    def set_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.date_changed.emit(day)
        self.reload()

    def step(self, direction: int) -> None:
        if self.mode in ("day", "resources"):
            self.set_day(self.day + timedelta(days=direction))
        elif self.mode == "week":
            self.set_day(self.day + timedelta(days=7 * direction))
        else:
            month = self.day.replace(day=1) + timedelta(
                days=32 * direction if direction > 0 else -1
            )
            self.set_day(month.replace(day=1))

    def today(self) -> None:
        self.set_day(self.clock().date())

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.prefs.calendar_mode = mode
        for button in self.mode_group.buttons():
            button.setChecked(button.property("mode") == mode)
        self.navigation_changed.emit()
        self.reload()

    def step_labels(self) -> tuple[str, str]:
        """What ◀ and ▶ of the top bar do in the shown view (their accessible names)."""
        if self.mode == "week":
            return self.tr("Vorherige Woche"), self.tr("Nächste Woche")
        if self.mode == "month":
            return self.tr("Vorheriger Monat"), self.tr("Nächster Monat")
        return self.tr("Vorheriger Tag"), self.tr("Nächster Tag")

    def _month_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.date_changed.emit(day)
        self.set_mode("day")

    def _slot_chosen(self) -> None:
        self.slot_minutes = int(self.slot_box.currentData())
        self.prefs.slot_minutes = self.slot_minutes
        self._show()

    def _color_chosen(self) -> None:
        by_type = bool(self.color_box.currentData())
        self.prefs.color_by_type = by_type
        self.grid.calendar_scene.color_by_type = by_type
        self.grid.calendar_scene.update()

    def _week_doctors_chosen(self) -> None:
        self.week_doctors = set(self.doctor_filter.checked_ids())
        self._store_ids(WEEK_DOCTORS_KEY, self.week_doctors)
        if self.mode == "week":
            self._show()

    def _resource_kind_chosen(self) -> None:
        self.resource_kind = self.resource_kind_box.currentData()
        self.prefs.qsettings.setValue(RESOURCE_KIND_KEY, self.resource_kind or "")
        if self.data is not None:
            self._fill_resource_filter(self.data)
        if self.mode == "resources":
            self._show()

    def _resources_chosen(self) -> None:
        self.chosen_resources = set(self.resource_filter.checked_ids())
        self._store_ids(RESOURCES_KEY, self.chosen_resources)
        if self.mode == "resources":
            self._show()

    def _stored_ids(self, key: str) -> set[int]:
        text = str(self.prefs.qsettings.value(key, "") or "")
        return {int(part) for part in text.split(",") if part.strip().isdigit()}

    def _store_ids(self, key: str, ids: set[int]) -> None:
        self.prefs.qsettings.setValue(key, ",".join(str(i) for i in sorted(ids)))

    def _update_title(self) -> None:
        day = self.day
        if self.mode in ("day", "resources"):
            text = f"{weekday_short(day)}, {day:%d.%m.%Y}"
        elif self.mode == "week":
            monday = monday_of(day)
            text = self.tr("KW {0}: {1} – {2}").format(
                monday.isocalendar()[1],
                f"{monday:%d.%m.}",
                f"{monday + timedelta(days=6):%d.%m.%Y}",
            )
        else:
            text = f"{QCoreApplication.translate('Calendar', MONTHS[day.month - 1])} {day.year}"
        self.title.setText(text)
        self.doctor_filter.setVisible(self.mode == "week")
        self.resource_kind_box.setVisible(self.mode == "resources")
        self.resource_filter.setVisible(self.mode == "resources")
        self.print_button.setEnabled(self.mode != "month")
        # the month has no time slots: a day is opened first (one click on it)
        self.new_button.setEnabled(self.mode != "month")
        self.new_button.setToolTip(
            self.tr("Im Monat zuerst einen Tag anklicken.")
            if self.mode == "month"
            else self.tr("Neuen Termin anlegen (Strg+N)")
        )
        self.print_button.setToolTip(
            self.tr("Die Tagesliste gibt es in der Tages-, Wochen- und Raumansicht.")
            if self.mode == "month"
            else ""
        )
        for widget in (self.slot_label, self.slot_box, self.color_box):
            widget.setVisible(self.mode != "month")
        self.grid.moves_enabled = self.mode != "resources"

    # -- loading --------------------------------------------------------------------------

    def range(self) -> tuple[date, date]:
        if self.mode == "week":
            monday = monday_of(self.day)
            return monday, monday + timedelta(days=6)
        return self.day, self.day

    def reload(self) -> None:
        self._update_title()
        self._load_seq += 1
        seq = self._load_seq
        self.loading = True
        if self.mode == "month":
            month = self.day.replace(day=1)
            self.stack.setCurrentWidget(self.month_view)
            self.ops.run(lambda api: self.loader.month(api, month), self).success(
                lambda days: self._month_loaded(seq, month, days)
            ).failure(lambda exc: self._load_failed(seq, exc)).run()
            return
        self.stack.setCurrentWidget(self.grid)
        first, last = self.range()
        self.ops.run(lambda api: self.loader.load(api, first, last), self).success(
            lambda data: self._loaded(seq, data)
        ).failure(lambda exc: self._load_failed(seq, exc)).run()

    def _loaded(self, seq: int, data: CalendarData) -> None:
        if seq != self._load_seq:
            return  # the user navigated on; a newer load is coming
        self.loading = False
        self.data = data
        self.doctor_filter.set_items([(d.id, d.name) for d in data.doctors], self.week_doctors)
        self._fill_resource_filter(data)
        self.suggest.set_data(data, self.day, self.clock().date())
        self._show()
        self.loaded.emit()

    def _month_loaded(self, seq: int, month: date, days: dict[date, list[Appointment]]) -> None:
        if seq != self._load_seq:
            return
        self.loading = False
        self.month_view.show_month(month, days, self.clock().date())
        self.loaded.emit()

    def _load_failed(self, seq: int, exc: Exception) -> None:
        if seq == self._load_seq:
            self.loading = False
            self.show_message(str(exc))  # the last data stays visible

    def _fill_resource_filter(self, data: CalendarData) -> None:
        kinds = [r for r in data.resources if self.resource_kind in (None, r.type)]
        self.resource_filter.set_items(
            [(r.id, r.name) for r in kinds],
            self.chosen_resources if self.chosen_resources else None,
        )

    def week_days(self, data: CalendarData) -> list[date]:
        """Monday to Friday, and Saturday or Sunday only when the practice is open then (or
        something is booked that day)."""
        open_weekdays = {h.weekday for h in data.practice_hours}
        booked = {a.start.date() for a in data.appointments}
        if self.shown_weekdays is not None:  # the practice's choice; open and booked days stay
            return [
                d
                for d in data.days()
                if d.isoweekday() in self.shown_weekdays
                or d.weekday() in open_weekdays
                or d in booked
            ]
        return [
            d for d in data.days() if d.weekday() < 5 or d.weekday() in open_weekdays or d in booked
        ]

    def columns(self, data: CalendarData) -> list[Column]:
        if self.mode == "resources":
            booked = Counter(
                resource
                for a in data.appointments
                if not a.cancelled
                for resource in data.booked_resources(a)
            )
            fallback = data.doctors[0].id if data.doctors else 0
            shown = set(self.resource_filter.checked_ids())
            return [
                Column(
                    data.first,
                    fallback,
                    r.name,
                    f"{self._resource_kind(r.type)} · {self._count_label(booked[r.id])}",
                    r.color,
                    resource_id=r.id,
                )
                for r in data.resources
                if r.id in shown
            ]
        if self.mode == "week":
            shown = set(self.doctor_filter.checked_ids())
            doctors = [d for d in data.doctors if d.id in shown]
            # Days side by side, each with the chosen doctors' columns (one doctor: the days).
            return [
                Column(day, d.id, f"{weekday_short(day)} {day:%d.%m.}", d.name, d.color)
                for day in self.week_days(data)
                for d in doctors
            ]
        counts = Counter(a.doctor for a in data.appointments if not a.cancelled)
        return [
            Column(data.first, d.id, d.name, self._count_label(counts[d.id]), d.color)
            for d in data.doctors
        ]

    @staticmethod
    def _resource_kind(kind: str) -> str:
        label = RESOURCE_KINDS.get(kind)
        return QCoreApplication.translate("Calendar", label) if label is not None else kind

    def _count_label(self, count: int) -> str:
        return self.tr("{0} Termine").format(count) if count != 1 else self.tr("1 Termin")

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        columns = self.columns(data)
        scene = self.grid.calendar_scene
        had_content = bool(scene.columns)
        scene.now = self.clock()
        self.grid.fixed_column_w = self._readable_column_width(columns)
        scene.set_content(data, columns, self.slot_minutes, self.grid.column_width(len(columns)))
        if scene.cursor is not None and scene.cursor[0] >= len(columns):
            scene.cursor = None
        if not had_content:
            self.grid.scroll_to_hour(max(scene.geometry.first_hour, 7))
        self._select_booked()

    def _readable_column_width(self, columns: list[Column]) -> float | None:
        """Room and device names are the only clue in their columns: rather than cutting
        them to "Behandlung…", make the columns as wide as the longest name and scroll."""
        if self.mode != "resources" or not columns:
            return None
        font = QFont(self.font())
        font.setBold(True)
        needed = max(QFontMetrics(font).horizontalAdvance(c.title) for c in columns) + 24
        available = (self.grid.viewport().width() - RULER_W - 2) / len(columns)
        return None if available >= needed else float(min(needed, MAX_RESOURCE_COLUMN_W))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.mode == "resources" and self.data is not None:
            self._show()

    def _tick(self) -> None:
        self.grid.calendar_scene.now = self.clock()
        self.grid.viewport().update()

    def _something_changed(self, entity: str) -> None:
        self.loader.invalidate(entity)
        # a flow status shows on the blocks ("da", "in Behandlung", "fertig")
        if entity in (LiveEntity.APPOINTMENT, LiveEntity.PATIENT_FLOW) or entity in MASTER_ENTITIES:
            self.reload()

    # -- messages -------------------------------------------------------------------------

    def book_chain(self, patient: Patient | None = None) -> ChainBookingDialog:
        """„Terminkette buchen …“ (issue 17); the booked chain's first day is shown after."""
        dialog = ChainBookingDialog(self.ops, patient=patient, start=self.day, parent=self)
        dialog.booked.connect(self._chain_booked)
        dialog.open()
        return dialog

    def _chain_booked(self, chain: Chain) -> None:
        self.show_message(
            self.tr("Terminkette „{0}“ gebucht ({1} Schritte).").format(
                chain.name, len(chain.steps)
            )
        )
        day = first_step_day(chain)
        self.set_day(day if day is not None else self.day)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)
        QTimer.singleShot(8000, self.message.hide)

    # -- create / open --------------------------------------------------------------------

    def _open_dialog(self, dialog: AppointmentDialog) -> None:
        self.active_dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "active_dialog", None))
        dialog.open()

    def _create_at(self, column: int, start: datetime) -> None:
        data = self.data
        if data is None:
            return
        col = self.grid.calendar_scene.columns[column]
        self._open_dialog(
            AppointmentDialog(
                self.ops,
                data,
                doctor_id=col.doctor_id,
                start=start,
                resource_ids=[col.resource_id] if col.resource_id is not None else None,
                parent=self,
            )
        )

    def new_appointment(self) -> None:
        scene = self.grid.calendar_scene
        if self.data is None or not scene.columns or self.mode == "month":
            return
        column, slot = scene.cursor or (0, scene.slot_at(self.grid.mapToScene(0, 60).y()))
        self._create_at(column, scene.slot_start(column, slot))

    def _book_suggestion(self, doctor: int, start: datetime, type_id: Any, minutes: int) -> None:
        if self.data is None:
            return
        self._open_dialog(
            AppointmentDialog(
                self.ops,
                self.data,
                doctor_id=doctor,
                start=start,
                type_id=type_id,
                minutes=minutes,
                parent=self,
            )
        )

    def book_for(self, patient: Patient) -> None:
        """ "Termin vereinbaren": Freie Termine open for ``patient`` and already searching."""
        self.suggest_button.setChecked(True)
        self.suggest.bind_patient(patient)
        self.suggest.search()
        self.suggest.search_button.setFocus()

    def _suggestion_booked(self, appointment_id: int, slot: Slot) -> None:
        """Show the new appointment: its day in the day view, the block selected."""
        self._select_after_load = appointment_id
        if self.mode not in ("day", "week"):
            self.mode = "day"
            for button in self.mode_group.buttons():
                button.setChecked(button.property("mode") == "day")
            self.prefs.calendar_mode = "day"
            self.navigation_changed.emit()
        self.set_day(slot.start.date())

    def _select_booked(self) -> None:
        wanted = self._select_after_load
        item = self.grid.calendar_scene.items_by_id.get(wanted) if wanted is not None else None
        if item is None:
            return
        self._select_after_load = None
        self.grid.calendar_scene.clearSelection()
        item.setSelected(True)
        self.grid.ensureVisible(item, 40, 60)

    def open_appointment(self, appointment: Appointment) -> None:
        if self.data is None:
            return
        self._open_dialog(
            AppointmentDialog(
                self.ops,
                self.data,
                doctor_id=appointment.doctor,
                start=appointment.start,
                appointment=appointment,
                parent=self,
            )
        )

    # -- move / resize / undo -------------------------------------------------------------

    def move_appointment(
        self, appointment: Appointment, column: int, start: datetime, end: datetime
    ) -> None:
        doctor = self.grid.calendar_scene.columns[column].doctor_id
        before = Move(appointment.id, appointment.doctor, appointment.start, appointment.end)
        self._patch_times(before, Move(appointment.id, doctor, start, end), remember=True)

    def _patch_times(self, before: Move, after: Move, *, remember: bool) -> None:
        body = {
            "doctor": after.doctor,
            "start_time": api_datetime(after.start),
            "end_time": api_datetime(after.end),
        }
        path = f"/api/appointments/{after.appointment_id}/"

        def done(_: Any) -> None:
            self.undo_move = before if remember else None
            self.message.hide()

        def refused(exc: Exception) -> None:
            self.grid.snap_back(after.appointment_id)
            self.show_message(self.tr("Termin nicht verschoben: {0}").format(exc))

        self.ops.run(lambda api: api.patch(path, body), self).changes("appointment").success(
            done
        ).failure(refused).run()

    def undo(self) -> None:
        move, self.undo_move = self.undo_move, None
        if move is None:
            return
        item = self.grid.calendar_scene.items_by_id.get(move.appointment_id)
        current = item.appointment if item else None
        now = (
            Move(move.appointment_id, current.doctor, current.start, current.end)
            if current
            else move
        )
        self._patch_times(now, move, remember=False)

    # -- context menu ---------------------------------------------------------------------

    def _context_menu(self, appointment: Appointment, where: QPoint) -> None:
        self.context_menu = self.appointment_actions.menu(appointment)
        self.context_menu.popup(where)

    def delete(self, appointment: Appointment, *, confirm: bool) -> None:
        self.appointment_actions.delete(appointment, confirm=confirm)

    # -- print ----------------------------------------------------------------------------

    def _fill_print_menu(self) -> None:
        menu = self.print_menu
        menu.clear()
        menu.addAction(
            self.tr("Tagesliste aller Ärzte drucken …"), lambda: self.print_day_list(None)
        )
        menu.addAction(
            self.tr("Tagesliste aller Ärzte als PDF speichern …"), lambda: self.ask_pdf(None)
        )
        if self.data is not None and self.data.doctors:
            menu.addSeparator()
            single = menu.addMenu(self.tr("Tagesliste eines Arztes als PDF"))
            for doctor in self.data.doctors:
                single.addAction(doctor.name, partial(self.ask_pdf, [doctor.id]))

    def day_list(self, doctor_ids: list[int] | None) -> QTextDocument | None:
        if self.data is None or self.mode == "month":
            return None
        return day_list_document(self.data, self.day, doctor_ids)

    def export_day_list_pdf(self, path: str, doctor_ids: list[int] | None = None) -> bool:
        document = self.day_list(doctor_ids)
        if document is None:
            return False
        write_pdf(document, path, self.tr("Tagesliste {0}").format(f"{self.day:%d.%m.%Y}"))
        return True

    def ask_pdf(self, doctor_ids: list[int] | None) -> None:
        path = ask_save_path(
            self,
            self.tr("Tagesliste als PDF speichern"),
            self.tr("Tagesliste-{0}.pdf").format(f"{self.day:%Y-%m-%d}"),
            self.tr("PDF (*.pdf)"),
            "pdf",
        )
        if path is None:
            return
        try:
            self.export_day_list_pdf(path, doctor_ids)
        except OSError as exc:
            self.show_message(self.tr("Die PDF-Datei wurde nicht gespeichert: {0}").format(exc))

    def print_day_list(self, doctor_ids: list[int] | None) -> None:
        document = self.day_list(doctor_ids)
        if document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Tagesliste drucken"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_document(document, printer)
