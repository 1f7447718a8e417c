"""Request bodies of the series endpoints (docs/series-and-chains.md).

A booking or preview body is an appointment create body (03 §4.1, parsed by the
appointment pipeline with its texts) plus ``recurrence``, ``mode`` and ``replacements``;
every bad field is reported at once, DRF style.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.appointments import pipeline
from server.core.errors import ValidationFailed
from server.core.fields import (
    ChoiceField,
    DateField,
    DateTimeField,
    IntegerField,
    ListField,
    Serializer,
    notes_field,
)
from shared.scheduling import local_date
from shared.scheduling.recurrence import (
    MAX_INTERVAL,
    MAX_OCCURRENCES,
    WEEKDAYS,
    Frequency,
    Recurrence,
    RecurrenceError,
)

SERIES_KEYS = ("recurrence", "mode", "replacements")
MODES = ("all", "free")
SCOPES = ("this", "following", "all")
MAX_SHIFT_MINUTES = 1440

NOT_AN_OBJECT = "Muss ein Objekt sein."
UNKNOWN_INDEX = "Termin {index} gibt es in dieser Serie nicht."
REPLACED_TWICE = "Termin {index} ist mehrfach ersetzt."
REPLACEMENT_ORDER = "Endzeit muss nach der Startzeit liegen."
REPLACEMENT_DAY = "Termin muss am selben Tag enden."
ANCHOR_REQUIRED = "Für scope this/following ist ein Termin der Serie anzugeben."
NOTHING_TO_CHANGE = "Keine Änderung angegeben."

RECURRENCE = Serializer(
    "SeriesRecurrence",
    {
        "freq": ChoiceField(choices=tuple(f.value for f in Frequency)),
        "interval": IntegerField(min_value=1, max_value=MAX_INTERVAL, default=1),
        "byday": ListField(child=ChoiceField(choices=WEEKDAYS), required=False),
        "count": IntegerField(min_value=1, max_value=MAX_OCCURRENCES, required=False),
        "until": DateField(required=False),
    },
)


def _replacement_serializer(tz: ZoneInfo) -> Serializer:
    return Serializer(
        "SeriesReplacement",
        {
            "index": IntegerField(min_value=1, max_value=MAX_OCCURRENCES),
            "start_time": DateTimeField(tz=tz),
            "end_time": DateTimeField(tz=tz, required=False),
        },
    )


def _mode_serializer() -> Serializer:
    return Serializer("SeriesMode", {"mode": ChoiceField(choices=MODES, default="all")})


@dataclass(frozen=True)
class Replacement:
    index: int
    start: datetime
    end: datetime | None


@dataclass
class SeriesBody:
    """A parsed preview or booking body."""

    draft: pipeline.Draft  # the first occurrence as an appointment create
    recurrence: Recurrence
    mode: str = "all"
    replacements: dict[int, Replacement] = field(default_factory=dict)

    @property
    def duration(self) -> timedelta:
        values = self.draft.values
        duration: timedelta = values["end_time"] - values["start_time"]
        return duration


def _recurrence(raw: Any, errors: dict[str, Any]) -> Recurrence | None:
    if "recurrence" not in raw:
        errors["recurrence"] = ["This field is required."]
        return None
    value = raw["recurrence"]
    if not isinstance(value, dict):
        errors["recurrence"] = [NOT_AN_OBJECT]
        return None
    cleaned, problems = RECURRENCE.collect(value)
    if problems:
        errors["recurrence"] = problems
        return None
    try:
        return Recurrence(
            freq=Frequency(cleaned["freq"]),
            interval=cleaned["interval"],
            byday=tuple(WEEKDAYS.index(day) for day in cleaned.get("byday") or ()),
            count=cleaned.get("count"),
            until=cleaned.get("until"),
        )
    except RecurrenceError as exc:
        errors["recurrence"] = {"non_field_errors": [str(exc)]}
        return None


def _replacements(raw: Any, tz: ZoneInfo, errors: dict[str, Any]) -> dict[int, Replacement]:
    value = raw.get("replacements", [])
    if value is None:
        value = []
    if not isinstance(value, list):
        errors["replacements"] = [
            f'Expected a list of items but got type "{type(value).__name__}".'
        ]
        return {}
    serializer = _replacement_serializer(tz)
    found: dict[int, Replacement] = {}
    problems: dict[str, Any] = {}
    for position, item in enumerate(value):
        if not isinstance(item, dict):
            problems[str(position)] = {"non_field_errors": [NOT_AN_OBJECT]}
            continue
        cleaned, item_errors = serializer.collect(item)
        if not item_errors:
            start, end = cleaned["start_time"], cleaned.get("end_time")
            if end is not None and end <= start:
                item_errors["end_time"] = [REPLACEMENT_ORDER]
            elif end is not None and local_date(start, tz) != local_date(end, tz):
                item_errors["end_time"] = [REPLACEMENT_DAY]
        if item_errors:
            problems[str(position)] = item_errors
            continue
        index = cleaned["index"]
        if index in found:
            errors["replacements"] = [REPLACED_TWICE.format(index=index)]
            return {}
        found[index] = Replacement(index, cleaned["start_time"], cleaned.get("end_time"))
    if problems:
        errors["replacements"] = problems
    return found


def parse_series(session: Session, raw: Any, tz: ZoneInfo, *, booking: bool) -> SeriesBody:
    """The preview (``booking=False``: ``mode``/``replacements`` ignored) or booking body."""
    if not isinstance(raw, dict):
        RECURRENCE.collect(raw)  # raises the DRF "Invalid data. Expected a dictionary" 400
    errors: dict[str, Any] = {}
    appointment = {key: value for key, value in raw.items() if key not in SERIES_KEYS}
    draft: pipeline.Draft | None = None
    try:
        draft = pipeline.stage_one(session, appointment, tz, current=None, partial=False)
    except ValidationFailed as exc:
        errors.update(exc.body)
    recurrence = _recurrence(raw, errors)
    mode, replacements = "all", {}
    if booking:
        cleaned, problems = _mode_serializer().collect({"mode": raw.get("mode", "all")})
        errors.update(problems)
        mode = cleaned.get("mode", "all")
        replacements = _replacements(raw, tz, errors)
    if errors or draft is None or recurrence is None:
        raise ValidationFailed(errors)
    return SeriesBody(draft, recurrence, mode, replacements)


# --- scoped edit and cancel --------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    scope: str
    anchor_id: int | None


@dataclass(frozen=True)
class SeriesEdit:
    scope: Scope
    shift: timedelta
    changes: dict[str, Any]  # appointment PATCH fields: doctor, type, resource_ids, notes


_SCOPE_FIELDS = {
    "scope": ChoiceField(choices=SCOPES),
    "appointment": IntegerField(min_value=1, required=False, allow_null=True),
}
SCOPE = Serializer("SeriesScope", _SCOPE_FIELDS)
EDIT = Serializer(
    "SeriesEdit",
    {
        **_SCOPE_FIELDS,
        "shift_minutes": IntegerField(
            min_value=-MAX_SHIFT_MINUTES, max_value=MAX_SHIFT_MINUTES, required=False
        ),
        # Checked by the appointment pipeline; here only present or not.
        "doctor": IntegerField(required=False),
        "type": IntegerField(required=False, allow_null=True),
        "resource_ids": ListField(child=IntegerField(), required=False),
        "notes": notes_field(),
    },
)
_EDIT_KEYS = ("doctor", "type", "resource_ids", "notes")


def _scope(cleaned: dict[str, Any], errors: dict[str, Any]) -> Scope:
    scope = cleaned.get("scope", "all")
    anchor = cleaned.get("appointment")
    if scope in ("this", "following") and anchor is None and "scope" not in errors:
        errors["appointment"] = [ANCHOR_REQUIRED]
    return Scope(scope, anchor)


def parse_scope(raw: Any) -> Scope:
    cleaned, errors = SCOPE.collect(raw)
    scope = _scope(cleaned, errors)
    if errors:
        raise ValidationFailed(errors)
    return scope


def parse_edit(raw: Any) -> SeriesEdit:
    cleaned, errors = EDIT.collect(raw, partial=False, use_defaults=False)
    scope = _scope(cleaned, errors)
    changes = {key: raw[key] for key in _EDIT_KEYS if key in raw and key not in errors}
    shift = timedelta(minutes=cleaned.get("shift_minutes") or 0)
    if not errors and not changes and not shift:
        errors["non_field_errors"] = [NOTHING_TO_CHANGE]
    if errors:
        raise ValidationFailed(errors)
    return SeriesEdit(scope, shift, changes)


__all__ = [
    "SCOPES",
    "Replacement",
    "Scope",
    "SeriesBody",
    "SeriesEdit",
    "parse_edit",
    "parse_scope",
    "parse_series",
]
