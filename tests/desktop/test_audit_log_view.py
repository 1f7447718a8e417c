"""Audit-Log (admin): newest first, filters by patient/action/user/role/date, bad input."""

from __future__ import annotations

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from desktop.views.audit_log.page import AuditLogPage, action_label
from desktop.views.main_window import MainWindow
from desktop.views.patients.page import PatientsPage
from tests.desktop.staff import OpenWindow, staff_window

__all__ = ["staff_window"]


def wait_loaded(qtbot: QtBot, page: AuditLogPage) -> None:
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)


def test_admin_filters_the_audit_log_by_patient_and_action(
    qtbot: QtBot, staff_window: OpenWindow
) -> None:
    window = staff_window("admin")
    patients = window.open_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.waitUntil(lambda: bool(patients.patients), timeout=10_000)
    patients.open_patient(1002)  # loads the history: appointment_list for patient 1002
    qtbot.waitUntil(lambda: patients.appointment_table.rowCount() == 1, timeout=5000)

    page = window.open_page("audit_log")
    assert isinstance(page, AuditLogPage)
    qtbot.waitUntil(lambda: page.count > 0 and not page.loading, timeout=10_000)
    assert page.table.horizontalHeaderItem(3).text() == "Aktion"
    qtbot.waitUntil(lambda: page.user_box.count() > 1, timeout=5000)

    page.patient.setText("1002")
    page.filter_button.click()
    wait_loaded(qtbot, page)
    assert page.entries
    assert {e["patient_id"] for e in page.entries} == {1002}

    page.patient.clear()
    page.action.setCurrentIndex(page.action.findData("patient_list"))
    page.user_box.setCurrentIndex(page.user_box.findText("chef"))
    page.role.setCurrentIndex(page.role.findData("admin"))
    page.use_range.setChecked(True)
    page.start.setDate(QDate.currentDate())
    page.end.setDate(QDate.currentDate())
    page.filter_button.click()
    wait_loaded(qtbot, page)
    assert page.entries
    assert {e["action"] for e in page.entries} == {"patient_list"}
    assert page.table.item(0, 3).text() == "Patient Liste abgerufen"
    assert page.table.item(0, 1).text() == "chef"
    assert page.table.item(0, 2).text() == "Administrator"

    page.patient.setText("abc")
    page.filter_button.click()
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=5000)
    assert page.message.text() == "Patientennr.: Bitte eine ganze Zahl eingeben."


def test_action_codes_read_as_german() -> None:
    assert action_label("appointment_create") == "Termin angelegt"
    assert action_label("appointment_type_list") == "Terminart Liste abgerufen"
    assert action_label("appointment_mark_no_show") == "Termin als nicht erschienen markiert"
    assert action_label("doctor_absence_preview") == "Abwesenheit Vorschau angesehen"
    assert action_label("something_new") == "something_new"


def test_audit_log_is_not_offered_to_billing(staff_window: OpenWindow) -> None:
    window: MainWindow = staff_window("billing")
    assert "audit_log" not in window.page_keys
