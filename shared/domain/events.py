"""Names of the live change notices of ``/api/events/`` (00 §11), shared by the server that
publishes them and the desktop that reloads on them.

A notice is ``{"entity", "id", "action", "at"}``; ``entity`` is one of :class:`LiveEntity`
and ``action`` one of :class:`LiveAction`. The server drops anything else, so a name added
on one side only would never arrive: both sides take them from here.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LiveAction", "LiveEntity"]


class LiveEntity(StrEnum):
    """What changed."""

    APPOINTMENT = "appointment"
    OPERATION = "operation"
    PATIENT_FLOW = "patient_flow"
    PATIENT = "patient"
    APPOINTMENT_TYPE = "appointment_type"
    OPERATION_TYPE = "operation_type"
    RESOURCE = "resource"
    PRACTICE_HOURS = "practice_hours"
    DOCTOR_HOURS = "doctor_hours"
    DOCTOR_ABSENCE = "doctor_absence"
    DOCTOR_BREAK = "doctor_break"
    USER = "user"
    CHAIN = "chain"
    CHAIN_TEMPLATE = "chain_template"
    APPOINTMENT_SERIES = "appointment_series"
    WAITING_LIST_ENTRY = "waiting_list_entry"
    WAITING_LIST_SLOT = "waiting_list_slot"  # a freed slot; created = candidates found
    CALL = "call"
    PRACTICE_SETTINGS = "practice_settings"
    USER_PREFERENCES = "user_preferences"
    REMINDER = "reminder"
    REMINDER_RULE = "reminder_rule"
    REMINDER_SETTINGS = "reminder_settings"
    REMINDER_CONSENT = "reminder_consent"
    CALENDAR_FEED = "calendar_feed"
    CALENDAR_FEED_SETTINGS = "calendar_feed_settings"


class LiveAction(StrEnum):
    """How it changed."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
