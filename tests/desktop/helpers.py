"""Small user-level actions on the calendar grid."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from desktop.views.calendar.view import CalendarView


def slot_point(view: CalendarView, column: int, clock: time, dy: float = 4) -> QPoint:
    scene = view.calendar_scene
    geo = scene.geometry
    scene_point = QPointF(geo.x_of(column) + geo.column_w / 2, geo.y_of(clock) + dy)
    view.ensureVisible(scene_point.x(), scene_point.y(), 1, 1, 0, 80)
    return view.mapFromScene(scene_point)


def drag(view: CalendarView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    QTest.mouseMove(viewport, middle)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
