"""Terminerinnerungen in the desktop (docs/reminders.md), driven through the UI: an admin sets
a rule and the SMS template in Stammdaten → Erinnerungen, an MFA records a patient's SMS
consent in Patienten, and the appointment dialog shows the reminders the server planned.

The server's clock stands on Friday 2027-01-15 10:00, before the seeded Monday's bookings,
so the 48-hour and 2-hour reminders of Max Mustermann's 09:00 appointment lie ahead.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.session import Session as DesktopSession
from desktop.views.calendar.appointment_dialog import AppointmentDialog
from desktop.views.main_window import MainWindow
from desktop.views.master_data.page import MasterDataPage
from desktop.views.patients.page import PatientsPage
from desktop.views.reminders.common import format_offsets, parse_offsets
from desktop.views.reminders.page import RemindersPage
from tests.desktop.conftest import sign_in
from tests.desktop.live import RestartableServer
from tests.desktop.seed import BERLIN, NOW, PASSWORD, SeededPractice
from tests.desktop.staff import OpenWindow, staff_window

__all__ = ["staff_window"]
SERVER_NOW = datetime(2027, 1, 15, 10, 0, tzinfo=BERLIN)


def reminders_tab(qtbot: QtBot, window: MainWindow) -> RemindersPage:
    page = window.open_page("master_data")
    assert isinstance(page, MasterDataPage)
    assert page.reminders is not None
    assert page.tabs.tabText(page.tabs.indexOf(page.reminders)) == "Erinnerungen"
    page.tabs.setCurrentWidget(page.reminders)
    tab = page.reminders
    qtbot.waitUntil(lambda: tab.loaded_once and not tab.loading, timeout=10_000)
    return tab


def open_existing(qtbot: QtBot, window: MainWindow, appointment_id: int) -> AppointmentDialog:
    """Double-click on the appointment's block, as the front desk opens it."""
    page = window.calendar
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)
    item = page.grid.calendar_scene.items_by_id[appointment_id]
    page.grid.ensureVisible(item.sceneBoundingRect(), 0, 40)
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        page.grid.mapFromScene(item.sceneBoundingRect().center()),
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    return dialog


