"""Main window: left navigation by role, top bar (date, connection, user), banner, pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QDate, Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import practice
from desktop.api.client import ApiClient
from desktop.api.patients import Patient
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.session import Session, User, role_label
from desktop.theme import AMBER, GREEN, RED
from desktop.views.audit_log.page import AuditLogPage
from desktop.views.calendar.page import CalendarPage
from desktop.views.calendar_feeds.dialog import CalendarFeedDialog
from desktop.views.login import LoginDialog
from desktop.views.master_data.page import MasterDataPage
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.patient_flow.page import PatientFlowPage
from desktop.views.patients.page import PatientsPage
from desktop.views.settings.apply import apply_practice_to_calendar, apply_to_calendar
from desktop.views.settings.page import SettingsPage
from desktop.views.statistics.page import StatisticsPage
from desktop.views.today.page import TodayPage
from desktop.views.users.page import UsersPage
from desktop.views.waiting_list.badge import WaitingListBadge
from desktop.views.waiting_list.nachruecker import BOOKERS as WAITING_LIST_BOOKERS
from desktop.views.waiting_list.page import READERS as WAITING_LIST_READERS
from desktop.views.waiting_list.page import WaitingListPage

STAFF = {"admin", "assistant", "doctor", "billing"}
#: (key, label, roles that see it; None = every role); labels are shown through ``self.tr``.
NAVIGATION: list[tuple[str, str, set[str] | None]] = [
    ("today", QT_TRANSLATE_NOOP("MainWindow", "Heute"), STAFF),
    ("calendar", QT_TRANSLATE_NOOP("MainWindow", "Kalender"), STAFF),
    ("op_plan", QT_TRANSLATE_NOOP("MainWindow", "OP-Plan"), STAFF),
    ("patient_flow", QT_TRANSLATE_NOOP("MainWindow", "Patientenfluss"), STAFF),
    ("patients", QT_TRANSLATE_NOOP("MainWindow", "Patienten"), STAFF),
    ("waiting_list", QT_TRANSLATE_NOOP("MainWindow", "Warteliste"), WAITING_LIST_READERS),
    ("statistics", QT_TRANSLATE_NOOP("MainWindow", "Statistik"), STAFF),
    ("master_data", QT_TRANSLATE_NOOP("MainWindow", "Stammdaten"), None),
    ("users", QT_TRANSLATE_NOOP("MainWindow", "Benutzer"), {"admin"}),
    ("audit_log", QT_TRANSLATE_NOOP("MainWindow", "Audit-Log"), {"admin"}),
    ("settings", QT_TRANSLATE_NOOP("MainWindow", "Einstellungen"), None),
]


@runtime_checkable
class DatedScreen(Protocol):
    """A screen that shows a day (or its week/month): the top bar's navigator steers it."""

    day: date
    date_changed: SignalInstance  # emits the new day

    def set_day(self, day: date) -> None: ...
    def step(self, direction: int) -> None: ...
    def today(self) -> None: ...


