"""The waiting list at the front desk, through the client's UI (issue 18).

1. The acceptance scenario: an MFA puts Sophie Wagner on the Warteliste through the screen;
   another workstation cancels Erika Musterfrau's 10:00 with Dr. Müller; the first
   workstation's calendar shows the Nachrücker panel with Sophie and her phone number, one
   click books her; the calendar shows the booking, the server has it, the entry is booked
   and gone from the open list, the badge is back to none, and Statistik counts the freed
   and the rebooked minutes.
2. From the appointment dialog: a refused time offers "Auf die Warteliste …", prefilled;
   on the screen the entry is edited, marked as called and removed with a reason; at the
   calendar, a Nachrücker click that another workstation beat gets the next candidate.

The server runs at the seeded Monday 09:40 (``PRAXI_TEST_NOW``); the client's clock says the
same. Set ``PRAXI_SCREENSHOTS=1`` to write the screens at 1366×768 into ``bench/out/``.
"""

from __future__ import annotations

import os
import time as wall
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from desktop.api import appointments
from desktop.api.client import ApiClient
from desktop.api.waiting_list import TimeWindow
from desktop.config import Preferences
from desktop.session import Session as DesktopSession
from desktop.session import User
from desktop.views.main_window import MainWindow
from desktop.views.statistics.page import StatisticsPage
from desktop.views.waiting_list.entry_dialog import EntryDialog
from desktop.views.waiting_list.labels import windows_text
from desktop.views.waiting_list.nachruecker import NachrueckerPanel
from desktop.views.waiting_list.page import WaitingListPage
from desktop.views.waiting_list.remove_dialog import RemoveDialog
from server.patients.models import Patient
from tests.desktop.front_desk import block, open_calendar
from tests.desktop.helpers import slot_point
from tests.desktop.live import RestartableServer
from tests.desktop.seed import NOW, SeededPractice
from tests.server.conftest import make_settings

SOPHIE_WAGNER = 1004
SOPHIES_PHONE = "0171 2345678"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[RestartableServer]:
    """The conftest's server, with its clock at the seeded Monday 09:40."""
    live = RestartableServer(make_settings(database_url, tmp_path / "data", test_now=NOW))
    live.start()
    yield live
    live.stop()


@pytest.fixture
def phone(db: sessionmaker[Session], practice: SeededPractice) -> str:
    with db() as session, session.begin():
        session.execute(
            update(Patient).where(Patient.id == SOPHIE_WAGNER).values(phone=SOPHIES_PHONE)
        )
    return SOPHIES_PHONE


def screenshot(widget: Any, name: str) -> None:
    if os.environ.get("PRAXI_SCREENSHOTS"):
        QApplication.processEvents()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SCREENSHOTS / name))


def server_entries(practice: SeededPractice, status: str = "all") -> list[dict[str, Any]]:
    response = practice.get(f"/api/waiting-list/entries/?status={status}")
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def open_waiting_list(qtbot: QtBot, window: MainWindow) -> WaitingListPage:
    page = window.open_page("waiting_list")
    assert isinstance(page, WaitingListPage)
    qtbot.waitUntil(lambda: page.opened and not page.loading and page.choices is not None)
    return page


def table_column(page: WaitingListPage, column: int) -> list[str]:
    items = (page.table.item(row, column) for row in range(page.table.rowCount()))
    return [item.text() if item is not None else "" for item in items]


