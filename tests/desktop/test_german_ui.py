"""The whole desktop UI is German: every screen of every role, the dialogs, Qt's own texts.

The application is set up as ``praxi`` sets it up (``create_application``: German locale,
Qt's ``qtbase_de`` and our ``praxi_de`` catalogue). Then every navigation entry of every role
is opened (whatever screens exist, so new ones are covered too), with its tabs, records,
forms, menus and dialogs, and every text a user can see or hear is collected: window titles,
labels, buttons, actions of menus and context menus, tabs, table headers and cells, group
boxes, tool tips, placeholders, combo box entries, spin box texts, accessible names. None may
contain an English UI word or a raw identifier such as ``in_treatment``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QLocale,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from desktop.api.client import ApiClient
from desktop.api.messages import describe_error
from desktop.application import create_application
from desktop.config import Preferences
from desktop.i18n import refresh
from desktop.session import Session, User
from desktop.views.calendar.page import CalendarPage
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.master_data.page import MasterDataPage
from desktop.views.master_data.table_page import TablePage
from desktop.views.op_plan.model import Operation, PlanData, Room
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.patient_flow.page import PatientFlowPage
from desktop.views.patients.page import PatientsPage
from desktop.views.setup_wizard import SetupWizard
from desktop.views.startup import ServerSettingsDialog, StartupDialog
from desktop.views.statistics.content import MINUTES
from desktop.views.statistics.numbers import with_unit
from desktop.views.users.page import PasswordDialog, UsersPage
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window
from tests.desktop.unsaved_answers import click, open_question

__all__ = ["staff_window"]

#: Whole words, case-sensitive, that have no place in the German UI. Words German shares
#: with English (Name, Status, Filter, Export, Start, Server, Patient, OK, April …) are absent.
ENGLISH_WORDS = """
    Save Cancel Close Open Delete Edit New Error Warning Loading Search Settings Yes No Apply
    Reset Back Next Finish Done Help Print Preview Undo Redo Cut Copy Paste Select Clear
    Refresh Reload Add Remove Update Submit Retry Quit Exit Login Logout Sign Password
    Username User Users Today Tomorrow Yesterday Week Month Year Day Days Hour Hours Minutes
    Date Time Duration Color Colour Room Rooms Device Devices Doctor Doctors Appointment
    Appointments Operations Surgeon Patients Type Types Active Inactive All From To Until End
    Connected Disconnected Connecting Reconnecting Welcome Setup Wizard Role Roles Waiting
    Registered Preparing Treatment Scheduled Confirmed Cancelled Canceled Completed Planned
    Running Pending Missed Male Female Notes Note Resource Resources Breaks Absences Absence
    Holiday Vacation Statistics Email Timeout Unknown Invalid Failed Required Please
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Wed Thu Fri Sat Sun
    January February March May June July October December AM PM None True False null NaN
    the and of to with for not is are please failed error invalid required unknown cannot
    must should this that field value yes no cancel save delete loading search none true
    false scheduled confirmed cancelled completed planned running waiting registered
    preparing done pending male female diverse from at by on
""".split()  # noqa: SIM905 - a word list reads better as words
ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b")
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
#: Accepted on purpose: the KPI term of the spec (08 §2 "No-Show-Rate") and the audit
#: action code shown next to its German label (the action filter takes codes).
ACCEPTED = re.compile(r"No-Show|Aktionscode: \w+")
TAG = re.compile(r"<[^>]+>")
#: Rows of a table or list whose cells are read (enough for every kind of row).
ROWS_READ = 40


# -- the application as ``praxi`` sets it up ------------------------------------------------------


@pytest.fixture(autouse=True)
def german_application(qapp: QApplication) -> Iterator[QApplication]:
    """``create_application`` on the test's QApplication; undone afterwards for other tests."""
    locale, style = QLocale(), qapp.style().name()
    palette, font = qapp.palette(), qapp.font()
    before = set(qapp.findChildren(QTranslator))
    app = create_application([])
    assert app is qapp
    yield app
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(locale)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


# -- collecting what a user sees ----------------------------------------------------------------


