"""The front desk's day on one screen: booking from "Freie Termine" and from Patienten, the
rooms' filter, and every screen fitting 1366×768 at 100 % and 1920×1080 at 150 %."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.calendar.page import CalendarPage
from desktop.views.calendar.suggest_panel import SuggestPanel
from desktop.views.main_window import MainWindow
from desktop.views.patients.page import PatientsPage
from server.master_data.models import Resource
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window, wait_loaded

__all__ = ["staff_window"]

#: 1920×1080 at 150 % leaves 1280×720 device-independent pixels (1366×768 at 100 % is larger)
SMALL_SCREEN = (1280, 720)


def click_row(qtbot: QtBot, view: QListWidget, row: int) -> None:
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def search_slots(qtbot: QtBot, panel: SuggestPanel) -> list[str]:
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    return [panel.results.item(n).text() for n in range(panel.results.count())]


def server_appointments(practice: SeededPractice, patient_id: int) -> list[dict[str, object]]:
    response = practice.get(
        f"/api/appointments/?patient_id={patient_id}&start_date=2027-01-01&end_date=2027-03-31"
    )
    assert response.status_code == 200, response.text
    return list(response.json())


def test_free_slot_is_booked_for_the_typed_patient_in_one_click(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    calendar = window.calendar
    qtbot.mouseClick(calendar.suggest_button, Qt.MouseButton.LeftButton)
    panel = calendar.suggest
    qtbot.keyClicks(panel.patient_search, "wagner, so")
    qtbot.keyClick(panel.patient_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.patient is not None, timeout=10_000)
    assert panel.patient_label.text() == "Für: Wagner, Sophie (09.07.2001)"
    panel.doctor.setCurrentIndex(panel.doctor.findText("Clara Weber"))
    panel.part.setCurrentIndex(panel.part.findText("vormittags"))
    panel.minutes.setValue(20)
    slots = search_slots(qtbot, panel)
    assert slots[0] == "Mo 18.01. 08:00–08:20\nClara Weber"
    assert panel.status.text() == "Ein Klick bucht den Termin für Wagner, Sophie."
    with qtbot.waitSignal(panel.booked, timeout=10_000) as booked:
        click_row(qtbot, panel.results, 0)
    appointment_id = booked.args[0]
    assert panel.status.text() == (
        "Gebucht: Mo 18.01. 08:00–08:20 bei Clara Weber für Wagner, Sophie."
    )
    assert panel.results.item(0).text() != slots[0]  # the slot is gone from the list
    # the server holds it …
    stored = server_appointments(practice, 1004)
    assert [(a["id"], a["doctor"], a["start_time"][:16]) for a in stored] == [
        (appointment_id, practice.doctors[2], "2027-01-18T08:00")
    ]
    # … and the calendar shows it, selected
    qtbot.waitUntil(
        lambda: (
            calendar.grid.selected_appointment() is not None
            and calendar.grid.selected_appointment().id == appointment_id
        ),  # type: ignore[union-attr]
        timeout=10_000,
    )
    item = calendar.grid.calendar_scene.items_by_id[appointment_id]
    assert calendar.grid.calendar_scene.columns[item.column].title == "Clara Weber"


def test_termin_vereinbaren_on_patienten_books_in_the_calendar(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    patients = window.open_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.waitUntil(lambda: bool(patients.patients) and not patients.loading, timeout=10_000)
    assert not patients.book_button.isVisible()  # no patient chosen yet
    patients.table.selectRow(
        next(n for n, p in enumerate(patients.patients) if p["last_name"] == "Becker")
    )
    assert patients.book_button.isVisible()
    qtbot.mouseClick(patients.book_button, Qt.MouseButton.LeftButton)
    calendar = window.calendar
    assert window.pages.currentWidget() is calendar
    assert window.nav.currentItem().text() == "Kalender"
    panel = calendar.suggest
    assert panel.isVisible()
    assert panel.patient_label.text() == "Für: Becker, Jonas (30.11.1977)"
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=10_000)  # already searched
    first = panel.results.item(0).text()
    assert first.startswith("Mo 18.01. 08:00")
    with qtbot.waitSignal(panel.booked, timeout=10_000):
        click_row(qtbot, panel.results, 0)
    assert [a["start_time"][:16] for a in server_appointments(practice, 1003)] == [
        "2027-01-18T08:00",
        "2027-01-18T10:00",
    ]


def test_rooms_and_devices_filter_by_kind_and_choice_with_readable_headers(
    qtbot: QtBot,
    db: sessionmaker[Session],
    practice: SeededPractice,
    staff_window: OpenWindow,
) -> None:
    with db() as session, session.begin():
        session.add_all(
            [
                Resource(name="Behandlungsraum 2", type="room"),
                Resource(name="Ultraschallraum", type="room"),
                Resource(name="EKG-Gerät", type="device"),
                Resource(name="Sonografiegerät Logiq E10", type="device"),
            ]
        )
    window = staff_window("assistant")
    calendar = window.calendar
    wait_loaded(qtbot, calendar)
    button = next(b for b in calendar.mode_group.buttons() if b.text() == "Räume/Geräte")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not calendar.loading and len(calendar.grid.calendar_scene.columns) == 5)
    assert calendar.resource_filter.text() == "Auswahl: alle"
    kinds = calendar.resource_kind_box
    kinds.setCurrentIndex(kinds.findText("Nur Geräte"))
    assert titles(calendar) == ["EKG-Gerät", "Sonografiegerät Logiq E10"]
    kinds.setCurrentIndex(kinds.findText("Nur Räume"))
    assert titles(calendar) == ["Behandlungsraum 1", "Behandlungsraum 2", "Ultraschallraum"]
    calendar.resource_filter.entries[practice.room_id].trigger()  # untick Behandlungsraum 1
    assert titles(calendar) == ["Behandlungsraum 2", "Ultraschallraum"]
    assert calendar.resource_filter.text() == "Auswahl: 2 von 3"
    kinds.setCurrentIndex(kinds.findText("Räume und Geräte"))
    # every header is as wide as its name (no "Behandlung…"), even in a small window
    window.resize(*SMALL_SCREEN)
    calendar.suggest_button.setChecked(True)
    QApplication.processEvents()
    scene = calendar.grid.calendar_scene
    bold = QFont(calendar.font())
    bold.setBold(True)
    for column in scene.columns:
        assert scene.geometry.column_w >= QFontMetrics(bold).horizontalAdvance(column.title)
    assert window.width() <= SMALL_SCREEN[0]


def titles(calendar: CalendarPage) -> list[str]:
    return [c.title for c in calendar.grid.calendar_scene.columns]


def test_every_screen_fits_a_1280_by_720_window(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    window = staff_window("admin")
    calendar = window.calendar
    wait_loaded(qtbot, calendar)
    window.resize(*SMALL_SCREEN)
    too_big: dict[str, tuple[int, int]] = {}

    def check(name: str) -> None:
        QApplication.processEvents()
        for size in (window.minimumSizeHint(), window.minimumSize()):
            if size.width() > SMALL_SCREEN[0] or size.height() > SMALL_SCREEN[1]:
                too_big[name] = (size.width(), size.height())
        if window.width() > SMALL_SCREEN[0]:
            too_big[name + " (window)"] = (window.width(), window.height())

    for mode in ("day", "week", "month", "resources"):
        calendar.set_mode(mode)
        wait_loaded(qtbot, calendar)
        check(f"calendar/{mode}")
        calendar.suggest_button.setChecked(True)
        check(f"calendar/{mode} + Freie Termine")
        calendar.suggest_button.setChecked(False)
    for key in window.page_keys[1:]:
        page = window.open_page(key)
        if hasattr(page, "loading"):
            wait_loaded(qtbot, page)
        check(key)
    assert too_big == {}
    # the grid scrolls sideways instead: the week of three doctors is wider than the window
    window.open_page("calendar")
    calendar.set_mode("week")
    wait_loaded(qtbot, calendar)
    QApplication.processEvents()
    assert calendar.grid.horizontalScrollBar().maximum() > 0
    assert (
        calendar.grid.mapToGlobal(QPoint(calendar.grid.width(), 0)).x()
        <= window.mapToGlobal(QPoint(window.width(), 0)).x()
    )


def test_billing_staff_are_not_offered_termin_vereinbaren(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    window = staff_window("billing")
    patients = window.open_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.waitUntil(lambda: bool(patients.patients) and not patients.loading, timeout=10_000)
    patients.table.selectRow(0)
    assert not patients.book_button.isVisible()
