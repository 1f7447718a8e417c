"""A 6-week series booked through the appointment dialog's "Wiederholen …" (issue 17): the
preview marks the one blocked week, one click takes its alternative, "Serie buchen" books
all six — checked on the calendar ("1/6") and on the server."""

from __future__ import annotations

from datetime import time, timedelta

import httpx
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.api.series import Scope
from desktop.views.main_window import MainWindow
from desktop.views.series.cancel_scope import CancelScopeDialog
from desktop.views.series.repeat_dialog import RepeatDialog
from desktop.views.series.series_view import SeriesView
from tests.desktop.front_desk import block, click_menu, right_click_block
from tests.desktop.helpers import slot_point
from tests.desktop.seed import MONDAY, SeededPractice, at, book

WEBER = 2  # the third doctor column, free at 11:00
SOPHIE_WAGNER = 1004
ALT = Qt.KeyboardModifier.AltModifier


def test_a_six_week_series_with_one_conflict_replaced(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    third_monday = MONDAY + timedelta(weeks=2)
    weber = practice.doctors[WEBER]
    book(practice, "blocker", 1001, weber, at(11, day=third_monday), at(11, 30, day=third_monday))

    page = window.calendar
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(page.grid, WEBER, time(11)),
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.patient_search, "Wagner")
    qtbot.waitUntil(lambda: dialog.patient_results.count() > 0)
    qtbot.keyClick(dialog.patient_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.patient_id == SOPHIE_WAGNER)
    qtbot.keyClick(dialog, Qt.Key.Key_T, ALT)
    qtbot.keyClick(dialog.type, Qt.Key.Key_Down)  # "Kontrolle", 30 minutes
    assert dialog.minutes.value() == 30

    qtbot.keyClick(dialog, Qt.Key.Key_W, ALT)  # &Wiederholen …
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "repeat_dialog", None), RepeatDialog))
    repeat: RepeatDialog = dialog.repeat_dialog
    qtbot.waitUntil(lambda: len(repeat.rows) == 6, timeout=10_000)  # weekly × 6 by default
    assert "1 von 6 Terminen sind nicht frei" in repeat.summary.text()
    assert not repeat.book_button.isEnabled()
    blocked = repeat.rows[2]
    assert "✗ Arzt belegt" in blocked.label.text()
    assert all("✓ frei" in row.label.text() for i, row in enumerate(repeat.rows) if i != 2)
    assert blocked.take_button.text() == "10:30 übernehmen"

    QTest.mouseClick(blocked.take_button, Qt.MouseButton.LeftButton)
    assert "ersetzt durch 10:30–11:00" in blocked.label.text()
    assert repeat.summary.text() == "Alle 6 Termine sind frei."
    QTest.mouseClick(repeat.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.active_dialog is None, timeout=10_000)

    # On the server: six appointments of one series, the third at its replacement time.
    booked = practice.get(f"/api/appointments/?patient_id={SOPHIE_WAGNER}").json()
    assert [a["start_time"][:16] for a in booked] == [
        f"{MONDAY + timedelta(weeks=w)}T{'10:30' if w == 2 else '11:00'}" for w in range(6)
    ]
    assert [(a["series"]["index"], a["series"]["count"]) for a in booked] == [
        (i, 6) for i in range(1, 7)
    ]
    assert len({a["series"]["id"] for a in booked}) == 1
    assert {a["doctor"] for a in booked} == {weber}

    # On the calendar: today's block is the first of six.
    scene = page.grid.calendar_scene
    qtbot.waitUntil(
        lambda: any(i.appointment.patient_id == SOPHIE_WAGNER for i in scene.items_by_id.values())
    )
    block = next(i for i in scene.items_by_id.values() if i.appointment.patient_id == SOPHIE_WAGNER)
    assert block.column == WEBER
    assert any("1/6" in line for line in block.shown_text())
    assert "Serie: Termin 1/6" in block.tooltip()


