"""PNG renders of the desktop screens for review (no server needed, synthetic data).

    uv run python bench/desktop_screenshots.py [--out DIR]

Writes ``desktop_day_view.png``, ``desktop_week_view.png``, ``desktop_month_view.png``,
``desktop_resource_view.png``, ``desktop_setup_wizard.png`` and ``desktop_sign_in.png`` to
``--out`` (default ``bench/out/``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from bench.desktop_day_view import DAY, demo_day, make_page, synthetic_day
from desktop.api.client import ApiClient
from desktop.app import create_application
from desktop.config import Preferences
from desktop.session import Session
from desktop.views.calendar.model import Resource
from desktop.views.calendar.page import CalendarPage
from desktop.views.login import LoginDialog
from desktop.views.setup_wizard import SetupWizard

NOWHERE = "http://127.0.0.1:9"


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
    page.week_doctor = 1
    page.data = week
    page._fill_week_doctors(week)
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
    counts = {
        month + timedelta(days=n): 18 + (n * 7) % 23
        for n in range(31)
        if (month + timedelta(days=n)).weekday() < 5
    }
    page.month_view.show_month(month, counts, DAY)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    args = parser.parse_args()
    app = create_application([])
    tmp = Path(tempfile.mkdtemp(prefix="praxi-shots-"))
    for path in render(app, Path(args.out), tmp):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
