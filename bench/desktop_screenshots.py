"""PNG renders of the desktop screens for review.

    uv run python bench/desktop_screenshots.py [--out DIR] [--main-only]

Writes ``desktop_day_view.png``, ``desktop_week_view.png``, ``desktop_month_view.png``,
``desktop_resource_view.png``, ``desktop_setup_wizard.png`` and ``desktop_sign_in.png``
(synthetic data, no server), then the whole main window on every main screen at the two
screens the front desk has (issue #15): 1366×768 at 100 % and 1920×1080 at 150 % scaling
(1280×720 device-independent pixels, ``QT_SCALE_FACTOR=1.5``), named
``main_<screen>_<1366x768|1920x1080>.png``. For those a real server runs in a temporary
folder with ``praxi-server seed-demo`` data on Monday 2027-01-18, 09:40 (the server's test
clock), and each scale is rendered by a child process, since Qt reads the scale factor once.
A screen whose minimum size does not fit is reported (the window would grow past the screen).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from bench.desktop_day_view import DAY, demo_day, make_page, synthetic_day
from desktop.api import patients
from desktop.api.client import ApiClient
from desktop.app import create_application
from desktop.config import Preferences
from desktop.session import Session, User
from desktop.views.calendar.model import Resource
from desktop.views.calendar.page import CalendarPage
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.setup_wizard import SetupWizard

NOWHERE = "http://127.0.0.1:9"
#: The practice's "now" for the main-window renders (a Monday morning, demo data around it).
MAIN_NOW = datetime(2027, 1, 18, 9, 40)
#: (file tag, QT_SCALE_FACTOR, window size in device-independent pixels)
SCREENS = [("1366x768", "1", (1366, 768)), ("1920x1080", "1.5", (1280, 720))]
DEMO_ADMIN = "admin.hoffmann"


def save(app: QApplication, widget: QWidget, path: Path) -> Path:
    app.processEvents()
    widget.grab().save(str(path))
    return path


def switch(page: CalendarPage, mode: str) -> None:
    page.mode = mode
    for button in page.mode_group.buttons():
        button.setChecked(button.property("mode") == mode)
    page._update_title()


def render(app: QApplication, out: Path, tmp: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    page = make_page(app, tmp)
    page.resize(1280, 760)
    page.show()

    switch(page, "day")
    page.data = demo_day()
    page._show()
    page.grid.scroll_to_hour(8)
    paths.append(save(app, page, out / "desktop_day_view.png"))

    week = synthetic_day(1, 1)
    week.first, week.last = DAY, DAY + timedelta(days=6)
    items = []
    for offset in range(5):
        items.extend(
            a
            for a in synthetic_day(1, 24, DAY + timedelta(days=offset)).appointments
            if (a.id + offset) % 3 != 0
        )
    for n, item in enumerate(items):
        item.id = n + 1
    week.appointments = items
    switch(page, "week")
    page.data = week
    page.doctor_filter.set_items([(d.id, d.name) for d in week.doctors], {1})
    page._update_title()
    page._show()
    page.grid.scroll_to_hour(8)
    paths.append(save(app, page, out / "desktop_week_view.png"))

    switch(page, "resources")
    rooms = demo_day()
    rooms.resources = [
        Resource(1, "Behandlungsraum 1", "room", "#6A5ACD"),
        Resource(2, "Behandlungsraum 2", "room", "#41B3A3"),
        Resource(3, "Ultraschallraum", "room", "#E0A3C8"),
        Resource(4, "EKG-Gerät", "device", "#F2C14E"),
        Resource(5, "Sonografiegerät", "device", "#8FB8DE"),
    ]
    for n, item in enumerate(rooms.appointments):
        room = 1 + (item.doctor - 1) % 3
        rooms.bookings[item.id] = [room] + ([4 + n % 2] if n % 5 == 0 else [])
        item.room_name = rooms.resources[room - 1].name
    page.data = rooms
    page._show()
    page.grid.scroll_to_hour(8)
    paths.append(save(app, page, out / "desktop_resource_view.png"))

    switch(page, "month")
    page.stack.setCurrentWidget(page.month_view)
    month = DAY.replace(day=1)
    days = {
        month + timedelta(days=n): synthetic_day(
            2, 3 + n % 6, month + timedelta(days=n)
        ).appointments
        for n in range(31)
        if (month + timedelta(days=n)).weekday() < 5
    }
    page.month_view.show_month(month, days, DAY)
    paths.append(save(app, page, out / "desktop_month_view.png"))

    prefs = Preferences(QSettings(str(tmp / "shots.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)
    wizard = SetupWizard(session.ops, seed_demo=lambda _password: None)
    wizard.show()
    wizard.next()
    admin = wizard.admin_page
    admin.username.setText("praxis.admin")
    admin.first_name.setText("Petra")
    admin.last_name.setText("Hausmann")
    admin.password.setText("x" * 12)
    admin.password_again.setText("x" * 12)
    admin.demo.setChecked(True)
    paths.append(save(app, wizard, out / "desktop_setup_wizard.png"))

    prefs.last_username = "mfa.koch"
    login = LoginDialog(session)
    login.show()
    paths.append(save(app, login, out / "desktop_sign_in.png"))
    return paths


# -- the main window on a real server -------------------------------------------------------


def wait(app: QApplication, ready: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Run the event loop until ``ready()`` (the background operations deliver through it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if ready():
            return True
        time.sleep(0.01)
    return False


def settle(app: QApplication, page: QWidget) -> None:
    wait(app, lambda: not getattr(page, "loading", False))
    wait(app, lambda: False, 0.3)  # let layouts and pending repaints finish


def render_main_window(url: str, password: str, out: Path, tag: str, size: tuple[int, int]) -> None:
    """Child process: sign in as the demo admin and grab every screen (``QT_SCALE_FACTOR``
    is already set in the environment)."""
    app = create_application([])
    tmp = Path(tempfile.mkdtemp(prefix="praxi-main-shots-"))
    prefs = Preferences(QSettings(str(tmp / "main.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(url), prefs)
    signed: list[User] = []
    session.login(DEMO_ADMIN, password, False).success(signed.append).run()
    if not wait(app, lambda: bool(signed)):
        raise SystemExit("sign-in failed")
    window = MainWindow(session, signed[0], clock=lambda: MAIN_NOW)
    window.resize(*size)
    window.show()
    calendar = window.calendar
    settle(app, calendar)

    def shoot(name: str) -> None:
        app.processEvents()
        hint = window.minimumSizeHint()
        fits = hint.width() <= size[0] and hint.height() <= size[1]
        fits = fits and window.width() <= size[0] and window.height() <= size[1]
        path = save(app, window, out / f"main_{name}_{tag}.png")
        note = "" if fits else f"  DOES NOT FIT: minimum {hint.width()}×{hint.height()}"
        print(f"wrote {path} ({window.width()}×{window.height()}){note}", flush=True)

    for mode in ("day", "week", "month", "resources"):
        calendar.set_mode(mode)
        settle(app, calendar)
        if mode != "month":
            calendar.grid.scroll_to_hour(8)
        shoot(f"calendar_{mode}")
    calendar.set_mode("day")
    settle(app, calendar)
    found: list[list[patients.Patient]] = []
    session.ops.run(lambda api: patients.search(api, "a")).success(found.append).run()
    wait(app, lambda: bool(found))
    if found and found[0]:
        calendar.book_for(found[0][0])
        calendar.suggest.part.setCurrentIndex(2)  # nachmittags
        searched: list[bool] = []
        calendar.suggest.searched.connect(lambda: searched.append(True))
        calendar.suggest.search()
        wait(app, lambda: bool(searched))
        calendar.grid.scroll_to_hour(12)
        shoot("calendar_free_slots")
        calendar.suggest_button.setChecked(False)
    for key in window.page_keys[1:]:
        page = window.open_page(key)
        settle(app, page)
        if key == "patients":
            table = getattr(page, "table", None)
            if table is not None and table.rowCount():
                table.selectRow(0)
                settle(app, page)
        shoot(key)
    window.close()


def start_demo_server(data_dir: Path, password: str) -> tuple[subprocess.Popen[bytes], str]:
    from server.embedded_db import free_port

    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXI_")}
    env |= {
        "PRAXI_DATA_DIR": str(data_dir),
        "PRAXI_DEMO_PASSWORD": password,
        # the server's test clock: "today" is the demo Monday the renders show
        "PRAXI_TESTING": "1",
        "PRAXI_TEST_NOW": MAIN_NOW.isoformat(),
    }
    subprocess.run(
        [sys.executable, "-m", "server.cli", "seed-demo"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health/", timeout=0.5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the demo server did not start")


def render_main_screens(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    server, url = start_demo_server(Path(tempfile.mkdtemp(prefix="praxi-shots-db-")), password)
    try:
        for tag, scale, (width, height) in SCREENS:
            env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen")
            env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
            env["BENCH_DEMO_PASSWORD"] = password
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--out",
                    str(out),
                    "--child",
                    url,
                    tag,
                    str(width),
                    str(height),
                ],
                env=env,
                check=True,
            )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--main-only", action="store_true", help="only the main-window renders")
    parser.add_argument("--child", nargs=4, metavar=("URL", "TAG", "WIDTH", "HEIGHT"))
    args = parser.parse_args()
    out = Path(args.out)
    if args.child:
        url, tag, width, height = args.child
        password = os.environ["BENCH_DEMO_PASSWORD"]
        render_main_window(url, password, out, tag, (int(width), int(height)))
        return
    if not args.main_only:
        app = create_application([])
        tmp = Path(tempfile.mkdtemp(prefix="praxi-shots-"))
        for path in render(app, out, tmp):
            print(f"wrote {path}")
    render_main_screens(out)


if __name__ == "__main__":
    main()
