"""Patienten: search, paged list, detail with history, create/edit, read-only billing."""

from __future__ import annotations

import httpx
from PySide6.QtWidgets import QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from desktop.views.main_window import MainWindow
from desktop.views.patients.page import PatientsPage
from desktop.views.unsaved import Answer
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window
from tests.desktop.unsaved_answers import Answers, click, open_question

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


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def test_search_by_birth_date_opens_the_patient_with_history(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    assert "4 Patienten" in page.page_label.text()
    qtbot.keyClicks(page.search, "15.05.1990")  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.searching and len(page.patients) == 1, timeout=5000)
    assert cell(page.table, 0, 1) == "Mustermann, Max"
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.appointment_table.rowCount() == 1, timeout=5000)
    assert page.title.text() == "Mustermann, Max (* 15.05.1990)"
    assert cell(page.appointment_table, 0, 0) == "Mo 18.01.2027"
    assert cell(page.appointment_table, 0, 1) == "09:00–09:30"
    assert cell(page.appointment_table, 0, 4) == "geplant"
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


# -- unsaved edits ------------------------------------------------------------------------------


def shown_id(page: PatientsPage) -> object:
    return None if page.current is None else page.current["id"]


def selected_ids(page: PatientsPage) -> list[object]:
    return [page.patients[i.row()]["id"] for i in page.table.selectionModel().selectedRows()]


def stored(practice: SeededPractice, patient_id: int) -> dict[str, object]:
    return dict(practice.get(f"/api/patients/{patient_id}/").json())


def test_another_patient_asks_first_and_save_saves_then_opens_it(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    row_of = {p["id"]: row for row, p in enumerate(page.patients)}
    page.open_patient(1001)
    answers = Answers(Answer.CANCEL, Answer.SAVE)
    page.guard.ask = answers
    type_into(page, "phone", "030 123456")

    page.table.selectRow(row_of[1002])
    assert answers.asked == 1
    assert shown_id(page) == 1001
    assert selected_ids(page) == [1001]
    assert page.form.value("phone") == "030 123456"

    page.table.selectRow(row_of[1002])
    qtbot.waitUntil(lambda: shown_id(page) == 1002, timeout=5000)
    assert answers.asked == 2
    assert selected_ids(page) == [1002]
    assert stored(practice, 1001)["phone"] == "030 123456"

    page.table.selectRow(row_of[1003])  # nothing changed on 1002: no question
    assert answers.asked == 2
    assert shown_id(page) == 1003


def test_new_patient_with_a_typed_name_asks_and_discard_drops_it(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    page.new_button.click()
    type_into(page, "last_name", "Vergessen")
    answers = Answers(Answer.DISCARD)
    page.guard.ask = answers
    page.open_patient(1004)
    assert answers.asked == 1
    assert shown_id(page) == 1004
    found = practice.get("/api/patients/search/?q=Vergessen").json()
    assert found == []


def test_switching_screens_signing_out_and_closing_ask_about_an_edited_patient(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = patients_page(qtbot, window)
    page.open_patient(1003)
    type_into(page, "phone", "0171 555")

    window.open_page("calendar")  # the real question: "Abbrechen" stays on Patienten
    click(open_question(qtbot), "Abbrechen")
    assert window.pages.currentWidget() is page
    assert window.page_keys[window.nav.currentRow()] == "patients"

    window.close()  # "Abbrechen" keeps the window open
    click(open_question(qtbot), "Abbrechen")
    assert window.isVisible()
    assert page.form.value("phone") == "0171 555"

    window.open_page("calendar")  # "Speichern": saved, then the calendar opens
    click(open_question(qtbot), "Speichern")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.calendar, timeout=5000)
    assert window.page_keys[window.nav.currentRow()] == "calendar"
    assert stored(practice, 1003)["phone"] == "0171 555"

    window.open_page("patients")
    type_into(page, "phone", "0171 666")
    window.sign_out()  # "Abbrechen": still signed in, the edit stays
    click(open_question(qtbot), "Abbrechen")
    assert window.session.user is not None
    assert page.form.value("phone") == "0171 666"

    window.close()  # "Verwerfen": closes, nothing sent
    click(open_question(qtbot), "Verwerfen")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert stored(practice, 1003)["phone"] == "0171 555"
