"""Create by double-click, move and resize by dragging, conflicts snap back, undo."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.views.main_window import MainWindow
from tests.desktop.helpers import drag, slot_point
from tests.desktop.seed import SeededPractice


def test_double_click_creates_an_appointment(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    view = page.grid
    QTest.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(view, 2, time(11)),
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    assert dialog.doctor.currentData() == practice.doctors[2]
    assert dialog.time.time().toString("HH:mm") == "11:00"
    qtbot.keyClicks(dialog.patient_search, "Wagner")
    qtbot.waitUntil(lambda: dialog.patient_results.count() == 1)
    result = dialog.patient_results.item(0)
    qtbot.mouseClick(
        dialog.patient_results.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.patient_results.visualItemRect(result).center(),
    )
    dialog.type.setCurrentIndex(dialog.type.findData(practice.type_id))
    assert dialog.minutes.value() == 30
    qtbot.waitUntil(lambda: "frei" in dialog.verdict.text())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.active_dialog is None)
    qtbot.waitUntil(
        lambda: any(
            i.appointment.patient_id == 1004 for i in view.calendar_scene.items_by_id.values()
        )
    )
    created = next(
        i for i in view.calendar_scene.items_by_id.values() if i.appointment.patient_id == 1004
    )
    assert created.column == 2
    server_row = practice.appointment(created.appointment.id)
    assert str(server_row["start_time"]).startswith("2027-01-18T11:00")
    assert str(server_row["end_time"]).startswith("2027-01-18T11:30")


def test_dialog_shows_the_servers_conflict_inline(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    page.grid.set_cursor(1, 0)
    QTest.keyClick(page.grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.patient_search, "Mustermann")
    qtbot.waitUntil(lambda: dialog.patient_results.count() >= 1)
    dialog._choose_patient(dialog.patient_results.item(0))
    dialog.time.setTime(dialog.time.time().fromString("09:15", "HH:mm"))  # Max is with Müller
    qtbot.waitUntil(lambda: "bereits einen Termin" in dialog.verdict.text())
    dialog.reject()


def test_drag_moves_to_another_time_and_doctor(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    view = window.calendar.grid
    appointment_id = practice.appointments["mueller_9"]
    drag(view, slot_point(view, 0, time(9), dy=6), slot_point(view, 2, time(14), dy=6))
    qtbot.waitUntil(
        lambda: str(practice.appointment(appointment_id)["start_time"]).startswith(
            "2027-01-18T14:00"
        ),
        timeout=5000,
    )
    assert practice.appointment(appointment_id)["doctor"] == practice.doctors[2]
    qtbot.waitUntil(lambda: view.calendar_scene.items_by_id[appointment_id].column == 2)
    # Ctrl+Z puts it back
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: str(practice.appointment(appointment_id)["start_time"]).startswith(
            "2027-01-18T09:00"
        ),
        timeout=5000,
    )
    assert practice.appointment(appointment_id)["doctor"] == practice.doctors[0]


def test_conflicting_move_snaps_back_with_the_reason(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    view = page.grid
    appointment_id = practice.appointments["mueller_9"]
    item = view.calendar_scene.items_by_id[appointment_id]
    origin = item.pos()
    with qtbot.waitSignal(page.message_shown, timeout=5000) as shown:
        drag(view, slot_point(view, 0, time(9), dy=6), slot_point(view, 0, time(10), dy=6))
    assert "bereits einen Termin" in str(shown.args[0])
    assert page.message.isVisible()
    assert view.calendar_scene.items_by_id[appointment_id].pos() == origin
    assert str(practice.appointment(appointment_id)["start_time"]).startswith("2027-01-18T09:00")


def test_dragging_the_lower_edge_resizes(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    view = window.calendar.grid
    appointment_id = practice.appointments["schmidt_10"]
    item = view.calendar_scene.items_by_id[appointment_id]
    bottom = item.mapToScene(item.block_rect().bottomLeft())
    grip = view.mapFromScene(bottom.x() + 20, bottom.y() - 2)
    drag(view, grip, grip + QPoint(0, int(view.calendar_scene.geometry.px_per_minute * 30)))
    qtbot.waitUntil(
        lambda: str(practice.appointment(appointment_id)["end_time"]).startswith(
            "2027-01-18T11:30"
        ),
        timeout=5000,
    )
    assert str(practice.appointment(appointment_id)["start_time"]).startswith("2027-01-18T10:00")
