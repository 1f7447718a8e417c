"""Central mode over HTTPS: the desktop verifies the server certificate (issue #10).

Real TLS throughout: trustme makes the practice's CA and a server certificate for
127.0.0.1/localhost, uvicorn serves our app with it, and the desktop connects with or
without the CA file configured.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
import uvicorn
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.api.client import ApiClient
from desktop.api.errors import UntrustedCertificate
from desktop.app import Launcher, main
from desktop.config import Preferences
from desktop.session import Session as DesktopSession
from desktop.session import User
from desktop.views.login import LoginDialog
from desktop.views.startup import ServerSettingsDialog
from server.app import create_app
from server.embedded_db import free_port
from tests.desktop.conftest import MemoryKeyring, sign_in
from tests.desktop.seed import SeededPractice, seed_practice
from tests.server.conftest import DEFAULT_PASSWORD, TEST_SECRET, Users, make_settings

UNTRUSTED = "Das Zertifikat des Servers ist nicht vertrauenswürdig"
ADVICE = "Hinterlegen Sie das CA-Zertifikat der Praxis in den Verbindungseinstellungen."


@dataclass(frozen=True)
class Pki:
    ca_file: Path
    other_ca_file: Path
    cert_file: Path
    key_file: Path


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    folder = tmp_path / "pki"
    folder.mkdir()
    ca = trustme.CA(organization_name="Praxis Dr. Müller")
    server_cert = ca.issue_cert("127.0.0.1", "localhost")
    pki = Pki(
        folder / "praxis-ca.pem",
        folder / "fremde-ca.pem",
        folder / "server.pem",
        folder / "server.key",
    )
    ca.cert_pem.write_to_path(str(pki.ca_file))
    trustme.CA(organization_name="Fremde Praxis").cert_pem.write_to_path(str(pki.other_ca_file))
    for index, pem in enumerate(server_cert.cert_chain_pems):
        pem.write_to_path(str(pki.cert_file), append=index > 0)
    server_cert.private_key_pem.write_to_path(str(pki.key_file))
    return pki


@pytest.fixture
def https_url(database_url: str, tmp_path: Path, pki: Pki) -> Iterator[str]:
    """Our app in uvicorn with the practice's certificate (what `serve --ssl-*` configures)."""
    app = create_app(make_settings(database_url, tmp_path / "data"))
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        limit_concurrency=200,
        ssl_certfile=str(pki.cert_file),
        ssl_keyfile=str(pki.key_file),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"https://127.0.0.1:{port}"
    app.state.praxi_events.close_streams()  # an open event stream would hold the shutdown
    server.should_exit = True
    thread.join(timeout=20)


@pytest.fixture
def tls_practice(db: sessionmaker[Session], https_url: str) -> SeededPractice:
    return seed_practice(db, Users(db, "unused"), https_url)


@pytest.fixture
def open_session(
    qtbot: QtBot, prefs: Preferences, memory_keyring: MemoryKeyring
) -> Iterator[Callable[[str, Path | None], DesktopSession]]:
    """Desktop sessions against a server, each with its own client and trust setting.

    Request it after the server's fixture: fixtures end in reverse order, and a session's
    live reader still connected would hold the server's shutdown.
    """
    opened: list[DesktopSession] = []

    def open_one(url: str, ca_file: Path | None) -> DesktopSession:
        session = DesktopSession(ApiClient(url, ca_file=ca_file), prefs)
        opened.append(session)
        return session

    yield open_one
    for session in opened:
        close_session(qtbot, session)


def close_session(qtbot: QtBot, session: DesktopSession) -> None:
    qtbot.waitUntil(lambda: session.ops.in_flight() == 0, timeout=10_000)
    reader = session.live._thread
    session.live.stop()
    if reader is not None:
        reader.join(timeout=10)
    session.client.close()


