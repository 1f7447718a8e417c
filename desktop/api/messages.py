"""Server error bodies → German sentences a practice assistant understands.

The server keeps the original system's (partly English) error texts for API compatibility;
the desktop translates the ones staff meet and otherwise shows the server's text verbatim.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

_KNOWN = {
    "Doctor unavailable.": "Der Arzt ist zu dieser Zeit nicht verfügbar.",
    "Resource conflict": "Ein gewählter Raum oder ein Gerät ist zu dieser Zeit belegt.",
    "Appointment conflict: patient already has an appointment in this time range.": (
        "Der Patient hat in diesem Zeitraum bereits einen Termin."
    ),
    "Scheduling conflicts detected": "Terminkonflikt mit einer Operation.",
    "Invalid credentials.": "Benutzername oder Passwort ist falsch.",
    "You do not have permission to perform this action.": (
        "Für diese Aktion fehlt Ihnen die Berechtigung."
    ),
    "Setup already completed.": "Die Einrichtung wurde bereits abgeschlossen.",
    "This field is required.": "Dieses Feld ist erforderlich.",
    "This field may not be blank.": "Dieses Feld darf nicht leer sein.",
    "Not found.": "Der Eintrag wurde nicht gefunden (evtl. inzwischen gelöscht).",
    "Appointment is referenced by patient flow entries.": (
        "Der Termin wird im Patientenfluss verwendet und kann nicht gelöscht werden."
    ),
}

_REASONS = {
    "no_practice_hours": "An diesem Wochentag hat die Praxis geschlossen.",
    "outside_practice_hours": "Der Termin liegt außerhalb der Praxiszeiten.",
    "no_doctor_hours": "Der Arzt hat an diesem Wochentag keine Sprechzeiten.",
    "outside_doctor_hours": "Der Termin liegt außerhalb der Sprechzeiten des Arztes.",
    "absence": "Der Arzt ist an diesem Tag abwesend.",
    "break": "Der Termin überschneidet sich mit einer Pause.",
    "doctor_busy": "Der Arzt hat zu dieser Zeit bereits einen Termin.",
}

_FIELDS = {
    "username": "Benutzername",
    "password": "Passwort",
    "patient_id": "Patient",
    "doctor": "Arzt",
    "type": "Terminart",
    "start_time": "Beginn",
    "end_time": "Ende",
    "resource_ids": "Ressourcen",
    "email": "E-Mail",
    "first_name": "Vorname",
    "last_name": "Nachname",
}


def _t(text: str) -> str:
    return QCoreApplication.translate("ApiMessages", text)


def _text(value: Any) -> str:
    """First message of a DRF-style value (string, list or nested dict)."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(next(iter(value.values()))) if value else ""
    return str(value)


def _known(text: str) -> str:
    return _t(_KNOWN.get(text, text))


def describe_error(status: int, body: Any) -> str:
    """One or two German sentences for an error response."""
    if status == 403:
        detail = body.get("detail") if isinstance(body, dict) else None
        return (
            _known(str(detail))
            if detail
            else _known("You do not have permission to perform this action.")
        )
    if status == 404:
        return _known("Not found.")
    if status == 429:
        return _t("Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten.")
    if status >= 500:
        return _t("Der Server hat einen internen Fehler gemeldet. Bitte erneut versuchen.")
    if not isinstance(body, dict) or not body:
        return _t("Die Anfrage wurde vom Server abgelehnt (Status {0}).").format(status)
    reason = body.get("reason")
    if reason:
        reason_text = _REASONS.get(_text(reason))
        if reason_text:
            return _t(reason_text)
    if "conflicts" in body and isinstance(body["conflicts"], list) and body["conflicts"]:
        first = body["conflicts"][0]
        kind = first.get("type") if isinstance(first, dict) else None
        if kind == "doctor_conflict":
            return _t("Der Arzt ist zu dieser Zeit an einer Operation beteiligt.")
        if kind == "patient_conflict":
            return _t("Der Patient hat zu dieser Zeit eine Operation.")
    for key in ("detail", "non_field_errors"):
        if key in body:
            return _known(_text(body[key]))
    key, value = next(iter(body.items()))
    label = str(_FIELDS.get(key, key))
    return f"{_t(label)}: {_known(_text(value))}"
