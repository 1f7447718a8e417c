"""Practice settings and personal preferences: validation, storage, audit, live notices.

Every write is one transaction: the row, its audit entry and the live notice commit together
(00 §8). The contract — fields, limits, error texts — is docs/practice-settings.md.

Both documents are read with their defaults filled in: a practice whose settings row is
missing (it is created by migration 0017) or a user who never saved a preference get the
defaults, never a 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.core.access import Principal
from server.core.errors import ValidationFailed
from server.core.events import publish
from server.core.fields import (
    BooleanField,
    CharField,
    ChoiceField,
    Field,
    FieldError,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
    regex,
)
from server.practice.models import PracticeSettings, UserPreferences
from server.users.models import Role, User
from server.users.scoping import doctor_role
from shared.domain.events import LiveEntity
from shared.domain.practice import (
    CALENDAR_RASTERS,
    DEFAULT_THRESHOLDS,
    THRESHOLD_STATUSES,
    CalendarView,
    ColourMode,
    StartScreen,
)

SETTINGS_ID = 1
MAX_THRESHOLD_MINUTES = 1440
MAX_HISTORY = 10
AMBER_BEFORE_RED = "amber must be less than red."
NOT_A_DICT = 'Expected a dictionary of items but got type "{0}".'
UNKNOWN_STATUS = '"{0}" is not a flow status with a threshold.'
DUPLICATE_DAY = "Each weekday may appear only once."
NO_DAYS = "At least one weekday must be shown."
DEFAULT_DISPLAY: dict[str, Any] = {"title": "Aufruf", "chime": True, "history": 5}
DEFAULT_DAYS = [1, 2, 3, 4, 5]
DEFAULT_PREFERENCES: dict[str, Any] = {
    "start_screen": StartScreen.TODAY.value,
    "calendar_view": CalendarView.DAY.value,
    "calendar_raster": 15,
    "colour_mode": ColourMode.DOCTOR.value,
    "shown_doctor_ids": [],
}

_PHONE = regex(r"[0-9+()/ \-]*", "Enter a valid phone number (digits, spaces and + ( ) / -).")


def _minutes() -> IntegerField:
    return IntegerField(min_value=1, max_value=MAX_THRESHOLD_MINUTES)


_THRESHOLD = Serializer("FlowThreshold", {"amber": _minutes(), "red": _minutes()})
_DISPLAY = Serializer(
    "CallDisplayOptions",
    {
        "title": CharField(max_length=60, allow_blank=True),
        "chime": BooleanField(),
        "history": IntegerField(min_value=1, max_value=MAX_HISTORY),
    },
)


class ThresholdsField(Field):
    """``{status: {"amber": m, "red": n}}``; statuses left out keep their current values."""

    def convert(self, value: Any) -> dict[str, dict[str, int]]:
        if not isinstance(value, dict):
            raise FieldError([NOT_A_DICT.format(type(value).__name__)])
        known = {status.value for status in THRESHOLD_STATUSES}
        cleaned: dict[str, dict[str, int]] = {}
        errors: dict[str, Any] = {}
        for status, limits in value.items():
            if status not in known:
                errors[str(status)] = [UNKNOWN_STATUS.format(status)]
                continue
            values, problems = _THRESHOLD.collect(limits) if isinstance(limits, dict) else ({}, {})
            if not isinstance(limits, dict):
                problems = {"non_field_errors": [NOT_A_DICT.format(type(limits).__name__)]}
            elif not problems and values["amber"] >= values["red"]:
                problems = {"amber": [AMBER_BEFORE_RED]}
            if problems:
                errors[status] = problems
            else:
                cleaned[status] = {"amber": values["amber"], "red": values["red"]}
        if errors:
            raise FieldError(errors)
        return cleaned

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {s.value: _THRESHOLD.json_schema() for s in THRESHOLD_STATUSES},
        }


class DaysField(ListField):
    """ISO weekdays (1 = Monday … 7 = Sunday), each once, at least one; stored sorted."""

    def convert(self, value: Any) -> list[int]:
        days: list[int] = super().convert(value)
        if not days:
            raise FieldError([NO_DAYS])
        if len(set(days)) != len(days):
            raise FieldError([DUPLICATE_DAY])
        return sorted(days)


class DisplayField(Field):
    def convert(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise FieldError([NOT_A_DICT.format(type(value).__name__)])
        cleaned, errors = _DISPLAY.collect(value, partial=True)
        if errors:
            raise FieldError(errors)
        return cleaned

    def schema(self) -> dict[str, Any]:
        return _DISPLAY.json_schema(partial=True)


SETTINGS_SERIALIZER = Serializer(
    "PracticeSettings",
    {
        "name": CharField(max_length=200, allow_blank=True),
        "address": CharField(max_length=500, allow_blank=True),
        "phone": CharField(max_length=50, allow_blank=True, validators=[_PHONE]),
        "flow_thresholds": ThresholdsField(),
        "calendar_days": DaysField(child=IntegerField(min_value=1, max_value=7)),
        "display": DisplayField(),
    },
)

PREFERENCES_SERIALIZER = Serializer(
    "UserPreferences",
    {
        "start_screen": ChoiceField(choices=tuple(s.value for s in StartScreen)),
        "calendar_view": ChoiceField(choices=tuple(v.value for v in CalendarView)),
        "calendar_raster": ChoiceField(choices=tuple(str(r) for r in CALENDAR_RASTERS)),
        "colour_mode": ChoiceField(choices=tuple(m.value for m in ColourMode)),
        "shown_doctor_ids": ListField(child=PrimaryKeyField()),
    },
)


# --- practice settings --------------------------------------------------------------------


def _settings_row(session: Session, *, lock: bool) -> PracticeSettings:
    """The one row, created with the defaults if it is missing."""
    session.execute(
        insert(PracticeSettings)
        .values(
            id=SETTINGS_ID,
            flow_thresholds=DEFAULT_THRESHOLDS,
            calendar_days=DEFAULT_DAYS,
            display=DEFAULT_DISPLAY,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    query = select(PracticeSettings).where(PracticeSettings.id == SETTINGS_ID)
    row = session.scalar(query.with_for_update() if lock else query)
    assert row is not None
    return row


def render_settings(row: PracticeSettings) -> dict[str, Any]:
    thresholds = {
        status: {**limits, **dict(row.flow_thresholds or {}).get(status, {})}
        for status, limits in DEFAULT_THRESHOLDS.items()
    }
    return {
        "name": row.name,
        "address": row.address,
        "phone": row.phone,
        "flow_thresholds": thresholds,
        "calendar_days": list(row.calendar_days or DEFAULT_DAYS),
        "display": {**DEFAULT_DISPLAY, **dict(row.display or {})},
    }


def read_settings(session: Session) -> dict[str, Any]:
    query = select(PracticeSettings).where(PracticeSettings.id == SETTINGS_ID)
    row = session.scalar(query)
    if row is None:
        return render_settings(
            PracticeSettings(
                name="",
                address="",
                phone="",
                flow_thresholds=DEFAULT_THRESHOLDS,
                calendar_days=DEFAULT_DAYS,
                display=DEFAULT_DISPLAY,
            )
        )
    return render_settings(row)


def update_settings(
    factory: sessionmaker[Session], principal: Principal, raw: Any, now: datetime
) -> dict[str, Any]:
    cleaned = SETTINGS_SERIALIZER.validate(raw, partial=True)
    with factory() as session, session.begin():
        row = _settings_row(session, lock=True)
        before = render_settings(row)
        after = dict(before)
        for name, value in cleaned.items():
            if name in ("flow_thresholds", "display"):  # documents: merged, not replaced
                after[name] = {**before[name], **value}
            else:
                after[name] = value
        changed = sorted(name for name in after if after[name] != before[name])
        for name in changed:
            setattr(row, name, after[name])
        if changed:
            row.updated_at = now
        record(session, principal, "practice_settings_update", meta={"fields": changed})
        if changed:
            publish(session, LiveEntity.PRACTICE_SETTINGS, SETTINGS_ID, "updated")
        return after


# --- personal preferences -------------------------------------------------------------------


def _render_preferences(data: dict[str, Any] | None) -> dict[str, Any]:
    merged = {**DEFAULT_PREFERENCES, **(data or {})}
    merged["calendar_raster"] = int(merged["calendar_raster"])
    return merged


def read_preferences(session: Session, user_id: int) -> dict[str, Any]:
    row = session.get(UserPreferences, user_id)
    return _render_preferences(row.data if row is not None else None)


def _check_doctors(session: Session, raw: Any, ids: list[int]) -> None:
    if not ids:
        return
    found = set(
        session.scalars(
            select(User.id).join(Role).where(User.id.in_(ids), doctor_role(), User.is_active)
        )
    )
    errors = {
        str(index): [does_not_exist(raw["shown_doctor_ids"][index])]
        for index, doctor_id in enumerate(ids)
        if doctor_id not in found
    }
    if errors:
        raise ValidationFailed({"shown_doctor_ids": errors})


def update_preferences(
    factory: sessionmaker[Session], principal: Principal, raw: Any, now: datetime
) -> dict[str, Any]:
    cleaned = PREFERENCES_SERIALIZER.validate(raw, partial=True)
    if "calendar_raster" in cleaned:
        cleaned["calendar_raster"] = int(cleaned["calendar_raster"])
    if "shown_doctor_ids" in cleaned:
        cleaned["shown_doctor_ids"] = list(dict.fromkeys(cleaned["shown_doctor_ids"]))
    with factory() as session, session.begin():
        if "shown_doctor_ids" in cleaned:
            _check_doctors(session, raw, cleaned["shown_doctor_ids"])
        row = session.get(UserPreferences, principal.id, with_for_update=True)
        before = _render_preferences(row.data if row is not None else None)
        after = {**before, **cleaned}
        changed = sorted(name for name in after if after[name] != before[name])
        if row is None:
            row = UserPreferences(user_id=principal.id, data=after, updated_at=now)
            session.add(row)
        elif changed:
            row.data = after
            row.updated_at = now
        record(session, principal, "user_preferences_update", meta={"fields": changed})
        if changed:
            publish(session, LiveEntity.USER_PREFERENCES, principal.id, "updated")
        return after