def test_a_series_block_opens_the_series_and_cancelling_asks_for_the_scope(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    weber = practice.doctors[WEBER]
    body = {
        "patient_id": SOPHIE_WAGNER,
        "doctor": weber,
        "start_time": at(11),
        "end_time": at(11, 30),
        "recurrence": {"freq": "weekly", "count": 4},
    }
    created = httpx.post(
        practice.url + "/api/appointment-series/", json=body, headers=practice.headers, timeout=10
    )
    assert created.status_code == 201, created.text
    page = window.calendar
    page.reload()
    scene = page.grid.calendar_scene
    qtbot.waitUntil(
        lambda: any(i.appointment.patient_id == SOPHIE_WAGNER for i in scene.items_by_id.values())
    )
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(page.grid, WEBER, time(11, 10)),
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    assert dialog.series_label.text() == "Termin 1/4 einer Serie"
    QTest.mouseClick(dialog.open_series_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(SeriesView) is not None)
    view = dialog.findChild(SeriesView)
    qtbot.waitUntil(lambda: view.appointments.count() == 4)
    assert view.heading.text() == "4 von 4 Terminen gebucht"
    assert view.appointments.item(3).text().startswith("4/4  Mo 08.02.2027  11:00–11:30")
    view.reject()

    def choose_the_whole_series() -> None:
        asked = QApplication.activeModalWidget()
        assert isinstance(asked, CancelScopeDialog)
        QTest.mouseClick(asked.options[Scope.ALL], Qt.MouseButton.LeftButton)
        QTest.mouseClick(asked.confirm, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose_the_whole_series)
    QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.active_dialog is None, timeout=10_000)
    series_id = created.json()["id"]
    statuses = [
        a["status"]
        for a in practice.get(f"/api/appointment-series/{series_id}/").json()["appointments"]
    ]
    assert statuses == ["cancelled"] * 4


def test_the_calendar_menu_cancels_this_and_the_following_appointments_of_a_series(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    """Right-click on the second of four daily appointments → "Absagen …" asks for the scope
    like the dialog does; "Diesen und alle folgenden" cancels 2–4 and leaves the first."""
    body = {
        "patient_id": SOPHIE_WAGNER,
        "doctor": practice.doctors[WEBER],
        "start_time": at(11),
        "end_time": at(11, 30),
        "recurrence": {"freq": "daily", "count": 4},
    }
    created = httpx.post(
        practice.url + "/api/appointment-series/", json=body, headers=practice.headers, timeout=10
    )
    assert created.status_code == 201, created.text
    first_id, second_id, *_ = (a["id"] for a in created.json()["appointments"])
    page = window.calendar
    QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)  # Tuesday: the 2/4
    scene = page.grid.calendar_scene
    qtbot.waitUntil(lambda: second_id in scene.items_by_id, timeout=10_000)
    assert "Serie: Termin 2/4" in block(page, second_id).tooltip()

    def choose_this_and_the_following() -> None:
        asked = QApplication.activeModalWidget()
        assert isinstance(asked, CancelScopeDialog)
        question = asked.findChild(QLabel)
        assert question is not None
        assert "(Termin 2/4)" in question.text()
        QTest.mouseClick(asked.options[Scope.FOLLOWING], Qt.MouseButton.LeftButton)
        QTest.mouseClick(asked.confirm, Qt.MouseButton.LeftButton)

    menu = right_click_block(qtbot, page, second_id)
    QTimer.singleShot(0, choose_this_and_the_following)
    click_menu(menu, "Absagen …")

    # On the calendar: Tuesday's block turns cancelled, Monday's stays as it was.
    qtbot.waitUntil(
        lambda: second_id in scene.items_by_id and block(page, second_id).appointment.cancelled,
        timeout=10_000,
    )
    assert "Status: abgesagt" in block(page, second_id).tooltip()
    QTest.mouseClick(window.prev_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first_id in scene.items_by_id, timeout=10_000)
    assert not block(page, first_id).appointment.cancelled

    # On the server: the first still planned, the following three cancelled.
    series_id = created.json()["id"]
    statuses = [
        a["status"]
        for a in practice.get(f"/api/appointment-series/{series_id}/").json()["appointments"]
    ]
    assert statuses == ["scheduled", "cancelled", "cancelled", "cancelled"]
