"""Einstellungen: "Mein Konto" (own password), personal preferences stored on the server (they
follow the user to another PC) and — for admins — the practice settings and the access
credentials of call-up displays.

Everything is read from and written to the server (``desktop.api.practice``); the server
validates and audits, this screen shows its refusals in German.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.api import practice
from desktop.api.client import ApiClient
from desktop.api.patient_flow import status_label
from desktop.api.practice import (
    DisplayOptions,
    DisplayToken,
    PracticeSettings,
    Threshold,
    UserPreferences,
)
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import GREEN, RED
from shared.domain.events import LiveEntity
from shared.domain.practice import CALENDAR_RASTERS, THRESHOLD_STATUSES

START_SCREENS = [
    ("today", QT_TRANSLATE_NOOP("SettingsPage", "Heute")),
    ("calendar", QT_TRANSLATE_NOOP("SettingsPage", "Kalender")),
    ("op_plan", QT_TRANSLATE_NOOP("SettingsPage", "OP-Plan")),
    ("patient_flow", QT_TRANSLATE_NOOP("SettingsPage", "Patientenfluss")),
    ("patients", QT_TRANSLATE_NOOP("SettingsPage", "Patienten")),
]
CALENDAR_VIEWS = [
    ("day", QT_TRANSLATE_NOOP("SettingsPage", "Tag")),
    ("week", QT_TRANSLATE_NOOP("SettingsPage", "Woche")),
    ("month", QT_TRANSLATE_NOOP("SettingsPage", "Monat")),
    ("resources", QT_TRANSLATE_NOOP("SettingsPage", "Räume & Geräte")),
]
COLOUR_MODES = [
    ("doctor", QT_TRANSLATE_NOOP("SettingsPage", "nach Arzt")),
    ("type", QT_TRANSLATE_NOOP("SettingsPage", "nach Terminart")),
]
WEEKDAY_SHORT = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
MIN_PASSWORD = 8
MAX_PASSWORD = 128


def _combo(items: list[tuple[Any, str]], name: str, tr: Any) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for value, label in items:
        combo.addItem(tr(label), value)
    return combo


def _select(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class Feedback(QLabel):
    """A one-line answer under a form: green when done, red when refused."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.hide()

    def ok(self, text: str) -> None:
        self.setStyleSheet(f"color: {GREEN}; font-weight: 600;")
        self.setText(text)
        self.show()

    def error(self, text: str) -> None:
        self.setStyleSheet(f"color: {RED}; font-weight: 600;")
        self.setText(text)
        self.show()


