""" "Nächster freier Termin": asks ``GET /api/appointments/suggest/`` and offers the slots."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.views.calendar.model import CalendarData, local


class SuggestPanel(QWidget):
    #: doctor id, start datetime, type id or None, minutes
    book_requested = Signal(int, object, object, int)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.day = date.today()
        self.setMinimumWidth(240)
        self.setMaximumWidth(300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel(self.tr("Nächster freier Termin"))
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        form = QFormLayout()
        self.type = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(15)
        self.minutes.setSuffix(self.tr(" Min."))
        self.doctor = QComboBox()
        self.days = QSpinBox()
        self.days.setRange(1, 31)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" Tage"))
        form.addRow(self.tr("Terminart:"), self.type)
        form.addRow(self.tr("Dauer:"), self.minutes)
        form.addRow(self.tr("Arzt:"), self.doctor)
        form.addRow(self.tr("Zeitraum:"), self.days)
        layout.addLayout(form)
        self.search_button = QPushButton(self.tr("Freie Termine suchen"))
        self.search_button.clicked.connect(self.search)
        layout.addWidget(self.search_button)
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Vorschläge"))
        self.results.itemActivated.connect(self._book)
        self.results.itemClicked.connect(self._book)
        layout.addWidget(self.results, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.type.currentIndexChanged.connect(self._type_changed)
        self._types: dict[int, int | None] = {}

    def set_data(self, data: CalendarData, day: date) -> None:
        self.day = day
        current_doctor, current_type = self.doctor.currentData(), self.type.currentData()
        self.doctor.blockSignals(True)
        self.doctor.clear()
        self.doctor.addItem(self.tr("Beliebiger Arzt"), None)
        for doctor in data.doctors:
            self.doctor.addItem(doctor.name, doctor.id)
        self.doctor.setCurrentIndex(max(0, self.doctor.findData(current_doctor)))
        self.doctor.blockSignals(False)
        self.type.blockSignals(True)
        self.type.clear()
        self.type.addItem(self.tr("– ohne Terminart –"), None)
        self._types = {t.id: t.duration_minutes for t in data.types}
        for kind in data.types:
            self.type.addItem(kind.name, kind.id)
        self.type.setCurrentIndex(max(0, self.type.findData(current_type)))
        self.type.blockSignals(False)

    def _type_changed(self) -> None:
        minutes = self._types.get(self.type.currentData())
        if minutes:
            self.minutes.setValue(minutes)

    def search(self) -> None:
        params: dict[str, Any] = {
            "duration_minutes": self.minutes.value(),
            "start_date": max(self.day, date.today()).isoformat(),
            "days": self.days.value(),
            "limit": 10,
            "type_id": self.type.currentData(),
        }
        doctor = self.doctor.currentData()
        if doctor is None:
            params["any_doctor"] = "true"
        else:
            params["doctor_id"] = doctor
        self.status.setText(self.tr("Suche läuft …"))
        self.search_button.setEnabled(False)
        self.ops.run(lambda api: api.get("/api/appointments/suggest/", **params), self).success(
            self._show
        ).failure(self._failed).run()

    def _show(self, body: dict[str, Any]) -> None:
        self.search_button.setEnabled(True)
        self.results.clear()
        slots = list(body.get("primary_suggestions") or [])
        for fallback in body.get("fallback_suggestions") or []:
            slots.extend(fallback.get("suggestions") or [])
        for slot in slots:
            start, end = local(slot["start_time"]), local(slot["end_time"])
            doctor = slot.get("doctor") or body.get("primary_doctor") or {}
            entry = QListWidgetItem(
                f"{start:%d.%m.} {start:%H:%M}–{end:%H:%M}  {doctor.get('name', '')}"
            )
            entry.setData(Qt.ItemDataRole.UserRole, (doctor.get("id"), start, (end - start)))
            self.results.addItem(entry)
        self.status.setText(
            self.tr("Keine freien Termine im Zeitraum.")
            if not slots
            else self.tr("Klicken Sie auf einen Vorschlag, um zu buchen.")
        )

    def _failed(self, exc: Exception) -> None:
        self.search_button.setEnabled(True)
        if isinstance(exc, ApiError) and exc.status == 404:
            self.status.setText(self.tr("Der Server bietet die Terminsuche noch nicht an."))
        else:
            self.status.setText(str(exc))

    def _book(self, entry: QListWidgetItem) -> None:
        value = entry.data(Qt.ItemDataRole.UserRole)
        if not value or value[0] is None:
            return
        doctor_id, start, duration = value
        self.book_requested.emit(
            int(doctor_id), start, self.type.currentData(), int(duration.total_seconds() // 60)
        )
