"""A record form built from field descriptions, with the server's messages at their fields.

A 400 body is DRF-style (``{"field": ["msg"]}``): each message is shown under the field it
belongs to; ``non_field_errors``, ``detail`` and keys without a field go to the top of the form.
The server keeps the original system's partly English texts; the common ones are translated
here, anything else is shown verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QTime, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import ApiError
from desktop.api.messages import describe_error
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.theme import GREEN, RED

WEEKDAYS = (
    QT_TRANSLATE_NOOP("Calendar", "Montag"),
    QT_TRANSLATE_NOOP("Calendar", "Dienstag"),
    QT_TRANSLATE_NOOP("Calendar", "Mittwoch"),
    QT_TRANSLATE_NOOP("Calendar", "Donnerstag"),
    QT_TRANSLATE_NOOP("Calendar", "Freitag"),
    QT_TRANSLATE_NOOP("Calendar", "Samstag"),
    QT_TRANSLATE_NOOP("Calendar", "Sonntag"),
)
WEEKDAYS_SHORT = (
    QT_TRANSLATE_NOOP("Calendar", "Mo"),
    QT_TRANSLATE_NOOP("Calendar", "Di"),
    QT_TRANSLATE_NOOP("Calendar", "Mi"),
    QT_TRANSLATE_NOOP("Calendar", "Do"),
    QT_TRANSLATE_NOOP("Calendar", "Fr"),
    QT_TRANSLATE_NOOP("Calendar", "Sa"),
    QT_TRANSLATE_NOOP("Calendar", "So"),
)


def weekday_name(index: int, *, short: bool = False) -> str:
    """Monday = 0, as shown ("Montag", short "Mo")."""
    return QCoreApplication.translate("Calendar", (WEEKDAYS_SHORT if short else WEEKDAYS)[index])


ERROR_STYLE = f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
OK_STYLE = f"color: {GREEN}; background: #E8F5E9; border: 1px solid #C8E6C9; padding: 6px;"

_MESSAGES = {
    "This field is required.": QT_TRANSLATE_NOOP("ServerMessages", "Dieses Feld ist erforderlich."),
    "This field may not be blank.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Dieses Feld darf nicht leer sein."
    ),
    "This field may not be null.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Dieses Feld darf nicht leer sein."
    ),
    "A valid integer is required.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Bitte eine ganze Zahl eingeben."
    ),
    "Invalid email address.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Bitte eine gültige E-Mail-Adresse eingeben."
    ),
    "Enter a valid email address.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Bitte eine gültige E-Mail-Adresse eingeben."
    ),
    "Patient with this id already exists.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Diese Patientennummer ist bereits vergeben."
    ),
    "id must be a positive integer.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Die Patientennummer muss eine positive Zahl sein."
    ),
    "id cannot be changed.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Die Patientennummer kann nicht geändert werden."
    ),
    "birth_date darf nicht in der Zukunft liegen.": (
        QT_TRANSLATE_NOOP("ServerMessages", "Das Geburtsdatum darf nicht in der Zukunft liegen.")
    ),
    "duration_minutes muss > 0 sein.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Die Dauer muss größer als 0 sein."
    ),
    "A user with that username already exists.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Dieser Benutzername ist bereits vergeben."
    ),
    "A user with this email already exists.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Diese E-Mail-Adresse ist bereits vergeben."
    ),
    "Enter a valid hex color (#RRGGBB).": QT_TRANSLATE_NOOP(
        "ServerMessages", "Bitte eine Farbe im Format #RRGGBB eingeben."
    ),
    'Der Arzt muss die Rolle "doctor" haben.': QT_TRANSLATE_NOOP(
        "ServerMessages", "Der gewählte Benutzer ist kein Arzt."
    ),
    "The fields doctor, weekday, start_time, end_time, active must make a unique set.": (
        QT_TRANSLATE_NOOP(
            "ServerMessages", "Diese Sprechzeit ist für den Arzt bereits eingetragen."
        )
    ),
    "You cannot deactivate your own account.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Sie können Ihr eigenes Konto nicht deaktivieren."
    ),
    "You cannot change your own role.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Sie können Ihre eigene Rolle nicht ändern."
    ),
    "Appointment type is in use; deactivate it instead.": (
        QT_TRANSLATE_NOOP(
            "ServerMessages",
            "Die Terminart wird von Terminen verwendet. Bitte stattdessen deaktivieren.",
        )
    ),
    "Operation type is in use; deactivate it instead.": (
        QT_TRANSLATE_NOOP(
            "ServerMessages",
            "Die OP-Art wird von Operationen verwendet. Bitte stattdessen deaktivieren.",
        )
    ),
    "Resource is in use; deactivate it instead.": (
        QT_TRANSLATE_NOOP(
            "ServerMessages", "Die Ressource ist verplant. Bitte stattdessen deaktivieren."
        )
    ),
    'op_capable ist nur für Ressourcen mit type="room" möglich.': QT_TRANSLATE_NOOP(
        "ServerMessages", "Nur ein Raum kann ein OP-Saal sein."
    ),
    "Must be a valid boolean.": QT_TRANSLATE_NOOP("ServerMessages", "Bitte ja oder nein wählen."),
    "Null characters are not allowed.": QT_TRANSLATE_NOOP(
        "ServerMessages", "Der Text enthält unzulässige Zeichen."
    ),
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.": (
        QT_TRANSLATE_NOOP("ServerMessages", "Bitte ein gültiges Datum eingeben.")
    ),
    "Invalid page.": QT_TRANSLATE_NOOP("ServerMessages", "Diese Seite gibt es nicht (mehr)."),
}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"Ensure this field has no more than (\d+) characters\."),
        QT_TRANSLATE_NOOP("ServerMessages", "Höchstens {0} Zeichen."),
    ),
    (
        re.compile(r"Ensure this field has at least (\d+) characters\."),
        QT_TRANSLATE_NOOP("ServerMessages", "Mindestens {0} Zeichen."),
    ),
    (
        re.compile(r"Ensure this value is less than or equal to (\d+)\."),
        QT_TRANSLATE_NOOP("ServerMessages", "Der Wert darf höchstens {0} sein."),
    ),
    (
        re.compile(r"Ensure this value is greater than or equal to (\d+)\."),
        QT_TRANSLATE_NOOP("ServerMessages", "Der Wert muss mindestens {0} sein."),
    ),
    (
        re.compile(r"Enter a valid username\..*"),
        QT_TRANSLATE_NOOP("ServerMessages", "Nur Buchstaben, Ziffern und @ . + - _ erlaubt."),
    ),
    (re.compile(r'Unknown role ".*"\.'), QT_TRANSLATE_NOOP("ServerMessages", "Unbekannte Rolle.")),
    (
        re.compile(r'".*" is not a valid choice\.'),
        QT_TRANSLATE_NOOP("ServerMessages", "Ungültige Auswahl."),
    ),
    (
        re.compile(r'Invalid pk ".*" - object does not exist\.'),
        QT_TRANSLATE_NOOP("ServerMessages", "Der Eintrag existiert nicht."),
    ),
    (
        re.compile(r"\w+ must be in format YYYY-MM-DD\."),
        QT_TRANSLATE_NOOP("ServerMessages", "Bitte ein gültiges Datum eingeben."),
    ),
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ServerMessages", text)


def german(message: Any) -> str:
    """One server message (or the first of a list) in German."""
    if isinstance(message, list):
        return " ".join(german(m) for m in message)
    if isinstance(message, dict):
        return " ".join(german(m) for m in message.values())
    text = str(message)
    if text in _MESSAGES:
        return _tr(_MESSAGES[text])
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _tr(template).format(*match.groups())
    return describe_error(400, {"detail": text})


def failure_text(error: Exception) -> str:
    """A whole failure as one German sentence (403, 404, 409, connection …)."""
    if isinstance(error, ApiError) and isinstance(error.body, dict):
        detail = error.body.get("detail")
        if error.status in (400, 409) and detail:
            return german(detail)
    return str(error)


@dataclass(frozen=True)
class Field:
    """One form field. ``kind``: text, password, int, optional_int, optional_number (typed,
    empty = null), bool, date, optional_date, time, weekday, color, choice, doctor."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[Any, str], ...] = ()
    default: Any = None
    minimum: int = 0
    maximum: int = 1440
    suffix: str = ""
    placeholder: str = ""
    none_label: str = ""  # doctor/choice: an extra first entry meaning null
    create_only: bool = False
    read_only_on_edit: bool = False
    #: (key, value): the field is shown, and sent, only while field ``key`` has ``value``
    #: (a room's "OP-Saal" box means nothing for a device).
    shown_when: tuple[str, Any] | None = None


