"""Sign-in dialog, keyring, transparent refresh, re-login that resumes, sign-out, lost server."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.api.client import TokenPair
from desktop.session import Session
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from tests.desktop.conftest import MemoryKeyring
from tests.desktop.live import RestartableServer
from tests.desktop.seed import SeededPractice


def test_login_dialog_with_stay_signed_in_stores_the_refresh_token(
    qtbot: QtBot, session: Session, practice: SeededPractice, memory_keyring: MemoryKeyring
) -> None:
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.username.setText(practice.assistant_username)
    dialog.password.setText("wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() == "Benutzername oder Passwort ist falsch.")
    dialog.password.setText(practice.password)
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert session.user is not None
    assert session.user.role == "assistant"
    stored = credentials.load_refresh_token(session.server_url, practice.assistant_username)
    assert stored
    assert stored == session.client.tokens.refresh


def test_expired_access_token_is_refreshed_transparently(
    qtbot: QtBot, window: MainWindow, session: Session, practice: SeededPractice
) -> None:
    tokens = session.client.tokens
    assert tokens is not None
    session.client.set_tokens(TokenPair("expired-or-garbage", tokens.refresh))
    window.calendar.step(1)
    qtbot.waitUntil(
        lambda: (
            not window.calendar.loading
            and window.calendar.data is not None
            and window.calendar.data.first.day == 19
        )
    )
    assert window.relogin_dialog is None
    assert session.client.tokens is not None
    assert session.client.tokens.refresh != tokens.refresh


def test_dead_session_asks_to_sign_in_again_and_resumes_the_action(
    qtbot: QtBot, window: MainWindow, session: Session, practice: SeededPractice
) -> None:
    session.client.set_tokens(TokenPair("garbage", "also-garbage"))
    window.calendar.step(1)
    qtbot.waitUntil(lambda: window.relogin_dialog is not None)
    dialog = window.relogin_dialog
    assert dialog is not None
    assert dialog.username.text() == practice.assistant_username
    dialog.password.setText(practice.password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.relogin_dialog is None)
    qtbot.waitUntil(
        lambda: (
            window.calendar.data is not None
            and window.calendar.data.first.day == 19
            and not window.calendar.loading
        )
    )


def test_sign_out_revokes_and_clears_the_keyring(
    qtbot: QtBot, session: Session, practice: SeededPractice, memory_keyring: MemoryKeyring
) -> None:
    from tests.desktop.conftest import sign_in

    sign_in(qtbot, session, practice.assistant_username, practice.password, remember=True)
    refresh = session.client.tokens.refresh  # type: ignore[union-attr]
    assert memory_keyring.store
    window = MainWindow(session, session.user)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.signed_out, timeout=10_000):
        window.sign_out_action.trigger()
    assert memory_keyring.store == {}
    assert session.client.tokens is None
    import httpx

    answer = httpx.post(practice.url + "/api/auth/refresh/", json={"refresh": refresh})
    assert answer.status_code == 401  # the family was revoked by logout


def test_lost_server_shows_banner_and_recovers(
    qtbot: QtBot, window: MainWindow, server: RestartableServer, practice: SeededPractice
) -> None:
    server.stop()
    window.calendar.step(1)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10_000)
    assert "Getrennt" in window.connection.text()
    assert window.calendar.data is not None
    assert window.calendar.data.first.day == 18
    server.start()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            window.calendar.data is not None
            and window.calendar.data.first.day == 19
            and not window.calendar.loading
        ),
        timeout=10_000,
    )
    assert "Verbunden" in window.connection.text()


def _unused(_: Any) -> None:
    pass
