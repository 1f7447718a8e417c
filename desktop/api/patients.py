"""Patients over the API (02 §1, docs/patients-search.md), as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
patients.search(api, text), self)``), never on the UI thread. Views get :class:`Patient`
objects and German messages, never URLs or JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.i18n import QT_TRANSLATE_NOOP

SEARCH_PATH = "/api/patients/search/"
LIST_PATH = "/api/patients/"
# The server refuses longer search texts (docs/patients-search.md); a longer text is cut
# here, since nobody types a 200-character name and the first 200 already narrow it down.
MAX_SEARCH_LENGTH = 200

# The catalogue context of this module's texts (lupdate needs it written out at each text).
_CONTEXT = "PatientsApi"
translate = QCoreApplication.translate


@dataclass(frozen=True)
class Patient:
    """A patient's read representation (02 §1.1), the fields the desktop shows."""

    id: int
    first_name: str
    last_name: str
    birth_date: date | None
    insurance_number: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def name(self) -> str:
        """``"Maier, Michael"``; one part alone when the other is empty."""
        return ", ".join(part for part in (self.last_name, self.first_name) if part)

    @property
    def display_name(self) -> str:
        """As the server names patients (02 §1.1): ``"Maier, Michael (04.03.1977)"``."""
        if not self.name:
            return translate("PatientsApi", "Patient #{0}").format(self.id)
        if self.birth_date is None:
            return self.name
        return f"{self.name} ({self.birth_date:%d.%m.%Y})"


@dataclass(frozen=True)
class NewPatient:
    """What the front desk types to create a patient; the server assigns the number."""

    last_name: str
    first_name: str
    birth_date: date | None = None


class PatientRejected(ApiError):
    """The server refused a patient (400); ``fields`` holds one German message per field."""

    def __init__(self, status: int, body: Any, method: str = "", path: str = "") -> None:
        super().__init__(status, body, method, path)
        self.fields: dict[str, str] = {}
        if isinstance(body, dict):
            for key, value in body.items():
                messages = value if isinstance(value, list) else [value]
                if messages:
                    self.fields[str(key)] = german_message(str(messages[0]))

    def __str__(self) -> str:
        if not self.fields:
            return super().__str__()
        return " ".join(
            f"{translate(_CONTEXT, _FIELD_NAMES.get(key, key))}: {text}"
            for key, text in self.fields.items()
        )


_FIELD_NAMES = {
    "first_name": QT_TRANSLATE_NOOP("PatientsApi", "Vorname"),
    "last_name": QT_TRANSLATE_NOOP("PatientsApi", "Nachname"),
    "birth_date": QT_TRANSLATE_NOOP("PatientsApi", "Geburtsdatum"),
    "insurance_number": QT_TRANSLATE_NOOP("PatientsApi", "Versichertennummer"),
    "phone": QT_TRANSLATE_NOOP("PatientsApi", "Telefon"),
    "email": QT_TRANSLATE_NOOP("PatientsApi", "E-Mail"),
    "gender": QT_TRANSLATE_NOOP("PatientsApi", "Geschlecht"),
    "id": QT_TRANSLATE_NOOP("PatientsApi", "Patientennummer"),
}

# The server keeps the original system's texts (02 §1.3); these are the ones a patient form
# can meet, in the words of the front desk.
_MESSAGES = {
    "birth_date darf nicht in der Zukunft liegen.": QT_TRANSLATE_NOOP(
        "PatientsApi", "Das Geburtsdatum darf nicht in der Zukunft liegen."
    ),
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.": QT_TRANSLATE_NOOP(
        "PatientsApi", "Bitte ein gültiges Datum eingeben (TT.MM.JJJJ)."
    ),
    "Invalid email address.": QT_TRANSLATE_NOOP("PatientsApi", "Die E-Mail-Adresse ist ungültig."),
    "This field may not be null.": QT_TRANSLATE_NOOP("PatientsApi", "Bitte ausfüllen."),
    "This field is required.": QT_TRANSLATE_NOOP("PatientsApi", "Bitte ausfüllen."),
    "Null characters are not allowed.": QT_TRANSLATE_NOOP(
        "PatientsApi", "Der Text enthält ein unzulässiges Steuerzeichen."
    ),
    "Patient with this id already exists.": QT_TRANSLATE_NOOP(
        "PatientsApi", "Diese Patientennummer ist bereits vergeben."
    ),
}
_TOO_LONG = re.compile(r"^Ensure this field has no more than (\d+) characters\.$")


def german_message(server_text: str) -> str:
    """A server validation text as the front desk reads it; unknown texts stay verbatim."""
    too_long = _TOO_LONG.match(server_text)
    if too_long:
        return translate("PatientsApi", "Höchstens {0} Zeichen.").format(too_long.group(1))
    known = _MESSAGES.get(server_text)
    return translate(_CONTEXT, known) if known else server_text


def _patient(row: dict[str, Any]) -> Patient:
    birth = row.get("birth_date")
    return Patient(
        id=int(row["id"]),
        first_name=str(row.get("first_name") or ""),
        last_name=str(row.get("last_name") or ""),
        birth_date=date.fromisoformat(birth) if birth else None,
        insurance_number=row.get("insurance_number"),
        phone=row.get("phone"),
        email=row.get("email"),
    )


def search(api: ApiClient, text: str) -> list[Patient]:
    """The server's matches for what was typed (name, "Nachname, Vorname", birth date,
    insurance or patient number; umlauts either way), in name order; at most 20."""
    rows = api.get(SEARCH_PATH, q=text.strip()[:MAX_SEARCH_LENGTH])
    return [_patient(row) for row in rows]


def create(api: ApiClient, new: NewPatient) -> Patient:
    """Creates the patient; raises :class:`PatientRejected` when the server refuses it."""
    body = {
        "last_name": new.last_name,
        "first_name": new.first_name,
        "birth_date": new.birth_date.isoformat() if new.birth_date else None,
    }
    try:
        row = api.post(LIST_PATH, body)
    except ApiError as exc:
        if exc.status == 400:
            raise PatientRejected(exc.status, exc.body, exc.method, exc.path) from exc
        raise
    return _patient(row)
