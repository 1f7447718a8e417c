"""Days, week and month views, and the keyboard."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.views.main_window import MainWindow
from tests.desktop.seed import SeededPractice


def _loaded(page: object) -> bool:
    return not page.loading  # type: ignore[attr-defined]


def test_page_keys_and_today(qtbot: QtBot, window: MainWindow, practice: SeededPractice) -> None:
    page = window.calendar
    page.grid.setFocus()
    QTest.keyClick(page.grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: page.day == date(2027, 1, 19) and _loaded(page))
    assert page.grid.calendar_scene.items_by_id == {}
    assert window.date_edit.date().toString("dd.MM.yyyy") == "19.01.2027"
    QTest.keyClick(page.grid, Qt.Key.Key_PageUp)
    QTest.keyClick(page.grid, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: page.day == date(2027, 1, 17) and _loaded(page))
    QTest.keyClick(page.grid, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: page.day == date(2027, 1, 18) and _loaded(page))
    assert len(page.grid.calendar_scene.items_by_id) == 3
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.day == date(2027, 1, 19) and _loaded(page))


def test_arrow_keys_move_the_selection_and_enter_opens(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    view = page.grid
    scene = view.calendar_scene
    view.setFocus()
    nine = (9 - scene.geometry.first_hour) * 60 // scene.geometry.slot_minutes
    view.set_cursor(0, nine - 1)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_appointment() is not None
    assert view.selected_appointment().id == practice.appointments["mueller_9"]  # type: ignore[union-attr]
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert scene.cursor == (1, nine)
    assert view.selected_appointment() is None
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    assert page.active_dialog is not None
    assert page.active_dialog.appointment is not None
    assert page.active_dialog.appointment.id == practice.appointments["mueller_9"]
    page.active_dialog.reject()


def test_week_and_month_views(qtbot: QtBot, window: MainWindow, practice: SeededPractice) -> None:
    page = window.calendar
    page.set_mode("week")
    qtbot.waitUntil(lambda: _loaded(page) and len(page.grid.calendar_scene.columns) == 7)
    scene = page.grid.calendar_scene
    assert scene.columns[0].day == date(2027, 1, 18)
    assert {c.doctor_id for c in scene.columns} == {practice.doctors[0]}
    assert len(scene.items_by_id) == 2  # Müller's two appointments on Monday
    page.week_doctor_box.setCurrentIndex(page.week_doctor_box.findData(practice.doctors[1]))
    qtbot.waitUntil(
        lambda: (
            _loaded(page) and page.grid.calendar_scene.columns[0].doctor_id == practice.doctors[1]
        )
    )
    assert len(page.grid.calendar_scene.items_by_id) == 1
    page.set_mode("month")
    qtbot.waitUntil(lambda: _loaded(page) and page.stack.currentWidget() is page.month_view)
    cells = [page.month_view.item(r, c) for r in range(6) for c in range(7)]
    monday = next(
        cell for cell in cells if cell is not None and cell.data(256) == date(2027, 1, 18)
    )
    assert "3 Termine" in monday.text()
    page.month_view._clicked(monday.row(), monday.column())
    qtbot.waitUntil(lambda: _loaded(page) and page.mode == "day" and page.day == date(2027, 1, 18))
