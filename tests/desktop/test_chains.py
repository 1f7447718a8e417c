"""„Terminkette buchen …“ through the UI (issue 17): from the calendar, a 4-step chain.

The front desk opens the dialog from the calendar's toolbar, picks the template, finds the
patient by typing, asks for suggestions, chooses the second option (a column of the
side-by-side table) and books it. The calendar then shows the chain's first day with its
blocks, and the server holds one chain with four appointments.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidget
from sqlalchemy.orm import Session, sessionmaker

from desktop.session import Session as DesktopSession
from desktop.views.chains.book_dialog import ChainBookingDialog
from desktop.views.chains.chains_dialog import PatientChainsDialog
from desktop.views.chains.templates_page import ChainTemplatesPage
from desktop.views.main_window import MainWindow
from desktop.views.master_data.page import MasterDataPage
from desktop.views.patients.page import PatientsPage
from server.chains.models import ChainTemplate, ChainTemplateStep
from tests.desktop.conftest import sign_in
from tests.desktop.seed import MONDAY, PASSWORD, SeededPractice
from tests.server.conftest import TEST_SECRET, Users


def _template(db: sessionmaker[Session], practice: SeededPractice) -> int:
    a, b, c = practice.doctors
    steps: list[dict[str, Any]] = [
        {"name": "Vorgespräch", "duration_minutes": 30, "doctor_ids": [a]},
        {"name": "Aufklärung", "duration_minutes": 20, "doctor_ids": [b], "gap_rule": "same_day"},
        {
            "name": "Eingriff",
            "duration_minutes": 30,
            "doctor_ids": [a],
            "room_ids": [practice.room_id],
            "gap_rule": "next_working_day",
        },
        {
            "name": "Nachkontrolle",
            "duration_minutes": 15,
            "doctor_ids": [a, c],
            "gap_min": 7,
            "gap_max": 7,
            "gap_unit": "days",
        },
    ]
    with db() as session, session.begin():
        template = ChainTemplate(name="Kleiner Eingriff", description="", active=True)
        session.add(template)
        session.flush()
        for position, values in enumerate(steps, start=1):
            defaults: dict[str, Any] = {
                "kind": "appointment",
                "appointment_type_id": practice.type_id,
                "room_ids": [],
                "resource_ids": [],
                "gap_rule": "range",
                "gap_min": 0,
                "gap_max": 0,
                "gap_unit": "minutes",
            }
            session.add(
                ChainTemplateStep(template_id=template.id, position=position, **defaults | values)
            )
        return template.id


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _header(table: QTableWidget, row: int) -> str:
    item = table.verticalHeaderItem(row)
    assert item is not None
    return item.text()


def _open_dialog(qtbot: Any, window: MainWindow) -> ChainBookingDialog:
    qtbot.mouseClick(window.calendar.chain_button, Qt.MouseButton.LeftButton)
    dialogs: list[ChainBookingDialog] = []

    def opened() -> bool:
        dialogs[:] = window.calendar.findChildren(ChainBookingDialog)
        return bool(dialogs) and dialogs[0].isVisible()

    qtbot.waitUntil(opened, timeout=5_000)
    return dialogs[0]


def test_booking_a_four_step_chain_from_the_calendar_and_reading_its_template(
    qtbot: Any, window: MainWindow, practice: SeededPractice, db: sessionmaker[Session]
) -> None:
    template_id = _template(db, practice)
    dialog = _open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: dialog.template_box.count() == 1, timeout=5_000)
    assert dialog.template_id == template_id
    assert dialog.template_box.currentText() == "Kleiner Eingriff (4 Schritte)"

    qtbot.keyClicks(dialog.picker.search, "Mustermann")
    qtbot.waitUntil(lambda: dialog.picker.results.count() > 0, timeout=5_000)
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.patient is not None, timeout=5_000)
    assert dialog.patient is not None
    assert dialog.patient.id == 1001

    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.columnCount() >= 2, timeout=10_000)
    table = dialog.table
    assert table.rowCount() == 4
    assert _header(table, 0) == "1. Vorgespräch"
    first_cell = _cell(table, 0, 0)
    assert first_cell.startswith("Mo 18.01. ")  # Monday, after "now" (09:40)
    assert "Müller" in first_cell
    assert "Behandlungsraum 1" in _cell(table, 2, 0)
    assert _cell(table, 2, 0).startswith("Di 19.01. ")  # next working day
    assert _cell(table, 3, 0).startswith("Di 26.01. ")  # 7 days after the Eingriff

    header = table.horizontalHeader()
    second = QPoint(header.sectionViewportPosition(1) + header.sectionSize(1) // 2, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=second)
    qtbot.waitUntil(dialog.book_button.isEnabled, timeout=2_000)
    chosen = dialog.chosen_option()
    assert chosen is not None
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.chain is not None, timeout=10_000)
    chain = dialog.chain
    assert chain is not None
    assert not dialog.isVisible()

    # The server: one chain, four scheduled appointments at the chosen option's times.
    body = practice.get(f"/api/chains/{chain.id}/").json()
    assert body["step_count"] == 4
    assert [s["status"] for s in body["steps"]] == ["scheduled"] * 4
    assert [s["start_time"] for s in body["steps"]] == [
        step.start.isoformat() for step in chosen.steps
    ]
    first_id = body["steps"][0]["appointment_id"]
    shown = practice.appointment(first_id)
    assert shown["chain"] == {
        "id": chain.id,
        "step": 1,
        "step_count": 4,
        "name": "Kleiner Eingriff",
        "step_name": "Vorgespräch",
    }

    # The calendar: the chain's first day, with the blocks of steps 1 and 2.
    calendar = window.calendar
    assert "Terminkette „Kleiner Eingriff“ gebucht (4 Schritte)." in calendar.message.text()
    assert calendar.day == MONDAY
    second_id = body["steps"][1]["appointment_id"]
    qtbot.waitUntil(
        lambda: {first_id, second_id} <= set(calendar.grid.calendar_scene.items_by_id),
        timeout=10_000,
    )
    # The first step's block names its place, its step and the chain; its dialog opens the chain.
    grid = calendar.grid
    block = grid.calendar_scene.items_by_id[first_id]
    assert "1/4 Vorgespräch · Kleiner Eingriff" in " ".join(block.shown_text())
    assert "Terminkette: Kleiner Eingriff, Schritt 1/4: Vorgespräch" in block.tooltip()
    # The 20-minute Aufklärung has one line: its place stays, the chain's name is in the tooltip.
    second_block = grid.calendar_scene.items_by_id[second_id]
    assert " · 2/4 · " in " ".join(second_block.shown_text())
    assert "Terminkette: Kleiner Eingriff, Schritt 2/4: Aufklärung" in second_block.tooltip()
    centre = block.sceneBoundingRect().center()
    grid.ensureVisible(centre.x(), centre.y(), 1, 1, 0, 80)
    QTest.mouseDClick(
        grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        grid.mapFromScene(centre),
    )
    qtbot.waitUntil(lambda: calendar.active_dialog is not None)
    appointment_dialog = calendar.active_dialog
    assert appointment_dialog is not None
    assert appointment_dialog.chain_label.text() == (
        "Schritt 1/4 der Terminkette „Kleiner Eingriff“"
    )
    qtbot.mouseClick(appointment_dialog.open_chain_button, Qt.MouseButton.LeftButton)
    opened: list[PatientChainsDialog] = []

    def chain_shown() -> bool:
        opened[:] = appointment_dialog.findChildren(PatientChainsDialog)
        return bool(opened) and opened[0].steps.rowCount() == 4

    qtbot.waitUntil(chain_shown, timeout=5_000)
    chain_view = opened[0]
    assert chain_view.chain is not None
    assert chain_view.chain.id == chain.id
    assert [_cell(chain_view.steps, row, 0) for row in range(4)] == [
        "1. Vorgespräch",
        "2. Aufklärung",
        "3. Eingriff",
        "4. Nachkontrolle",
    ]
    chain_view.reject()
    appointment_dialog.reject()

    calendar.set_day(MONDAY + timedelta(days=1))
    third_id = body["steps"][2]["appointment_id"]
    qtbot.waitUntil(lambda: third_id in calendar.grid.calendar_scene.items_by_id, timeout=10_000)

    # Stammdaten → Terminketten shows the template's steps; the front desk only reads them.
    master = window.open_page("master_data")
    assert isinstance(master, MasterDataPage)
    page = master.chain_templates
    bar = master.tabs.tabBar()
    tab = bar.tabRect(master.tabs.indexOf(page)).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=tab)
    assert master.tabs.currentWidget() is page
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=5_000)
    assert page.steps.rowCount() == 4
    assert _cell(page.steps, 1, 4) == "am selben Tag"
    assert _cell(page.steps, 3, 4) == "7–7 Tage"
    assert _cell(page.steps, 3, 3) == "Anna Müller, Clara Weber"
    # The assistant reads; admins edit (the buttons are not there for her).
    assert not page.save_button.isVisibleTo(page)
    assert not page.step_form.isEnabled()

    # Patienten → „Terminketten …“: cancelling the Eingriff shows first that the
    # Nachkontrolle's "7 days" would now count from the Monday Aufklärung (8 days).
    patients = window.open_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.waitUntil(lambda: bool(patients.patients), timeout=10_000)
    patients.open_patient(1001)
    qtbot.mouseClick(patients.chains_button, Qt.MouseButton.LeftButton)
    dialogs: list[PatientChainsDialog] = []

    def chains_open() -> bool:
        dialogs[:] = [
            d for d in patients.findChildren(PatientChainsDialog) if d.steps.rowCount() == 4
        ]
        return bool(dialogs)

    qtbot.waitUntil(chains_open, timeout=5_000)
    chains_dialog = dialogs[0]
    eingriff = chains_dialog.steps.item(2, 0)
    assert eingriff is not None
    row = chains_dialog.steps.visualItemRect(eingriff).center()
    qtbot.mouseClick(chains_dialog.steps.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.mouseClick(chains_dialog.cancel_step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chains_dialog.confirm_button.isVisible, timeout=5_000)
    assert "Schritt 4 (Nachkontrolle): Der Abstand zum vorigen Schritt passt nicht." in (
        chains_dialog.preview.text()
    )
    assert practice.get(f"/api/chains/{chain.id}/").json()["steps"][2]["status"] == "scheduled"
    qtbot.mouseClick(chains_dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _cell(chains_dialog.steps, 2, 3) == "abgesagt", timeout=5_000)
    after = practice.get(f"/api/chains/{chain.id}/").json()
    assert [s["status"] for s in after["steps"]] == [
        "scheduled",
        "scheduled",
        "cancelled",
        "scheduled",
    ]

    # Moving the Nachkontrolle to Monday 25.01., 7 days after the Aufklärung: nothing breaks.
    kontrolle = chains_dialog.steps.item(3, 0)
    assert kontrolle is not None
    row = chains_dialog.steps.visualItemRect(kontrolle).center()
    qtbot.mouseClick(chains_dialog.steps.viewport(), Qt.MouseButton.LeftButton, pos=row)
    chains_dialog.move_to.setDateTime(QDateTime(QDate(2027, 1, 25), QTime(10, 0)))
    qtbot.mouseClick(chains_dialog.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chains_dialog.confirm_button.isVisible, timeout=5_000)
    assert chains_dialog.preview.text() == (
        "Schritt 4 (Nachkontrolle) auf 25.01.2027 10:00 verschieben? "
        "Die übrigen Abstände bleiben gültig."
    )
    qtbot.mouseClick(chains_dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chains_dialog.preview.text() == "Gespeichert.", timeout=5_000)
    moved = practice.get(f"/api/chains/{chain.id}/").json()["steps"][3]
    assert moved["start_time"] == "2027-01-25T10:00:00+01:00"


def test_an_admin_builds_a_two_step_template_in_stammdaten(
    qtbot: Any,
    session: DesktopSession,
    practice: SeededPractice,
    db: sessionmaker[Session],
) -> None:
    Users(db, TEST_SECRET).create("admin", "chef", password=PASSWORD)
    user = sign_in(qtbot, session, "chef", PASSWORD)
    page = ChainTemplatesPage(session.ops, user)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.reload()
    qtbot.waitUntil(lambda: page.doctors.count() == 3, timeout=5_000)

    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.name.selectAll()
    qtbot.keyClicks(page.name, "Kontrollserie")
    # Step 1: "Erstkontrolle", Kontrolle (its 30 minutes), Dr. Schmidt instead of the first
    # doctor a new step starts with.
    page.step_name.selectAll()
    qtbot.keyClicks(page.step_name, "Erstkontrolle")
    page.type_box.setCurrentIndex(page.type_box.findText("Kontrolle"))
    _check(qtbot, page.doctors, "Anna Müller")
    _check(qtbot, page.doctors, "Bernd Schmidt")
    # Step 2: 20 minutes with Dr. Weber, 7 to 10 days later.
    qtbot.mouseClick(page.add_step_button, Qt.MouseButton.LeftButton)
    assert page.steps.rowCount() == 2
    page.step_name.selectAll()
    qtbot.keyClicks(page.step_name, "Nachkontrolle")
    page.duration.setValue(20)
    _check(qtbot, page.doctors, "Anna Müller")
    _check(qtbot, page.doctors, "Clara Weber")
    page.gap_unit.setCurrentIndex(page.gap_unit.findData("days"))
    page.gap_min.setValue(7)
    page.gap_max.setValue(10)
    assert _cell(page.steps, 1, 4) == "7–10 Tage"

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list.count() == 1 and page.message.text() == "Gespeichert.")
    saved = practice.get("/api/chain-templates/").json()["results"]
    assert [t["name"] for t in saved] == ["Kontrollserie"]
    steps = saved[0]["steps"]
    _, b, c = practice.doctors
    assert [(s["name"], s["duration_minutes"], s["doctor_ids"]) for s in steps] == [
        ("Erstkontrolle", 30, [b]),
        ("Nachkontrolle", 20, [c]),
    ]
    assert steps[0]["appointment_type"] == practice.type_id
    assert (steps[1]["gap_min"], steps[1]["gap_max"], steps[1]["gap_unit"]) == (7, 10, "days")


def _check(qtbot: Any, check_list: Any, name: str) -> None:
    """Click the check box of the entry called ``name``."""
    item = check_list.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    rect = check_list.visualItemRect(item)
    box = QPoint(rect.left() + 10, rect.center().y())
    qtbot.mouseClick(check_list.viewport(), Qt.MouseButton.LeftButton, pos=box)
