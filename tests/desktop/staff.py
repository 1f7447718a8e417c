"""Windows signed in as other staff than the seeded assistant (admin, billing, doctor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from tests.desktop.conftest import sign_in
from tests.desktop.seed import NOW, PASSWORD, SeededPractice
from tests.server.conftest import TEST_SECRET, Users

Page = TypeVar("Page")
OpenWindow = Callable[[str], MainWindow]


@pytest.fixture
def staff_window(
    qtbot: QtBot,
    session: DesktopSession,
    practice: SeededPractice,
    db: sessionmaker[Session],
) -> OpenWindow:
    """``staff_window("admin")``: a main window signed in with a new user of that role."""

    def open_window(role: str) -> MainWindow:
        username = "chef" if role == "admin" else f"{role}.user"
        Users(db, TEST_SECRET).create(
            role, username, password=PASSWORD, first_name="Petra", last_name="Hausmann"
        )
        user = sign_in(qtbot, session, username, PASSWORD)
        window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        return window

    return open_window


def wait_loaded(qtbot: QtBot, page: object) -> None:
    qtbot.waitUntil(lambda: not getattr(page, "loading"), timeout=10_000)  # noqa: B009
