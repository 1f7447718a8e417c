"""Patienten: search, paged list, detail with history, create/edit, read-only billing."""

from __future__ import annotations

import httpx
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from desktop.views.main_window import MainWindow
from desktop.views.patients.page import PatientsPage
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window

__all__ = ["staff_window"]


def patients_page(qtbot: QtBot, window: MainWindow) -> PatientsPage:
    page = window.open_page("patients")
    assert isinstance(page, PatientsPage)
    qtbot.waitUntil(lambda: bool(page.patients) and not page.loading, timeout=10_000)
    return page


def type_into(page: PatientsPage, key: str, value: str) -> None:
    widget = page.form.widgets[key]
    assert isinstance(widget, QLineEdit)
    widget.setText(value)
    widget.textEdited.emit(value)


def test_search_by_birth_date_opens_the_patient_with_history(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    assert "4 Patienten" in page.page_label.text()
    qtbot.keyClicks(page.search, "15.05.1990")
    qtbot.waitUntil(lambda: page.searching and len(page.patients) == 1, timeout=5000)
    assert page.table.item(0, 1).text() == "Mustermann, Max"
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.appointment_table.rowCount() == 1, timeout=5000)
    assert page.title.text() == "Mustermann, Max (* 15.05.1990)"
    assert page.appointment_table.item(0, 0).text() == "Mo 18.01.2027"
    assert page.appointment_table.item(0, 1).text() == "09:00–09:30"
    assert page.appointment_table.item(0, 4).text() == "geplant"
    assert page.tabs.tabText(1) == "Termine (1)"


def test_new_patient_gets_a_number_and_an_invalid_email_is_refused_at_its_field(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    page.new_button.click()
    type_into(page, "last_name", "Neumann")
    type_into(page, "first_name", "Lea")
    type_into(page, "birth_date", "03.04.1999")
    type_into(page, "insurance_number", "A123456789")
    type_into(page, "email", "kein-at-zeichen")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.form.errors["email"].isVisible(), timeout=5000)
    assert page.form.errors["email"].text() == "Bitte eine gültige E-Mail-Adresse eingeben."
    type_into(page, "email", "lea@example.org")
    with qtbot.waitSignal(page.saved, timeout=5000) as saved:
        page.save_button.click()
    patient = saved.args[0]
    assert patient["id"] > 0  # assigned by the server
    assert patient["birth_date"] == "1999-04-03"
    assert "Gespeichert" in page.form.top_message.text()
    qtbot.waitUntil(lambda: any(p["id"] == patient["id"] for p in page.patients), timeout=3000)
    # found by insurance number
    page.search.setText("A123456789")
    qtbot.waitUntil(
        lambda: page.searching and [p["id"] for p in page.patients] == [patient["id"]],
        timeout=5000,
    )


def test_editing_sends_only_the_changed_field(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    page.open_patient(1003)
    type_into(page, "phone", "0170 1234567")
    assert page.body() == {"phone": "0170 1234567"}
    with qtbot.waitSignal(page.saved, timeout=5000):
        page.save_button.click()
    stored = httpx.get(
        practice.url + "/api/patients/1003/", headers=practice.headers, timeout=10
    ).json()
    assert stored["phone"] == "0170 1234567"
    assert stored["last_name"] == "Becker"


def test_billing_reads_patients_but_cannot_edit(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    window = staff_window("billing")
    page = patients_page(qtbot, window)
    assert not page.new_button.isVisible()
    page.open_patient(1001)
    qtbot.waitUntil(lambda: page.appointment_table.rowCount() == 1, timeout=5000)
    assert not page.save_button.isVisible()
    assert page.hint.isVisible()
    assert not page.form.widgets["last_name"].isEnabled()
    page.save()  # e.g. Ctrl+S: nothing is sent
    assert not page.saving
    # and the server agrees: billing's own client is refused
    refused: list[Exception] = []
    page.ops.run(lambda api: api.patch("/api/patients/1001/", {"phone": "1"})).failure(
        refused.append
    ).run()
    qtbot.waitUntil(lambda: bool(refused), timeout=5000)
    page.form.show_failure(refused[0])
    assert page.form.top_message.text() == "Für diese Aktion fehlt Ihnen die Berechtigung."
