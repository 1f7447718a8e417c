"""A practice morning at the front desk, through the client's UI only (issue #15's first
acceptance item).

The MFA signs in, finds "Maier, Michael" by typing ``maier, mi`` in "Freie Termine", books him
into the next free slot with one click, checks him in from the calendar ("Patient ist da"),
moves him across the Patientenfluss board to "Abgeschlossen" (dragging and with the arrow
button), cancels another patient's appointment with a reason and marks the patient of 09:00
as not having come. Every step is checked on screen and in the server's data; the test body
calls the API only to read (and the fixtures to set up master data).

The server runs at the seeded Monday 09:40 (``PRAXI_TEST_NOW``), the time the client's clock
shows too: "next free slot", arrival times and "only past appointments can be no-shows" all
depend on the server's now.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from desktop.session import Session as DesktopSession
from desktop.views.calendar.page import CalendarPage
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from server.patients.models import Patient
from tests.desktop.front_desk import (
    block,
    card_of,
    click_menu,
    drag_card,
    flows_of,
    open_board,
    open_calendar,
    right_click_block,
)
from tests.desktop.live import RestartableServer
from tests.desktop.seed import NOW, SeededPractice
from tests.server.conftest import make_settings

MICHAEL_MAIER = 3001


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[RestartableServer]:
    """The conftest's server, with its clock at the seeded Monday 09:40."""
    live = RestartableServer(make_settings(database_url, tmp_path / "data", test_now=NOW))
    live.start()
    yield live
    live.stop()


@pytest.fixture
def maier(db: sessionmaker[Session], practice: SeededPractice) -> int:
    """Master data: Michael Maier, and a Michael Obermaier the search must not take first."""
    with db() as session, session.begin():
        session.execute(
            insert(Patient),
            [
                {
                    "id": MICHAEL_MAIER,
                    "first_name": "Michael",
                    "last_name": "Maier",
                    "birth_date": date(1977, 3, 4),
                },
                {"id": 3002, "first_name": "Michael", "last_name": "Obermaier"},
            ],
        )
    return MICHAEL_MAIER


def sign_in_as_mfa(qtbot: QtBot, session: DesktopSession, practice: SeededPractice) -> MainWindow:
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, practice.assistant_username)
    qtbot.keyClicks(dialog.password, practice.password)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    user = session.user
    assert user is not None
    assert user.role == "assistant"
    clock = lambda: NOW.replace(tzinfo=None)  # noqa: E731
    window = MainWindow(session, user, clock=clock)
    # The board is not handed the window's clock (yet): give it the same one, so "today's"
    # finished visits and the timers agree with the server's Monday.
    window.screens["patient_flow"].clock = clock  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(
        lambda: window.calendar.data is not None and not window.calendar.loading, timeout=10_000
    )
    return window


def book_next_free_slot(qtbot: QtBot, page: CalendarPage, practice: SeededPractice) -> int:
    """ "Freie Termine": ``maier, mi`` + Enter binds him, the first suggestion is one click."""
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    panel = page.suggest
    qtbot.waitUntil(panel.isVisible)
    qtbot.keyClicks(panel.patient_search, "maier, mi")
    qtbot.keyClick(panel.patient_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.patient is not None, timeout=5000)
    assert panel.patient_label.text() == "Für: Maier, Michael (04.03.1977)"
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    assert panel.slots, panel.status.text()
    first = panel.results.item(0)
    slot = panel.slots[0]
    with qtbot.waitSignal(panel.booked, timeout=10_000) as booked:
        qtbot.mouseClick(
            panel.results.viewport(),
            Qt.MouseButton.LeftButton,
            pos=panel.results.visualItemRect(first).center(),
        )
    appointment_id = int(booked.args[0])
    assert panel.status.text().startswith("Gebucht: ")
    assert "Maier, Michael" in panel.status.text()
    row = practice.appointment(appointment_id)
    assert row["patient_id"] == MICHAEL_MAIER
    assert row["doctor"] == slot.doctor_id
    assert str(row["start_time"]).startswith(slot.start.isoformat(timespec="minutes"))
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)  # panel away again
    return appointment_id