def test_rule_template_consent_and_the_planned_reminders_on_the_appointment(
    qtbot: QtBot,
    server: RestartableServer,
    session: DesktopSession,
    practice: SeededPractice,
    staff_window: OpenWindow,
) -> None:
    server.settings.test_now = SERVER_NOW

    # 1. The admin: a practice-wide rule (48 h and 2 h before, by SMS) and the SMS template.
    admin_window = staff_window("admin")
    admin_window.resize(1366, 768)
    tab = reminders_tab(qtbot, admin_window)
    assert tab.rule_table.rowCount() == 0
    tab.new_rule_button.click()
    assert tab.type_box.currentText().startswith("Praxisstandard")
    tab.offsets_edit.setText("48 h, 2 h")
    tab.save_rule_button.click()
    qtbot.waitUntil(lambda: tab.rule_table.rowCount() == 1, timeout=10_000)
    assert tab.rule_message.text() == "Regel gespeichert."
    assert [tab.rule_table.item(0, c).text() for c in range(3)] == [  # type: ignore[union-attr]
        "Praxisstandard",
        "48 h, 2 h",
        "SMS",
    ]

    tab.practice_name_edit.setText("Praxis am Markt")
    tab.sms_body_edit.setPlainText("{praxis}: Termin am {datum} um {uhrzeit} Uhr. {diagnose}")
    tab.save_settings_button.click()  # refused before it is sent: no such placeholder
    assert "Unbekannter Platzhalter {diagnose}" in tab.settings_message.text()
    # Written with the placeholder picker: it inserts at the cursor of the SMS text.
    tab.sms_body_edit.setPlainText("")
    tab.sms_body_edit.setFocus()
    for text, placeholder in (("", "praxis"), (": Termin am ", "datum"), (" um ", "uhrzeit")):
        tab.sms_body_edit.insertPlainText(text)
        tab.placeholder_box.activated.emit(tab.placeholder_box.findData(placeholder))
    tab.sms_body_edit.insertPlainText(" Uhr.")
    assert tab.sms_body_edit.toPlainText() == "{praxis}: Termin am {datum} um {uhrzeit} Uhr."
    tab.save_settings_button.click()
    qtbot.waitUntil(lambda: tab.settings_message.text() == "Vorlagen gespeichert.", timeout=10_000)
    stored = practice.get("/api/reminder-settings/").json()
    assert stored["practice_name"] == "Praxis am Markt"
    assert stored["sms_body"] == "{praxis}: Termin am {datum} um {uhrzeit} Uhr."
    rules = practice.get("/api/reminder-rules/").json()["results"]
    assert [(r["appointment_type"], r["offsets_minutes"], r["channels"]) for r in rules] == [
        (None, [2880, 120], ["sms"])
    ]

    # 2. The MFA records Max Mustermann's consent to SMS reminders.
    user = sign_in(qtbot, session, practice.assistant_username, PASSWORD)
    window = MainWindow(session, user, clock=lambda: NOW.replace(tzinfo=None))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    patients = window.open_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.waitUntil(lambda: bool(patients.patients) and not patients.loading, timeout=10_000)
    row = next(i for i, p in enumerate(patients.patients) if p["id"] == 1001)
    patients.table.selectRow(row)
    patients.tabs.setCurrentWidget(patients.consent)
    consent = patients.consent
    sms = consent.boxes[next(c for c in consent.boxes if c.value == "sms")]
    qtbot.waitUntil(sms.isEnabled, timeout=10_000)
    assert not sms.isChecked()
    sms.click()
    qtbot.waitUntil(lambda: consent.message.text() == "Einwilligung gespeichert.", timeout=10_000)
    assert sms.isChecked()
    note = consent.recorded[next(c for c in consent.recorded if c.value == "sms")].text()
    assert note.startswith("Eingewilligt – erfasst von Lena Klein am 15.01.2027 um 10:00")
    on_server = practice.get("/api/patients/1001/reminder-consent/").json()
    assert on_server["sms"]["granted"] is True
    assert on_server["sms"]["recorded_by"]["name"] == "Lena Klein"
    assert on_server["email"]["granted"] is False

    # 3. The appointment dialog shows the two planned SMS reminders (the 2-hour one falls
    #    before 08:00 and moves to the evening before, the end of the sending window).
    window.open_page("calendar")
    dialog = open_existing(qtbot, window, practice.appointments["mueller_9"])
    status = dialog.reminder_status
    qtbot.waitUntil(lambda: status.reminders is not None, timeout=10_000)
    assert status.text().splitlines() == [
        "SMS · 16.01.2027 09:00 · geplant",
        "SMS · 17.01.2027 20:00 · geplant",
    ]
    planned = practice.get(f"/api/appointments/{practice.appointments['mueller_9']}/reminders/")
    assert [r["status"] for r in planned.json()["results"]] == ["planned", "planned"]
    assert dialog.sizeHint().height() <= 768
    dialog.reject()


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("48 h, 2 h", [2880, 120]),
        ("2h;30 min", [120, 30]),
        ("1 Tag, 90 min", [1440, 90]),
        ("1.5 h", [90]),
        ("", []),
    ],
)
def test_offsets_are_typed_as_hours_minutes_or_days(typed: str, minutes: list[int]) -> None:
    assert parse_offsets(typed) == minutes
    assert parse_offsets(format_offsets(minutes)) == minutes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10 min", "zwischen 15 Minuten und 30 Tagen"),
        ("31 d", "zwischen 15 Minuten und 30 Tagen"),
        ("2 h, 120 min", "nur einmal"),
        ("1, 2, 3, 4, 5, 6", "Höchstens fünf"),
        ("morgen", "kein Zeitpunkt"),
    ],
)
def test_offsets_the_server_would_refuse_are_explained_in_the_form(
    typed: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_offsets(typed)
