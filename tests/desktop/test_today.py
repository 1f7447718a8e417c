"""Heute: the start page shows the seeded day's real figures, per role, and follows a check-in
made on another workstation; a tile opens its screen."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from desktop.views.patient_flow.page import PatientFlowPage
from desktop.views.today.page import TodayPage
from tests.desktop.conftest import sign_in
from tests.desktop.seed import NOW, SeededPractice

#: Set to a folder to write the 1920×1080 renders (bench/out/today/ by hand, never in CI).
RENDERS = os.environ.get("PRAXI_TODAY_RENDERS")


def render(widget: MainWindow, name: str) -> None:
    if RENDERS:
        folder = Path(RENDERS)
        folder.mkdir(parents=True, exist_ok=True)
        widget.resize(1920, 1080)
        widget.grab().save(str(folder / f"{name}.png"))


def open_today(qtbot: QtBot, window: MainWindow) -> TodayPage:
    page = window.open_page("today")
    assert isinstance(page, TodayPage)
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)
    return page


def test_mfa_start_page_counts_the_seeded_day_and_follows_a_check_in(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = open_today(qtbot, window)
    tiles = page.tiles
    assert tiles["appointments"].figure.text() == "3"
    assert tiles["appointments"].detail.text().startswith("3 geplant · 0 bestätigt")
    # 09:40: Müller 09:00 is past; Müller 10:00 and Schmidt 10:00 are next.
    assert tiles["next"].figure.text() == "2"
    assert "10:00  Musterfrau, Erika (02.03.1985) – Anna Müller" in tiles["next"].detail.text()
    assert tiles["waiting"].figure.text() == "0"
    # Free 30-minute slots (08–17, lunch 12:30–13:15): Weber none booked, Müller 2 × 30 min.
    free = {slot.name: slot.free for slot in page.data.free_slots}  # type: ignore[union-attr]
    assert free == {"Anna Müller": 14, "Bernd Schmidt": 14, "Clara Weber": 16}
    assert tiles["free"].figure.text() == "44"
    assert tiles["absent"].figure.text() == "0"
    assert tiles["waiting_list"].figure.text() == "0"
    assert tiles["waiting_list"].detail.text() == "0 wartend · 0 angeboten · 0 dringend"
    render(window, "start_mfa")

    # Another workstation checks Erika Musterfrau in: the tile follows live.
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    response = httpx.post(
        practice.url + "/api/patient-flow/",
        json={"appointment_id": practice.appointments["mueller_10"]},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    number = response.json()["call_number"]
    qtbot.waitUntil(lambda: tiles["waiting"].figure.text() == "1", timeout=5000)
    assert f"{number}  Musterfrau, Erika" in tiles["waiting"].detail.text()
    assert "Längste Wartezeit: 0 min" in tiles["waiting"].detail.text()

    QTest.mouseClick(tiles["waiting"], Qt.MouseButton.LeftButton)
    assert isinstance(window.pages.currentWidget(), PatientFlowPage)


def test_a_doctor_sees_their_own_day(
    qtbot: QtBot, session: DesktopSession, practice: SeededPractice
) -> None:
    user = sign_in(qtbot, session, "dr.mueller", practice.password)
    window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    page = open_today(qtbot, window)
    assert list(page.tiles) == ["next", "waiting", "operations", "appointments", "free"]
    assert page.tiles["appointments"].figure.text() == "2"  # Schmidt's is not hers
    assert page.tiles["next"].detail.text() == "10:00  Musterfrau, Erika (02.03.1985)"
    assert [(s.name, s.free) for s in page.data.free_slots] == [("Anna Müller", 14)]  # type: ignore[union-attr]
    render(window, "start_doctor")
    QTest.mouseClick(page.tiles["appointments"], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.calendar
    assert window.calendar.mode == "day"
