"""The appointment dialog at the front desk, driven by keys and clicks against a live server:
Alt mnemonics on its labels, the patient search in the forms staff type ("Nachname,
Vorname", umlauts spelt out), Enter takes the first hit, and "Neuer Patient" creates one
inline — each step checked on screen and in the server's data."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.calendar.appointment_dialog import AppointmentDialog
from desktop.views.main_window import MainWindow
from server.patients.models import Patient
from tests.desktop.helpers import slot_point
from tests.desktop.seed import SeededPractice

MICHAEL_MAIER = 3001
MICHAEL_OBERMAIER = 3002
JUERGEN_KRUEGER = 3003
WEBER = 2  # the third doctor column, free at 11:00
ENTER = Qt.Key.Key_Return
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def more_patients(db: sessionmaker[Session]) -> None:
    with db() as session, session.begin():
        session.execute(
            insert(Patient),
            [
                {
                    "id": MICHAEL_MAIER,
                    "first_name": "Michael",
                    "last_name": "Maier",
                    "birth_date": date(1977, 3, 4),
                },
                {"id": MICHAEL_OBERMAIER, "first_name": "Michael", "last_name": "Obermaier"},
                {"id": JUERGEN_KRUEGER, "first_name": "Jürgen", "last_name": "Krüger"},
            ],
        )


def open_dialog_at_eleven(qtbot: QtBot, window: MainWindow) -> AppointmentDialog:
    page = window.calendar
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(page.grid, WEBER, time(11)),
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def search_for(qtbot: QtBot, dialog: AppointmentDialog, text: str) -> None:
    """Replaces the search text as a user does (select all, type)."""
    qtbot.keyClick(dialog.patient_search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.patient_search, text)


def shown_hits(dialog: AppointmentDialog) -> list[str]:
    return [dialog.patient_results.item(n).text() for n in range(dialog.patient_results.count())]


def server_patients(practice: SeededPractice, q: str) -> list[dict[str, Any]]:
    response = practice.get(f"/api/patients/search/?q={q}")
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()
    return rows


def save_and_find_on_the_server(
    qtbot: QtBot, window: MainWindow, dialog: AppointmentDialog, practice: SeededPractice
) -> dict[str, object]:
    qtbot.waitUntil(lambda: "frei" in dialog.verdict.text())
    patient_id = dialog.patient_id
    qtbot.keyClick(dialog, Qt.Key.Key_S, ALT)  # &Speichern
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None)
    scene = window.calendar.grid.calendar_scene
    qtbot.waitUntil(
        lambda: any(i.appointment.patient_id == patient_id for i in scene.items_by_id.values())
    )
    block = next(i for i in scene.items_by_id.values() if i.appointment.patient_id == patient_id)
    assert block.column == WEBER
    return practice.appointment(block.appointment.id)


@pytest.mark.usefixtures("more_patients")
def test_labels_take_alt_keys_and_show_no_ampersand(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog_at_eleven(qtbot, window)
    labels = [label for label in dialog.findChildren(QLabel) if "&" in label.text()]
    assert {label.text() for label in labels} >= {"&Patient:", "&Zeit:", "&Dauer:"}
    # A label with a buddy underlines its Alt key; without one Qt shows the "&" itself.
    assert all(label.buddy() is not None for label in labels), [
        label.text() for label in labels if label.buddy() is None
    ]
    qtbot.keyClick(dialog, Qt.Key.Key_Z, ALT)
    assert dialog.date.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_D, ALT)
    assert dialog.minutes.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)
    assert dialog.patient_search.hasFocus()
    dialog.reject()


@pytest.mark.usefixtures("more_patients")
def test_enter_takes_the_first_hit_of_a_name_typed_as_shown(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    dialog = open_dialog_at_eleven(qtbot, window)
    # Typed without umlauts, Enter at once: the hit is taken when it arrives.
    search_for(qtbot, dialog, "Krueger")
    qtbot.keyClick(dialog.patient_search, ENTER)
    qtbot.waitUntil(lambda: dialog.patient_id == JUERGEN_KRUEGER)
    assert dialog.patient_label.text() == "Krüger, Jürgen"
    assert dialog.isVisible()  # Enter chose a patient; it did not save

    search_for(qtbot, dialog, "maier, mi")
    qtbot.waitUntil(lambda: shown_hits(dialog) == ["Maier, Michael (04.03.1977)  · Nr. 3001"])
    qtbot.keyClick(dialog.patient_search, ENTER)
    assert dialog.patient_id == MICHAEL_MAIER
    assert dialog.patient_label.text() == "Maier, Michael (04.03.1977)"
    assert dialog.isVisible()

    row = save_and_find_on_the_server(qtbot, window, dialog, practice)
    assert row["patient_id"] == MICHAEL_MAIER
    assert str(row["start_time"]).startswith("2027-01-18T11:00")


def test_a_new_patient_is_created_inline_and_booked(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    dialog = open_dialog_at_eleven(qtbot, window)
    search_for(qtbot, dialog, "Neumann, Lea")
    qtbot.waitUntil(
        lambda: len(shown_hits(dialog)) == 1 and "Kein Patient" in shown_hits(dialog)[0]
    )
    # Ne&uer Patient …; a mnemonic clicks its button the way a mouse does, a moment later
    qtbot.keyClick(dialog, Qt.Key.Key_U, ALT)
    panel = dialog.new_patient
    qtbot.waitUntil(panel.isVisible)
    assert (panel.last_name.text(), panel.first_name.text()) == ("Neumann", "Lea")
    assert panel.birth_date.hasFocus()  # the only field the search did not fill

    # A day that does not exist is refused right here, in German.
    qtbot.keyClicks(panel.birth_date, "31.02.1977")
    qtbot.keyClick(panel.birth_date, ENTER)
    assert panel.errors["birth_date"].text() == "Bitte ein gültiges Datum eingeben (TT.MM.JJJJ)."

    # A birth date in the future is refused by the server; its reason appears in German.
    qtbot.keyClick(panel.birth_date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.birth_date, "01.01.2099")
    qtbot.keyClick(panel.birth_date, ENTER)
    qtbot.waitUntil(lambda: panel.errors["birth_date"].isVisible())
    assert panel.errors["birth_date"].text() == (
        "Das Geburtsdatum darf nicht in der Zukunft liegen."
    )
    assert dialog.patient_id is None
    assert dialog.isVisible()
    assert server_patients(practice, "Neumann") == []

    qtbot.keyClick(panel.birth_date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.birth_date, "4.3.1977")
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.patient_id is not None)
    assert not panel.isVisible()
    assert dialog.patient_label.text() == "Neumann, Lea (04.03.1977)"
    created = server_patients(practice, "Neumann, Lea")
    assert [(p["id"], p["birth_date"]) for p in created] == [(dialog.patient_id, "1977-03-04")]

    row = save_and_find_on_the_server(qtbot, window, dialog, practice)
    assert row["patient_id"] == created[0]["id"]


# -- an existing appointment: status, check-in, cancel with a reason, delete -------------------


def open_existing(qtbot: QtBot, window: MainWindow, appointment_id: int) -> AppointmentDialog:
    """Double-click on the appointment's block, as the front desk opens it."""
    page = window.calendar
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
    assert dialog.appointment is not None
    assert dialog.appointment.id == appointment_id
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def answer_delete_question(qtbot: QtBot, dialog: AppointmentDialog, answer: str) -> None:
    """Click "Löschen …", then ``answer`` ("Ja"/"Nein") in the question that opens."""
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    actions = dialog.appointment_actions
    qtbot.waitUntil(lambda: actions.delete_question is not None)
    question = actions.delete_question
    assert question is not None
    qtbot.waitUntil(question.isVisible)
    assert "Musterfrau" in question.text() or "Becker" in question.text()
    kind = QMessageBox.StandardButton.Yes if answer == "Ja" else QMessageBox.StandardButton.No
    qtbot.mouseClick(question.button(kind), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.delete_question is None)


