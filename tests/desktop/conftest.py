"""Desktop tests: offscreen Qt, a real API server (uvicorn thread) on a seeded database."""

from __future__ import annotations

import gc
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session, sessionmaker

from desktop.api.client import ApiClient
from desktop.config import Preferences
from desktop.session import Session as DesktopSession
from desktop.session import User
from desktop.views.main_window import MainWindow
from server.db import make_session_factory
from tests.desktop.live import RestartableServer
from tests.desktop.seed import NOW, SeededPractice, book_default_day, seed_practice
from tests.server.conftest import (  # noqa: F401 - fixtures re-used from the server tests
    Users,
    database_url,
    make_settings,
    make_test_engine,
    pg_cluster,
    working_database,
)


class MemoryKeyring(KeyringBackend):
    """The OS credential store stand-in: a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def db(database_url: str) -> Iterator[sessionmaker[Session]]:  # noqa: F811
    engine = make_test_engine(database_url, pool_size=2)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[RestartableServer]:  # noqa: F811
    settings = make_settings(database_url, tmp_path / "data")
    live = RestartableServer(settings)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def practice(db: sessionmaker[Session], server: RestartableServer) -> SeededPractice:
    seeded = seed_practice(db, Users(db, "unused"), server.url)
    book_default_day(seeded)
    return seeded


@pytest.fixture(autouse=True)
def _collect_qt_garbage_at_a_safe_point(qapp: QApplication) -> Iterator[None]:
    """Python's cyclic GC destroying Qt wrappers at an arbitrary moment (e.g. inside the event
    loop while queued events still target them) crashed the test process now and then. Collect
    between tests instead, after pending events have been delivered."""
    gc.disable()
    yield
    QApplication.processEvents()
    gc.collect()
    QApplication.processEvents()
    gc.enable()


@pytest.fixture
def prefs(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "praxi.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def session(
    server: RestartableServer, prefs: Preferences, memory_keyring: MemoryKeyring, qtbot: object
) -> Iterator[DesktopSession]:
    client = ApiClient(server.url)
    desktop_session = DesktopSession(client, prefs)
    desktop_session.ops.reconnect_interval_ms = 200
    desktop_session.ops._probe.setInterval(200)
    yield desktop_session
    qtbot.waitUntil(lambda: desktop_session.ops.in_flight() == 0, timeout=10_000)  # type: ignore[attr-defined]
    # End the live-events reader before the next test builds new Qt objects: a reader that
    # outlives its session kept touching a client whose owners were already destroyed.
    reader = desktop_session.live._thread
    desktop_session.live.stop()
    if reader is not None:
        reader.join(timeout=10)
    client.close()


def sign_in(
    qtbot: object, session: DesktopSession, username: str, password: str, remember: bool = False
) -> User:
    signed: list[User] = []
    session.login(username, password, remember).success(signed.append).failure(
        lambda exc: pytest.fail(f"sign-in failed: {exc!r}")
    ).run()
    qtbot.waitUntil(lambda: bool(signed), timeout=10_000)  # type: ignore[attr-defined]
    return signed[0]


@pytest.fixture
def window(qtbot: object, session: DesktopSession, practice: SeededPractice) -> MainWindow:
    user = sign_in(qtbot, session, practice.assistant_username, practice.password)
    main = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(
        lambda: main.calendar.data is not None and not main.calendar.loading,  # type: ignore[attr-defined]
        timeout=10_000,
    )
    return main


__all__ = ["NOW", "datetime"]
