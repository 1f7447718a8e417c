"""Days, week and month views, the top bar's date navigator, "Neuer Termin" and the keyboard."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QTableWidgetItem
from pytestqt.qtbot import QtBot

from desktop.views.calendar.page import CalendarPage
from desktop.views.main_window import MainWindow
from desktop.views.op_plan.page import OpPlanPage
from tests.desktop.seed import NOW, SeededPractice, at, book


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


def test_week_shows_the_chosen_doctors_side_by_side_on_working_days(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    qtbot.mouseClick(mode_button(page, "Woche"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(page) and len(page.grid.calendar_scene.columns) == 15)
    scene = page.grid.calendar_scene
    # Monday to Friday (the practice is closed at the weekend), every doctor on every day
    assert sorted({c.day for c in scene.columns}) == [
        date(2027, 1, 18) + timedelta(days=n) for n in range(5)
    ]
    assert [c.subtitle for c in scene.columns[:3]] == [
        "Anna Müller",
        "Bernd Schmidt",
        "Clara Weber",
    ]
    assert scene.columns[0].title == "Mo 18.01."
    assert len(scene.items_by_id) == 3
    assert page.doctor_filter.isVisible()
    assert page.doctor_filter.text() == "Ärzte: alle"
    # untick Müller and Weber in the doctors' list: Schmidt's week remains
    page.doctor_filter.entries[practice.doctors[0]].trigger()
    page.doctor_filter.entries[practice.doctors[2]].trigger()
    assert page.doctor_filter.text() == "Ärzte: Bernd Schmidt"
    assert [c.doctor_id for c in page.grid.calendar_scene.columns] == [practice.doctors[1]] * 5
    assert set(page.grid.calendar_scene.items_by_id) == {practice.appointments["schmidt_10"]}
    # the choice is kept for the next start
    later = CalendarPage(window.ops, window.prefs, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(later)
    later.reload()
    qtbot.waitUntil(lambda: _loaded(later) and bool(later.grid.calendar_scene.columns))
    assert later.mode == "week"
    assert {c.doctor_id for c in later.grid.calendar_scene.columns} == {practice.doctors[1]}
    # the window still fits a small screen: the columns scroll instead
    page.doctor_filter.menu_.actions()[0].trigger()  # "Alle"
    assert len(page.grid.calendar_scene.columns) == 15
    assert window.minimumSizeHint().width() <= 1280


def test_month_lists_the_first_appointments_and_how_many_more(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    tuesday = date(2027, 1, 19)
    for n in range(7):
        book(
            practice,
            f"weber_{n}",
            1004,
            practice.doctors[2],
            at(8 + n, day=tuesday),
            at(8 + n, 30, day=tuesday),
        )
    page = window.calendar
    qtbot.mouseClick(mode_button(page, "Monat"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(page) and page.stack.currentWidget() is page.month_view)
    assert page.title.text() == "Januar 2027"
    assert not page.print_button.isEnabled()
    assert not page.new_button.isEnabled()  # a month has no time slot to book into
    monday = month_cell(page, date(2027, 1, 18)).text().split("\n")
    assert monday == [
        "18",
        "09:00 Mustermann, Max",
        "10:00 Musterfrau, Erika",
        "10:00 Becker, Jonas",
    ]
    lines = month_cell(page, tuesday).text().split("\n")
    listed = lines[1:-1]
    assert listed[0] == "08:00 Wagner, Sophie"
    assert len(listed) >= 2
    assert lines[-1] == f"+ {7 - len(listed)} weitere"
    # a click on the day opens it
    view = page.month_view
    cell = month_cell(page, tuesday)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(cell).center()
    )
    qtbot.waitUntil(lambda: _loaded(page) and page.mode == "day" and page.day == tuesday)
    assert window.date_edit.date().toString("dd.MM.yyyy") == "19.01.2027"
    assert len(page.grid.calendar_scene.items_by_id) == 7
    assert page.new_button.isEnabled()


def test_the_top_bar_steers_the_shown_screen_and_hides_where_there_is_no_day(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    calendar = window.calendar
    plan = window.open_page("op_plan")
    assert isinstance(plan, OpPlanPage)
    qtbot.waitUntil(lambda: plan.data is not None and not plan.loading, timeout=10_000)
    # one navigator on screen: the OP-Plan has none of its own
    assert visible_buttons(window, "Heute") == 1
    assert window.next_button.accessibleName() == "Nächster Tag"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: plan.data is not None and plan.data.day == date(2027, 1, 19))
    assert window.date_edit.date().toString("dd.MM.yyyy") == "19.01.2027"
    assert calendar.day == date(2027, 1, 18)  # the calendar stays where it was
    window.open_page("statistics")
    assert not window.today_button.isVisible()
    assert not window.date_edit.isVisible()
    window.open_page("patient_flow")
    assert not window.next_button.isVisible()
    window.open_page("calendar")
    assert window.today_button.isVisible()
    assert window.date_edit.date().toString("dd.MM.yyyy") == "18.01.2027"
    qtbot.mouseClick(mode_button(calendar, "Woche"), Qt.MouseButton.LeftButton)
    assert window.next_button.accessibleName() == "Nächste Woche"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(calendar) and calendar.day == date(2027, 1, 25))
    assert plan.day == date(2027, 1, 19)


def test_new_appointment_button_opens_the_dialog(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    assert page.new_button.isVisible()
    assert page.new_button.text() == "Neuer Termin"
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "Neuer Termin"
    assert dialog.appointment is None
    dialog.reject()


def mode_button(page: CalendarPage, text: str) -> QPushButton:
    return next(b for b in page.mode_group.buttons() if b.text() == text)  # type: ignore[misc]


def month_cell(page: CalendarPage, day: date) -> QTableWidgetItem:
    view = page.month_view
    cells = [view.item(r, c) for r in range(view.rowCount()) for c in range(view.columnCount())]
    return next(c for c in cells if c is not None and c.data(Qt.ItemDataRole.UserRole) == day)


def visible_buttons(window: MainWindow, text: str) -> int:
    return sum(1 for b in window.findChildren(QPushButton) if b.text() == text and b.isVisible())
