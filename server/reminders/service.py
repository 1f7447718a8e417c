"""Reminder settings, rules, consent and status: the rules behind the routes
(docs/reminders.md §2–§5). Every write is one transaction with its audit entry, its live
event and the re-planning it causes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from server.audit.service import record
from server.core import clock
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import ValidationFailed, conflict, not_found
from server.core.events import publish
from server.core.fields import (
    BooleanField,
    CharField,
    ChoiceField,
    Field,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    TimeField,
    does_not_exist,
)
from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType
from server.patients.models import Patient
from server.reminders import planning
from server.reminders.channels import EmailChannel, SmsChannel
from server.reminders.models import (
    SETTINGS_ID,
    Reminder,
    ReminderConsent,
    ReminderRule,
    ReminderSettings,
)
from server.settings import Settings
from shared.domain.events import LiveEntity
from shared.domain.reminders import (
    ReminderChannel,
    ReminderStatus,
    WithdrawReason,
    template_problems,
)

WINDOW_ORDER = "Das Ende des Sendefensters muss nach dem Beginn liegen."
RULE_EXISTS = "Für diese Terminart gibt es schon eine Regel."
DEFAULT_EXISTS = "Es gibt schon eine Standardregel der Praxis."
NO_LINE_BREAKS = "Der Betreff darf keinen Zeilenumbruch enthalten."
DUPLICATES = "Jeder Wert darf nur einmal vorkommen."
TOO_MANY_OFFSETS = "Höchstens 5 Zeitpunkte."
RETRY_ONLY_FAILED = "Nur fehlgeschlagene Erinnerungen können erneut gesendet werden."
CHANNEL_VALUES = tuple(c.value for c in ReminderChannel)
MAX_OFFSETS = 5
MIN_OFFSET, MAX_OFFSET = 15, 43_200


def _template(limit: int) -> CharField:
    return CharField(max_length=limit, allow_blank=False, trim_whitespace=True)


def _text(limit: int) -> CharField:
    return CharField(max_length=limit, allow_blank=True)


SETTINGS_FIELDS: dict[str, Field] = {
    "send_from": TimeField(),
    "send_until": TimeField(),
    "practice_name": _text(200),
    "practice_phone": _text(50),
    "practice_address": _text(300),
    "cancel_instruction": _text(300),
    "include_doctor_name": BooleanField(),
    "email_subject": _template(200),
    "email_body": _template(5000),
    "sms_body": _template(640),
}
SETTINGS_SERIALIZER = Serializer("ReminderSettings", SETTINGS_FIELDS)
TEMPLATE_FIELDS = ("email_subject", "email_body", "sms_body")


def _unique(values: Any) -> str | None:
    return DUPLICATES if len(set(values)) != len(values) else None


def _at_most_offsets(values: Any) -> str | None:
    return TOO_MANY_OFFSETS if len(values) > MAX_OFFSETS else None


RULE_SERIALIZER = Serializer(
    "ReminderRule",
    {
        "appointment_type": PrimaryKeyField(allow_null=True, required=False, default=None),
        "offsets_minutes": ListField(
            child=IntegerField(min_value=MIN_OFFSET, max_value=MAX_OFFSET),
            validators=[_at_most_offsets, _unique],
        ),
        "channels": ListField(child=ChoiceField(choices=CHANNEL_VALUES), validators=[_unique]),
        "include_type_name": BooleanField(required=False, default=False),
        "active": BooleanField(required=False, default=True),
    },
)
CONSENT_SERIALIZER = Serializer(
    "ReminderConsent", {channel: BooleanField() for channel in CHANNEL_VALUES}
)


def _now(settings: Settings) -> datetime:
    return clock.now(settings)


# ------------------------------------------------------------------ practice settings


def _settings_row(session: Session, *, lock: bool = False) -> ReminderSettings:
    statement = select(ReminderSettings).where(ReminderSettings.id == SETTINGS_ID)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).first()
    if row is None:  # the migration creates it; a restored old dump may lack it
        row = ReminderSettings(id=SETTINGS_ID)
        session.add(row)
        session.flush()
        session.refresh(row)
    return row


def settings_json(row: ReminderSettings, settings: Settings) -> dict[str, Any]:
    return {
        "send_from": row.send_from.strftime("%H:%M"),
        "send_until": row.send_until.strftime("%H:%M"),
        "practice_name": row.practice_name,
        "practice_phone": row.practice_phone,
        "practice_address": row.practice_address,
        "cancel_instruction": row.cancel_instruction,
        "include_doctor_name": row.include_doctor_name,
        "email_subject": row.email_subject,
        "email_body": row.email_body,
        "sms_body": row.sms_body,
        "channels_configured": {
            ReminderChannel.EMAIL.value: EmailChannel(settings).configured,
            ReminderChannel.SMS.value: SmsChannel(settings).configured,
        },
        "updated_at": format_datetime(row.updated_at, settings.tz),
    }


def read_settings(session: Session, settings: Settings) -> dict[str, Any]:
    return settings_json(_settings_row(session), settings)


def update_settings(
    session: Session, settings: Settings, principal: Principal, body: RawBody, *, partial: bool
) -> dict[str, Any]:
    raw = body.json()
    data, errors = SETTINGS_SERIALIZER.collect(raw, partial=partial)
    for name in TEMPLATE_FIELDS:
        if name in data:
            problems = template_problems(data[name])
            if name == "email_subject" and "\n" in data[name]:
                problems.append(NO_LINE_BREAKS)
            if problems:
                errors[name] = problems
    with session.begin():
        row = _settings_row(session, lock=True)
        send_from = data.get("send_from", row.send_from)
        send_until = data.get("send_until", row.send_until)
        if "send_until" not in errors and "send_from" not in errors and send_until <= send_from:
            errors["send_until"] = [WINDOW_ORDER]
        if errors:
            raise ValidationFailed(errors)
        window_changed = (send_from, send_until) != (row.send_from, row.send_until)
        changed = sorted(name for name, value in data.items() if getattr(row, name) != value)
        for name, value in data.items():
            setattr(row, name, value)
        row.updated_at = _now(settings)
        session.flush()
        if window_changed:
            planning.replan_future(session, settings, cause=WithdrawReason.RULE)
        record(session, principal, "reminder_settings_update", meta={"fields": changed})
        publish(session, LiveEntity.REMINDER_SETTINGS, SETTINGS_ID, "updated")
    return settings_json(row, settings)


# ------------------------------------------------------------------ rules


def rule_json(row: ReminderRule, type_name: str | None, settings: Settings) -> dict[str, Any]:
    return {
        "id": row.id,
        "appointment_type": row.appointment_type_id,
        "appointment_type_name": type_name,
        "offsets_minutes": list(row.offsets_minutes),
        "channels": list(row.channels),
        "include_type_name": row.include_type_name,
        "active": row.active,
        "created_at": format_datetime(row.created_at, settings.tz),
        "updated_at": format_datetime(row.updated_at, settings.tz),
    }


def rules_statement() -> Select[Any]:
    """Default rule first, then by type name."""
    return (
        select(ReminderRule)
        .outerjoin(AppointmentType, AppointmentType.id == ReminderRule.appointment_type_id)
        .order_by(
            ReminderRule.appointment_type_id.is_not(None),
            AppointmentType.name,
            ReminderRule.id,
        )
    )


def render_rules(
    session: Session, rows: Sequence[ReminderRule], settings: Settings
) -> list[dict[str, Any]]:
    type_ids = [row.appointment_type_id for row in rows if row.appointment_type_id is not None]
    # .all(): a Result has keys(), so dict(result) would index it like a mapping.
    rows_of_names = session.execute(
        select(AppointmentType.id, AppointmentType.name).where(AppointmentType.id.in_(type_ids))
    ).all()
    names: dict[int, str] = dict(rows_of_names)
    return [rule_json(row, names.get(row.appointment_type_id or 0), settings) for row in rows]


def _rule_or_404(session: Session, rule_id: int, *, lock: bool = False) -> ReminderRule:
    statement = select(ReminderRule).where(ReminderRule.id == rule_id)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).first()
    if row is None:
        raise not_found()
    return row


def read_rule(session: Session, rule_id: int, settings: Settings) -> dict[str, Any]:
    row = _rule_or_404(session, rule_id)
    return _rule_out(session, row, settings)


def _rule_out(session: Session, row: ReminderRule, settings: Settings) -> dict[str, Any]:
    name = None
    if row.appointment_type_id is not None:
        name = session.scalar(
            select(AppointmentType.name).where(AppointmentType.id == row.appointment_type_id)
        )
    return rule_json(row, name, settings)


def _check_rule(session: Session, data: dict[str, Any], current: ReminderRule | None) -> None:
    type_id = data.get("appointment_type", current.appointment_type_id if current else None)
    if type_id is not None and session.get(AppointmentType, type_id) is None:
        raise ValidationFailed({"appointment_type": [does_not_exist(type_id)]})
    # One rule per type and one default: serialised by a lock on the settings row, so two
    # admins cannot create the same rule at once (the unique indexes would answer 500).
    _settings_row(session, lock=True)
    clash = select(ReminderRule.id).where(
        ReminderRule.appointment_type_id.is_(None)
        if type_id is None
        else ReminderRule.appointment_type_id == type_id
    )
    if current is not None:
        clash = clash.where(ReminderRule.id != current.id)
    if session.scalar(clash) is not None:
        raise ValidationFailed(
            {"appointment_type": [DEFAULT_EXISTS if type_id is None else RULE_EXISTS]}
        )


def _apply_rule(row: ReminderRule, data: dict[str, Any]) -> None:
    if "appointment_type" in data:
        row.appointment_type_id = data["appointment_type"]
    for name in ("offsets_minutes", "channels", "include_type_name", "active"):
        if name in data:
            setattr(row, name, data[name])


def _after_rule_write(
    session: Session, settings: Settings, principal: Principal, action: str, rule_id: int
) -> None:
    planning.replan_future(session, settings, cause=WithdrawReason.RULE)
    record(session, principal, action, meta={"rule_id": rule_id})


def create_rule(
    session: Session, settings: Settings, principal: Principal, body: RawBody
) -> dict[str, Any]:
    data = body.validate(RULE_SERIALIZER)
    with session.begin():
        _check_rule(session, data, None)
        row = ReminderRule()
        _apply_rule(row, data)
        row.created_at = row.updated_at = _now(settings)
        session.add(row)
        session.flush()
        _after_rule_write(session, settings, principal, "reminder_rule_create", row.id)
        publish(session, LiveEntity.REMINDER_RULE, row.id, "created")
        return _rule_out(session, row, settings)


def update_rule(
    session: Session,
    settings: Settings,
    principal: Principal,
    rule_id: int,
    body: RawBody,
    *,
    partial: bool,
) -> dict[str, Any]:
    with session.begin():
        row = _rule_or_404(session, rule_id, lock=True)
        data = body.validate(RULE_SERIALIZER, partial=partial)
        _check_rule(session, data, row)
        _apply_rule(row, data)
        row.updated_at = _now(settings)
        session.flush()
        _after_rule_write(session, settings, principal, "reminder_rule_update", row.id)
        publish(session, LiveEntity.REMINDER_RULE, row.id, "updated")
        return _rule_out(session, row, settings)


def delete_rule(session: Session, settings: Settings, principal: Principal, rule_id: int) -> None:
    with session.begin():
        row = _rule_or_404(session, rule_id, lock=True)
        session.delete(row)
        session.flush()
        _after_rule_write(session, settings, principal, "reminder_rule_delete", rule_id)
        publish(session, LiveEntity.REMINDER_RULE, rule_id, "deleted")


# ------------------------------------------------------------------ consent


def _patient_or_404(session: Session, patient_id: int, *, lock: bool = False) -> Patient:
    statement = select(Patient).where(Patient.id == patient_id)
    if lock:
        statement = statement.with_for_update()
    patient = session.scalars(statement).first()
    if patient is None:
        raise not_found()
    return patient


def _current_consents(session: Session, patient_id: int) -> dict[str, Any]:
    rows = session.execute(
        text(
            "SELECT DISTINCT ON (c.channel) c.channel, c.granted, c.recorded_at, "
            "u.id AS user_id, trim(u.first_name || ' ' || u.last_name) AS user_name, "
            "u.username FROM reminder_consents c LEFT JOIN users u ON u.id = c.recorded_by_id "
            "WHERE c.patient_id = :patient ORDER BY c.channel, c.id DESC"
        ),
        {"patient": patient_id},
    ).all()
    return {row.channel: row for row in rows}


def consent_json(session: Session, patient_id: int, settings: Settings) -> dict[str, Any]:
    current = _current_consents(session, patient_id)
    body: dict[str, Any] = {"patient_id": patient_id}
    for channel in CHANNEL_VALUES:
        row = current.get(channel)
        if row is None:
            body[channel] = {"granted": False, "recorded_by": None, "recorded_at": None}
            continue
        recorded_by = None
        if row.user_id is not None:
            recorded_by = {"id": row.user_id, "name": row.user_name or row.username}
        body[channel] = {
            "granted": row.granted,
            "recorded_by": recorded_by,
            "recorded_at": format_datetime(row.recorded_at, settings.tz),
        }
    return body


def read_consent(session: Session, patient_id: int, settings: Settings) -> dict[str, Any]:
    _patient_or_404(session, patient_id)
    return consent_json(session, patient_id, settings)


def update_consent(
    session: Session,
    settings: Settings,
    principal: Principal,
    patient_id: int,
    body: RawBody,
    *,
    partial: bool,
) -> dict[str, Any]:
    with session.begin():
        # The patient row lock serialises two desks recording consent at once.
        _patient_or_404(session, patient_id, lock=True)
        data = body.validate(CONSENT_SERIALIZER, partial=partial)
        current = _current_consents(session, patient_id)
        now = _now(settings)
        changes: dict[str, bool] = {}
        for channel, granted in data.items():
            before = current.get(channel)
            if before is not None and before.granted == granted:
                continue  # the same answer again: nothing new to record
            session.add(
                ReminderConsent(
                    patient_id=patient_id,
                    channel=channel,
                    granted=granted,
                    recorded_by_id=principal.id,
                    recorded_at=now,
                )
            )
            changes[channel] = granted
        if changes:
            session.flush()
            planning.replan_future(
                session, settings, cause=WithdrawReason.CONSENT, patient_id=patient_id
            )
            record(
                session, principal, "reminder_consent_update", patient_id=patient_id, meta=changes
            )
            publish(session, LiveEntity.REMINDER_CONSENT, patient_id, "updated")
        return consent_json(session, patient_id, settings)


# ------------------------------------------------------------------ reminder status


def reminder_json(row: Reminder, settings: Settings) -> dict[str, Any]:
    tz = settings.tz
    status = ReminderStatus(row.status)
    reason = WithdrawReason(row.reason) if row.reason else None
    return {
        "id": row.id,
        "appointment": row.appointment_id,
        "patient_id": row.patient_id,
        "channel": row.channel,
        "channel_label": ReminderChannel(row.channel).label,
        "offset_minutes": row.offset_minutes,
        "due_at": format_datetime(row.due_at, tz),
        "status": status.value,
        "status_label": status.label,
        "reason": reason.value if reason else None,
        "reason_label": reason.label if reason else None,
        "attempts": row.attempts,
        "next_attempt_at": format_datetime(row.next_attempt_at, tz)
        if row.next_attempt_at and status is ReminderStatus.PLANNED
        else None,
        "sent_at": format_datetime(row.sent_at, tz) if row.sent_at else None,
        "last_error": row.last_error,
        "created_at": format_datetime(row.created_at, tz),
        "updated_at": format_datetime(row.updated_at, tz),
    }


def retry(
    session: Session, settings: Settings, principal: Principal, reminder_id: int
) -> dict[str, Any]:
    with session.begin():
        row = session.scalars(
            select(Reminder).where(Reminder.id == reminder_id).with_for_update()
        ).first()
        if row is None:
            raise not_found()
        if row.status != ReminderStatus.FAILED:
            raise conflict(RETRY_ONLY_FAILED)
        row.status = ReminderStatus.PLANNED.value
        row.attempts = 0
        row.last_error = None
        row.next_attempt_at = _now(settings)
        row.updated_at = _now(settings)
        session.flush()
        record(
            session,
            principal,
            "reminder_retry",
            patient_id=row.patient_id,
            meta={"reminder_id": row.id, "appointment_id": row.appointment_id},
        )
        publish(session, LiveEntity.REMINDER, row.id, "updated")
        session.execute(text("SELECT pg_notify(:c, '')"), {"c": planning.NOTIFY_CHANNEL})
        return reminder_json(row, settings)