class MainWindow(QMainWindow):
    signed_out = Signal()

    def __init__(
        self, session: Session, user: User, parent: QWidget | None = None, **page_args: Any
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.ops = session.ops
        self.prefs = session.prefs
        self.relogin_dialog: LoginDialog | None = None
        self.setWindowTitle(self.tr("PraxiApp"))
        self.resize(1280, 800)
        if self.prefs.geometry is not None:
            self.restoreGeometry(self.prefs.geometry)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar())
        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet(
            f"background: {AMBER}; color: #000; padding: 6px; font-weight: 600;"
        )
        self.banner.setAccessibleName(self.tr("Verbindungshinweis"))
        self.banner.hide()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setStyleSheet(
            "QListWidget { background: #E9EDF2; border: none; padding-top: 8px; }"
            "QListWidget::item { padding: 8px 12px; }"
            "QListWidget::item:selected { background: #FFFFFF; color: #1F2933;"
            " border-left: 3px solid #2F6FB2; }"
        )
        body.addWidget(self.nav)
        self.pages = QStackedWidget()
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.calendar = CalendarPage(self.ops, self.prefs, **page_args)
        self._clock = page_args.get("clock")
        self.page_keys: list[str] = []
        self.screens: dict[str, QWidget] = {}
        self._opened: set[str] = {"calendar"}
        for key, label, allowed in NAVIGATION:
            if allowed is not None and user.role not in allowed:
                continue
            page = self._screen(key, label)
            self.screens[key] = page
            self.pages.addWidget(page)
            QListWidgetItem(self.tr(label), self.nav)
            self.page_keys.append(key)
        self.nav.currentRowChanged.connect(self._page_chosen)
        start = (
            self.prefs.last_page if self.prefs.last_page in self.page_keys else self.page_keys[0]
        )
        self.nav.setCurrentRow(self.page_keys.index(start))

        for page in self.screens.values():
            if isinstance(page, DatedScreen):
                page.date_changed.connect(partial(self._page_day, page))
                changed = getattr(page, "navigation_changed", None)
                if changed is not None:
                    changed.connect(partial(self._navigation_changed, page))
        if "patients" in self.screens:
            patients_page = self.screens["patients"]
            assert isinstance(patients_page, PatientsPage)
            patients_page.book_requested.connect(self.book_for)
        self._show_navigator()
        self.ops.connection_lost.connect(self._offline)
        self.ops.connection_restored.connect(self._online)
        self.ops.login_required.connect(self._relogin)
        self.ops.error.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.ops.busy.connect(self._busy)
        session.signed_out.connect(self.signed_out)
        session.live.state_changed.connect(self._live_state)
        self._online()
        if "calendar" in self.page_keys:
            self.calendar.reload()
        if "waiting_list" in self.page_keys:  # issue 18: open entries as a badge
            item = self.nav.item(self.page_keys.index("waiting_list"))
            self.waiting_list_badge = WaitingListBadge(self.ops, item, item.text(), self)
        if user.role in WAITING_LIST_BOOKERS:  # the calendar's Nachrücker panel follows slots
            self.calendar.nachruecker.activate()

    # -- top bar --------------------------------------------------------------------------

    def _top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("topBar")
        bar.setStyleSheet("#topBar { background: #FFFFFF; border-bottom: 1px solid #D9DEE4; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 6, 12, 6)
        row.setSpacing(6)
        brand = QLabel("PraxiApp")
        brand.setStyleSheet("font-size: 13pt; font-weight: 700; color: #2F6FB2;")
        row.addWidget(brand)
        row.addSpacing(24)
        self.today_button = QPushButton(self.tr("Heute"))
        self.today_button.setToolTip(self.tr("Heute (T)"))
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(self.tr("Zurück (Bild auf)"))
        self.prev_button.setAccessibleName(self.tr("Zurück"))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("Weiter (Bild ab)"))
        self.next_button.setAccessibleName(self.tr("Weiter"))
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(36)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd, dd.MM.yyyy")
        self.date_edit.setAccessibleName(self.tr("Datum"))
        for widget in (self.today_button, self.prev_button, self.next_button, self.date_edit):
            row.addWidget(widget)
        self.today_button.clicked.connect(lambda: self._steer(lambda page: page.today()))
        self.prev_button.clicked.connect(lambda: self._steer(lambda page: page.step(-1)))
        self.next_button.clicked.connect(lambda: self._steer(lambda page: page.step(1)))
        self.date_edit.dateChanged.connect(self._date_picked)
        self.navigator = (self.today_button, self.prev_button, self.next_button, self.date_edit)
        row.addStretch(1)
        self.connection = QLabel()
        self.connection.setAccessibleName(self.tr("Verbindungsstatus"))
        row.addWidget(self.connection)
        row.addSpacing(12)
        self.user_button = QToolButton()
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        role = role_label(self.user.role)
        self.user_button.setText(f"{self.user.display_name} ({role})")
        menu = QMenu(self.user_button)
        if self.user.role in ("admin", "doctor"):  # a doctor's own feed; admins any doctor's
            self.calendar_feed_action = menu.addAction(
                self.tr("Kalender abonnieren …"), self.open_calendar_feed
            )
        self.sign_out_action = menu.addAction(self.tr("Abmelden"), self.sign_out)
        self.user_button.setMenu(menu)
        # room for the menu arrow, which the style draws over the name otherwise
        self.user_button.setMinimumWidth(self.user_button.sizeHint().width() + 14)
        row.addWidget(self.user_button)
        return bar

    def open_calendar_feed(self) -> CalendarFeedDialog:
        """Kalender abonnieren (docs/calendar-feeds.md), non-modal."""
        dialog = CalendarFeedDialog(self.ops, self.user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _screen(self, key: str, label: str) -> QWidget:
        """The page behind a navigation entry (screens load when first opened)."""
        if key == "calendar":
            return self.calendar
        if key == "op_plan":
            return OpPlanPage(self.ops, self.user, clock=self._clock, settings=self.prefs.qsettings)
        if key == "patient_flow":
            return PatientFlowPage(self.ops, self.user, settings=self.prefs.qsettings)
        if key == "patients":
            return PatientsPage(self.ops, self.user)
        if key == "master_data":
            return MasterDataPage(self.ops, self.user)
        if key == "users":
            return UsersPage(self.ops, self.user)
        if key == "audit_log":
            return AuditLogPage(self.ops, self.user)
        if key == "statistics":
            return StatisticsPage(self.ops, self.user, clock=self._clock)
        if key == "waiting_list":
            return WaitingListPage(self.ops, self.user, clock=self._clock)
        if key == "today":
            today = TodayPage(self.ops, self.user, clock=self._clock)
            today.open_requested.connect(self.open_from_today)
            return today
        if key == "settings":
            settings = SettingsPage(self.ops, self.user)
            settings.preferences_saved.connect(self.apply_preferences)
            settings.practice_saved.connect(
                lambda saved: apply_practice_to_calendar(self.calendar, saved)
            )
            return settings
        raise ValueError(f"unknown screen {key!r} ({label})")

    # -- start page and personal preferences (issue 20) -----------------------------------

    def open_from_today(self, key: str, options: dict[str, Any]) -> None:
        """A tile of "Heute": the screen it summarises, on its day or filtered."""
        if key not in self.page_keys:
            return
        page = self.open_page(key)
        if page is not self.pages.currentWidget():
            return  # the shown screen kept its unsaved edits
        day = options.get("day")
        if isinstance(page, DatedScreen) and day is not None:
            page.set_day(day)
        if options.get("mode") and hasattr(page, "set_mode"):
            page.set_mode(options["mode"])
        if key == "patient_flow" and hasattr(page, "show_doctor"):
            page.show_doctor(options.get("doctor"))

    def start_with_preferences(self) -> None:
        """After sign-in: the user's preferences from the server, so they follow them to any
        PC — the calendar's view and raster, and the start screen ("Heute" by default)."""

        def work(api: ApiClient) -> tuple[practice.UserPreferences, practice.PracticeSettings]:
            return practice.get_preferences(api), practice.get_settings(api)

        def loaded(result: tuple[practice.UserPreferences, practice.PracticeSettings]) -> None:
            prefs, settings = result
            if "calendar" in self.page_keys:
                apply_practice_to_calendar(self.calendar, settings)
            self.apply_preferences(prefs)
            if prefs.start_screen in self.page_keys:
                self.open_page(prefs.start_screen)

        def failed(_error: Exception) -> None:
            if "today" in self.page_keys:
                self.open_page("today")

        self.ops.run(work, self).success(loaded).failure(failed).run()

    def apply_preferences(self, prefs: practice.UserPreferences) -> None:
        self.preferences = prefs
        if "calendar" in self.page_keys:
            apply_to_calendar(self.calendar, prefs)

    def open_page(self, key: str) -> QWidget:
        """Switch to a screen by key (as a click in the navigation would)."""
        self.nav.setCurrentRow(self.page_keys.index(key))
        return self.screens[key]

    def _may_leave_page(self, then: Callable[[], object]) -> bool:
        """Asks the shown screen whether it may be left (unsaved edits, ``unsaved.Leavable``);
        if not now, ``then`` repeats the step once the user's answer allows it."""
        can_leave = getattr(self.pages.currentWidget(), "can_leave", None)
        return not callable(can_leave) or bool(can_leave(then))

    def _show_nav_row_quietly(self, row: int) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)

    def _page_chosen(self, row: int) -> None:
        if row != self.pages.currentIndex():
            self._show_nav_row_quietly(self.pages.currentIndex())  # the answer may come later
            if not self._may_leave_page(lambda: self.nav.setCurrentRow(row)):
                return
            self._show_nav_row_quietly(row)
        if 0 <= row < len(self.page_keys):
            self.pages.setCurrentIndex(row)
            self._show_navigator()
            key = self.page_keys[row]
            self.prefs.last_page = key
            if key not in self._opened:
                self._opened.add(key)
                reload = getattr(self.screens[key], "reload", None)
                if callable(reload):
                    reload()

    # -- the date navigator of the shown screen --------------------------------------------

    def dated_screen(self) -> DatedScreen | None:
        """The shown screen if it has a date the top bar steers (Kalender, OP-Plan)."""
        page = self.pages.currentWidget()
        return page if isinstance(page, DatedScreen) else None

    def _steer(self, action: Callable[[DatedScreen], object]) -> None:
        page = self.dated_screen()
        if page is not None:
            action(page)

    def _show_navigator(self) -> None:
        """Heute/◀/▶/date belong to the shown screen; screens without a day hide them."""
        page = self.dated_screen()
        for widget in self.navigator:
            widget.setVisible(page is not None)
        if page is None:
            return
        self._show_day(page.day)
        self._navigation_changed(page)

    def _navigation_changed(self, page: DatedScreen) -> None:
        if page is not self.dated_screen():
            return
        labels = getattr(page, "step_labels", None)
        earlier, later = labels() if callable(labels) else (self.tr("Zurück"), self.tr("Weiter"))
        self.prev_button.setAccessibleName(earlier)
        self.next_button.setAccessibleName(later)
        self.prev_button.setToolTip(self.tr("{0} (Bild auf)").format(earlier))
        self.next_button.setToolTip(self.tr("{0} (Bild ab)").format(later))

    def _page_day(self, page: DatedScreen, day: date) -> None:
        if page is self.dated_screen():
            self._show_day(day)

    def _show_day(self, day: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)

    def _date_picked(self, value: QDate) -> None:
        page = self.dated_screen()
        if page is not None:
            page.set_day(value.toPython())  # type: ignore[arg-type]

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._show_navigator()

    def book_for(self, patient: Patient) -> None:
        """ "Termin vereinbaren" on the Patienten screen: the calendar's Freie Termine, bound
        to the patient."""
        if "calendar" not in self.page_keys:
            return
        if self.pages.currentWidget() is not self.calendar:
            self.open_page("calendar")
            if self.pages.currentWidget() is not self.calendar:
                return  # the screen was not left (unsaved edits kept)
        self.calendar.book_for(patient)

    # -- connection and session -----------------------------------------------------------

    def _online(self) -> None:
        if not self.ops.online:
            return
        self.banner.hide()
        text = self.tr("Verbunden") + (self.tr(" · live") if self.session.live.connected else "")
        self.connection.setText(f"<span style='color:{GREEN}'>●</span> " + text)
        self.connection.setToolTip(
            self.tr("Änderungen anderer Arbeitsplätze erscheinen sofort.")
            if self.session.live.connected
            else self.tr("Live-Aktualisierung wird verbunden …")
        )
        self.calendar.setEnabled(True)

    def _live_state(self, _connected: bool) -> None:
        self._online()

    def _offline(self, message: str) -> None:
        self.banner.setText(
            self.tr("Verbindung zum Server unterbrochen – es wird automatisch erneut verbunden …")
        )
        self.banner.show()
        self.connection.setText(f"<span style='color:{RED}'>●</span> " + self.tr("Getrennt"))

    def _busy(self, count: int) -> None:
        if count:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _relogin(self) -> None:
        if self.relogin_dialog is not None:
            return
        dialog = LoginDialog(self.session, self, relogin=True)
        self.relogin_dialog = dialog

        def finished(result: int) -> None:
            self.relogin_dialog = None
            if result:
                self.ops.resume_after_login()
            else:
                self.ops.drop_interrupted()

        dialog.finished.connect(finished)
        dialog.open()

    def sign_out(self) -> None:
        if self._may_leave_page(self.sign_out):
            self.session.logout().run()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._may_leave_page(self.close):
            event.ignore()
            return
        self.prefs.geometry = self.saveGeometry()
        super().closeEvent(event)