def test_the_status_is_changed_in_the_dialog_and_saved(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    appointment = practice.appointments["mueller_9"]
    dialog = open_existing(qtbot, window, appointment)
    assert dialog.status.currentText() == "geplant"
    assert [dialog.status.itemText(n) for n in range(dialog.status.count())] == [
        "geplant",
        "bestätigt",
        "abgeschlossen",
    ]
    qtbot.keyClick(dialog, Qt.Key.Key_U, ALT)  # "Stat&us:"
    assert dialog.status.hasFocus()
    qtbot.keyClick(dialog.status, Qt.Key.Key_Down)
    assert dialog.status.currentText() == "bestätigt"
    qtbot.keyClick(dialog.status, ENTER)  # Enter saves the dialog
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None, timeout=5000)
    assert practice.appointment(appointment)["status"] == "confirmed"


def test_patient_ist_da_in_the_dialog_checks_the_patient_in(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    appointment = practice.appointments["mueller_10"]
    dialog = open_existing(qtbot, window, appointment)
    qtbot.keyClick(dialog, Qt.Key.Key_I, ALT)  # "Patient &ist da"
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None, timeout=5000)
    rows = practice.get("/api/patient-flow/live/").json()
    assert [r["status"] for r in rows if r["appointment"]["id"] == appointment] == ["registered"]


def test_cancelling_asks_for_the_reason_and_keeps_it_in_the_notes(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    appointment = practice.appointments["mueller_10"]
    dialog = open_existing(qtbot, window, appointment)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.appointment_actions.cancel_dialog is not None)
    question = dialog.appointment_actions.cancel_dialog
    assert question is not None
    qtbot.waitUntil(question.isVisible)
    assert "Musterfrau" in question.findChildren(QLabel)[0].text()
    assert not question.ok_button.isEnabled()  # no cancellation without a reason
    qtbot.keyClicks(question.reason, "Patientin hat angerufen, ist erkrankt")
    assert question.ok_button.isEnabled()
    qtbot.mouseClick(question.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None, timeout=5000)
    row = practice.appointment(appointment)
    assert row["status"] == "cancelled"
    assert row["notes"] == "Abgesagt: Patientin hat angerufen, ist erkrankt"
    scene = window.calendar.grid.calendar_scene
    qtbot.waitUntil(lambda: scene.items_by_id[appointment].appointment.cancelled, timeout=5000)


