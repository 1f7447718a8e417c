"""Einstellungen: the own password (a wrong current one is refused, the new one works, other
sessions end) and personal preferences that follow the user to another workstation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.api.client import ApiClient
from desktop.config import Preferences
from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from desktop.views.settings.page import SettingsPage
from tests.desktop.conftest import sign_in
from tests.desktop.live import RestartableServer
from tests.desktop.seed import NOW, SeededPractice
from tests.server.conftest import TEST_SECRET, Users

NEW_PASSWORD = "ein-neues-passwort-7"


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsPage:
    page = window.open_page("settings")
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: page.doctor_list.count() == 3 and not page.loading, timeout=10_000)
    return page


def login_status(practice: SeededPractice, password: str) -> int:
    body = {"username": practice.assistant_username, "password": password}
    return httpx.post(practice.url + "/api/auth/login/", json=body, timeout=10).status_code


def test_own_password_change_refuses_a_wrong_current_one_and_ends_other_sessions(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    other_device = httpx.post(
        practice.url + "/api/auth/login/",
        json={"username": practice.assistant_username, "password": practice.password},
        timeout=10,
    ).json()["refresh"]
    page = open_settings(qtbot, window)
    page.tabs.setCurrentIndex(0)
    QTest.keyClicks(page.current_password, "falsch-geraten")
    QTest.keyClicks(page.new_password, NEW_PASSWORD)
    QTest.keyClicks(page.repeat_password, NEW_PASSWORD)
    QTest.mouseClick(page.password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.password_feedback.isVisible(), timeout=5000)
    assert "Das aktuelle Passwort ist falsch." in page.password_feedback.text()
    assert login_status(practice, practice.password) == 200  # nothing changed

    page.current_password.clear()
    QTest.keyClicks(page.current_password, practice.password)
    QTest.mouseClick(page.password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Passwort geändert" in page.password_feedback.text(), timeout=10_000)
    assert page.current_password.text() == ""
    assert login_status(practice, NEW_PASSWORD) == 200
    assert login_status(practice, practice.password) == 400
    refreshed = httpx.post(
        practice.url + "/api/auth/refresh/", json={"refresh": other_device}, timeout=10
    )
    assert refreshed.status_code in (400, 401)  # the other device must sign in again
    # This workstation goes on without asking: it signed in again with the new password.
    page.first_name.clear()
    QTest.keyClicks(page.first_name, "Helena")
    QTest.mouseClick(page.profile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Gespeichert" in page.profile_feedback.text(), timeout=5000)
    assert window.relogin_dialog is None
    assert practice.get("/api/auth/me/").json()["first_name"] == "Helena"
    assert not page.calendar_color.isVisibleTo(page)  # an MFA has no calendar colour


@pytest.fixture
def second_workstation(
    qtbot: QtBot, server: RestartableServer, tmp_path: Path
) -> Iterator[DesktopSession]:
    """Another PC: its own local settings file, its own client."""
    prefs = Preferences(QSettings(str(tmp_path / "zweiter-pc.ini"), QSettings.Format.IniFormat))
    client = ApiClient(server.url)
    other = DesktopSession(client, prefs)
    yield other
    other.live.stop()
    qtbot.waitUntil(lambda: other.ops.in_flight() == 0, timeout=10_000)
    client.close()


def test_preferences_follow_the_user_to_another_workstation(
    qtbot: QtBot,
    window: MainWindow,
    practice: SeededPractice,
    second_workstation: DesktopSession,
) -> None:
    page = open_settings(qtbot, window)
    page.tabs.setCurrentIndex(1)
    page.calendar_view.setCurrentIndex(page.calendar_view.findData("week"))
    page.calendar_raster.setCurrentIndex(page.calendar_raster.findData(10))
    page.colour_mode.setCurrentIndex(page.colour_mode.findData("type"))
    page.start_screen.setCurrentIndex(page.start_screen.findData("patient_flow"))
    weber = page.doctor_list.item(2)
    weber.setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(page.preferences_saved, timeout=5000):
        QTest.mouseClick(page.preferences_button, Qt.MouseButton.LeftButton)
    assert window.calendar.slot_minutes == 10  # applied on this PC at once

    user = sign_in(qtbot, second_workstation, practice.assistant_username, practice.password)
    other = MainWindow(second_workstation, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(other)
    other.resize(1280, 800)
    other.show()
    assert other.calendar.slot_minutes == 15  # the second PC's own settings know nothing
    other.start_with_preferences()
    qtbot.waitUntil(lambda: other.page_keys[other.nav.currentRow()] == "patient_flow", timeout=5000)
    assert other.calendar.mode == "week"
    assert other.calendar.slot_minutes == 10
    assert other.calendar.grid.calendar_scene.color_by_type
    assert other.calendar.week_doctors == {practice.doctors[2]}
    assert other.calendar.shown_weekdays == {1, 2, 3, 4, 5}  # the practice's days
    assert second_workstation.prefs.slot_minutes == 10


RENDERS = os.environ.get("PRAXI_TODAY_RENDERS")


@pytest.mark.skipif(not RENDERS, reason="renders only on request (PRAXI_TODAY_RENDERS)")
def test_render_the_admin_settings(
    qtbot: QtBot, session: DesktopSession, practice: SeededPractice, db: sessionmaker[Session]
) -> None:
    Users(db, TEST_SECRET).create("admin", "chefin", password=practice.password)
    user = sign_in(qtbot, session, "chefin", practice.password)
    window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    page = open_settings(qtbot, window)
    assert page.tabs.count() == 3
    qtbot.waitUntil(lambda: page.practice_name is not None and not page.loading, timeout=5000)
    folder = Path(str(RENDERS))
    folder.mkdir(parents=True, exist_ok=True)
    page.tabs.setCurrentIndex(2)
    window.grab().save(str(folder / "settings_practice.png"))
    page.tabs.setCurrentIndex(1)
    window.grab().save(str(folder / "settings_preferences.png"))
