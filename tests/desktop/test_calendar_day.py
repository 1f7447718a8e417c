"""Sign in and see the day: appointments in the right doctor columns and time rows."""

from __future__ import annotations

from datetime import time

from desktop.views.calendar.scene import HEADER_H, RULER_W
from desktop.views.main_window import MainWindow
from tests.desktop.seed import SeededPractice


def test_day_shows_appointments_in_doctor_columns_and_rows(
    window: MainWindow, practice: SeededPractice
) -> None:
    scene = window.calendar.grid.calendar_scene
    assert [c.title for c in scene.columns] == ["Anna Müller", "Bernd Schmidt", "Clara Weber"]
    items = scene.items_by_id
    mueller_9 = items[practice.appointments["mueller_9"]]
    schmidt_10 = items[practice.appointments["schmidt_10"]]
    geo = scene.geometry
    assert mueller_9.column == 0
    assert schmidt_10.column == 1
    assert mueller_9.pos().y() == geo.y_of(time(9))
    assert schmidt_10.pos().y() == geo.y_of(time(10))
    assert schmidt_10.pos().x() > RULER_W + geo.column_w
    assert schmidt_10.block_rect().height() > mueller_9.block_rect().height()
    assert mueller_9.appointment.patient_name.startswith("Mustermann, Max")
    assert mueller_9.pos().y() > HEADER_H
