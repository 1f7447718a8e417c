"""Server error bodies → German sentences a practice assistant understands.

The server keeps the original system's (partly English) error texts for API compatibility;
the desktop translates the ones staff meet and otherwise shows the server's text verbatim.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.i18n import QT_TRANSLATE_NOOP

# lupdate lists ``translate("ApiMessages", "…")`` calls with literal texts; the German texts of
# the tables below are marked where they are written and shown through ``_t``.
translate = QCoreApplication.translate

_KNOWN = {
    "Doctor unavailable.": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Arzt ist zu dieser Zeit nicht verfügbar."
    ),
    "Resource conflict": QT_TRANSLATE_NOOP(
        "ApiMessages", "Ein gewählter Raum oder ein Gerät ist zu dieser Zeit belegt."
    ),
    "Appointment conflict: patient already has an appointment in this time range.": (
        QT_TRANSLATE_NOOP("ApiMessages", "Der Patient hat in diesem Zeitraum bereits einen Termin.")
    ),
    "Scheduling conflicts detected": QT_TRANSLATE_NOOP(
        "ApiMessages", "Terminkonflikt mit einer Operation."
    ),
    "Invalid credentials.": QT_TRANSLATE_NOOP(
        "ApiMessages", "Benutzername oder Passwort ist falsch."
    ),
    "You do not have permission to perform this action.": (
        QT_TRANSLATE_NOOP("ApiMessages", "Für diese Aktion fehlt Ihnen die Berechtigung.")
    ),
    "Setup already completed.": QT_TRANSLATE_NOOP(
        "ApiMessages", "Die Einrichtung wurde bereits abgeschlossen."
    ),
    "This field is required.": QT_TRANSLATE_NOOP("ApiMessages", "Dieses Feld ist erforderlich."),
    "This field may not be blank.": QT_TRANSLATE_NOOP(
        "ApiMessages", "Dieses Feld darf nicht leer sein."
    ),
    "Not found.": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Eintrag wurde nicht gefunden (evtl. inzwischen gelöscht)."
    ),
    "Appointment is referenced by patient flow entries.": (
        QT_TRANSLATE_NOOP(
            "ApiMessages",
            "Der Termin wird im Patientenfluss verwendet und kann nicht gelöscht werden.",
        )
    ),
}

_REASONS = {
    "no_practice_hours": QT_TRANSLATE_NOOP(
        "ApiMessages", "An diesem Wochentag hat die Praxis geschlossen."
    ),
    "outside_practice_hours": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Termin liegt außerhalb der Praxiszeiten."
    ),
    "no_doctor_hours": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Arzt hat an diesem Wochentag keine Sprechzeiten."
    ),
    "outside_doctor_hours": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Termin liegt außerhalb der Sprechzeiten des Arztes."
    ),
    "absence": QT_TRANSLATE_NOOP("ApiMessages", "Der Arzt ist an diesem Tag abwesend."),
    "break": QT_TRANSLATE_NOOP("ApiMessages", "Der Termin überschneidet sich mit einer Pause."),
    "doctor_busy": QT_TRANSLATE_NOOP(
        "ApiMessages", "Der Arzt hat zu dieser Zeit bereits einen Termin."
    ),
}

_FIELDS = {
    "username": QT_TRANSLATE_NOOP("ApiMessages", "Benutzername"),
    "password": QT_TRANSLATE_NOOP("ApiMessages", "Passwort"),
    "patient_id": QT_TRANSLATE_NOOP("ApiMessages", "Patient"),
    "doctor": QT_TRANSLATE_NOOP("ApiMessages", "Arzt"),
    "type": QT_TRANSLATE_NOOP("ApiMessages", "Terminart"),
    "start_time": QT_TRANSLATE_NOOP("ApiMessages", "Beginn"),
    "end_time": QT_TRANSLATE_NOOP("ApiMessages", "Ende"),
    "resource_ids": QT_TRANSLATE_NOOP("ApiMessages", "Ressourcen"),
    "email": QT_TRANSLATE_NOOP("ApiMessages", "E-Mail"),
    "first_name": QT_TRANSLATE_NOOP("ApiMessages", "Vorname"),
    "last_name": QT_TRANSLATE_NOOP("ApiMessages", "Nachname"),
}


def _t(text: str) -> str:
    """A text of the tables above (or a server text we do not know) as shown."""
    return translate("ApiMessages", text)


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
        return translate(
            "ApiMessages", "Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten."
        )
    if status >= 500:
        return translate(
            "ApiMessages", "Der Server hat einen internen Fehler gemeldet. Bitte erneut versuchen."
        )
    if not isinstance(body, dict) or not body:
        return translate(
            "ApiMessages", "Die Anfrage wurde vom Server abgelehnt (Status {0})."
        ).format(status)
    reason = body.get("reason")
    if reason:
        reason_text = _REASONS.get(_text(reason))
        if reason_text:
            return _t(reason_text)
    if "conflicts" in body and isinstance(body["conflicts"], list) and body["conflicts"]:
        first = body["conflicts"][0]
        kind = first.get("type") if isinstance(first, dict) else None
        if kind == "doctor_conflict":
            return translate(
                "ApiMessages", "Der Arzt ist zu dieser Zeit an einer Operation beteiligt."
            )
        if kind == "patient_conflict":
            return translate("ApiMessages", "Der Patient hat zu dieser Zeit eine Operation.")
    for key in ("detail", "non_field_errors"):
        if key in body:
            return _known(_text(body[key]))
    key, value = next(iter(body.items()))
    label = str(_FIELDS.get(key, key))
    return f"{_t(label)}: {_known(_text(value))}"
