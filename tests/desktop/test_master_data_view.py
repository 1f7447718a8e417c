"""Stammdaten: table + form editors, the server's messages at their fields, roles."""

from __future__ import annotations

from datetime import date

import httpx
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QTimeEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.master_data.absences import AbsencePage
from desktop.views.master_data.page import MasterDataPage
from desktop.views.master_data.table_page import TablePage
from desktop.views.unsaved import Answer
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window
from tests.desktop.unsaved_answers import Answers, click, open_question
from tests.server.conftest import TEST_SECRET, Users

__all__ = ["staff_window"]


def master_data(qtbot: QtBot, window: MainWindow, tab: str) -> TablePage:
    page = window.open_page("master_data")
    assert isinstance(page, MasterDataPage)
    table = page.show_tab(tab)
    qtbot.waitUntil(lambda: table.loaded_once and not table.loading, timeout=10_000)
    return table


def type_into(page: TablePage, key: str, value: str) -> None:
    widget = page.form.widgets[key]
    assert isinstance(widget, QLineEdit)
    widget.setText(value)
    widget.textEdited.emit(value)


def test_admin_creates_an_appointment_type(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    window = staff_window("admin")
    page = master_data(qtbot, window, "appointment_types")
    assert [r["name"] for r in page.rows] == ["Kontrolle"]
    page.new_button.click()
    type_into(page, "name", "Erstgespräch")
    page.form.widgets["duration_minutes"].setValue(45)  # type: ignore[attr-defined]
    page.save_button.click()
    qtbot.waitUntil(lambda: any(r["name"] == "Erstgespräch" for r in page.rows), timeout=5000)
    assert "Gespeichert" in page.form.top_message.text()
    created = next(r for r in page.rows if r["name"] == "Erstgespräch")
    assert created["duration_minutes"] == 45


def test_practice_hours_ending_before_they_start_are_refused_at_the_end_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = master_data(qtbot, window, "practice_hours")  # the assistant may edit these
    page.open_record(page.rows[0]["id"])
    end = page.form.widgets["end_time"]
    assert isinstance(end, QTimeEdit)
    end.setTime(QTime(7, 0))
    page.save_button.click()
    qtbot.waitUntil(lambda: page.form.errors["end_time"].isVisible(), timeout=5000)
    assert page.form.errors["end_time"].text() == "Endzeit muss nach der Startzeit liegen."
    assert not page.form.errors["start_time"].isVisible()
    assert not page.form.top_message.isVisible()
    page.discard()  # closing the window would ask about the refused edit


def test_blank_name_is_shown_in_german_at_the_name_field(qtbot: QtBot, window: MainWindow) -> None:
    page = master_data(qtbot, window, "resources")
    page.new_button.click()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.form.errors["name"].isVisible(), timeout=5000)
    assert page.form.errors["name"].text() == "Dieses Feld darf nicht leer sein."


def test_assistant_reads_appointment_types_and_an_admin_demoted_meanwhile_is_refused(
    qtbot: QtBot,
    window: MainWindow,
    staff_window: OpenWindow,
    db: sessionmaker[Session],
    practice: SeededPractice,
) -> None:
    page = master_data(qtbot, window, "appointment_types")
    page.open_record(page.rows[0]["id"])
    assert not page.save_button.isVisible()
    assert not page.new_button.isVisible()
    assert page.hint.isVisible()
    assert "Nur Administratoren" in page.hint.text()

    admin_window = staff_window("admin")
    admin_page = master_data(qtbot, admin_window, "appointment_types")
    admin_page.open_record(admin_page.rows[0]["id"])
    type_into(admin_page, "name", "Kontrolle lang")
    # The role changes on another workstation: a second admin demotes "chef" there.
    users = Users(db, TEST_SECRET)
    other_admin = users.token(users.create("admin", "admin.zwei"))
    with db() as orm:
        chef = orm.execute(text("SELECT id FROM users WHERE username = 'chef'")).scalar_one()
    demoted = httpx.patch(
        f"{practice.url}/api/users/{chef}/",
        json={"role": "assistant"},
        headers={"Authorization": f"Bearer {other_admin}"},
        timeout=10,
    )
    assert demoted.status_code == 200
    admin_page.save_button.click()
    qtbot.waitUntil(lambda: admin_page.form.top_message.isVisible(), timeout=5000)
    assert admin_page.form.top_message.text() == "Für diese Aktion fehlt Ihnen die Berechtigung."
    assert admin_page.rows[0]["name"] == "Kontrolle"
    admin_page.discard()


