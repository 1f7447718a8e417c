"""Month view: appointment counts per day; a click opens that day."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.i18n import QT_TRANSLATE_NOOP

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
        self.cellClicked.connect(self._clicked)
        self.cellActivated.connect(self._clicked)

    def show_month(self, month: date, counts: dict[date, int], today: date) -> None:
        self.month = month.replace(day=1)
        start = month_grid_start(self.month)
        for n in range(42):
            day = start + timedelta(days=n)
            count = counts.get(day, 0)
            text = (
                f"{day.day}\n"
                + (self.tr("{0} Termine").format(count) if count != 1 else self.tr("1 Termin"))
                if count
                else f"{day.day}\n"
            )
            cell = QTableWidgetItem(text)
            cell.setData(Qt.ItemDataRole.UserRole, day)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if day.month != self.month.month:
                cell.setForeground(QColor("#9AA5B1"))
            if day == today:
                cell.setBackground(QColor("#E3EEF9"))
            self.setItem(n // 7, n % 7, cell)

    def _clicked(self, row: int, column: int) -> None:
        cell = self.item(row, column)
        if cell is not None:
            self.day_selected.emit(cell.data(Qt.ItemDataRole.UserRole))
