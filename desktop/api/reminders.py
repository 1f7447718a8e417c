"""Appointment reminders (docs/reminders.md) over the API, as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
reminders.rules(api), self)``), never on the UI thread. Views get :class:`PracticeSettings`,
:class:`Rule`, :class:`Consent` and :class:`Reminder` values, never URLs or JSON. Statuses,
channels and their German labels come from ``shared.domain.reminders``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any

from desktop.api.client import ApiClient
from shared.domain.reminders import ReminderChannel, ReminderStatus

SETTINGS_PATH = "/api/reminder-settings/"
RULES_PATH = "/api/reminder-rules/"
TYPES_PATH = "/api/appointment-types/"


def _rule_path(rule_id: int) -> str:
    return f"{RULES_PATH}{rule_id}/"


def _consent_path(patient_id: int) -> str:
    return f"/api/patients/{patient_id}/reminder-consent/"


def _appointment_reminders_path(appointment_id: int) -> str:
    return f"/api/appointments/{appointment_id}/reminders/"


def _local(value: str | None) -> datetime | None:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _clock(value: str) -> time:
    return time.fromisoformat(value[:5])


# -- practice settings and templates ---------------------------------------------------------


@dataclass(frozen=True)
class PracticeSettings:
    """Sending window, the practice's details and the message templates (one object)."""

    send_from: time
    send_until: time
    practice_name: str
    practice_phone: str
    practice_address: str
    cancel_instruction: str
    include_doctor_name: bool
    email_subject: str
    email_body: str
    sms_body: str
    #: Whether the server has SMTP / an SMS gateway configured (read-only).
    email_configured: bool = False
    sms_configured: bool = False


_WRITABLE = (
    "send_from",
    "send_until",
    "practice_name",
    "practice_phone",
    "practice_address",
    "cancel_instruction",
    "include_doctor_name",
    "email_subject",
    "email_body",
    "sms_body",
)


def _settings(body: dict[str, Any]) -> PracticeSettings:
    configured = body.get("channels_configured") or {}
    return PracticeSettings(
        send_from=_clock(str(body["send_from"])),
        send_until=_clock(str(body["send_until"])),
        practice_name=str(body.get("practice_name") or ""),
        practice_phone=str(body.get("practice_phone") or ""),
        practice_address=str(body.get("practice_address") or ""),
        cancel_instruction=str(body.get("cancel_instruction") or ""),
        include_doctor_name=bool(body.get("include_doctor_name")),
        email_subject=str(body.get("email_subject") or ""),
        email_body=str(body.get("email_body") or ""),
        sms_body=str(body.get("sms_body") or ""),
        email_configured=bool(configured.get("email")),
        sms_configured=bool(configured.get("sms")),
    )


def practice_settings(api: ApiClient) -> PracticeSettings:
    return _settings(api.get(SETTINGS_PATH))


def save_practice_settings(api: ApiClient, settings: PracticeSettings) -> PracticeSettings:
    """Stores every writable field (admin)."""
    values = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name in _WRITABLE}
    values["send_from"] = settings.send_from.strftime("%H:%M")
    values["send_until"] = settings.send_until.strftime("%H:%M")
    return _settings(api.request("PUT", SETTINGS_PATH, json=values))


# -- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentType:
    id: int
    name: str


@dataclass(frozen=True)
class Rule:
    """When and how an appointment type (``type_id`` None: the practice default) is reminded."""

    id: int | None
    type_id: int | None
    type_name: str | None
    offsets_minutes: tuple[int, ...]
    channels: tuple[ReminderChannel, ...]
    include_type_name: bool = False
    active: bool = True


def _rule(row: dict[str, Any]) -> Rule:
    return Rule(
        id=int(row["id"]),
        type_id=row.get("appointment_type"),
        type_name=row.get("appointment_type_name"),
        offsets_minutes=tuple(int(v) for v in row.get("offsets_minutes") or ()),
        channels=tuple(ReminderChannel(v) for v in row.get("channels") or ()),
        include_type_name=bool(row.get("include_type_name")),
        active=bool(row.get("active", True)),
    )


def _rule_body(rule: Rule) -> dict[str, Any]:
    return {
        "appointment_type": rule.type_id,
        "offsets_minutes": list(rule.offsets_minutes),
        "channels": [channel.value for channel in rule.channels],
        "include_type_name": rule.include_type_name,
        "active": rule.active,
    }


def rules(api: ApiClient) -> list[Rule]:
    """Every rule: the practice default first, then by type name (the server's order)."""
    return [_rule(row) for row in api.get_all(RULES_PATH)]


def appointment_types(api: ApiClient) -> list[AppointmentType]:
    """The active appointment types a rule can name."""
    return [
        AppointmentType(int(row["id"]), str(row["name"]))
        for row in api.get_all(TYPES_PATH, active="true")
    ]


def save_rule(api: ApiClient, rule: Rule) -> Rule:
    """Creates the rule (``id`` None) or replaces the stored one."""
    if rule.id is None:
        return _rule(api.post(RULES_PATH, _rule_body(rule)))
    return _rule(api.request("PUT", _rule_path(rule.id), json=_rule_body(rule)))


def delete_rule(api: ApiClient, rule_id: int) -> None:
    api.delete(_rule_path(rule_id))


# -- consent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelConsent:
    granted: bool
    recorded_by: str | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class Consent:
    patient_id: int
    email: ChannelConsent
    sms: ChannelConsent

    def of(self, channel: ReminderChannel) -> ChannelConsent:
        return self.email if channel is ReminderChannel.EMAIL else self.sms


def _channel_consent(body: dict[str, Any] | None) -> ChannelConsent:
    body = body or {}
    recorded_by = body.get("recorded_by") or None
    return ChannelConsent(
        granted=bool(body.get("granted")),
        recorded_by=str(recorded_by["name"]) if recorded_by else None,
        recorded_at=_local(body.get("recorded_at")),
    )


def _consent(body: dict[str, Any]) -> Consent:
    return Consent(
        patient_id=int(body["patient_id"]),
        email=_channel_consent(body.get("email")),
        sms=_channel_consent(body.get("sms")),
    )


def consent(api: ApiClient, patient_id: int) -> Consent:
    return _consent(api.get(_consent_path(patient_id)))


def record_consent(
    api: ApiClient, patient_id: int, channel: ReminderChannel, granted: bool
) -> Consent:
    """Records the patient's consent (or its withdrawal) for one channel."""
    return _consent(api.patch(_consent_path(patient_id), {channel.value: granted}))


# -- the reminders of an appointment ----------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    id: int
    channel: ReminderChannel
    due_at: datetime | None
    status: ReminderStatus
    reason_label: str | None
    sent_at: datetime | None
    last_error: str | None


def _reminder(row: dict[str, Any]) -> Reminder:
    return Reminder(
        id=int(row["id"]),
        channel=ReminderChannel(row["channel"]),
        due_at=_local(row.get("due_at")),
        status=ReminderStatus(row["status"]),
        reason_label=row.get("reason_label"),
        sent_at=_local(row.get("sent_at")),
        last_error=row.get("last_error"),
    )


def of_appointment(api: ApiClient, appointment_id: int) -> list[Reminder]:
    """The appointment's reminders, by due time."""
    return [_reminder(row) for row in api.get_all(_appointment_reminders_path(appointment_id))]
