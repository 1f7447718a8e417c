"""Kalender abonnieren: create, copy and revoke the secret URL of a doctor's calendar feed.

A doctor manages their own subscription; an admin picks any doctor. The server keeps only a
hash of the URL's token, so the URL is shown just once, right after it was created; later the
dialog says since when a subscription is live and offers a new URL (which replaces the old
one) or revoking it. Every call runs through ``desktop.ops``; questions are message boxes
opened without a modal loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import calendar_feeds
from desktop.api.calendar_feeds import Doctor, Feed, FeedSettings, NewFeed
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import GREEN, RED
from desktop.views.master_data.form import failure_text
from desktop.views.reminders.common import ask
from shared.domain.events import LiveEntity

ADMIN = "admin"


class CalendarFeedDialog(QDialog):
    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.feed: Feed | None = None
        self.url = ""
        self._busy = False
        self.setWindowTitle(self.tr("Kalender abonnieren"))
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Mit dieser Adresse zeigen Outlook, das Smartphone oder ein anderes "
                "Kalenderprogramm die Termine und OPs der nächsten Wochen an. Die Termine "
                "nennen keine Patientennamen (höchstens Initialen, wenn die Praxis das "
                "eingeschaltet hat). Die Adresse ist geheim: Wer sie kennt, sieht die "
                "Termine, bis sie widerrufen wird."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.doctor_box = QComboBox()
        self.doctor_box.setAccessibleName(self.tr("Ärztin / Arzt"))
        self.doctor_label = QLabel(self.user.display_name)
        if self.is_admin:
            form.addRow(self.tr("Ärztin / Arzt"), self.doctor_box)
            self.doctor_box.currentIndexChanged.connect(lambda _: self.reload())
        else:
            form.addRow(self.tr("Ärztin / Arzt"), self.doctor_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        form.addRow(self.tr("Abo"), self.status_label)
        self.url_edit = QLineEdit()
        self.url_edit.setReadOnly(True)
        self.url_edit.setAccessibleName(self.tr("Adresse des Kalenders"))
        self.url_edit.setPlaceholderText(
            self.tr("Die Adresse wird nur direkt nach dem Erzeugen angezeigt.")
        )
        form.addRow(self.tr("Adresse"), self.url_edit)
        # The practice-wide switch (admins): patients' initials in every feed, else nothing.
        self.initials_box = QCheckBox(
            self.tr("Initialen der Patienten zeigen (alle Abos der Praxis)"), self
        )
        self.initials_box.setEnabled(False)
        self.initials_box.clicked.connect(self.set_initials)
        if self.is_admin:
            form.addRow("", self.initials_box)
        else:
            self.initials_box.hide()
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.create_button = QPushButton(self.tr("Adresse erzeugen"))
        self.copy_button = QPushButton(self.tr("Kopieren"))
        self.revoke_button = QPushButton(self.tr("Widerrufen"))
        self.close_button = QPushButton(self.tr("Schließen"))
        for button in (self.create_button, self.copy_button, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.create_button.clicked.connect(self.ask_create)
        self.copy_button.clicked.connect(self.copy)
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.close_button.clicked.connect(self.accept)
        self._show_state()
        if self.is_admin:
            self._run(
                lambda api: (calendar_feeds.doctors(api), calendar_feeds.feed_settings(api)),
                self._show_doctors,
            )
        else:
            self.reload()

    @property
    def is_admin(self) -> bool:
        return self.user.role == ADMIN

    @property
    def doctor_id(self) -> int | None:
        if not self.is_admin:
            return self.user.id
        value = self.doctor_box.currentData()
        return int(value) if value is not None else None

    # -- loading --------------------------------------------------------------------------

    def _run(self, work: Callable[[Any], Any], then: Callable[[Any], None]) -> None:
        self._busy = True
        self._show_state()

        def done(result: Any) -> None:
            self._busy = False
            then(result)
            self._show_state()

        def failed(error: Exception) -> None:
            self._busy = False
            self._say(failure_text(error), ok=False)
            self._show_state()

        self.ops.run(work, self).success(done).failure(failed).run()

    def _show_doctors(self, loaded: tuple[list[Doctor], FeedSettings]) -> None:
        doctors, settings = loaded
        self._show_settings(settings)
        self.doctor_box.blockSignals(True)
        self.doctor_box.clear()
        for doctor in doctors:
            self.doctor_box.addItem(doctor.name, doctor.id)
        self.doctor_box.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        doctor_id = self.doctor_id
        self.feed, self.url = None, ""
        self.url_edit.clear()
        if doctor_id is None:
            self._show_state()
            return
        self._run(lambda api: calendar_feeds.doctor_feed(api, doctor_id), self._show_feed)

    def _show_feed(self, feed: Feed | None) -> None:
        self.feed = feed

    def _show_state(self) -> None:
        if self.feed is None:
            self.status_label.setText(self.tr("Kein Abo eingerichtet."))
            self.create_button.setText(self.tr("Adresse erzeugen"))
        else:
            when = self.feed.created_at
            text = self.tr("Eingerichtet am {0} um {1} Uhr").format(
                when.strftime("%d.%m.%Y") if when else "–", when.strftime("%H:%M") if when else "–"
            )
            if self.feed.created_by_name:
                text += self.tr(" von {0}").format(self.feed.created_by_name)
            self.status_label.setText(text + ".")
            self.create_button.setText(self.tr("Neue Adresse erzeugen"))
        ready = not self._busy and self.doctor_id is not None
        self.create_button.setEnabled(ready)
        self.revoke_button.setEnabled(ready and self.feed is not None)
        self.copy_button.setEnabled(bool(self.url))
        self.doctor_box.setEnabled(not self._busy)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {GREEN if ok else RED};")

    def _show_settings(self, settings: FeedSettings) -> None:
        self.initials_box.setChecked(settings.show_patient_initials)
        self.initials_box.setEnabled(True)

    # -- actions --------------------------------------------------------------------------

    def set_initials(self, show: bool) -> None:
        self.initials_box.setEnabled(False)

        def done(settings: FeedSettings) -> None:
            self._show_settings(settings)
            self._say(
                self.tr("Alle Abos zeigen jetzt die Initialen der Patienten.")
                if settings.show_patient_initials
                else self.tr("Die Abos zeigen keine Patientendaten mehr."),
                ok=True,
            )

        def failed(error: Exception) -> None:
            self.initials_box.setChecked(not show)
            self.initials_box.setEnabled(True)
            self._say(failure_text(error), ok=False)

        self.ops.run(lambda api: calendar_feeds.set_show_patient_initials(api, show), self).changes(
            LiveEntity.CALENDAR_FEED_SETTINGS
        ).success(done).failure(failed).run()

    def ask_create(self) -> None:
        if self.feed is None:
            self.create_url()
            return
        ask(
            self,
            self.tr("Neue Adresse erzeugen"),
            self.tr(
                "Die bisherige Adresse funktioniert danach nicht mehr; abonnierte Kalender "
                "müssen die neue Adresse erhalten."
            ),
            self.tr("Neue Adresse erzeugen"),
            self.create_url,
        )

    def create_url(self) -> None:
        doctor_id = self.doctor_id
        if doctor_id is None:
            return
        self._say("", ok=True)
        self._run(lambda api: calendar_feeds.create_for_doctor(api, doctor_id), self._created)

    def _created(self, created: NewFeed) -> None:
        self.feed, self.url = created.feed, created.url
        self.url_edit.setText(created.url)
        QGuiApplication.clipboard().setText(created.url)
        self._say(
            self.tr(
                "Adresse erzeugt und in die Zwischenablage kopiert. Fügen Sie sie in Ihrem "
                "Kalender unter „Kalender abonnieren“ (Internetkalender) ein."
            ),
            ok=True,
        )

    def copy(self) -> None:
        if self.url:
            QGuiApplication.clipboard().setText(self.url)
            self._say(self.tr("Adresse in die Zwischenablage kopiert."), ok=True)

    def ask_revoke(self) -> None:
        if self.feed is None:
            return
        ask(
            self,
            self.tr("Abo widerrufen"),
            self.tr("Die Adresse funktioniert danach nicht mehr. Abo widerrufen?"),
            self.tr("Widerrufen"),
            self.revoke,
        )

    def revoke(self) -> None:
        feed = self.feed
        if feed is None:
            return
        self._run(lambda api: calendar_feeds.revoke(api, feed.id), self._revoked)

    def _revoked(self, _: None) -> None:
        self.feed, self.url = None, ""
        self.url_edit.clear()
        self._say(self.tr("Abo widerrufen. Die Adresse funktioniert nicht mehr."), ok=True)