@dataclass
class Texts:
    """Every text seen, with where it was seen first."""

    seen: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, text: Any) -> None:
        if not isinstance(text, str):
            return
        plain = TAG.sub(" ", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
        plain = plain.strip()
        if plain and plain not in self.seen:
            self.seen[plain] = where

    def english(self) -> list[str]:
        return sorted(
            f"{where}: {text!r}"
            for text, where in self.seen.items()
            if ENGLISH.search(ACCEPTED.sub(" ", text)) or IDENTIFIER.search(ACCEPTED.sub(" ", text))
        )


def collect(texts: Texts, root: QWidget, where: str) -> None:
    for widget in [root, *root.findChildren(QWidget)]:
        _collect_widget(texts, widget, f"{where} {type(widget).__name__}")


def _collect_widget(texts: Texts, widget: QWidget, where: str) -> None:
    if widget.isWindow():
        texts.add(where + " title", widget.windowTitle())
    for text in (
        widget.toolTip(),
        widget.statusTip(),
        widget.whatsThis(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ):
        texts.add(where, text)
    for action in widget.actions():
        collect_action(texts, action, where)
    if isinstance(widget, QLabel):
        texts.add(where, widget.text())
    if isinstance(widget, QAbstractButton):
        texts.add(where, widget.text())
    if isinstance(widget, QToolButton | QAbstractButton) and hasattr(widget, "menu"):
        menu = widget.menu()
        if isinstance(menu, QMenu):
            collect_menu(texts, menu, where)
    if isinstance(widget, QGroupBox):
        texts.add(where, widget.title())
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        texts.add(where, widget.placeholderText())
    if isinstance(widget, QAbstractSpinBox):
        texts.add(where, widget.text())
        texts.add(where, widget.specialValueText())
    if isinstance(widget, QDateEdit) and widget.calendarPopup():
        collect(texts, widget.calendarWidget(), where + " calendar")
    if isinstance(widget, QComboBox):
        for index in range(widget.count()):
            texts.add(where, widget.itemText(index))
    if isinstance(widget, QTabBar):
        for index in range(widget.count()):
            texts.add(where, widget.tabText(index))
            texts.add(where, widget.tabToolTip(index))
    if isinstance(widget, QAbstractItemView):
        _collect_view(texts, widget, where)
    if isinstance(widget, QMessageBox):
        texts.add(where, widget.text())
        texts.add(where, widget.informativeText())
    if isinstance(widget, QWizard):
        for page_id in widget.pageIds():
            page = widget.page(page_id)
            texts.add(where, page.title())
            texts.add(where, page.subTitle())


def _collect_view(texts: Texts, view: QAbstractItemView, where: str) -> None:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    rows = model.rowCount(root)
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for orientation, count in (
        (Qt.Orientation.Horizontal, columns),
        (Qt.Orientation.Vertical, rows),
    ):
        for section in range(min(count, ROWS_READ)):
            texts.add(where + " header", model.headerData(section, orientation))
    for row in range(min(rows, ROWS_READ)):
        for column in range(columns):
            index = model.index(row, column, QModelIndex())
            texts.add(where + " cell", model.data(index))
            texts.add(where + " cell", model.data(index, Qt.ItemDataRole.ToolTipRole))


def collect_action(texts: Texts, action: QAction, where: str) -> None:
    texts.add(where + " action", action.text())
    texts.add(where + " action", action.toolTip())
    texts.add(where + " action", action.statusTip())
    menu = action.menu()
    if isinstance(menu, QMenu):
        collect_menu(texts, menu, where)


def collect_menu(texts: Texts, menu: QMenu, where: str) -> None:
    menu.aboutToShow.emit()  # menus that fill themselves when opened
    texts.add(where + " menu", menu.title())
    for action in menu.actions():
        collect_action(texts, action, where + " menu")


def assert_german(texts: Texts) -> None:
    assert len(texts.seen) > 50  # the collection itself worked
    leftovers = texts.english()
    assert not leftovers, "English in the German UI:\n" + "\n".join(leftovers)


# -- driving the UI -----------------------------------------------------------------------------


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Until every background load (also ones started by timers just now) has come back."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.waitUntil(lambda: window.ops.in_flight() == 0, timeout=10_000)
        page = window.pages.currentWidget()
        qtbot.waitUntil(lambda: not getattr(page, "loading", False), timeout=10_000)  # noqa: B023


def modal_answered(texts: Texts, where: str, button_text: str) -> None:
    """Collect the next modal dialog opened with ``exec`` and close it with a button."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        collect(texts, dialog, where)
        buttons = [b for b in dialog.findChildren(QAbstractButton) if b.text() == button_text]
        if buttons:
            buttons[0].click()
        elif isinstance(dialog, QDialog):
            dialog.reject()

    QTimer.singleShot(0, answer)


def visit_screens(qtbot: QtBot, window: MainWindow, texts: Texts) -> None:
    collect(texts, window, "Hauptfenster")
    for key in window.page_keys:
        page = window.open_page(key)
        settle(qtbot, window)
        where = f"{window.user.role}/{key}"
        collect(texts, page, where)
        if isinstance(page, CalendarPage):
            visit_calendar(qtbot, window, page, texts, where)
        elif isinstance(page, MasterDataPage):
            visit_master_data(qtbot, window, page, texts, where)
        elif isinstance(page, PatientsPage):
            visit_patients(qtbot, window, page, texts, where)
        if isinstance(page, UsersPage):
            visit_users(qtbot, window, page, texts, where)


def visit_table_page(
    qtbot: QtBot, window: MainWindow, page: TablePage, texts: Texts, where: str
) -> None:
    if page.rows:
        page.open_record(page.rows[0]["id"])
        settle(qtbot, window)
        collect(texts, page, where + " Eintrag")
        if page.delete_button.isVisible():
            modal_answered(texts, where + " Löschen?", "Nein")
            page.delete_current(confirm=True)
    if page.new_button.isVisible():
        page.new_record()
        settle(qtbot, window)
        collect(texts, page, where + " neu")


def visit_master_data(
    qtbot: QtBot, window: MainWindow, page: MasterDataPage, texts: Texts, where: str
) -> None:
    for key, tab in page.pages.items():
        page.show_tab(key)
        settle(qtbot, window)
        visit_table_page(qtbot, window, tab, texts, f"{where}/{key}")
    first = page.pages["appointment_types"]
    if first.writable and first.rows:  # the question about unsaved edits
        page.show_tab("appointment_types")
        first.open_record(first.rows[0]["id"])
        name = first.form.widgets["name"]
        assert isinstance(name, QLineEdit)
        name.setText("Kontrolle geändert")
        page.show_tab("resources")
        box = open_question(qtbot)
        collect(texts, box, where + " Ungespeicherte Änderungen")
        click(box, "Verwerfen")
        settle(qtbot, window)


def visit_patients(
    qtbot: QtBot, window: MainWindow, page: PatientsPage, texts: Texts, where: str
) -> None:
    with qtbot.waitSignal(page.history_loaded, timeout=10_000):
        page.open_patient(1001)
    settle(qtbot, window)
    collect(texts, page, where + " Patient")
    page.search.setText("Muster")
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.searching, timeout=10_000)
    collect(texts, page, where + " Suche")
    page.search.clear()
    settle(qtbot, window)


def visit_users(
    qtbot: QtBot, window: MainWindow, page: UsersPage, texts: Texts, where: str
) -> None:
    visit_table_page(qtbot, window, page, texts, where)
    collect(texts, PasswordDialog("mfa.klein", page), where + " Passwort")


def visit_calendar(
    qtbot: QtBot, window: MainWindow, page: CalendarPage, texts: Texts, where: str
) -> None:
    for button in page.mode_group.buttons():
        button.click()
        settle(qtbot, window)
        collect(texts, page, f"{where}/{button.property('mode')}")
    page.set_mode("day")
    settle(qtbot, window)
    page.suggest_button.setChecked(True)
    settle(qtbot, window)
    collect(texts, page, where + " Freie Termine")
    page.suggest_button.setChecked(False)
    page._fill_print_menu()
    collect_menu(texts, page.print_menu, where + " Drucken")
    appointments = list(page.grid.calendar_scene.items_by_id.values())
    if not appointments:
        return
    appointment = appointments[0].appointment
    page._context_menu(appointment, QPoint(10, 10))
    collect_menu(texts, page.context_menu, where + " Kontextmenü")
    page.context_menu.close()
    page.open_appointment(appointment)
    settle(qtbot, window)
    dialog = page.active_dialog
    assert dialog is not None
    collect(texts, dialog, where + " Termin")
    dialog.reject()
    page.new_appointment()
    settle(qtbot, window)
    dialog = page.active_dialog
    assert dialog is not None
    collect(texts, dialog, where + " Neuer Termin")
    dialog.reject()
    modal_answered(texts, where + " Termin löschen?", "Nein")
    page.delete(appointment, confirm=True)


# -- tests --------------------------------------------------------------------------------------


def test_qt_standard_buttons_and_menus_come_out_german() -> None:
    """Qt's own texts (button boxes, message boxes, edit menus) through ``qtbase_de``."""
    kinds = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(
        kinds.Save | kinds.Cancel | kinds.Discard | kinds.Close | kinds.Yes | kinds.No
    )
    texts = {
        kind: button.text().replace("&", "")
        for kind in (kinds.Save, kinds.Cancel, kinds.Discard, kinds.Close, kinds.Yes, kinds.No)
        if (button := box.button(kind)) is not None
    }
    assert texts[kinds.Save] == "Speichern"
    assert texts[kinds.Cancel] == "Abbrechen"
    assert texts[kinds.Discard] == "Verwerfen"
    assert texts[kinds.Close] == "Schließen"
    assert texts[kinds.Yes] == "Ja"
    assert texts[kinds.No] == "Nein"
    line = QLineEdit()
    menu = line.createStandardContextMenu()
    actions = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert "Rückgängig" in actions
    assert "Einfügen" in actions
    seen = Texts()
    collect_menu(seen, menu, "QLineEdit")
    assert not seen.english(), seen.english()
    assert QLocale().toString(QDate(2027, 1, 18), "dddd, d. MMMM") == "Montag, 18. Januar"


def test_every_screen_of_the_admin_is_german(qtbot: QtBot, staff_window: OpenWindow) -> None:
    texts = Texts()
    window = staff_window("admin")
    settle(qtbot, window)
    visit_screens(qtbot, window, texts)
    assert {"users", "audit_log", "statistics"} <= set(window.page_keys)
    assert_german(texts)


@pytest.mark.parametrize("role", ["assistant", "doctor", "billing", "nurse"])
def test_every_screen_of_the_other_roles_is_german(
    qtbot: QtBot, request: pytest.FixtureRequest, role: str
) -> None:
    """The assistant (the seeded MFA) and roles that see read-only hints or fewer screens."""
    if role == "assistant":
        window: MainWindow = request.getfixturevalue("window")
    else:
        window = request.getfixturevalue("staff_window")(role)
    texts = Texts()
    settle(qtbot, window)
    visit_screens(qtbot, window, texts)
    assert_german(texts)


def test_start_up_sign_in_and_first_run_dialogs_are_german(
    qtbot: QtBot, session: Session, practice: SeededPractice
) -> None:
    texts = Texts()
    startup = StartupDialog()
    qtbot.addWidget(startup)
    collect(texts, startup, "Start")
    startup.failed("Der Server antwortet nicht.", "Verbindung abgelehnt")
    collect(texts, startup, "Start fehlgeschlagen")
    collect(texts, ServerSettingsDialog("", parent=startup), "Servereinstellungen")
    for relogin in (False, True):
        login = LoginDialog(session, relogin=relogin)
        qtbot.addWidget(login)
        collect(texts, login, "Anmeldung")
    wizard = SetupWizard(session.ops, seed_demo=lambda _password: None)
    qtbot.addWidget(wizard)
    wizard.show()
    collect(texts, wizard, "Einrichtung Willkommen")
    wizard.next()
    collect(texts, wizard, "Einrichtung Konto")
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Abbrechen"
    assert_german(texts)


def test_print_dialog_and_day_list_are_german(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    texts = Texts()
    page = window.calendar
    document = page.day_list(None)
    assert isinstance(document, QTextDocument)
    texts.add("Tagesliste", document.toPlainText())
    modal_answered(texts, "Drucken", "Abbrechen")
    page.print_day_list(None)
    assert_german_words_only(texts)


def assert_german_words_only(texts: Texts) -> None:
    leftovers = texts.english()
    assert not leftovers, "English in the German UI:\n" + "\n".join(leftovers)


def test_the_catalogue_lists_every_text_of_the_sources_as_finished_german(
    tmp_path: Path,
) -> None:
    """``praxi_de.ts`` is what ``pyside6-lupdate`` finds in ``desktop/`` today, every entry a
    finished translation by its own German text (refresh: ``python -m desktop.i18n.refresh``)."""
    fresh = tmp_path / "praxi_de.ts"
    refresh.extract(fresh)
    committed = refresh.entries(refresh.CATALOGUE)
    wanted = {(context, source) for context, source, _text, _done in refresh.entries(fresh)}
    listed = {(context, source) for context, source, _text, _done in committed}
    assert sorted(wanted - listed) == [], "not in the catalogue: run python -m desktop.i18n.refresh"
    assert sorted(listed - wanted) == [], (
        "gone from the sources: run python -m desktop.i18n.refresh"
    )
    assert all(done and text == source for _context, source, text, done in committed)


def test_praxi_starts_with_the_compiled_catalogue(german_application: QApplication) -> None:
    loaded = [
        Path(t.filePath()).name
        for t in german_application.findChildren(QTranslator)
        if t.filePath()
    ]
    assert "praxi_de.qm" in loaded
    assert "qtbase_de.qm" in loaded
    assert refresh.COMPILED.stat().st_mtime >= refresh.CATALOGUE.stat().st_mtime - 1
    translator = QTranslator()
    assert translator.load(str(refresh.COMPILED))
    assert translator.translate("MainWindow", "Abmelden") == "Abmelden"
    assert translator.translate("Roles", "Arzt") == "Arzt"


def test_the_catalogue_holds_no_english() -> None:
    """Every text of the sources (also messages no screen shows by itself, such as refusals
    and failures), as listed in the catalogue."""
    texts = Texts()
    for context, source, _text, _done in refresh.entries(refresh.CATALOGUE):
        texts.add(f"praxi_de.ts {context}", source)
    assert len(texts.seen) > 300
    assert_german_words_only(texts)


def bracketed_catalogue(folder: Path) -> Path:
    """A catalogue of today's sources in which every text reads ``[source]``, compiled."""
    catalogue = folder / "praxi_xx.ts"
    refresh.extract(catalogue)
    tree = ET.parse(catalogue)  # noqa: S314 - lupdate's output, not untrusted input
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        translation.text = f"[{message.findtext('source')}]"
    tree.write(catalogue, encoding="utf-8")
    compiled = folder / "praxi_xx.qm"
    refresh.compile_catalogue(catalogue, compiled)
    return compiled


def test_texts_shown_through_a_variable_come_from_the_catalogue(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, prefs: Preferences
) -> None:
    """Labels kept in tables (status columns, status actions, server messages, weekdays, units)
    are listed by lupdate under the context they are shown with: with a catalogue that changes
    every text, these change on screen too (as they would in another language)."""
    translator = QTranslator()
    assert translator.load(str(bracketed_catalogue(tmp_path)))
    qapp.installTranslator(translator)
    try:
        assert describe_error(400, {"reason": "break"}) == (
            "[Der Termin überschneidet sich mit einer Pause.]"
        )
        assert describe_error(400, {"email": ["This field is required."]}) == (
            "[E-Mail]: [Dieses Feld ist erforderlich.]"
        )
        assert describe_error(429, {}) == (
            "[Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten.]"
        )
        assert with_unit(90, 0, MINUTES) == "[90 Min.]"
        session = Session(ApiClient("http://127.0.0.1:9"), prefs)
        user = User(1, "mfa.klein", "Lena", "Klein", "assistant")
        board = PatientFlowPage(session.ops, user, settings=prefs.qsettings)
        qtbot.addWidget(board)
        assert board.columns["waiting"].header.text() == "[Im Wartezimmer] (0)"
        plan = OpPlanPage(session.ops, user, settings=prefs.qsettings)
        qtbot.addWidget(plan)
        monday = date(2027, 1, 18)
        start = datetime.combine(monday, time(11))
        operation = Operation(
            1, 7, "Mustermann, Max", "Arthroskopie", "Dr. Anna Müller", start,
            start.replace(hour=12, minute=30), 15, 60, 15, "planned",
        )  # fmt: skip
        plan.scene.build(PlanData(monday, [Room(7, "OP 1", "#6A5ACD")], [operation]), None)
        block = plan.scene.blocks[1]
        assert block.on_select is not None
        block.on_select(block)
        assert "[Status: <b>[Geplant]</b>]" in plan.details.text()
        buttons = {key: button.text() for key, button in plan.status_buttons.items()}
        assert buttons == {"confirmed": "[Bestätigen]", "cancelled": "[Absagen …]"}
        assert plan.scene.day_label(monday) == "[Mo] 18.01."
    finally:
        qapp.removeTranslator(translator)