def run_op(qtbot: QtBot, session: DesktopSession, work: Callable[[ApiClient], Any]) -> Any:
    """One background operation through the session's ops; returns its result or raises."""
    outcome: list[tuple[Any, Exception | None]] = []
    session.ops.run(work).public().success(lambda result: outcome.append((result, None))).failure(
        lambda exc: outcome.append((None, exc))
    ).run()
    qtbot.waitUntil(lambda: bool(outcome), timeout=15_000)
    result, error = outcome[0]
    if error is not None:
        raise error
    return result


def submit_login(dialog: LoginDialog, practice: SeededPractice) -> None:
    dialog.username.setText(practice.assistant_username)
    dialog.password.setText(practice.password)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


# --- signing in ---------------------------------------------------------------------------------


def test_with_the_practice_ca_the_desktop_signs_in_and_loads_patients(
    qtbot: QtBot,
    tls_practice: SeededPractice,
    pki: Pki,
    open_session: Callable[[str, Path | None], DesktopSession],
) -> None:
    session = open_session(tls_practice.url, pki.ca_file)
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    assert "praxis-ca.pem" in dialog.server.text()
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        submit_login(dialog, tls_practice)
    assert session.user is not None
    assert session.user.role == "assistant"
    patients = run_op(qtbot, session, lambda api: api.get_all("/api/patients/"))
    assert {p["last_name"] for p in patients} >= {"Mustermann", "Musterfrau", "Becker"}


def test_without_the_ca_sign_in_shows_the_certificate_message_and_no_reconnect_banner(
    qtbot: QtBot,
    tls_practice: SeededPractice,
    open_session: Callable[[str, Path | None], DesktopSession],
) -> None:
    session = open_session(tls_practice.url, None)
    lost: list[str] = []
    session.ops.connection_lost.connect(lost.append)
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    submit_login(dialog, tls_practice)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() and dialog.error.text() != "")
    message = dialog.error.text()
    assert message.startswith(UNTRUSTED)
    assert "unbekannten Zertifizierungsstelle" in message
    assert message.endswith(ADVICE)
    assert session.user is None
    assert session.client.tokens is None
    # Waiting cannot fix a certificate: no "connection lost" banner that retries forever.
    assert session.ops.online
    assert not lost


def test_a_ca_of_another_practice_is_refused_at_start_up(
    qtbot: QtBot,
    qapp: QApplication,
    prefs: Preferences,
    https_url: str,
    pki: Pki,
) -> None:
    prefs.server_url = https_url
    prefs.ca_file = pki.other_ca_file
    launcher = Launcher(qapp, prefs, None)
    # Closing the start-up dialog quits the application; not in the middle of a test run.
    launcher.dialog.rejected.disconnect()
    try:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.dialog.retry_button.isVisible(), timeout=15_000)
        assert launcher.session is not None
        assert launcher.session.client.ca_file == pki.other_ca_file
        status = launcher.dialog.status.text()
        assert status.startswith(UNTRUSTED)
        assert status.endswith(ADVICE)
        assert not launcher._poll.isActive()  # stopped at once, not retried
    finally:
        launcher._poll.stop()
        if launcher.session is not None:
            qtbot.waitUntil(lambda: launcher.session.ops.in_flight() == 0, timeout=10_000)  # type: ignore[union-attr]
            launcher.session.client.close()
        launcher.dialog.hide()
        launcher.dialog.deleteLater()
        launcher.deleteLater()


# --- the CA setting -----------------------------------------------------------------------------


