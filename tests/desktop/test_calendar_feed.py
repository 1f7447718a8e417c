"""Kalender abonnieren (docs/calendar-feeds.md): a doctor creates the subscription URL from the
user menu, gets it on the clipboard, a calendar app reads it without signing in, and revoking
it in the dialog makes the server refuse it. An admin picks any doctor and switches the
practice's initials on, which the calendar app then shows."""

from __future__ import annotations

import httpx
import icalendar
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.session import Session as DesktopSession
from desktop.views.calendar_feeds.dialog import CalendarFeedDialog
from desktop.views.main_window import MainWindow
from tests.desktop.conftest import sign_in
from tests.desktop.live import RestartableServer
from tests.desktop.seed import NOW, PASSWORD, SeededPractice
from tests.desktop.staff import OpenWindow, staff_window
from tests.desktop.unsaved_answers import click, open_question

__all__ = ["staff_window"]


def test_a_doctor_subscribes_and_revokes_and_an_admin_subscribes_a_colleague_with_initials(
    qtbot: QtBot,
    session: DesktopSession,
    practice: SeededPractice,
    server: RestartableServer,
    staff_window: OpenWindow,
) -> None:
    server.settings.test_now = NOW  # the feed's window starts on the seeded Monday
    user = sign_in(qtbot, session, "dr.mueller", PASSWORD)
    window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.calendar_feed_action.text() == "Kalender abonnieren …"
    window.calendar_feed_action.trigger()
    dialog = window.findChild(CalendarFeedDialog)
    assert isinstance(dialog, CalendarFeedDialog)
    qtbot.waitUntil(lambda: dialog.create_button.isEnabled(), timeout=10_000)
    assert dialog.status_label.text() == "Kein Abo eingerichtet."
    assert not dialog.revoke_button.isEnabled()
    assert dialog.doctor_label.text() == "Anna Müller"
    assert dialog.sizeHint().width() <= 1366
    assert dialog.sizeHint().height() <= 768

    dialog.create_button.click()
    qtbot.waitUntil(lambda: bool(dialog.url_edit.text()), timeout=10_000)
    url = dialog.url_edit.text()
    assert QGuiApplication.clipboard().text() == url
    assert dialog.status_label.text().startswith("Eingerichtet am ")
    assert dialog.revoke_button.isEnabled()

    # What a calendar app sees: no sign-in, Müller's appointments, no patient names.
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.content)
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {
        f"appointment-{practice.appointments['mueller_9']}@praxiapp",
        f"appointment-{practice.appointments['mueller_10']}@praxiapp",
    }
    assert "Mustermann" not in answer.text
    assert "Musterfrau" not in answer.text

    dialog.revoke_button.click()
    click(open_question(qtbot), "Widerrufen")
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Kein Abo eingerichtet.", timeout=10_000)
    assert dialog.url_edit.text() == ""
    assert httpx.get(url, timeout=10).status_code == 404
    dialog.close_button.click()

    # An admin picks the doctor, switches the practice's initials on and creates the URL.
    admin = staff_window("admin")
    admin.calendar_feed_action.trigger()
    chosen = next(d for d in admin.findChildren(CalendarFeedDialog) if d.is_admin)
    qtbot.waitUntil(lambda: chosen.initials_box.isEnabled(), timeout=10_000)
    assert not chosen.initials_box.isChecked()
    names = [chosen.doctor_box.itemText(i) for i in range(chosen.doctor_box.count())]
    assert names == ["Anna Müller", "Bernd Schmidt", "Clara Weber"]
    chosen.doctor_box.setCurrentIndex(names.index("Bernd Schmidt"))
    qtbot.waitUntil(lambda: chosen.create_button.isEnabled(), timeout=10_000)
    chosen.initials_box.click()
    qtbot.waitUntil(lambda: chosen.initials_box.isEnabled(), timeout=10_000)
    chosen.create_button.click()
    qtbot.waitUntil(lambda: bool(chosen.url_edit.text()), timeout=10_000)
    events = icalendar.Calendar.from_ical(httpx.get(chosen.url_edit.text(), timeout=10).content)
    assert [str(e["SUMMARY"]) for e in events.walk("VEVENT")] == ["Termin: Kontrolle – J. B."]