def test_delete_asks_first_and_then_removes_the_appointment(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    appointment = practice.appointments["schmidt_10"]
    dialog = open_existing(qtbot, window, appointment)
    answer_delete_question(qtbot, dialog, "Nein")
    assert practice.get(f"/api/appointments/{appointment}/").status_code == 200
    answer_delete_question(qtbot, dialog, "Ja")
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None, timeout=5000)
    assert practice.get(f"/api/appointments/{appointment}/").status_code == 404
    scene = window.calendar.grid.calendar_scene
    qtbot.waitUntil(lambda: appointment not in scene.items_by_id, timeout=5000)


def test_a_refused_delete_stays_in_the_dialog_with_a_german_reason(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    appointment = practice.appointments["mueller_10"]
    dialog = open_existing(qtbot, window, appointment)
    qtbot.mouseClick(dialog.check_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.calendar.active_dialog is None, timeout=5000)
    window.calendar.reload()
    qtbot.waitUntil(lambda: not window.calendar.loading, timeout=5000)
    dialog = open_existing(qtbot, window, appointment)
    assert not dialog.check_in_button.isEnabled()  # the patient is already here
    answer_delete_question(qtbot, dialog, "Ja")
    qtbot.waitUntil(lambda: "Patientenfluss" in dialog.verdict.text(), timeout=5000)
    assert dialog.verdict.text() == (
        "Nicht gelöscht: Der Termin wird im Patientenfluss verwendet und kann nicht "
        "gelöscht werden."
    )
    assert dialog.isVisible()
    assert practice.get(f"/api/appointments/{appointment}/").status_code == 200


# -- a refused time: where it fits instead ------------------------------------------------


@pytest.mark.usefixtures("more_patients")
def test_a_refused_overlap_offers_the_nearest_free_slots_and_books_one(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    """An emergency squeezed into Müller's booked 10:00: the dialog says why not and offers
    where it fits — her nearest free slots and the other doctors' — one click takes one."""
    page = window.calendar
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        slot_point(page.grid, 0, time(11)),  # Müller's column, free at 11:00
    )
    qtbot.waitUntil(lambda: page.active_dialog is not None)
    dialog = page.active_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    search_for(qtbot, dialog, "maier, mi")
    qtbot.keyClick(dialog.patient_search, ENTER)
    qtbot.waitUntil(lambda: dialog.patient_id == MICHAEL_MAIER)
    # 10:00 is Musterfrau's (10:00–10:30): one hour back in the time field, refused.
    qtbot.waitUntil(lambda: dialog.verdict.text() == "✓ Der Termin ist frei.", timeout=5000)
    hours = dialog.time.rect().topLeft() + QPoint(6, dialog.time.height() // 2)
    qtbot.mouseClick(dialog.time, Qt.MouseButton.LeftButton, pos=hours)
    qtbot.keyClick(dialog.time, Qt.Key.Key_Down)
    assert (dialog.time.time().hour(), dialog.time.time().minute()) == (10, 0)
    alternatives = dialog.alternatives
    qtbot.waitUntil(lambda: len(alternatives.buttons) > 0, timeout=5000)
    assert dialog.verdict.text() != "✓ Der Termin ist frei."
    assert alternatives.isVisible()
    assert alternatives.title.text() == "Stattdessen frei:"
    own = [b.text() for b in alternatives.buttons if "·" not in b.text()]
    others = [b.text() for b in alternatives.buttons if "·" in b.text()]
    assert own, "Müller's own free slots come first"
    # The others': Weber is free at 10:00 itself (Schmidt sees Becker until 11:00).
    assert others[0] == "10:00–10:15 · Clara Weber", others
    # Nearest first, either side of 10:00: her 09:30–10:00 is free, 10:00–10:30 is not.
    assert own == ["09:45–10:00", "09:30–09:45", "10:30–10:45"]

    qtbot.mouseClick(alternatives.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verdict.text() == "✓ Der Termin ist frei.", timeout=5000)
    assert not alternatives.isVisible()
    assert (dialog.time.time().hour(), dialog.time.time().minute()) == (9, 45)
    qtbot.keyClick(dialog, Qt.Key.Key_S, ALT)  # &Speichern
    qtbot.waitUntil(lambda: page.active_dialog is None)
    mine = [
        row
        for row in practice.get("/api/appointments/?date=2027-01-18").json()
        if row["patient_id"] == MICHAEL_MAIER
    ]
    assert [(row["doctor"], row["start_time"][11:16]) for row in mine] == [
        (practice.doctors[0], "09:45")
    ]
