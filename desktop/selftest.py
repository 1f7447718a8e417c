"""``praxi --selftest`` and ``praxi --measure-startup``: checks of an installation or bundle.

``--selftest`` runs headless (``QT_QPA_PLATFORM=offscreen``) in a temporary data folder:
Qt starts and renders the sign-in dialog; the embedded server (and with it PostgreSQL) is
started exactly as ``praxi`` starts it; over HTTP it creates the admin through
``/api/setup/admin/``, signs in, creates the minimum master data one appointment needs (practice
hours and doctor hours for the weekday, a doctor user — spec 03 §4.2, checks 2c/2h/2i), books
an appointment and reads it back; then it stops the server and checks that PostgreSQL stopped
too. One line is printed, ``selftest OK in 6.2 s`` or ``selftest FAILED: <reason>``; the exit
code is 0 or 1.

``--measure-startup`` starts the app normally and prints the seconds from process creation to
the first interactive window (sign-in dialog, or the first-run wizard on an empty data folder),
then closes it and exits.

Only ``shared.*`` and the desktop's own modules are imported; the server is reached over HTTP.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop.application import create_application
from desktop.embedded import EmbeddedServer

START_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0
#: Settings that would change what the selftest sees are removed from its environment.
_CLEARED_ENV = ("PRAXI_DATABASE_URL", "PRAXI_ADMIN_USERNAME", "PRAXI_ADMIN_PASSWORD")


class SelftestFailed(Exception):
    """One step failed; the message is the report's reason."""


@contextmanager
def _environment(data: Path) -> Iterator[None]:
    """The embedded server child inherits ``os.environ``: point it at ``data``."""
    saved = dict(os.environ)
    for name in _CLEARED_ENV:
        os.environ.pop(name, None)
    os.environ.update(
        {
            "PRAXI_DATA_DIR": str(data),
            "PRAXI_BACKUP_AUTO": "false",
            "PRAXI_ALLOW_HTTP_SETUP": "true",
        }
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _expect(response: httpx.Response, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SelftestFailed(f"{what}: HTTP {response.status_code} {response.text[:200]}")
    return response.json() if response.content else None


def _wait_healthy(server: EmbeddedServer, http: httpx.Client) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        code = server.exited()
        if code is not None:
            tail = server.log_tail(3).replace("\n", " | ")
            raise SelftestFailed(f"server exited with code {code}: {tail}")
        try:
            if http.get("/api/health/").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SelftestFailed(f"server not healthy after {START_TIMEOUT_S:.0f} s")


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def exercise_api(http: httpx.Client) -> None:
    """Setup, sign-in, master data, one appointment created and read back."""
    password = secrets.token_urlsafe(16)
    _expect(
        http.post(
            "/api/setup/admin/",
            json={"username": "selftest.admin", "password": password, "last_name": "Selftest"},
        ),
        201,
        "setup admin",
    )
    login = _expect(
        http.post("/api/auth/login/", json={"username": "selftest.admin", "password": password}),
        200,
        "sign-in",
    )
    http.headers["Authorization"] = f"Bearer {login['access']}"
    _expect(http.get("/api/auth/me/"), 200, "me")
    day = _next_monday()
    weekday = day.weekday()
    hours = {"weekday": weekday, "start_time": "08:00", "end_time": "18:00"}
    _expect(http.post("/api/practice-hours/", json=hours), 201, "practice hours")
    doctor = _expect(
        http.post(
            "/api/users/",
            json={
                "username": "selftest.doctor",
                "password": secrets.token_urlsafe(16),
                "role": "doctor",
                "first_name": "Dora",
                "last_name": "Selftest",
            },
        ),
        201,
        "doctor user",
    )
    doctor_id = int(doctor["id"])
    _expect(
        http.post("/api/doctor-hours/", json={"doctor": doctor_id, **hours}),
        201,
        "doctor hours",
    )
    start, end = f"{day.isoformat()}T10:00:00", f"{day.isoformat()}T10:30:00"
    created = _expect(
        http.post(
            "/api/appointments/",
            json={
                "patient_id": 1,
                "doctor": doctor_id,
                "start_time": start,
                "end_time": end,
                "notes": "selftest",
            },
        ),
        201,
        "create appointment",
    )
    read = _expect(http.get(f"/api/appointments/{created['id']}/"), 200, "read appointment")
    if read.get("doctor") != doctor_id or not str(read.get("start_time", "")).startswith(
        start[:16]
    ):
        raise SelftestFailed(f"appointment read back differs: {read}")


def _render_sign_in(url: str) -> None:
    """Qt widgets, theme and fonts work: build and paint the sign-in dialog offscreen."""
    from desktop.api.client import ApiClient
    from desktop.config import Preferences
    from desktop.session import Session
    from desktop.views.login import LoginDialog

    session = Session(ApiClient(url), Preferences())
    dialog = LoginDialog(session)
    if dialog.grab().isNull():
        raise SelftestFailed("the sign-in dialog could not be rendered")
    dialog.deleteLater()
    session.deleteLater()


def _render_chart() -> None:
    """The Statistik screen's modules made it into the bundle and paint."""
    from desktop.views.statistics.charts import BarChart
    from desktop.views.statistics.content import Bar

    chart = BarChart()
    chart.resize(400, 160)
    chart.show_bars((Bar("OP 1", 42.0, "42 %"), Bar("OP 2", 17.5, "17,5 %")), "%")
    if chart.grab().isNull():
        raise SelftestFailed("the Statistik chart could not be rendered")
    chart.deleteLater()


def run_selftest(argv: list[str]) -> int:
    """The whole check; prints one line and returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="praxi-selftest-") as folder,
            _environment(Path(folder)),
        ):
            create_application(argv)
            server = EmbeddedServer()
            server.start()
            try:
                with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as http:
                    _wait_healthy(server, http)
                    _render_sign_in(server.url)
                    _render_chart()
                    exercise_api(http)
            finally:
                server.stop()
            if (Path(folder) / "db" / "pgdata" / "postmaster.pid").exists():
                raise SelftestFailed("PostgreSQL still running after the server stopped")
    except Exception as exc:  # the report names any failure; nothing may escape
        reason = str(exc).replace("\n", " ") or type(exc).__name__
        print(f"selftest FAILED: {reason}", flush=True)
        return 1
    print(f"selftest OK in {time.monotonic() - started:.1f} s", flush=True)
    return 0


def seconds_since_process_start() -> float:
    return time.time() - psutil.Process().create_time()


class StartupProbe(QObject):
    """``--measure-startup``: on the first shown sign-in dialog or first-run wizard, print
    the seconds since the process was created, close that window and leave the event loop."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.elapsed: float | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self.elapsed is None and event.type() == QEvent.Type.Show:
            from desktop.views.login import LoginDialog
            from desktop.views.setup_wizard import SetupWizard

            if isinstance(watched, LoginDialog | SetupWizard):
                self.elapsed = seconds_since_process_start()
                window = type(watched).__name__
                print(f"startup {self.elapsed:.2f} s to {window}", flush=True)
                dialog = watched
                assert isinstance(dialog, QDialog)
                # Rejecting the dialog quits the app (the launcher connects it to quit).
                QTimer.singleShot(0, dialog.reject)
                QTimer.singleShot(0, self.app.quit)
        return False
