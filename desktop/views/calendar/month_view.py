"""Month view: the first appointments of each day and "+ n weitere"; a click opens that day."""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.views.calendar.model import Appointment

#: Source texts, shown through ``QCoreApplication.translate("Calendar", …)``.
WEEKDAY_NAMES = [
    QT_TRANSLATE_NOOP("Calendar", "Montag"),
    QT_TRANSLATE_NOOP("Calendar", "Dienstag"),
    QT_TRANSLATE_NOOP("Calendar", "Mittwoch"),
    QT_TRANSLATE_NOOP("Calendar", "Donnerstag"),
    QT_TRANSLATE_NOOP("Calendar", "Freitag"),
    QT_TRANSLATE_NOOP("Calendar", "Samstag"),
    QT_TRANSLATE_NOOP("Calendar", "Sonntag"),
]


#: The birth date the server appends to a patient's name; a month cell has no room for it.
_BIRTH_DATE = re.compile(r"\s*\(\d{2}\.\d{2}\.\d{4}\)$")


def short_name(appointment: Appointment) -> str:
    return _BIRTH_DATE.sub("", appointment.patient_name)


def month_grid_start(day: date) -> date:
    first = day.replace(day=1)
    return first - timedelta(days=first.weekday())


class MonthView(QTableWidget):
    day_selected = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(6, 7, parent)
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("Calendar", name) for name in WEEKDAY_NAMES]
        )
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(self.tr("Monatsübersicht"))
        self.month = date.today().replace(day=1)
        self.today = date.today()
        self.days: dict[date, list[Appointment]] = {}
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Seven columns must not decide the window's minimum width (1280 px at 150 %).
        self.horizontalHeader().setMinimumSectionSize(40)
        self.cellClicked.connect(self._clicked)
        self.cellActivated.connect(self._clicked)

    def show_month(self, month: date, days: dict[date, list[Appointment]], today: date) -> None:
        self.month = month.replace(day=1)
        self.days = days
        self.today = today
        self._render()

    def lines_per_day(self) -> int:
        """How many appointments fit under the day number (the rest: "+ n weitere")."""
        height = self.rowHeight(0) if self.rowCount() else 0
        line = self.fontMetrics().lineSpacing()
        return max(1, (height - 8) // max(line, 1) - 2)

    def _render(self) -> None:
        start = month_grid_start(self.month)
        lines = self.lines_per_day()
        for n in range(42):
            day = start + timedelta(days=n)
            entries = [a for a in self.days.get(day, []) if not a.cancelled]
            shown = entries if len(entries) <= lines + 1 else entries[:lines]
            text = "\n".join([str(day.day), *(f"{a.start:%H:%M} {short_name(a)}" for a in shown)])
            if len(entries) > len(shown):
                text += "\n" + self.tr("+ {0} weitere").format(len(entries) - len(shown))
            cell = QTableWidgetItem(text)
            cell.setData(Qt.ItemDataRole.UserRole, day)
            cell.setToolTip(
                "\n".join(
                    f"{a.start:%H:%M}–{a.end:%H:%M} {a.patient_name} ({a.doctor_name})"
                    for a in entries
                )
            )
            cell.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if day.month != self.month.month:
                cell.setForeground(QColor("#9AA5B1"))
            if day == self.today:
                cell.setBackground(QColor("#E3EEF9"))
            self.setItem(n // 7, n % 7, cell)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.days:
            self._render()

    def _clicked(self, row: int, column: int) -> None:
        cell = self.item(row, column)
        if cell is not None:
            self.day_selected.emit(cell.data(Qt.ItemDataRole.UserRole))