def test_absence_preview_lists_the_affected_appointments_before_saving(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = master_data(qtbot, window, "absences")
    assert isinstance(page, AbsencePage)
    page.new_button.click()
    page.form.set_choices("doctor", [(practice.doctors[0], "Anna Müller")])
    start, end = page.form.widgets["start_date"], page.form.widgets["end_date"]
    assert isinstance(start, QDateEdit)
    assert isinstance(end, QDateEdit)
    start.setDate(QDate(2027, 1, 18))
    end.setDate(QDate(2027, 1, 22))
    type_into(page, "reason", "Urlaub")
    assert not page.save_button.isEnabled()  # the preview comes first
    qtbot.waitUntil(lambda: page.preview_current(), timeout=5000)
    assert "5 Arbeitstage" in page.summary.text()
    assert "zurück am Mo, 25.01.2027" in page.summary.text()
    assert "Resturlaub danach: 25 Tage" in page.summary.text()
    assert page.affected.count() == 2
    assert "Mustermann, Max" in page.affected.item(0).text()
    assert page.save_button.isEnabled()
    page.save_button.click()
    qtbot.waitUntil(lambda: len(page.rows) == 1, timeout=5000)
    saved = page.rows[0]
    assert saved["doctor"] == practice.doctors[0]
    assert saved["start_date"] == date(2027, 1, 18).isoformat()
    listed = httpx.get(
        practice.url + "/api/doctor-absences/", headers=practice.headers, timeout=10
    ).json()
    assert listed["count"] == 1


# -- unsaved edits ------------------------------------------------------------------------------


def current(page: TablePage, key: str = "id") -> object:
    """A field of the record the form shows (None: a new record)."""
    return None if page.current is None else page.current[key]


def selected_ids(page: TablePage) -> list[object]:
    return [page.rows[i.row()]["id"] for i in page.table.selectionModel().selectedRows()]


def end_time_of(practice: SeededPractice, hours_id: object) -> str:
    return str(practice.get(f"/api/practice-hours/{hours_id}/").json()["end_time"])


def test_choosing_another_row_asks_first_cancel_keeps_discard_drops_save_saves(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = master_data(qtbot, window, "practice_hours")
    monday, tuesday, wednesday = (r["id"] for r in page.rows[:3])
    page.open_record(monday)
    answers = Answers(Answer.CANCEL, Answer.DISCARD, Answer.SAVE)
    page.guard.ask = answers
    end = page.form.widgets["end_time"]
    assert isinstance(end, QTimeEdit)
    end.setTime(QTime(17, 0))

    page.table.selectRow(1)  # "Abbrechen": the edit and its row stay
    assert answers.asked == 1
    assert current(page) == monday
    assert selected_ids(page) == [monday]
    assert end.time() == QTime(17, 0)

    page.table.selectRow(1)  # "Verwerfen": Tuesday opens, Monday is unchanged on the server
    assert answers.asked == 2
    assert current(page) == tuesday
    assert selected_ids(page) == [tuesday]
    assert end.time() == QTime(18, 0)
    assert end_time_of(practice, monday) == "18:00:00"

    end.setTime(QTime(16, 30))  # "Speichern": saved through the server, then Wednesday opens
    page.table.selectRow(2)
    assert answers.asked == 3
    qtbot.waitUntil(lambda: current(page) == wednesday, timeout=5000)
    assert selected_ids(page) == [wednesday]
    assert end_time_of(practice, tuesday) == "16:30:00"
    assert not page.dirty


def test_an_unchanged_form_never_asks(qtbot: QtBot, window: MainWindow) -> None:
    md = window.open_page("master_data")
    assert isinstance(md, MasterDataPage)
    page = master_data(qtbot, window, "practice_hours")
    answers = Answers()
    page.guard.ask = answers
    page.open_record(page.rows[0]["id"])
    page.table.selectRow(1)
    page.table.selectRow(2)
    end = page.form.widgets["end_time"]
    assert isinstance(end, QTimeEdit)
    end.setTime(QTime(11, 0))
    end.setTime(QTime(18, 0))  # typed and put back: nothing to lose
    page.new_button.click()
    md.show_tab("resources")
    window.open_page("calendar")
    assert answers.asked == 0
    assert window.pages.currentWidget() is window.calendar


def test_another_tab_or_screen_asks_and_cancel_stays(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    md = window.open_page("master_data")
    assert isinstance(md, MasterDataPage)
    page = master_data(qtbot, window, "resources")
    page.open_record(practice.room_id)
    type_into(page, "name", "Behandlungsraum A")
    answers = Answers(Answer.CANCEL, Answer.CANCEL, Answer.DISCARD)
    page.guard.ask = answers

    md.tabs.setCurrentWidget(md.pages["practice_hours"])
    assert answers.asked == 1
    assert md.tabs.currentWidget() is page

    window.open_page("patients")
    assert answers.asked == 2
    assert window.pages.currentWidget() is md
    assert window.page_keys[window.nav.currentRow()] == "master_data"
    assert page.form.value("name") == "Behandlungsraum A"

    window.open_page("patients")  # "Verwerfen"
    assert window.pages.currentWidget() is window.screens["patients"]
    assert not page.dirty
    assert practice.get(f"/api/resources/{practice.room_id}/").json()["name"] == (
        "Behandlungsraum 1"
    )


def test_the_question_is_a_german_message_box_and_new_asks_too(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    page = master_data(qtbot, staff_window("admin"), "appointment_types")
    page.open_record(page.rows[0]["id"])
    type_into(page, "name", "Kontrolle lang")
    page.new_button.click()
    box = open_question(qtbot)
    assert box.windowTitle() == "Ungespeicherte Änderungen"
    assert sorted(b.text() for b in box.buttons()) == ["Abbrechen", "Speichern", "Verwerfen"]
    click(box, "Abbrechen")
    assert current(page, "name") == "Kontrolle"
    assert page.form.value("name") == "Kontrolle lang"

    page.new_button.click()
    click(open_question(qtbot), "Speichern")
    qtbot.waitUntil(lambda: page.current is None, timeout=5000)  # saved, then the new form
    assert page.form_title.text() == "Neuer Eintrag"
    stored = practice.get(f"/api/appointment-types/{practice.type_id}/").json()
    assert stored["name"] == "Kontrolle lang"


def test_rooms_are_marked_as_operating_rooms_in_the_form(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    page = master_data(qtbot, window, "resources")  # the assistant edits rooms and devices
    box = page.form.widgets["op_capable"]
    assert isinstance(box, QCheckBox)
    assert box.accessibleName() == "OP-Saal"

    page.new_button.click()
    assert box.isVisibleTo(page)
    assert box.isChecked()  # a new room is an operating room
    type_into(page, "name", "Labor")
    box.setChecked(False)
    page.save_button.click()
    qtbot.waitUntil(lambda: any(r["name"] == "Labor" for r in page.rows), timeout=5000)
    labor = next(r for r in page.rows if r["name"] == "Labor")
    assert practice.get(f"/api/resources/{labor['id']}/").json()["op_capable"] is False
    row = next(i for i, r in enumerate(page.rows) if r["name"] == "Labor")
    column = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert page.table.item(row, column.index("OP-Saal")).text() == "nein"

    # The seeded treatment room is one until someone unticks it; ticking it again is saved.
    page.open_record(practice.room_id)
    assert box.isChecked()
    box.setChecked(False)
    page.save_button.click()
    qtbot.waitUntil(lambda: not page.saving, timeout=5000)
    assert practice.get(f"/api/resources/{practice.room_id}/").json()["op_capable"] is False

    # A device has no such box; a room turned into a device stops being an operating room.
    page.open_record(labor["id"])
    box.setChecked(True)
    kind = page.form.widgets["type"]
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("device"))
    assert not box.isVisibleTo(page)
    page.save_button.click()
    qtbot.waitUntil(lambda: not page.saving, timeout=5000)
    stored = practice.get(f"/api/resources/{labor['id']}/").json()
    assert (stored["type"], stored["op_capable"]) == ("device", False)
    # Devices come first in the list now; the column has nothing to say about them.
    qtbot.waitUntil(
        lambda: any(r["name"] == "Labor" and r["type"] == "device" for r in page.rows),
        timeout=5000,
    )
    row = next(i for i, r in enumerate(page.rows) if r["name"] == "Labor")
    assert page.table.item(row, column.index("Art")).text() == "Gerät"
    assert page.table.item(row, column.index("OP-Saal")).text() == "–"
