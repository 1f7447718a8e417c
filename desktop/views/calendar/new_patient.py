"""Create a patient without leaving the appointment dialog: Nachname, Vorname, Geburtsdatum.

The panel takes over what was typed into the patient search (``Maier, Michael 04.03.1977``),
creates the patient through ``desktop.api.patients`` off the UI thread and reports it with
``created``; the server's refusals appear under their fields in German.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import patients
from desktop.api.errors import ConnectionLost
from desktop.ops import Ops
from desktop.theme import RED

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DIGITS_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 04031977, as typed on a number pad


def parse_birth_date(text: str) -> date | None:
    """``4.3.1977``, ``04.03.1977`` or ``04031977``; None for an empty text.

    Raises ``ValueError`` for anything else, including days that do not exist.
    """
    text = text.strip()
    if not text:
        return None
    match = _GERMAN_DATE.match(text) or _DIGITS_DATE.match(text)
    if match is None:
        raise ValueError(text)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def _is_date(word: str) -> bool:
    try:
        return parse_birth_date(word.strip("()")) is not None
    except ValueError:
        return False


def split_typed_name(typed: str) -> tuple[str, str, str]:
    """(last name, first name, birth date text) from what was typed into the search.

    ``Maier, Michael (04.03.1977)`` is the shown form; without a comma the words are read
    as ``Vorname Nachname``; a single word is a last name.
    """
    words = typed.replace(",", " , ").split()
    birth = next((word.strip("()") for word in words if _is_date(word)), "")
    words = [word for word in words if not _is_date(word)]
    if "," in words:
        cut = words.index(",")
        last = " ".join(words[:cut])
        first = " ".join(word for word in words[cut + 1 :] if word != ",")
        return last, first, birth
    if len(words) == 1:
        return words[0], "", birth
    return " ".join(words[-1:]), " ".join(words[:-1]), birth


class KeyCatcher(QObject):
    """Takes the given keys from a widget and calls ``handler`` instead.

    Return/Enter in a line edit would otherwise reach the dialog, which turns it into a click
    on its default button ("Speichern").
    """

    ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def __init__(
        self, target: QWidget, keys: tuple[Qt.Key, ...], handler: Callable[[], None]
    ) -> None:
        super().__init__(target)
        self._keys = keys
        self._handler = handler
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in self._keys
        ):
            self._handler()
            return True
        return False


class NewPatientPanel(QFrame):
    """The inline form; hidden until ``start`` is called."""

    created = Signal(object)  # desktop.api.patients.Patient
    cancelled = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Neuen Patienten anlegen"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel(self.tr("<b>Neuer Patient</b>"))
        layout.addWidget(title)
        form = QFormLayout()
        self.last_name = QLineEdit()
        self.first_name = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("TT.MM.JJJJ"))
        self.errors: dict[str, QLabel] = {}
        for key, text, field in (
            ("last_name", self.tr("Nachna&me:"), self.last_name),
            ("first_name", self.tr("&Vorname:"), self.first_name),
            ("birth_date", self.tr("&Geburtsdatum:"), self.birth_date),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
            error = QLabel()
            error.setStyleSheet(f"color: {RED};")
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            form.addRow(label, field)
            form.addRow(error)
            KeyCatcher(field, KeyCatcher.ENTER, self.submit)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Verwerfen"))
        self.cancel_button.setToolTip(self.tr("Zurück zur Patientensuche"))
        self.create_button = QPushButton(self.tr("Patient an&legen"))
        for button in (self.cancel_button, self.create_button):
            # Enter belongs to the fields (create) and the dialog (save), never to a button
            # that happens to have had focus.
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancel)
        self.create_button.clicked.connect(self.submit)
        self.hide()

    def start(self, typed: str) -> None:
        # A number typed into the search is a patient number, never part of a name.
        last, first, birth = split_typed_name("" if typed.strip().isdigit() else typed)
        self.last_name.setText(last)
        self.first_name.setText(first)
        self.birth_date.setText(birth)
        self._clear_errors()
        self.create_button.setEnabled(True)
        self.show()
        fields = (self.last_name, self.first_name, self.birth_date)
        next((field for field in fields if not field.text().strip()), self.birth_date).setFocus()

    def cancel(self) -> None:
        self.hide()
        self.cancelled.emit()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.message):
            label.clear()
            label.hide()

    def _show_error(self, key: str, text: str) -> None:
        label = self.errors.get(key, self.message)
        label.setText(text)
        label.show()

    def submit(self) -> None:
        if not self.create_button.isEnabled():
            return  # already on its way
        self._clear_errors()
        last_name = self.last_name.text().strip()
        if not last_name:
            self._show_error("last_name", self.tr("Bitte den Nachnamen eingeben."))
            self.last_name.setFocus()
            return
        try:
            birth_date = parse_birth_date(self.birth_date.text())
        except ValueError:
            self._show_error(
                "birth_date", self.tr("Bitte ein gültiges Datum eingeben (TT.MM.JJJJ).")
            )
            self.birth_date.setFocus()
            return
        new = patients.NewPatient(
            last_name=last_name, first_name=self.first_name.text().strip(), birth_date=birth_date
        )
        self.create_button.setEnabled(False)
        self.ops.run(lambda api: patients.create(api, new), self).changes("patient").success(
            self._created
        ).failure(self._failed).run()

    def _created(self, patient: patients.Patient) -> None:
        self.create_button.setEnabled(True)
        self.hide()
        self.created.emit(patient)

    def _failed(self, error: Exception) -> None:
        # What was typed stays, so it can be corrected or sent again.
        self.create_button.setEnabled(True)
        if isinstance(error, patients.PatientRejected) and error.fields:
            for key, text in error.fields.items():
                self._show_error(key, text)
            field = {"last_name": self.last_name, "first_name": self.first_name}.get(
                next(iter(error.fields)), self.birth_date
            )
            field.setFocus()
            return
        if isinstance(error, ConnectionLost):
            self._show_error(
                "",
                self.tr(
                    "Keine Verbindung zum Server. Die Eingaben bleiben erhalten – "
                    "bitte erneut anlegen, sobald die Verbindung wieder besteht."
                ),
            )
            return
        self._show_error("", str(error))
