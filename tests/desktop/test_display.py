"""Die Aufrufanzeige: "Aufrufen" on one workstation appears on the display (number and room,
never a name), the history keeps the earlier calls, and the display recovers on its own after
the server was away."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.api.calls import DisplayConnection
from desktop.views.display.window import DisplayWindow
from desktop.views.main_window import MainWindow
from desktop.views.patient_flow.page import PatientFlowPage
from tests.desktop.live import RestartableServer
from tests.desktop.seed import SeededPractice
from tests.server.conftest import TEST_SECRET, Users

RENDERS = os.environ.get("PRAXI_TODAY_RENDERS")


def check_in(practice: SeededPractice, name: str) -> dict[str, object]:
    response = httpx.post(
        practice.url + "/api/patient-flow/",
        json={"appointment_id": practice.appointments[name]},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def shown_text(display: DisplayWindow) -> str:
    labels = [display.title, display.number, display.room, *display.history]
    return " | ".join(label.text() for label in labels if not label.isHidden())


def test_a_call_on_the_board_appears_on_the_display_and_survives_a_network_drop(
    qtbot: QtBot,
    window: MainWindow,
    practice: SeededPractice,
    server: RestartableServer,
    db: sessionmaker[Session],
) -> None:
    admin = Users(db, TEST_SECRET)
    created = httpx.post(
        practice.url + "/api/practice/display-tokens/",
        json={"name": "Wartezimmer"},
        headers=admin.headers(admin.create("admin")),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    display = DisplayWindow(DisplayConnection(server.url, created.json()["token"]))
    qtbot.addWidget(display)
    display.resize(1920, 1080)
    display.show()
    display.start()
    display.max_backoff_s = 0.5
    qtbot.waitUntil(lambda: display.board is not None, timeout=10_000)
    assert display.number.text() == "–"

    max_flow = check_in(practice, "mueller_9")
    board = window.open_page("patient_flow")
    assert isinstance(board, PatientFlowPage)
    flow_id = int(str(max_flow["id"]))
    qtbot.waitUntil(lambda: flow_id in board.cards and bool(board.room_names), timeout=10_000)
    card = board.cards[flow_id]
    assert card.call_button.isVisible()
    QTest.mouseClick(card.call_button, Qt.MouseButton.LeftButton)
    menu = board.room_menu
    assert menu is not None
    room = next(a for a in menu.actions() if a.text() == "Behandlungsraum 1")
    with qtbot.waitSignal(board.call_done, timeout=10_000):
        room.trigger()
    called_at = time.monotonic()
    number = str(max_flow["call_number"])
    qtbot.waitUntil(lambda: display.number.text() == number, timeout=10_000)
    latency = display.shown_at - called_at
    print(f"call → display: {latency * 1000:.0f} ms")
    assert display.room.text() == "→ Behandlungsraum 1"
    assert "Mustermann" not in shown_text(display)
    assert "Max" not in shown_text(display)
    assert card.card.called_room == "Behandlungsraum 1"

    # The server goes away and comes back: the display reconnects by itself.
    stopping = time.monotonic()
    server.stop()
    print(f"server stop: {time.monotonic() - stopping:.2f} s")
    qtbot.waitUntil(lambda: display.state == "offline", timeout=10_000)
    assert "Verbindung unterbrochen" in display.status.text()
    server.start()
    erika = check_in(practice, "mueller_10")
    response = httpx.post(
        f"{practice.url}/api/patient-flow/{erika['id']}/call/",
        json={"room": "Labor"},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    qtbot.waitUntil(lambda: display.number.text() == erika["call_number"], timeout=10_000)
    assert display.state == "connected"
    assert display.history[0].text() == f"{number} → Behandlungsraum 1"
    assert display.chimes >= 1
    if RENDERS:
        Path(RENDERS).mkdir(parents=True, exist_ok=True)
        display.grab().save(str(Path(RENDERS) / "display.png"))
        window.resize(1920, 1080)
        qtbot.waitUntil(lambda: not board.loading, timeout=5000)
        window.grab().save(str(Path(RENDERS) / "flow_board.png"))
    display.stop()
