"""Patientenfluss: columns with counts, timers, drag to the next status, refusals, live."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.api.practice import Threshold
from desktop.views.main_window import MainWindow
from desktop.views.patient_flow.page import Card, PatientFlowPage
from tests.desktop.seed import NOW, SeededPractice


@pytest.fixture
def flows(practice: SeededPractice) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name, appointment in (("max", "mueller_9"), ("erika", "mueller_10")):
        response = httpx.post(
            practice.url + "/api/patient-flow/",
            json={"appointment_id": practice.appointments[appointment]},
            headers=practice.headers,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        ids[name] = int(response.json()["id"])
    return ids


def open_board(qtbot: QtBot, window: MainWindow) -> PatientFlowPage:
    window.nav.setCurrentRow(window.page_keys.index("patient_flow"))
    page = window.pages.currentWidget()
    assert isinstance(page, PatientFlowPage)
    qtbot.waitUntil(lambda: bool(page.cards) and not page.loading, timeout=10_000)
    return page


def drag_to(card: Card, page: PatientFlowPage, status: str) -> None:
    column = page.columns[status]
    target = card.mapFromGlobal(column.mapToGlobal(QPoint(column.width() // 2, 60)))
    start = QPoint(10, 10)
    QTest.mousePress(card, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(card, target)
    QTest.mouseRelease(card, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)


def flow_status(practice: SeededPractice, flow_id: int) -> str:
    return str(practice.get(f"/api/patient-flow/{flow_id}/").json()["status"])


def test_columns_counts_and_timer(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, flows: dict[str, int]
) -> None:
    page = open_board(qtbot, window)
    assert page.columns["registered"].header.text() == "Angemeldet (2)"
    assert page.columns["waiting"].header.text() == "Im Wartezimmer (0)"
    card = page.cards[flows["max"]]
    assert "Mustermann" in card.card.patient
    changed = card.card.changed_at
    page.clock = lambda: changed + timedelta(minutes=20)
    page.tick()
    assert card.level == "amber"
    assert "20 min im Status" in card.timer_text
    page.clock = lambda: changed + timedelta(minutes=31)
    page.tick()
    assert card.level == "red"
    # The minutes come from the practice settings on the server (issue 20).
    page.practice_settings = replace(
        page.practice_settings,
        thresholds={**page.practice_settings.thresholds, card.card.status: Threshold(40, 60)},
    )
    page.tick()
    assert card.level == ""


def test_drag_to_the_next_column(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, flows: dict[str, int]
) -> None:
    page = open_board(qtbot, window)
    drag_to(page.cards[flows["max"]], page, "waiting")
    qtbot.waitUntil(lambda: flow_status(practice, flows["max"]) == "waiting", timeout=5000)
    qtbot.waitUntil(
        lambda: (
            flows["max"] in page.cards and page.cards[flows["max"]] in page.columns["waiting"].cards
        ),
        timeout=5000,
    )
    assert page.columns["registered"].header.text() == "Angemeldet (1)"


def test_invalid_transition_snaps_back_with_the_message(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, flows: dict[str, int]
) -> None:
    page = open_board(qtbot, window)
    card = page.cards[flows["erika"]]
    with qtbot.waitSignal(page.message_shown, timeout=5000) as shown:
        drag_to(card, page, "in_treatment")
    assert str(shown.args[0]) == (
        "Statuswechsel abgelehnt: „Angemeldet“ → „In Behandlung“ geht nicht: "
        "nur der nächste Schritt „Im Wartezimmer“ ist möglich."
    )
    assert page.message.isVisible()
    assert card in page.columns["registered"].cards
    assert page.columns["in_treatment"].cards == []
    assert flow_status(practice, flows["erika"]) == "registered"


def test_change_from_another_client_appears_live(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, flows: dict[str, int]
) -> None:
    page = open_board(qtbot, window)
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    response = httpx.patch(
        practice.url + f"/api/patient-flow/{flows['erika']}/status/",
        json={"status": "waiting"},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    qtbot.waitUntil(
        lambda: (
            flows["erika"] in page.cards
            and page.cards[flows["erika"]] in page.columns["waiting"].cards
        ),
        timeout=1500,
    )


def test_the_arrow_button_moves_a_patient_on_step_by_step_to_done(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, flows: dict[str, int]
) -> None:
    page = open_board(qtbot, window)
    chain = ["waiting", "preparing", "in_treatment", "post_treatment", "done"]
    for status in chain:
        card = page.cards[flows["max"]]
        button = card.next_button
        # Shown, and enabled again once the server has answered the previous step.
        qtbot.waitUntil(lambda b=button: b.isVisible() and b.isEnabled(), timeout=5000)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not button.isEnabled()  # no second step before the server has the first
        qtbot.waitUntil(lambda s=status: flow_status(practice, flows["max"]) == s, timeout=5000)
        qtbot.waitUntil(
            lambda s=status: page.cards[flows["max"]] in page.columns[s].cards, timeout=5000
        )
    # Finished today: still on the board, in the last column, with nowhere further to go.
    page.reload()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert page.columns["done"].header.text() == "Abgeschlossen (1)"
    assert page.columns["registered"].header.text() == "Angemeldet (1)"
    assert page.cards[flows["max"]].next_button.isHidden()


def test_todays_expected_patients_are_checked_in_from_the_board(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    board = window.screens["patient_flow"]
    assert isinstance(board, PatientFlowPage)
    board.clock = lambda: NOW.replace(tzinfo=None)  # the seeded Monday, as the calendar's
    window.nav.setCurrentRow(window.page_keys.index("patient_flow"))
    qtbot.waitUntil(lambda: board.opened and not board.loading, timeout=10_000)
    qtbot.waitUntil(lambda: len(board.expected.cards) == 3, timeout=5000)
    assert board.expected.header.text() == "Erwartet (3)"
    names = [card.appointment.patient_name for card in board.expected.cards]
    assert [n.split(" (")[0] for n in names] == [
        "Mustermann, Max",
        "Musterfrau, Erika",
        "Becker, Jonas",
    ]

    # A click on "Patient ist da" …
    becker = board.expected.cards[2]
    qtbot.mouseClick(becker.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(board.expected.cards) == 2, timeout=5000)
    qtbot.waitUntil(lambda: board.columns["registered"].header.text() == "Angemeldet (1)")
    rows = practice.get("/api/patient-flow/live/").json()
    assert [r["appointment"]["id"] for r in rows] == [practice.appointments["schmidt_10"]]

    # … or dragging the card onto "Angemeldet".
    erika = next(c for c in board.expected.cards if "Musterfrau" in c.appointment.patient_name)
    column = board.columns["registered"]
    target = erika.mapFromGlobal(column.mapToGlobal(QPoint(column.width() // 2, 60)))
    QTest.mousePress(erika, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, 8))
    QTest.mouseMove(erika, target)
    QTest.mouseRelease(erika, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    qtbot.waitUntil(lambda: board.expected.header.text() == "Erwartet (1)", timeout=5000)
    qtbot.waitUntil(lambda: board.columns["registered"].header.text() == "Angemeldet (2)")
    assert len(practice.get("/api/patient-flow/live/").json()) == 2
