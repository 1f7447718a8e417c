"""The details (``meta``) of an audit entry in German words (01 §5.2).

``meta`` is action-specific JSON with English keys and codes (``{"scope": "rooms", "from":
"2027-01-01"}``); the Details column shows it as "Bereich: Säle · von: 01.01.2027". Keys and
codes not known here are shown as they come, so nothing the server records is hidden.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.views.calendar.model import local
from desktop.views.master_data.form import german
from desktop.views.op_plan.model import STATUS_LABELS as OPERATION_STATUS
from desktop.views.patient_flow.model import LABELS as FLOW_STATUS

translate = QCoreApplication.translate


def _keys() -> dict[str, str]:
    return {
        "date": translate("AuditDetails", "Datum"),
        "from": translate("AuditDetails", "von"),
        "to": translate("AuditDetails", "bis"),
        "start": translate("AuditDetails", "Beginn"),
        "end": translate("AuditDetails", "Ende"),
        "scope": translate("AuditDetails", "Bereich"),
        "rooms": translate("AuditDetails", "Säle"),
        "resources": translate("AuditDetails", "Ressourcen"),
        "resource_ids": translate("AuditDetails", "Ressourcen"),
        "live": translate("AuditDetails", "live"),
        "panel": translate("AuditDetails", "Kennzahlen"),
        "q": translate("AuditDetails", "Suche"),
        "appointment_id": translate("AuditDetails", "Termin"),
        "flow_id": translate("AuditDetails", "Patientenfluss"),
        "status": translate("AuditDetails", "Status"),
        "target_user_id": translate("AuditDetails", "Benutzer"),
        "username": translate("AuditDetails", "Benutzername"),
        "fields": translate("AuditDetails", "Felder"),
        "source": translate("AuditDetails", "Quelle"),
        "ok": translate("AuditDetails", "erfolgreich"),
        "detail": translate("AuditDetails", "Meldung"),
        "slot_id": translate("AuditDetails", "Freier Termin"),
        "entry_id": translate("AuditDetails", "Wartelisteneintrag"),
        "entry_ids": translate("AuditDetails", "Einträge"),
        "series_id": translate("AuditDetails", "Terminserie"),
        "chain_id": translate("AuditDetails", "Terminkette"),
        "template_id": translate("AuditDetails", "Vorlage"),
        "rule_id": translate("AuditDetails", "Regel"),
        "reminder_id": translate("AuditDetails", "Erinnerung"),
        "token_id": translate("AuditDetails", "Zugang"),
        "channel": translate("AuditDetails", "Kanal"),
        "room": translate("AuditDetails", "Raum"),
        "name": translate("AuditDetails", "Name"),
    }


def _codes() -> dict[str, str]:
    """Codes that appear as values: scopes, panels, sources, changed fields."""
    return {
        "overview": translate("AuditDetails", "Übersicht"),
        "waiting_list": translate("AuditDetails", "Warteliste"),
        "worker": translate("AuditDetails", "Versand-Dienst"),
        "sms": translate("AuditDetails", "SMS"),
        "rooms": translate("AuditDetails", "Säle"),
        "devices": translate("AuditDetails", "Geräte"),
        "surgeons": translate("AuditDetails", "Operateure"),
        "types": translate("AuditDetails", "OP-Arten"),
        "operations": translate("AuditDetails", "Operationen"),
        "scheduling": translate("AuditDetails", "Terminplanung"),
        "doctors": translate("AuditDetails", "Ärzte"),
        "doctor": translate("AuditDetails", "Arzt"),
        "patients": translate("AuditDetails", "Patienten"),
        "setup": translate("AuditDetails", "Ersteinrichtung"),
        "cli": translate("AuditDetails", "Kommandozeile"),
        "bootstrap": translate("AuditDetails", "Erststart"),
        "first_name": translate("AuditDetails", "Vorname"),
        "last_name": translate("AuditDetails", "Nachname"),
        "email": translate("AuditDetails", "E-Mail"),
        "role": translate("AuditDetails", "Rolle"),
        "password": translate("AuditDetails", "Passwort"),
        "is_active": translate("AuditDetails", "Aktiv"),
        "calendar_color": translate("AuditDetails", "Kalenderfarbe"),
        "vacation_days_per_year": translate("AuditDetails", "Urlaubstage/Jahr"),
        # Marked where their screens show them, under those screens' contexts.
        **{code: translate("PatientFlowPage", label) for code, label in FLOW_STATUS.items()},
        **{code: translate("OpPlanPage", label) for code, label in OPERATION_STATUS.items()},
    }


def _value(key: str, value: Any, codes: dict[str, str]) -> str:
    if isinstance(value, bool):
        return translate("AuditDetails", "ja") if value else translate("AuditDetails", "nein")
    if isinstance(value, list):
        return ", ".join(_value(key, item, codes) for item in value)
    if not isinstance(value, str):
        return str(value)
    if key == "detail":
        return german(value)
    if key in ("q", "username"):
        return value  # what was typed or chosen, not a code
    try:
        if len(value) == 10:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        return local(value).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return codes.get(value, value)


def details_text(meta: dict[str, Any] | None) -> str:
    """``meta`` as "Bereich: Säle · von: 01.01.2027" (empty when there is none)."""
    if not meta:
        return ""
    keys, codes = _keys(), _codes()
    return " · ".join(f"{keys.get(k, k)}: {_value(k, v, codes)}" for k, v in meta.items())
