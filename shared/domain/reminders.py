"""Appointment reminders (issue 19, docs/reminders.md): the values the server stores and
sends and the desktop shows, shared so that both sides spell them the same way.

Pure data: no I/O. The server renders templates with :func:`render_template`; the desktop may
use :func:`template_problems` to check a template before saving it.
"""

from __future__ import annotations

import string
from enum import StrEnum

__all__ = [
    "PLACEHOLDERS",
    "PLACEHOLDER_LABELS",
    "ReminderChannel",
    "ReminderStatus",
    "WithdrawReason",
    "render_template",
    "template_problems",
]


class ReminderStatus(StrEnum):
    """Where a reminder is: planned → sent | failed, or withdrawn before it was sent."""

    PLANNED = "planned"
    SENT = "sent"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The German word the practice sees."""
        return _STATUS_LABELS[self]

    @property
    def final(self) -> bool:
        """Whether nothing will happen to this reminder any more."""
        return self is not ReminderStatus.PLANNED


_STATUS_LABELS = {
    ReminderStatus.PLANNED: "geplant",
    ReminderStatus.SENT: "gesendet",
    ReminderStatus.FAILED: "fehlgeschlagen",
    ReminderStatus.WITHDRAWN: "zurückgezogen",
}


class ReminderChannel(StrEnum):
    """How a reminder reaches the patient; consent is recorded per channel."""

    EMAIL = "email"
    SMS = "sms"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {ReminderChannel.EMAIL: "E-Mail", ReminderChannel.SMS: "SMS"}


class WithdrawReason(StrEnum):
    """Why a planned reminder was withdrawn."""

    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    DELETED = "deleted"
    COMPLETED = "completed"
    CONSENT = "consent"
    RULE = "rule"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    WithdrawReason.CANCELLED: "Termin abgesagt",
    WithdrawReason.RESCHEDULED: "Termin verschoben",
    WithdrawReason.DELETED: "Termin gelöscht",
    WithdrawReason.COMPLETED: "Termin abgeschlossen",
    WithdrawReason.CONSENT: "Einwilligung widerrufen",
    WithdrawReason.RULE: "Erinnerungsregel geändert",
}


# The fixed placeholder set of the templates, in the order the editor lists them. Nothing
# medical: the appointment type only when the rule's switch allows it (else empty), never
# notes; the doctor's name only when the practice switch allows it (else empty).
PLACEHOLDER_LABELS: dict[str, str] = {
    "praxis": "Name der Praxis",
    "datum": "Datum des Termins (TT.MM.JJJJ)",
    "wochentag": "Wochentag des Termins",
    "uhrzeit": "Uhrzeit des Termins (HH:MM)",
    "arzt": "Name der Ärztin / des Arztes (nur wenn eingeschaltet)",
    "telefon": "Telefonnummer der Praxis",
    "adresse": "Anschrift der Praxis",
    "absage_hinweis": "Hinweis, wie der Termin abgesagt werden kann",
    "terminart": "Terminart (nur wenn in der Regel eingeschaltet)",
}
PLACEHOLDERS: tuple[str, ...] = tuple(PLACEHOLDER_LABELS)


def template_problems(template: str) -> list[str]:
    """German messages for what is wrong with ``template`` (empty list: fine).

    Placeholders are written ``{name}``; a literal brace is ``{{`` or ``}}``. Only the names
    of :data:`PLACEHOLDERS` are allowed, without format specs or attribute access.
    """
    problems: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return ["Ungültige geschweifte Klammern (für eine Klammer selbst {{ bzw. }} schreiben)."]
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDER_LABELS or spec or conversion:
            problems.append(
                f"Unbekannter Platzhalter {{{name}}}; erlaubt: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
    return problems


def render_template(template: str, values: dict[str, str]) -> str:
    """``template`` with every placeholder replaced (missing values render empty).

    The template must have passed :func:`template_problems`.
    """
    complete = {name: values.get(name, "") for name in PLACEHOLDERS}
    return template.format_map(complete)
