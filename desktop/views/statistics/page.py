"""Statistik screen: OP statistics and practice KPIs for a date range, export as CSV/PNG.

Every section loads through its own background operation (``desktop.ops``), so a slow or
refused endpoint never holds up the others and a 403 only replaces its own card. A new range
starts a new generation of loads; answers of an older generation are dropped.

Live: change notices for the data the numbers are computed from (operations, appointments,
patient flows, master data …) reload the screen while it is visible, coalesced over half a
second; a hidden screen only remembers that it is stale and reloads when shown again. Each
endpoint runs a fixed number of aggregate statements whatever the number of rows
(``docs/kpis.md``); all nine sections reloaded in 150–500 ms against the test server on the
2-core development machine, so reloading on a change is affordable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.session import User, role_label
from desktop.views.master_data.form import ERROR_STYLE, OK_STYLE
from desktop.views.save_as import ask_save_path
from desktop.views.statistics.cards import SectionCard
from desktop.views.statistics.content import Section, translate
from desktop.views.statistics.export import Outcome, suggested_name, write_csv, write_png
from desktop.views.statistics.ranges import (
    EARLIEST,
    LATEST,
    QUICK_RANGES,
    DateRange,
    this_month,
)
from desktop.views.statistics.sections import range_error_text, refusal_text, sections_for

#: Entities whose changes move the numbers on this screen (00 §11 change notices).
RELOAD_ON = frozenset(
    {
        "operation",
        "appointment",
        "patient_flow",
        "patient",
        "resource",
        "operation_type",
        "appointment_type",
        "practice_hours",
        "doctor_hours",
        "doctor_absence",
        "user",
        "waiting_list_entry",
        "waiting_list_slot",
    }
)
LIVE_DELAY_MS = 500
EDIT_DELAY_MS = 350
CUSTOM = "custom"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class StatisticsPage(QWidget):
    loaded = Signal()
    message_shown = Signal(str)

    def __init__(
        self,
        ops: Ops,
        user: User,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.clock = clock or datetime.now
        self.range = this_month(self.clock().date())
        self.sections = sections_for(user)
        self.cards: dict[str, SectionCard] = {}
        self.loading = False
        self.opened = False
        self.loaded_at: datetime | None = None
        self._stale = False
        self._generation = 0
        self._pending: set[str] = set()
        self._range_message = ""
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)
        self._build_ui()
        self._show_range()
        ops.changed.connect(self._something_changed)

    # -- layout ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.quick = QComboBox()
        self.quick.setAccessibleName(self.tr("Zeitraum-Schnellauswahl"))
        for key, label, _ in QUICK_RANGES:
            self.quick.addItem(translate("Statistik", label), key)
        self.quick.addItem(self.tr("Benutzerdefiniert"), CUSTOM)
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        self.from_edit.setAccessibleName(self.tr("Von"))
        self.to_edit.setAccessibleName(self.tr("Bis"))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setDateRange(_qdate(EARLIEST), _qdate(LATEST))
        self.refresh_button = QPushButton(self.tr("Aktualisieren"))
        self.refresh_button.setToolTip(self.tr("Zahlen neu vom Server laden (F5)"))
        self.refresh_button.setShortcut("F5")
        self.csv_button = QPushButton(self.tr("CSV exportieren"))
        self.csv_button.setToolTip(self.tr("Alle Tabellen als eine CSV-Datei (für Excel)"))
        self.png_button = QPushButton(self.tr("PNG exportieren"))
        self.png_button.setToolTip(self.tr("Die Auswertung als Bild speichern"))
        for button in (self.csv_button, self.png_button):
            button.setEnabled(False)
        for widget in (
            QLabel(self.tr("Zeitraum:")),
            self.quick,
            QLabel(self.tr("Von")),
            self.from_edit,
            QLabel(self.tr("Bis")),
            self.to_edit,
            self.refresh_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.png_button)
        outer.addLayout(bar)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)

        self.report = QWidget()
        self.report.setObjectName("statisticsReport")
        self.report.setStyleSheet("#statisticsReport { background: #F4F6F9; }")
        body = QVBoxLayout(self.report)
        body.setContentsMargins(12, 12, 12, 12)
        body.setSpacing(10)
        head = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 700; color: #1F2933;")
        self.stamp = QLabel()
        self.stamp.setStyleSheet("color: #52606D;")
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.stamp, 0, Qt.AlignmentFlag.AlignBottom)
        body.addLayout(head)
        grid = QGridLayout()
        grid.setSpacing(10)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        row = column = 0
        for section in self.sections:
            card = SectionCard(section)
            self.cards[section.key] = card
            if section.wide:
                if column:
                    row, column = row + 1, 0
                grid.addWidget(card, row, 0, 1, 2)
                row += 1
            else:
                grid.addWidget(card, row, column)
                row, column = (row, 1) if column == 0 else (row + 1, 0)
        body.addLayout(grid)
        body.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(self.report)
        outer.addWidget(self.scroll_area, 1)

        self.quick.currentIndexChanged.connect(self._quick_chosen)
        self.from_edit.dateChanged.connect(self._from_edited)
        self.to_edit.dateChanged.connect(self._to_edited)
        self.refresh_button.clicked.connect(self.reload)
        self.csv_button.clicked.connect(self.ask_csv)
        self.png_button.clicked.connect(self.ask_png)

    # -- range ----------------------------------------------------------------------------

    def set_range(self, rng: DateRange) -> None:
        """Show ``rng`` (as the date fields would) and load it."""
        self.range = rng
        self._show_range()
        self.reload()

    def _show_range(self) -> None:
        for edit, day in ((self.from_edit, self.range.first), (self.to_edit, self.range.last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.heading.setText(self.tr("Statistik · {0}").format(self.range.label()))

    def _quick_chosen(self, index: int) -> None:
        key = self.quick.itemData(index)
        for quick_key, _, make in QUICK_RANGES:
            if quick_key == key:
                self.set_range(make(self.clock().date()))

    def _from_edited(self, value: QDate) -> None:
        first: date = value.toPython()  # type: ignore[assignment]
        # "Von" after "Bis" would be refused (400): take "Bis" along instead.
        last = max(first, self.range.last)
        self._edited(DateRange(first, last))

    def _to_edited(self, value: QDate) -> None:
        last: date = value.toPython()  # type: ignore[assignment]
        first = min(self.range.first, last)
        self._edited(DateRange(first, last))

    def _edited(self, rng: DateRange) -> None:
        self.range = rng
        self._show_range()
        self.quick.blockSignals(True)
        self.quick.setCurrentIndex(self.quick.findData(CUSTOM))
        self.quick.blockSignals(False)
        # Typing a date passes through intermediate dates: load once the user pauses.
        self._reload_timer.start(EDIT_DELAY_MS)

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.opened = True
        self._stale = False
        self._reload_timer.stop()
        self._generation += 1
        generation = self._generation
        params = self.range.params()
        self._pending = {section.key for section in self.sections}
        self._range_message = ""
        self.loading = True
        self.message.hide()
        self.csv_button.setEnabled(False)
        self.png_button.setEnabled(False)
        for section in self.sections:
            self.cards[section.key].refreshing(True)

            def work(api: ApiClient, path: str = section.path) -> Any:
                return api.get(path, **params)

            self.ops.run(work, parent=self).success(
                partial(self._section_loaded, generation, section)
            ).failure(partial(self._section_failed, generation, section)).run()

    def _section_loaded(self, generation: int, section: Section, body: Any) -> None:
        if generation != self._generation:
            return
        card = self.cards[section.key]
        try:
            content = section.build(body)
        except (KeyError, TypeError, ValueError, AttributeError):
            card.show_failure(self.tr("Die Antwort des Servers war unvollständig."))
        else:
            card.show_content(content)
        self._done(section)

    def _section_failed(self, generation: int, section: Section, error: Exception) -> None:
        if generation != self._generation:
            return
        card = self.cards[section.key]
        if isinstance(error, ApiError) and error.status == 403:
            card.show_refusal(refusal_text(role_label(self.user.role)))
        elif isinstance(error, ApiError) and error.status == 400:
            detail = error.body.get("detail") if isinstance(error.body, dict) else None
            text = range_error_text(str(detail)) if detail else str(error)
            self._range_message = text
            card.show_failure(text)
        else:
            card.show_failure(str(error))
        self._done(section)

    def _done(self, section: Section) -> None:
        self.cards[section.key].refreshing(False)
        self._pending.discard(section.key)
        if self._pending:
            return
        self.loading = False
        self.loaded_at = self.clock()
        self.stamp.setText(self.tr("Stand: {0} Uhr").format(f"{self.loaded_at:%d.%m.%Y, %H:%M}"))
        if self._range_message:
            self.show_message(self._range_message)
        exportable = any(card.state == "ready" for card in self.cards.values())
        self.csv_button.setEnabled(exportable)
        self.png_button.setEnabled(exportable)
        self.loaded.emit()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale and not self.loading:
            self.reload()

    def _something_changed(self, entity: str) -> None:
        # Never opened yet: nothing to refresh (the first opening loads).
        if not self.opened or entity not in RELOAD_ON:
            return
        if self.isVisible():
            self._reload_timer.start(LIVE_DELAY_MS)
        else:
            self._stale = True

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str, ok: bool = False) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
        self.message_shown.emit(text)

    # -- export ---------------------------------------------------------------------------

    def outcomes(self) -> list[Outcome]:
        """Each section's content or message, in screen order (what an export contains)."""
        return [
            Outcome(card.section, card.content, card.message.text()) for card in self.cards.values()
        ]

    def export_csv(self, path: str | Path) -> Path:
        return write_csv(path, self.range, self.clock(), self.outcomes())

    def export_png(self, path: str | Path) -> Path:
        return write_png(self.report, path)

    def _ask_path(self, title: str, suffix: str, pattern: str) -> str | None:
        return ask_save_path(self, title, suggested_name(self.range, suffix), pattern, suffix)

    def ask_csv(self) -> None:
        path = self._ask_path(
            self.tr("Statistik als CSV speichern"), "csv", self.tr("CSV-Datei (*.csv)")
        )
        if path:
            self._export(self.export_csv, path)

    def ask_png(self) -> None:
        path = self._ask_path(
            self.tr("Statistik als Bild speichern"), "png", self.tr("PNG-Bild (*.png)")
        )
        if path:
            self._export(self.export_png, path)

    def _export(self, export: Callable[[str], Path], path: str) -> None:
        try:
            written = export(path)
        except OSError as exc:
            self.show_message(self.tr("Die Datei wurde nicht gespeichert: {0}").format(exc))
            return
        self.show_message(self.tr("Gespeichert: {0}").format(written), ok=True)