def parse_german_date(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            from datetime import datetime

            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def german_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return value


class RecordForm(QWidget):
    """Widgets for ``fields``; ``values()`` gives the JSON body, ``show_errors`` the verdict."""

    edited = Signal()

    def __init__(self, fields: Iterable[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        self.creating = True
        self._loading = False
        #: The values as loaded: the form is modified when what it shows differs from them.
        self._baseline: dict[str, Any] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.top_message = QLabel()
        self.top_message.setWordWrap(True)
        self.top_message.setAccessibleName(self.tr("Meldung"))
        self.top_message.hide()
        outer.addWidget(self.top_message)
        self.layout_form = QFormLayout()
        self.layout_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_form.setVerticalSpacing(6)
        outer.addLayout(self.layout_form)
        outer.addStretch(1)
        for spec in self.fields:
            widget = self._make(spec)
            widget.setAccessibleName(spec.label)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {RED}; font-size: 9pt;")
            error.setAccessibleName(self.tr("Fehler bei {0}").format(spec.label))
            error.hide()
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget if spec.kind != "color" else self._color_row(widget))
            box.addWidget(error)
            self.layout_form.addRow(spec.label + ":", cell)
            self.widgets[spec.key] = widget
            self.errors[spec.key] = error
            self.rows[spec.key] = cell
        for spec in self.fields:
            if spec.shown_when is not None:
                self._connect_change(self.widgets[spec.shown_when[0]], self._sync_shown)

    # -- widgets ----------------------------------------------------------------------------

    def _make(self, spec: Field) -> QWidget:
        kind = spec.kind
        if kind in ("text", "password", "optional_date", "color", "optional_number"):
            line = QLineEdit()
            if kind == "password":
                line.setEchoMode(QLineEdit.EchoMode.Password)
            if kind == "optional_date":
                line.setPlaceholderText(spec.placeholder or self.tr("TT.MM.JJJJ"))
            elif spec.placeholder:
                line.setPlaceholderText(spec.placeholder)
            line.textEdited.connect(self._edited)
            return line
        if kind in ("int", "optional_int"):
            spin = QSpinBox()
            spin.setRange(spec.minimum - (1 if kind == "optional_int" else 0), spec.maximum)
            if kind == "optional_int":
                spin.setSpecialValueText(self.tr("–"))
            if spec.suffix:
                spin.setSuffix(spec.suffix)
            spin.valueChanged.connect(self._edited)
            return spin
        if kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._edited)
            return box
        if kind == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(self._edited)
            return edit
        if kind == "time":
            edit_t = QTimeEdit()
            edit_t.setDisplayFormat("HH:mm")
            edit_t.timeChanged.connect(self._edited)
            return edit_t
        combo = QComboBox()
        if kind == "weekday":
            for number in range(len(WEEKDAYS)):
                combo.addItem(weekday_name(number), number)
        else:
            self._fill_choices(combo, spec, spec.choices)
        combo.currentIndexChanged.connect(self._edited)
        return combo

    @staticmethod
    def _connect_change(widget: QWidget, slot: Any) -> None:
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(slot)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(slot)
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(slot)

    def _shown(self, spec: Field) -> bool:
        if spec.create_only and not self.creating:
            return False
        if spec.shown_when is None:
            return True
        key, wanted = spec.shown_when
        return bool(self.value(key) == wanted)

    def _sync_shown(self, *_: Any) -> None:
        for spec in self.fields:
            if spec.shown_when is not None:
                self.layout_form.setRowVisible(self.rows[spec.key], self._shown(spec))

    def _fill_choices(
        self, combo: QComboBox, spec: Field, choices: Iterable[tuple[Any, str]]
    ) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if spec.none_label:
            combo.addItem(spec.none_label, None)
        for value, label in choices:
            combo.addItem(label, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _color_row(self, line: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        swatch = QToolButton()
        swatch.setToolTip(self.tr("Farbe wählen …"))
        swatch.setAccessibleName(self.tr("Farbe wählen"))
        swatch.setFixedWidth(28)
        assert isinstance(line, QLineEdit)

        def paint() -> None:
            color = QColor(line.text().strip())
            swatch.setStyleSheet(
                f"background: {color.name() if color.isValid() else 'transparent'};"
                " border: 1px solid #B0B8C1; border-radius: 3px;"
            )

        def choose() -> None:
            picked = QColorDialog.getColor(QColor(line.text().strip()), self)
            if picked.isValid():
                line.setText(picked.name().upper())
                self._edited()

        line.textChanged.connect(paint)
        swatch.clicked.connect(choose)
        layout.addWidget(line, 1)
        layout.addWidget(swatch)
        paint()
        return row

    def set_choices(self, key: str, choices: Iterable[tuple[Any, str]]) -> None:
        """Replace a choice/doctor field's entries, keeping the selection where possible."""
        spec = next(f for f in self.fields if f.key == key)
        widget = self.widgets[key]
        assert isinstance(widget, QComboBox)
        untouched = self.value(key) == self._baseline.get(key)
        self._fill_choices(widget, spec, choices)
        if untouched:  # new entries moving an untouched selection are not an edit
            self._baseline[key] = self.value(key)

    def _edited(self, *_: Any) -> None:
        if not self._loading:
            self.edited.emit()

    # -- values -----------------------------------------------------------------------------

    def load(self, record: dict[str, Any] | None) -> None:
        """Show ``record`` (None: an empty form for a new one)."""
        self._loading = True
        self.creating = record is None
        self.clear_errors()
        for spec in self.fields:
            value = record.get(spec.key) if record is not None else spec.default
            self._set(spec, value)
            self.widgets[spec.key].setEnabled(
                self._writable and not (spec.read_only_on_edit and record is not None)
            )
        # After every value is set: a conditional row depends on another field's value.
        for spec in self.fields:
            self.layout_form.setRowVisible(self.rows[spec.key], self._shown(spec))
        self._baseline = self.values()
        self._loading = False

    def is_modified(self) -> bool:
        """Whether the form shows anything other than what was loaded (typing a value and
        then restoring it is no change)."""
        return self.values() != self._baseline

    _writable = True

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        for spec in self.fields:
            self.widgets[spec.key].setEnabled(
                writable and not (spec.read_only_on_edit and not self.creating)
            )

    def _set(self, spec: Field, value: Any) -> None:
        widget = self.widgets[spec.key]
        if isinstance(widget, QLineEdit):
            if spec.kind == "optional_date":
                widget.setText(german_date(value))
            else:
                widget.setText("" if value is None else str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(widget.minimum() if value is None else int(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QDateEdit):
            day = date.fromisoformat(str(value)[:10]) if value else date.today()
            widget.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(widget, QTimeEdit):
            clock = time.fromisoformat(str(value)) if value else time(8)
            widget.setTime(QTime(clock.hour, clock.minute))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and value not in (None, ""):
                widget.addItem(str(value), value)  # e.g. a free-text value we do not know
                index = widget.count() - 1
            widget.setCurrentIndex(max(index, 0))

    def value(self, key: str) -> Any:
        spec = next(f for f in self.fields if f.key == key)
        widget = self.widgets[key]
        if isinstance(widget, QLineEdit):
            text = widget.text().strip()
            if spec.kind == "optional_date":
                if not text:
                    return None
                parsed = parse_german_date(text)
                return parsed.isoformat() if parsed else text  # the server names the error
            if spec.kind == "optional_number":
                return int(text) if text.isdigit() else (text or None)
            return text
        if isinstance(widget, QSpinBox):
            if spec.kind == "optional_int" and widget.value() == widget.minimum():
                return None
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QDateEdit):
            return widget.date().toString("yyyy-MM-dd")
        if isinstance(widget, QTimeEdit):
            return widget.time().toString("HH:mm") + ":00"
        if isinstance(widget, QComboBox):
            return widget.currentData()
        return None

    def values(self) -> dict[str, Any]:
        return {
            spec.key: self.value(spec.key)
            for spec in self.fields
            if self.layout_form.isRowVisible(self.rows[spec.key])
        }

    # -- messages ---------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.top_message.hide()

    def show_message(self, text: str, *, ok: bool = False) -> None:
        self.top_message.setText(text)
        self.top_message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.top_message.show()

    def show_failure(self, error: Exception) -> None:
        """A refused save: field messages at their fields, the rest at the top."""
        self.clear_errors()
        if isinstance(error, ApiError) and error.status == 400 and isinstance(error.body, dict):
            self.show_errors(error.body)
        else:
            self.show_message(failure_text(error))

    def show_errors(self, body: dict[str, Any]) -> None:
        top: list[str] = []
        for key, message in body.items():
            label = self.errors.get(key)
            if label is not None and self.layout_form.isRowVisible(self.rows[key]):
                label.setText(german(message))
                label.show()
            elif key in ("non_field_errors", "detail"):
                top.append(german(message))
            else:
                top.append(f"{key}: {german(message)}")
        if top:
            self.show_message("\n".join(top))
        elif body:
            first = next(k for k in body if k in self.widgets)
            self.widgets[first].setFocus()

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if label.isVisible() or label.text() else ""