def tick(qtbot: QtBot, listing: QListWidget, text: str) -> None:
    """Click the entry, then Space ticks it (as a keyboard user does)."""
    item = next(listing.item(n) for n in range(listing.count()) if listing.item(n).text() == text)
    listing.scrollToItem(item)
    qtbot.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
    )
    qtbot.keyClick(listing, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def choose_patient(qtbot: QtBot, dialog: EntryDialog, text: str) -> None:
    qtbot.keyClicks(dialog.patient.search, text)
    qtbot.keyClick(dialog.patient.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.patient_id is not None, timeout=5000)


def other_workstation(practice: SeededPractice) -> ApiClient:
    """A second client signed in as the practice's MFA (a thread of its own: not the UI)."""
    client = ApiClient(practice.url)
    client.guard_ui_thread = False
    client.login(practice.assistant_username, practice.password)
    return client


def lose_a_race_then_book_the_next(
    qtbot: QtBot, panel: NachrueckerPanel, practice: SeededPractice
) -> None:
    """Sophie (urgent, Dr. Müller) and Max (any doctor) fit Erika's freed 10:00. Another
    workstation has meanwhile booked Sophie at 11:00 from the list; the click on her
    still-shown row gets the server's 409 with the next candidate for the slot, Max, who is
    booked with the next click."""
    mueller = practice.doctors[0]
    for body in (
        {"patient_id": SOPHIE_WAGNER, "type": practice.type_id, "doctor_ids": [mueller]},
        {"patient_id": 1001, "type": practice.type_id, "priority": "normal"},
    ):
        body.setdefault("priority", "urgent")
        created = httpx.post(
            practice.url + "/api/waiting-list/entries/",
            json=body,
            headers=practice.headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
    cancelled = httpx.patch(
        practice.url + f"/api/appointments/{practice.appointments['mueller_10']}/",
        json={"status": "cancelled"},
        headers=practice.headers,
        timeout=10,
    )
    assert cancelled.status_code == 200, cancelled.text

    def names() -> list[str]:
        return [row.candidate.entry.patient_name for c in panel.cards.values() for row in c.rows]

    qtbot.waitUntil(lambda: names() == ["Wagner, Sophie", "Mustermann, Max"], timeout=5000)
    [card] = panel.cards.values()
    sophie = card.rows[0]
    # The other workstation is faster (this one has not heard of it yet).
    won = httpx.post(
        practice.url + f"/api/waiting-list/entries/{sophie.candidate.entry.id}/book/",
        json={"doctor": mueller, "start_time": "2027-01-18T11:00:00"},
        headers=practice.headers,
        timeout=10,
    )
    assert won.status_code == 201, won.text
    qtbot.mouseClick(sophie.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text().startswith("Nicht gebucht"), timeout=5000)
    assert panel.status.text() == (
        "Nicht gebucht: Der Eintrag ist nicht mehr offen. Die nächsten Kandidaten stehen unten."
    )
    qtbot.waitUntil(lambda: names() == ["Mustermann, Max"], timeout=5000)
    [card] = panel.cards.values()
    [max_] = card.rows
    assert (max_.candidate.doctor_id, f"{max_.candidate.start:%H:%M}") == (mueller, "10:00")
    with qtbot.waitSignal(panel.booked, timeout=5000) as booked:
        qtbot.mouseClick(max_.book_button, Qt.MouseButton.LeftButton)
    row = practice.appointment(int(booked.args[0]))
    assert row["patient_id"] == 1001
    assert str(row["start_time"]).startswith("2027-01-18T10:00")
    # Sophie's booking is the other workstation's, untouched.
    sophies = [e for e in server_entries(practice) if e["patient_id"] == SOPHIE_WAGNER]
    assert [e["status"] for e in sophies] == ["booked"]


def test_a_freed_slot_is_offered_live_and_booked_from_the_waiting_list(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, phone: str
) -> None:
    window.resize(1366, 768)
    mueller = practice.doctors[0]
    calendar = window.calendar
    panel = calendar.nachruecker
    assert isinstance(panel, NachrueckerPanel)
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    nav_item = window.nav.item(window.page_keys.index("waiting_list"))
    assert nav_item.text() == "Warteliste"

    # 1. The MFA puts Sophie Wagner on the list: Kontrolle with Dr. Müller, Mo–Fr mornings,
    #    urgent.
    page = open_waiting_list(qtbot, window)
    assert page.empty_label.text() == "Niemand wartet – die Warteliste ist leer."
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.active_dialog
    assert isinstance(dialog, EntryDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.type.currentText() == "Kontrolle (30 Min.)"
    choose_patient(qtbot, dialog, "wagner")
    assert dialog.patient.label.text() == "Wagner, Sophie (09.07.2001)"
    tick(qtbot, dialog.doctors, "Anna Müller")
    assert dialog.window_days.currentText() == "Mo–Fr"
    assert dialog.window_part.currentText() == "vormittags"
    qtbot.mouseClick(dialog.add_window_button, Qt.MouseButton.LeftButton)
    assert dialog.window_list.item(0).text() == "Mo–Fr 08:00–12:00"
    qtbot.keyClicks(dialog.priority, "D")
    assert dialog.priority.currentText() == "Dringend"
    screenshot(dialog, "waiting_list_entry_dialog.png")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table_column(page, 1) == ["Wagner, Sophie (09.07.2001)"])
    assert table_column(page, 0) == ["Dringend"]
    assert table_column(page, 2) == [SOPHIES_PHONE]
    assert table_column(page, 4) == ["Anna Müller"]
    assert table_column(page, 6) == ["Mo–Fr 08:00–12:00"]
    assert table_column(page, 8) == ["Wartend"]
    [entry] = server_entries(practice)
    assert entry["patient_id"] == SOPHIE_WAGNER
    assert entry["doctor_ids"] == [mueller]
    assert entry["priority"] == "urgent"
    assert entry["status"] == "waiting"
    assert sorted(w["weekday"] for w in entry["windows"]) == [0, 1, 2, 3, 4]
    qtbot.waitUntil(lambda: nav_item.text() == "Warteliste (1) !", timeout=3000)
    screenshot(window, "waiting_list_screen.png")

    # 2. Back at the calendar; nothing is free yet.
    calendar = open_calendar(qtbot, window)
    assert not panel.isVisible()
    erika = practice.appointments["mueller_10"]

    # 3. Another workstation: Erika Musterfrau cancels her 10:00–10:30 with Dr. Müller.
    other = other_workstation(practice)
    try:
        appointments.cancel(other, erika, "Hat abgesagt")
        cancelled_at = wall.monotonic()
    finally:
        other.close()

    # 4. The Nachrücker panel appears with Sophie, her phone number and "Buchen".
    qtbot.waitUntil(lambda: panel.isVisible() and bool(panel.cards), timeout=5000)
    seen_after = wall.monotonic() - cancelled_at
    print(f"Nachrücker panel shown {seen_after * 1000:.0f} ms after the cancellation's answer")
    [card] = panel.cards.values()
    assert card.title.text() == "Frei: Mo 18.01. 10:00–10:30"
    assert card.subtitle.text() == "Anna Müller · Termin abgesagt"
    [row] = card.rows
    assert row.name.text().startswith("Wagner, Sophie")
    assert "Dringend" in row.name.text()
    assert row.phone.text() == f"☎ {SOPHIES_PHONE}"
    assert row.details.text() == "Kontrolle · 10:00–10:30"
    screenshot(window, "nachruecker_panel.png")
    screenshot(panel, "nachruecker_panel_only.png")

    # 5. One click books her; the calendar shows her block where Erika's was.
    with qtbot.waitSignal(panel.booked, timeout=5000) as booked:
        qtbot.mouseClick(row.book_button, Qt.MouseButton.LeftButton)
    appointment_id = int(booked.args[0])
    qtbot.waitUntil(
        lambda: appointment_id in calendar.grid.calendar_scene.items_by_id, timeout=5000
    )
    shown = block(calendar, appointment_id).appointment
    assert shown.patient_id == SOPHIE_WAGNER
    assert shown.doctor == mueller
    assert (shown.start, shown.end) == (datetime(2027, 1, 18, 10), datetime(2027, 1, 18, 10, 30))
    assert panel.status.text() == "Gebucht: Wagner, Sophie · Mo 18.01. 10:00–10:30 bei Anna Müller."
    # The server has it: the appointment, and the entry booked with it.
    row_ = practice.appointment(appointment_id)
    assert row_["patient_id"] == SOPHIE_WAGNER
    assert row_["doctor"] == mueller
    assert str(row_["start_time"]).startswith("2027-01-18T10:00")
    [entry] = server_entries(practice)
    assert entry["status"] == "booked"
    assert entry["booked_appointment_id"] == appointment_id
    # … the slot is filled: no candidates left anywhere; the panel's card is gone.
    qtbot.waitUntil(lambda: not panel.cards, timeout=5000)
    assert practice.get("/api/waiting-list/freed-slots/").json() == []

    # 6. The entry left the open list and the badge; Statistik counts the minutes.
    qtbot.waitUntil(lambda: nav_item.text() == "Warteliste", timeout=3000)
    page = open_waiting_list(qtbot, window)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and not page.loading, timeout=3000)
    statistics = window.open_page("statistics")
    assert isinstance(statistics, StatisticsPage)
    qtbot.waitUntil(lambda: statistics.opened and not statistics.loading, timeout=10_000)
    tiles = statistics.cards["kpi_waiting_list"].tiles
    assert tiles.tile("Frei gewordene Zeit").value_label.text() == "30"
    assert tiles.tile("Aus der Warteliste nachbesetzt").value_label.text() == "30"
    assert tiles.tile("Nachbesetzungsquote").value_label.text() == "100,0"
    weeks = statistics.cards["kpi_waiting_list_weeks"].chart.bars
    screenshot(statistics.cards["kpi_waiting_list"], "statistics_waiting_list.png")
    screenshot(statistics.cards["kpi_waiting_list_weeks"], "statistics_waiting_list_weeks.png")
    assert [(bar.label, bar.value) for bar in weeks if bar.value] == [("KW 3", 100.0)]


def test_no_slot_fits_so_the_patient_waits_the_entry_is_kept_up_and_a_lost_race_goes_on(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    mueller = practice.doctors[0]
    calendar = window.calendar
    # Müller's free 11:00, then one hour back onto Musterfrau's 10:00: refused.
    QTest.mouseDClick(
        calendar.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(calendar.grid, 0, time(11)),
    )
    qtbot.waitUntil(lambda: calendar.active_dialog is not None)
    dialog = calendar.active_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.patient_search, "becker")
    qtbot.keyClick(dialog.patient_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.patient_id == 1003, timeout=5000)
    qtbot.waitUntil(lambda: dialog.verdict.text() == "✓ Der Termin ist frei.", timeout=5000)
    assert not dialog.waiting_list.isVisible()
    hours = dialog.time.rect().topLeft() + QPoint(6, dialog.time.height() // 2)
    qtbot.mouseClick(dialog.time, Qt.MouseButton.LeftButton, pos=hours)
    qtbot.keyClick(dialog.time, Qt.Key.Key_Down)
    offer = dialog.waiting_list
    qtbot.waitUntil(offer.isVisible, timeout=5000)
    assert offer.button.text() == "Auf die Warteliste …"
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    entry_dialog = offer.entry_dialog
    assert entry_dialog is not None
    qtbot.waitUntil(entry_dialog.isVisible)
    # Prefilled from the appointment dialog: patient, doctor, the day.
    assert entry_dialog.patient.label.text() == "Becker, Jonas (30.11.1977)"
    assert not entry_dialog.patient.search.isVisible()
    ticked = [
        entry_dialog.doctors.item(n).text()
        for n in range(entry_dialog.doctors.count())
        if entry_dialog.doctors.item(n).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["Anna Müller"]
    assert entry_dialog.earliest.date().toPython() == date(2027, 1, 18)
    qtbot.keyClicks(entry_dialog.note, "ruft morgen an")
    with qtbot.waitSignal(entry_dialog.saved, timeout=5000):
        qtbot.mouseClick(entry_dialog.save_button, Qt.MouseButton.LeftButton)
    assert offer.done.text() == "✓ Becker, Jonas steht auf der Warteliste (Kontrolle)."
    assert not offer.button.isEnabled()
    [entry] = server_entries(practice)
    assert (entry["patient_id"], entry["doctor_ids"], entry["earliest_date"]) == (
        1003,
        [mueller],
        "2027-01-18",
    )
    assert entry["note"] == "ruft morgen an"
    dialog.reject()

    # On the screen: changed to urgent, marked as called, then removed with a reason.
    page = open_waiting_list(qtbot, window)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    edit = page.active_dialog
    assert isinstance(edit, EntryDialog)
    qtbot.waitUntil(edit.isVisible)
    qtbot.keyClicks(edit.priority, "D")
    with qtbot.waitSignal(edit.saved, timeout=5000):
        qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table_column(page, 0) == ["Dringend"], timeout=3000)
    assert server_entries(practice)[0]["priority"] == "urgent"

    page.table.selectRow(0)
    qtbot.mouseClick(page.called_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table_column(page, 8) == ["Angeboten"], timeout=3000)
    assert server_entries(practice)[0]["status"] == "offered"

    page.table.selectRow(0)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    question = page.active_dialog
    assert isinstance(question, RemoveDialog)
    qtbot.waitUntil(question.isVisible)
    assert question.reason.currentText() == "Patient verzichtet"
    qtbot.mouseClick(question.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and not page.loading, timeout=3000)
    [entry] = server_entries(practice)
    assert (entry["status"], entry["removal_reason"]) == ("removed", "patient_declined")
    page.status_filter.setCurrentIndex(page.status_filter.findText("Entfernt"))
    qtbot.waitUntil(lambda: table_column(page, 8) == ["Entfernt (Patient verzichtet)"])

    # At the calendar: a Nachrücker click that lost the race offers the next candidate.
    open_calendar(qtbot, window)
    lose_a_race_then_book_the_next(qtbot, window.calendar.nachruecker, practice)


def test_windows_read_as_the_front_desk_says_them() -> None:
    morning, afternoon = (time(8), time(12)), (time(15), time(18))
    windows = (
        *(TimeWindow(day, *morning) for day in range(5)),
        TimeWindow(1, *afternoon),
        TimeWindow(3, *afternoon),
    )
    assert windows_text(windows) == "Mo–Fr 08:00–12:00; Di, Do 15:00–18:00"
    assert windows_text(()) == "jederzeit"
    assert windows_text((TimeWindow(6, *morning), TimeWindow(5, *morning))) == ("Sa–So 08:00–12:00")


@pytest.mark.parametrize(("role", "manages"), [("assistant", True), ("doctor", False)])
def test_only_admin_and_assistant_get_the_write_buttons(
    qtbot: QtBot, prefs: Preferences, role: str, manages: bool
) -> None:
    """A doctor reads the entries naming them; adding, changing and removing is the desk's
    (docs/waiting-list.md §6) — the server refuses it anyway, the screen does not offer it."""
    session = DesktopSession(ApiClient("http://127.0.0.1:9"), prefs)
    page = WaitingListPage(session.ops, User(7, "x", "Petra", "Hausmann", role))
    qtbot.addWidget(page)
    buttons = (page.new_button, page.edit_button, page.called_button, page.remove_button)
    assert [b.isVisibleTo(page) for b in buttons] == [manages] * 4
