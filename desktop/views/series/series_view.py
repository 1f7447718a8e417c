"""A series at a glance (issue 17): every appointment with its place, day, time, doctor and
status — opened from a series block's appointment dialog ("Serie öffnen …")."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop.api import series
from desktop.ops import Ops
from desktop.theme import RED
from shared.domain.statuses import AppointmentStatus

WEEKDAY_NAMES = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


class SeriesView(QDialog):
    def __init__(self, ops: Ops, series_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Terminserie"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("Serie wird geladen …"))
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.appointments = QListWidget()
        layout.addWidget(self.appointments, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Schließen"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ops.run(lambda api: series.get(api, series_id), self).success(self._show).failure(
            self._complain
        ).run()

    def _show(self, record: series.SeriesRecord) -> None:
        booked = len(record.appointments)
        self.heading.setText(self.tr("{0} von {1} Terminen gebucht").format(booked, record.count))
        for item in record.appointments:
            status = self.tr("abgesagt") if item.status is AppointmentStatus.CANCELLED else ""
            day = f"{WEEKDAY_NAMES[item.start.weekday()]} {item.start:%d.%m.%Y}"
            text = f"{item.index}/{record.count}  {day}  {item.start:%H:%M}–{item.end:%H:%M}"
            text += f"  {item.doctor_name}" + (f"  ({status})" if status else "")
            self.appointments.addItem(text)

    def _complain(self, exc: Exception) -> None:
        self.heading.setStyleSheet(f"color: {RED};")
        self.heading.setText(str(exc))
