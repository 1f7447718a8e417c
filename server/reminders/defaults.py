"""The German texts a new practice starts with (admins edit them, docs/reminders.md §2)."""

from __future__ import annotations

CANCEL_INSTRUCTION = (
    "Falls Sie den Termin nicht wahrnehmen können, sagen Sie bitte rechtzeitig telefonisch ab."
)
EMAIL_SUBJECT = "Terminerinnerung: {datum} um {uhrzeit} Uhr"
EMAIL_BODY = (
    "Guten Tag,\n\n"
    "wir möchten Sie an Ihren Termin bei {praxis} am {wochentag}, {datum} um {uhrzeit} Uhr "
    "erinnern.\n\n"
    "{absage_hinweis}\n\n"
    "Mit freundlichen Grüßen\n"
    "{praxis}\n"
    "{adresse}\n"
    "Telefon: {telefon}\n"
)
SMS_BODY = "Erinnerung: Ihr Termin bei {praxis} am {datum} um {uhrzeit} Uhr. {absage_hinweis}"