def test_settings_dialog_accepts_a_pem_ca_and_refuses_anything_else(
    qtbot: QtBot, tmp_path: Path, pki: Pki
) -> None:
    not_pem = tmp_path / "praxis-ca.der"
    not_pem.write_bytes(ssl.PEM_cert_to_DER_cert(pki.ca_file.read_text(encoding="ascii")))
    dialog = ServerSettingsDialog("https://praxis-server.local:8000", None)
    qtbot.addWidget(dialog)
    dialog.show()
    accepted: list[bool] = []
    dialog.accepted.connect(lambda: accepted.append(True))

    dialog.ca_path.setText(str(not_pem))
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert not accepted
    assert dialog.error.text().startswith(f"Die Datei „{not_pem}“ enthält kein gültiges")
    assert "PEM-Format" in dialog.error.text()

    dialog.ca_path.setText(str(tmp_path / "fehlt.pem"))
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not accepted
    assert (
        dialog.error.text()
        == f"Die Zertifikatsdatei „{tmp_path / 'fehlt.pem'}“ wurde nicht gefunden."
    )

    dialog.ca_path.setText(f'"{pki.ca_file}"')  # as Windows' "Als Pfad kopieren" gives it
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert accepted
    assert dialog.ca_file() == pki.ca_file
    assert dialog.error.isHidden()


def test_the_ca_setting_is_remembered(prefs: Preferences, pki: Pki) -> None:
    assert prefs.ca_file is None
    prefs.ca_file = pki.ca_file
    again = Preferences(prefs.qsettings)
    assert again.ca_file == pki.ca_file
    prefs.ca_file = None
    assert again.ca_file is None


def test_ca_file_option_refuses_a_file_that_is_not_a_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "notiz.txt"
    garbage.write_text("kein Zertifikat", encoding="utf-8")
    assert main(["praxi", "--server", "https://127.0.0.1:1", "--ca-file", str(garbage)]) == 2
    error = capsys.readouterr().err
    assert "--ca-file" in error
    assert "enthält kein gültiges CA-Zertifikat" in error


# --- live updates -------------------------------------------------------------------------------


def test_live_events_arrive_over_tls_with_the_ca(
    qtbot: QtBot,
    tls_practice: SeededPractice,
    pki: Pki,
    open_session: Callable[[str, Path | None], DesktopSession],
) -> None:
    session = open_session(tls_practice.url, pki.ca_file)
    sign_in(qtbot, session, tls_practice.assistant_username, tls_practice.password)
    qtbot.waitUntil(lambda: session.live.connected, timeout=10_000)
    with qtbot.waitSignal(
        session.live.change,
        timeout=10_000,
        check_params_cb=lambda entity, _id, action: (entity, action) == ("patient", "created"),
    ) as notice:
        created = run_op(
            qtbot, session, lambda api: api.post("/api/patients/", {"last_name": "Neumann"})
        )
    assert notice.args is not None
    assert notice.args[1] == created["id"]


# --- the server side: `praxi-server serve` with a certificate ------------------------------------


def test_serve_with_ssl_options_serves_https_that_the_desktop_trusts(
    qtbot: QtBot,
    database_url: str,
    db: sessionmaker[Session],
    tmp_path: Path,
    pki: Pki,
    open_session: Callable[[str, Path | None], DesktopSession],
) -> None:
    Users(db, TEST_SECRET).create("admin", "chef")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRAXI_")} | {
        "PRAXI_DATABASE_URL": database_url,
        "PRAXI_DATA_DIR": str(tmp_path / "serve-data"),
        "PRAXI_SECRET_KEY": TEST_SECRET,
    }
    command = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--ssl-certfile", str(pki.cert_file)]
    command += ["--ssl-keyfile", str(pki.key_file)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"https://127.0.0.1:{port}"
    try:
        trusting = ssl.create_default_context(cafile=str(pki.ca_file))
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "praxi-server serve did not come up"
            try:
                httpx.get(f"{base}/api/health/", verify=trusting, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        session = open_session(base, pki.ca_file)
        # Signing in through the API client only: an open event stream would hold the
        # server's shutdown below.
        user = run_op(qtbot, session, lambda api: api.login("chef", DEFAULT_PASSWORD))
        assert User.from_json(user).role == "admin"
        untrusting = open_session(base, None)
        with pytest.raises(UntrustedCertificate):
            run_op(qtbot, untrusting, lambda api: api.public("GET", "/api/health/"))
        # A kept-alive connection would make the server's graceful shutdown wait for it.
        close_session(qtbot, session)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