def test_a_front_desk_morning_through_the_ui(
    qtbot: QtBot, session: DesktopSession, practice: SeededPractice, maier: int
) -> None:
    window = sign_in_as_mfa(qtbot, session, practice)
    page = window.calendar
    scene = page.grid.calendar_scene

    # 1. Michael Maier is booked into the next free slot.
    appointment = book_next_free_slot(qtbot, page, practice)
    qtbot.waitUntil(lambda: appointment in scene.items_by_id, timeout=5000)
    assert block(page, appointment).appointment.patient_name.startswith("Maier, Michael")
    assert "Status: geplant" in block(page, appointment).tooltip()

    # 2. He arrives: "Patient ist da" in the calendar's context menu.
    click_menu(right_click_block(qtbot, page, appointment), "Patient ist da")
    qtbot.waitUntil(lambda: len(flows_of(practice, appointment)) == 1, timeout=5000)
    flow_id = int(flows_of(practice, appointment)[0]["id"])
    qtbot.waitUntil(lambda: "Status: da" in block(page, appointment).tooltip(), timeout=5000)

    # 3. Across the board: dragged, then by the arrow button, to "Abgeschlossen".
    board = open_board(qtbot, window)
    qtbot.waitUntil(lambda: card_of(board, "Maier, Michael") is not None, timeout=5000)
    steps = [
        ("waiting", "drag"),
        ("preparing", "button"),
        ("in_treatment", "drag"),
        ("post_treatment", "button"),
        ("done", "drag"),
    ]
    for status, how in steps:
        card = card_of(board, "Maier, Michael")
        assert card is not None
        if how == "drag":
            drag_card(card, board, status)
        else:
            qtbot.mouseClick(card.next_button, Qt.MouseButton.LeftButton)

        def arrived(status: str = status) -> bool:
            shown = card_of(board, "Maier, Michael")
            column = board.columns[status]  # type: ignore[index]
            return (
                shown is not None
                and shown in column.cards
                and shown.isVisible()
                and not shown.busy  # the server has answered
            )

        qtbot.waitUntil(arrived, timeout=5000)
        served = practice.get(f"/api/patient-flow/{flow_id}/").json()
        assert served["status"] == status
    assert board.columns["done"].header.text() == "Abgeschlossen (1)"  # type: ignore[index]
    assert practice.get(f"/api/patient-flow/{flow_id}/").json()["status_timestamps"].keys() == {
        "registered",
        "waiting",
        "preparing",
        "in_treatment",
        "post_treatment",
        "done",
    }

    # 4. Back in the calendar his block says he is done.
    page = open_calendar(qtbot, window)
    qtbot.waitUntil(lambda: "Status: fertig" in block(page, appointment).tooltip(), timeout=5000)

    # 5. Erika Musterfrau cancels her 10:00 appointment by phone; the reason is kept.
    erika = practice.appointments["mueller_10"]
    click_menu(right_click_block(qtbot, page, erika), "Absagen …")
    actions = page.appointment_actions
    qtbot.waitUntil(lambda: actions.cancel_dialog is not None)
    question = actions.cancel_dialog
    assert question is not None
    qtbot.waitUntil(question.isVisible)
    qtbot.keyClicks(question.reason, "Hat angerufen, ist erkrankt")
    qtbot.mouseClick(question.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: block(page, erika).appointment.cancelled, timeout=5000)
    assert "Status: abgesagt" in block(page, erika).tooltip()
    assert "Abgesagt: Hat angerufen, ist erkrankt" in block(page, erika).tooltip()
    row = practice.appointment(erika)
    assert row["status"] == "cancelled"
    assert row["notes"] == "Abgesagt: Hat angerufen, ist erkrankt"

    # 6. Max Mustermann (09:00–09:30) never came. Jonas Becker's 10:00 is still ahead, so
    #    "Nicht erschienen" is not offered for him yet.
    becker = practice.appointments["schmidt_10"]
    menu = right_click_block(qtbot, page, becker)
    assert not next(a for a in menu.actions() if a.text() == "Nicht erschienen").isEnabled()
    menu.close()
    max_ = practice.appointments["mueller_9"]
    click_menu(right_click_block(qtbot, page, max_), "Nicht erschienen")
    qtbot.waitUntil(lambda: block(page, max_).appointment.is_no_show, timeout=5000)
    assert "Status: nicht erschienen" in block(page, max_).tooltip()
    row = practice.appointment(max_)
    assert row["is_no_show"] is True
    assert row["status"] == "scheduled"
    # … and nobody else was touched on the way.
    assert practice.appointment(becker)["status"] == "scheduled"
    assert practice.appointment(becker)["is_no_show"] is False
    assert flows_of(practice, erika) == []
    assert flows_of(practice, max_) == []