class SettingsPage(QWidget):
    #: The personal preferences were saved (the main window applies them at once).
    preferences_saved = Signal(object)
    #: The practice settings were saved (the main window applies the shown weekdays).
    practice_saved = Signal(object)
    loaded = Signal()

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.is_admin = user.role == "admin"
        self.loading = False
        self.opened = False
        self.preferences = UserPreferences()
        self.settings = PracticeSettings()
        self.tokens: list[DisplayToken] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        title = QLabel(self.tr("Einstellungen"))
        title.setStyleSheet("font-size: 12pt; font-weight: 700;")
        outer.addWidget(title)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._account_tab(), self.tr("Mein Konto"))
        self.tabs.addTab(self._preferences_tab(), self.tr("Persönliche Einstellungen"))
        if self.is_admin:
            self.tabs.addTab(self._practice_tab(), self.tr("Praxis"))
        self.ops.changed.connect(self._something_changed)

    # -- Mein Konto ---------------------------------------------------------------------------

    def _account_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        who = QLabel(
            self.tr("Angemeldet als {0} ({1})").format(self.user.display_name, self.user.username)
        )
        layout.addWidget(who)
        profile = QGroupBox(self.tr("Name und Kalenderfarbe"))
        profile_form = QFormLayout(profile)
        self.first_name = QLineEdit(self.user.first_name)
        self.last_name = QLineEdit(self.user.last_name)
        self.calendar_color = QLineEdit(self.user.calendar_color or "")
        self.calendar_color.setPlaceholderText("#1E90FF")
        self.calendar_color.setMaxLength(7)
        for field, name in (
            (self.first_name, self.tr("Vorname")),
            (self.last_name, self.tr("Nachname")),
            (self.calendar_color, self.tr("Kalenderfarbe")),
        ):
            field.setAccessibleName(name)
            if field is not self.calendar_color:
                field.setMaxLength(150)
            if field is not self.calendar_color or self.user.role == "doctor":
                profile_form.addRow(name, field)
        # Only a doctor's appointments are coloured by their person.
        self.calendar_color.setVisible(self.user.role == "doctor")
        self.profile_button = QPushButton(self.tr("Name speichern"))
        self.profile_button.clicked.connect(self.save_profile)
        profile_form.addRow(self.profile_button)
        self.profile_feedback = Feedback()
        profile_form.addRow(self.profile_feedback)
        layout.addWidget(profile)
        box = QGroupBox(self.tr("Passwort ändern"))
        form = QFormLayout(box)
        self.current_password = QLineEdit()
        self.new_password = QLineEdit()
        self.repeat_password = QLineEdit()
        for field, name in (
            (self.current_password, self.tr("Aktuelles Passwort")),
            (self.new_password, self.tr("Neues Passwort")),
            (self.repeat_password, self.tr("Neues Passwort wiederholen")),
        ):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
            field.setMaxLength(MAX_PASSWORD)
            form.addRow(name, field)
        hint = QLabel(
            self.tr(
                "Mindestens 8 Zeichen. Nach der Änderung werden Sie auf allen anderen "
                "Geräten abgemeldet."
            )
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        self.password_button = QPushButton(self.tr("Passwort ändern"))
        self.password_button.clicked.connect(self.change_password)
        form.addRow(self.password_button)
        self.password_feedback = Feedback()
        form.addRow(self.password_feedback)
        layout.addWidget(box)
        layout.addStretch(1)
        return tab

    def save_profile(self) -> None:
        first, last = self.first_name.text(), self.last_name.text()
        colour = self.calendar_color.text().strip() if self.user.role == "doctor" else None

        def done(_: Any) -> None:
            self.profile_feedback.ok(
                self.tr("Gespeichert. Die Kopfzeile zeigt den Namen nach der nächsten Anmeldung.")
            )

        self.ops.run(
            lambda api: practice.update_profile(api, first, last, colour or None), self
        ).changes(LiveEntity.USER).success(done).failure(
            lambda error: self.profile_feedback.error(str(error))
        ).run()

    def change_password(self) -> None:
        current = self.current_password.text()
        new = self.new_password.text()
        if not current:
            self.password_feedback.error(self.tr("Bitte das aktuelle Passwort eingeben."))
            return
        if len(new) < MIN_PASSWORD:
            self.password_feedback.error(
                self.tr("Das neue Passwort muss mindestens 8 Zeichen lang sein.")
            )
            return
        if new != self.repeat_password.text():
            self.password_feedback.error(
                self.tr("Die beiden neuen Passwörter stimmen nicht überein.")
            )
            return
        self.password_button.setEnabled(False)
        username = self.user.username

        def done(_: Any) -> None:
            self.password_button.setEnabled(True)
            for field in (self.current_password, self.new_password, self.repeat_password):
                field.clear()
            self.password_feedback.ok(
                self.tr("Passwort geändert. Auf anderen Geräten ist eine neue Anmeldung nötig.")
            )

        def refused(error: Exception) -> None:
            self.password_button.setEnabled(True)
            self.password_feedback.error(str(error))

        self.ops.run(
            lambda api: practice.change_password(api, username, current, new), self
        ).success(done).failure(refused).run()

    # -- persönliche Einstellungen -----------------------------------------------------------

    def _preferences_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel(
            self.tr("Diese Einstellungen werden auf dem Server gespeichert und gelten an jedem PC.")
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.start_screen = _combo(START_SCREENS, self.tr("Startbildschirm"), self.tr)
        self.calendar_view = _combo(CALENDAR_VIEWS, self.tr("Kalenderansicht"), self.tr)
        self.calendar_raster = _combo(
            [(r, f"{r} min") for r in CALENDAR_RASTERS], self.tr("Raster"), str
        )
        self.colour_mode = _combo(COLOUR_MODES, self.tr("Farben"), self.tr)
        form.addRow(self.tr("Startbildschirm"), self.start_screen)
        form.addRow(self.tr("Kalenderansicht"), self.calendar_view)
        form.addRow(self.tr("Raster"), self.calendar_raster)
        form.addRow(self.tr("Farben"), self.colour_mode)
        self.doctor_list = QListWidget()
        self.doctor_list.setAccessibleName(self.tr("Angezeigte Ärzte"))
        self.doctor_list.setMaximumHeight(140)
        form.addRow(self.tr("Angezeigte Ärzte\n(keiner gewählt: alle)"), self.doctor_list)
        layout.addLayout(form)
        self.preferences_button = QPushButton(self.tr("Speichern"))
        self.preferences_button.setAccessibleName(self.tr("Persönliche Einstellungen speichern"))
        self.preferences_button.clicked.connect(self.save_preferences)
        row = QHBoxLayout()
        row.addWidget(self.preferences_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.preferences_feedback = Feedback()
        layout.addWidget(self.preferences_feedback)
        layout.addStretch(1)
        return tab

    def _show_preferences(self, prefs: UserPreferences, doctors: list[practice.Doctor]) -> None:
        self.preferences = prefs
        _select(self.start_screen, prefs.start_screen)
        _select(self.calendar_view, prefs.calendar_view)
        _select(self.calendar_raster, prefs.calendar_raster)
        _select(self.colour_mode, prefs.colour_mode)
        self.doctor_list.clear()
        for doctor in doctors:
            item = QListWidgetItem(doctor.name, self.doctor_list)
            item.setData(Qt.ItemDataRole.UserRole, doctor.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = doctor.id in prefs.shown_doctor_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_preferences(self) -> UserPreferences:
        ids = []
        for row in range(self.doctor_list.count()):
            item = self.doctor_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return UserPreferences(
            start_screen=str(self.start_screen.currentData()),
            calendar_view=str(self.calendar_view.currentData()),
            calendar_raster=int(self.calendar_raster.currentData()),
            colour_mode=str(self.colour_mode.currentData()),
            shown_doctor_ids=tuple(ids),
        )

    def save_preferences(self) -> None:
        chosen = self.chosen_preferences()
        self.preferences_button.setEnabled(False)

        def done(saved: UserPreferences) -> None:
            self.preferences_button.setEnabled(True)
            self.preferences = saved
            self.preferences_feedback.ok(self.tr("Gespeichert."))
            self.preferences_saved.emit(saved)

        def refused(error: Exception) -> None:
            self.preferences_button.setEnabled(True)
            self.preferences_feedback.error(str(error))

        self.ops.run(lambda api: practice.save_preferences(api, chosen), self).success(
            done
        ).failure(refused).run()

    # -- Praxis (admin) ----------------------------------------------------------------------

    def _practice_tab(self) -> QWidget:
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        tab = QWidget()
        scroller.setWidget(tab)
        layout = QVBoxLayout(tab)
        top = QHBoxLayout()
        layout.addLayout(top)

        practice_box = QGroupBox(self.tr("Praxis"))
        form = QFormLayout(practice_box)
        self.practice_name = QLineEdit()
        self.practice_name.setMaxLength(200)
        self.practice_address = QPlainTextEdit()
        self.practice_address.setMaximumHeight(70)
        self.practice_phone = QLineEdit()
        self.practice_phone.setMaxLength(50)
        for field, name in (
            (self.practice_name, self.tr("Praxisname")),
            (self.practice_address, self.tr("Anschrift")),
            (self.practice_phone, self.tr("Telefon")),
        ):
            field.setAccessibleName(name)
            form.addRow(name, field)
        days = QHBoxLayout()
        self.day_boxes: list[QCheckBox] = []
        for number, short in enumerate(WEEKDAY_SHORT, start=1):
            box = QCheckBox(self.tr(short))
            box.setProperty("weekday", number)
            self.day_boxes.append(box)
            days.addWidget(box)
        form.addRow(self.tr("Angezeigte Tage"), days)
        top.addWidget(practice_box, 1)

        flow_box = QGroupBox(self.tr("Patientenfluss: Minuten bis Gelb / Rot"))
        grid = QGridLayout(flow_box)
        grid.addWidget(QLabel(self.tr("Status")), 0, 0)
        grid.addWidget(QLabel(self.tr("Gelb ab")), 0, 1)
        grid.addWidget(QLabel(self.tr("Rot ab")), 0, 2)
        self.threshold_spins: dict[Any, tuple[QSpinBox, QSpinBox]] = {}
        for row, status in enumerate(THRESHOLD_STATUSES, start=1):
            amber, red = QSpinBox(), QSpinBox()
            for spin, colour in ((amber, self.tr("Gelb")), (red, self.tr("Rot"))):
                spin.setRange(1, 1440)
                spin.setSuffix(" min")
                spin.setAccessibleName(f"{status_label(status)}: {colour}")
            grid.addWidget(QLabel(status_label(status)), row, 0)
            grid.addWidget(amber, row, 1)
            grid.addWidget(red, row, 2)
            self.threshold_spins[status] = (amber, red)
        top.addWidget(flow_box, 1)

        display_box = QGroupBox(self.tr("Aufrufanzeige"))
        display_layout = QVBoxLayout(display_box)
        display_form = QFormLayout()
        self.display_title = QLineEdit()
        self.display_title.setMaxLength(60)
        self.display_title.setAccessibleName(self.tr("Überschrift der Anzeige"))
        self.display_chime = QCheckBox(self.tr("Gong bei jedem Aufruf"))
        self.display_history = QSpinBox()
        self.display_history.setRange(1, 10)
        self.display_history.setAccessibleName(self.tr("Angezeigte letzte Aufrufe"))
        display_form.addRow(self.tr("Überschrift"), self.display_title)
        display_form.addRow("", self.display_chime)
        display_form.addRow(self.tr("Letzte Aufrufe"), self.display_history)
        display_layout.addLayout(display_form)
        self.token_list = QListWidget()
        self.token_list.setAccessibleName(self.tr("Zugänge der Aufrufanzeigen"))
        self.token_list.setMaximumHeight(90)
        display_layout.addWidget(QLabel(self.tr("Zugänge für Anzeige-PCs")))
        display_layout.addWidget(self.token_list)
        token_row = QHBoxLayout()
        self.token_name = QLineEdit()
        self.token_name.setPlaceholderText(self.tr("z. B. Wartezimmer"))
        self.token_name.setAccessibleName(self.tr("Name des neuen Zugangs"))
        self.token_name.setMaxLength(100)
        self.create_token_button = QPushButton(self.tr("Zugang anlegen"))
        self.create_token_button.clicked.connect(self.create_token)
        self.revoke_token_button = QPushButton(self.tr("Widerrufen"))
        self.revoke_token_button.clicked.connect(self.revoke_token)
        token_row.addWidget(self.token_name, 1)
        token_row.addWidget(self.create_token_button)
        token_row.addWidget(self.revoke_token_button)
        display_layout.addLayout(token_row)
        self.new_token = QLineEdit()
        self.new_token.setReadOnly(True)
        self.new_token.setAccessibleName(self.tr("Neuer Zugang (nur jetzt sichtbar)"))
        self.new_token.hide()
        display_layout.addWidget(self.new_token)
        layout.addWidget(display_box)

        self.practice_button = QPushButton(self.tr("Praxiseinstellungen speichern"))
        self.practice_button.clicked.connect(self.save_practice)
        buttons = QHBoxLayout()
        buttons.addWidget(self.practice_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.practice_feedback = Feedback()
        layout.addWidget(self.practice_feedback)
        layout.addStretch(1)
        return scroller

    def _show_practice(self, settings: PracticeSettings) -> None:
        self.settings = settings
        self.practice_name.setText(settings.name)
        self.practice_address.setPlainText(settings.address)
        self.practice_phone.setText(settings.phone)
        for box in self.day_boxes:
            box.setChecked(int(box.property("weekday")) in settings.calendar_days)
        for status, (amber, red) in self.threshold_spins.items():
            limit = settings.threshold(status)
            amber.setValue(limit.amber)
            red.setValue(limit.red)
        self.display_title.setText(settings.display.title)
        self.display_chime.setChecked(settings.display.chime)
        self.display_history.setValue(settings.display.history)

    def chosen_practice(self) -> PracticeSettings:
        return PracticeSettings(
            name=self.practice_name.text(),
            address=self.practice_address.toPlainText(),
            phone=self.practice_phone.text(),
            thresholds={
                status: Threshold(amber.value(), red.value())
                for status, (amber, red) in self.threshold_spins.items()
            },
            calendar_days=tuple(
                int(box.property("weekday")) for box in self.day_boxes if box.isChecked()
            ),
            display=DisplayOptions(
                title=self.display_title.text(),
                chime=self.display_chime.isChecked(),
                history=self.display_history.value(),
            ),
        )

    def save_practice(self) -> None:
        chosen = self.chosen_practice()
        self.practice_button.setEnabled(False)

        def done(saved: PracticeSettings) -> None:
            self.practice_button.setEnabled(True)
            self._show_practice(saved)
            self.practice_feedback.ok(self.tr("Praxiseinstellungen gespeichert."))
            self.practice_saved.emit(saved)

        def refused(error: Exception) -> None:
            self.practice_button.setEnabled(True)
            self.practice_feedback.error(str(error))

        self.ops.run(lambda api: practice.save_settings(api, chosen), self).changes(
            LiveEntity.PRACTICE_SETTINGS
        ).success(done).failure(refused).run()

    def _show_tokens(self, tokens: list[DisplayToken]) -> None:
        self.tokens = tokens
        self.token_list.clear()
        for token in tokens:
            text = token.name + (self.tr(" (widerrufen)") if token.revoked else "")
            item = QListWidgetItem(text, self.token_list)
            item.setData(Qt.ItemDataRole.UserRole, token.id)

    def create_token(self) -> None:
        name = self.token_name.text().strip()
        if not name:
            self.practice_feedback.error(self.tr("Bitte einen Namen für den Zugang eingeben."))
            return

        def work(api: ApiClient) -> tuple[DisplayToken, list[DisplayToken]]:
            created = practice.create_display_token(api, name)
            return created, practice.display_tokens(api)

        def done(result: tuple[DisplayToken, list[DisplayToken]]) -> None:
            created, tokens = result
            self._show_tokens(tokens)
            self.token_name.clear()
            self.new_token.setText(created.token)
            self.new_token.show()
            self.practice_feedback.ok(
                self.tr(
                    "Zugang angelegt. Bitte jetzt am Anzeige-PC eingeben – er wird nicht "
                    "noch einmal angezeigt."
                )
            )

        self.ops.run(work, self).success(done).failure(
            lambda error: self.practice_feedback.error(str(error))
        ).run()

    def revoke_token(self) -> None:
        item = self.token_list.currentItem()
        if item is None:
            return
        token_id = int(item.data(Qt.ItemDataRole.UserRole))

        def work(api: ApiClient) -> list[DisplayToken]:
            practice.revoke_display_token(api, token_id)
            return practice.display_tokens(api)

        self.ops.run(work, self).success(self._show_tokens).failure(
            lambda error: self.practice_feedback.error(str(error))
        ).run()

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.opened:
            self.reload()

    def reload(self) -> None:
        self.opened = True
        if self.loading:
            return
        self.loading = True
        admin = self.is_admin

        def work(api: ApiClient) -> tuple[Any, ...]:
            prefs = practice.get_preferences(api)
            doctors = practice.doctors(api)
            if not admin:
                return prefs, doctors, None, None
            return prefs, doctors, practice.get_settings(api), practice.display_tokens(api)

        def done(result: tuple[Any, ...]) -> None:
            self.loading = False
            prefs, doctors, settings, tokens = result
            self._show_preferences(prefs, doctors)
            if settings is not None:
                self._show_practice(settings)
                self._show_tokens(tokens)
            self.loaded.emit()

        def failed(error: Exception) -> None:
            self.loading = False
            self.preferences_feedback.error(str(error))

        self.ops.run(work, self).success(done).failure(failed).run()

    def _something_changed(self, entity: str) -> None:
        # Another PC saved this user's preferences (or the practice's settings): show them.
        if self.opened and entity in (LiveEntity.USER_PREFERENCES, LiveEntity.PRACTICE_SETTINGS):
            self.reload()
