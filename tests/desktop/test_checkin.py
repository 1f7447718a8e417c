"""Check-in ("Patient ist da") from the calendar: its context menu and the Strg+D key, as the
front desk does it; the visit appears on the Patientenfluss board and in the server's data,
and a refusal is said in German."""

from __future__ import annotations

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from tests.desktop.conftest import sign_in
from tests.desktop.front_desk import (
    block,
    card_of,
    click_block,
    click_menu,
    flows_of,
    menu_texts,
    open_board,
    open_calendar,
    right_click_block,
)
from tests.desktop.seed import NOW, PASSWORD, SeededPractice
from tests.server.conftest import TEST_SECRET, Users


def test_patient_ist_da_in_the_context_menu_puts_the_patient_on_the_board(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    appointment = practice.appointments["mueller_9"]  # Mustermann, 09:00
    menu = right_click_block(qtbot, page, appointment)
    assert menu_texts(menu) == [
        "Öffnen",
        "Patient ist da",
        "Status",
        "Absagen …",
        "Nicht erschienen",
        "Löschen …",
    ]
    click_menu(menu, "Patient ist da")

    qtbot.waitUntil(lambda: len(flows_of(practice, appointment)) == 1, timeout=5000)
    assert flows_of(practice, appointment)[0]["status"] == "registered"
    # The block now says the patient is here, and checking in twice is not offered.
    qtbot.waitUntil(lambda: block(page, appointment).appointment.flow_status == "registered")
    menu = right_click_block(qtbot, page, appointment)
    entry = next(a for a in menu.actions() if a.text() == "Patient ist da")
    assert not entry.isEnabled()
    menu.close()

    board = open_board(qtbot, window)
    qtbot.waitUntil(lambda: card_of(board, "Mustermann") is not None, timeout=5000)
    card = card_of(board, "Mustermann")
    assert card is not None
    assert card in board.columns["registered"].cards  # type: ignore[index]
    assert board.columns["registered"].header.text() == "Angemeldet (1)"  # type: ignore[index]
    assert "09:00" in card.toolTip()


def test_strg_d_checks_in_the_selected_appointment(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    appointment = practice.appointments["schmidt_10"]  # Becker, 10:00
    click_block(page, appointment)
    assert page.grid.selected_appointment() is not None
    qtbot.keyClick(page.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(flows_of(practice, appointment)) == 1, timeout=5000)
    assert flows_of(practice, appointment)[0]["status"] == "registered"


def test_a_refused_check_in_is_said_in_german(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    appointment = practice.appointments["mueller_10"]  # Musterfrau, 10:00
    # Another workstation checked her in a moment ago; this calendar has not heard yet.
    response = httpx.post(
        practice.url + "/api/patient-flow/",
        json={"appointment_id": appointment},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    click_block(page, appointment)
    with qtbot.waitSignal(page.message_shown, timeout=5000) as shown:
        qtbot.keyClick(page.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0] == (
        "Nicht angemeldet: Der Patient ist für diesen Termin bereits angemeldet."
    )
    assert page.message.isVisible()
    assert len(flows_of(practice, appointment)) == 1


def test_a_cancelled_appointment_cannot_be_checked_in(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = window.calendar
    appointment = practice.appointments["mueller_10"]
    response = httpx.patch(
        practice.url + f"/api/appointments/{appointment}/",
        json={"status": "cancelled"},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    page.reload()
    qtbot.waitUntil(lambda: block(page, appointment).appointment.cancelled, timeout=5000)
    menu = right_click_block(qtbot, page, appointment)
    disabled = {a.text() for a in menu.actions() if not a.isEnabled() and not a.isSeparator()}
    assert {"Patient ist da", "Absagen …", "Nicht erschienen", "Status"} <= disabled
    menu.close()
    open_calendar(qtbot, window)


def test_billing_may_open_but_not_change_appointments(
    qtbot: QtBot,
    session: DesktopSession,
    practice: SeededPractice,
    db: sessionmaker[Session],
) -> None:
    Users(db, TEST_SECRET).create("billing", "abrechnung", password=PASSWORD)
    user = sign_in(qtbot, session, "abrechnung", PASSWORD)
    window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    page = window.calendar
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)
    appointment = practice.appointments["mueller_9"]
    menu = right_click_block(qtbot, page, appointment)
    assert menu_texts(menu) == ["Öffnen"]
    menu.close()
    click_block(page, appointment)
    qtbot.keyClick(page.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # Strg+D reaches the server, which refuses billing (rbac-operations-flow) in German.
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=5000)
    assert page.message.text() == (
        "Nicht angemeldet: Für diese Aktion fehlt Ihnen die Berechtigung."
    )
    assert flows_of(practice, appointment) == []
