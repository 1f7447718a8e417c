"""Waiting-list entries: validation, create, change, delete (docs/waiting-list.md §2).

Each write is one transaction: the row, its audit entry and its live event commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.core import timefmt
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import ValidationFailed, conflict, not_found
from server.core.events import publish
from server.core.fields import (
    BIGINT_MAX,
    CharField,
    ChoiceField,
    DateField,
    Field,
    FieldError,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.master_data.models import AppointmentType
from server.waiting_list import matching, render, scoping
from server.waiting_list.models import WaitingListEntry
from shared.domain.events import LiveEntity
from shared.domain.waiting_list import (
    MANUAL_REMOVAL_REASONS,
    EntryStatus,
    Priority,
    RemovalReason,
)
from shared.scheduling import local_date

MAX_WINDOWS = 21
MAX_DOCTORS = 20
NOTE_MAX = 2000
REMOVAL_NOTE_MAX = 500

TYPE_UNUSABLE = "Die Terminart ist inaktiv oder hat keine Dauer."
BAD_DOCTOR = "Unbekannter oder inaktiver Arzt: {id}."
TOO_MANY_DOCTORS = f"Höchstens {MAX_DOCTORS} Ärzte."
DATE_ORDER = "Das späteste Datum liegt vor dem frühesten."
LATEST_PAST = "Das späteste Datum liegt in der Vergangenheit."
WINDOWS_NOT_LIST = "Eine Liste von Zeitfenstern wird erwartet."
TOO_MANY_WINDOWS = f"Höchstens {MAX_WINDOWS} Zeitfenster."
BAD_WINDOW = (
    'Zeitfenster {index}: erwartet {{"weekday": 0–6, "from": "HH:MM", "to": "HH:MM"}} '
    "mit from vor to."
)
BOOKED_ONLY_BY_BOOKING = "Gebucht wird ein Eintrag nur über „Buchen“."
REASON_REQUIRED = "Beim Entfernen ist ein Grund anzugeben."
REASON_NOT_MANUAL = "„expired“ setzt nur der Server."
REACTIVATE_EXPIRED = "Das späteste Datum ist überschritten; bitte zuerst das Datum ändern."
BOOKED_IS_FINAL = "Gebuchte Einträge können nicht mehr geändert werden."


class WindowsField(Field):
    """``[{"weekday", "from", "to"}]`` → normalised ``[{"weekday", "from": "HH:MM", …}]``."""

    def convert(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise FieldError([WINDOWS_NOT_LIST])
        if len(value) > MAX_WINDOWS:
            raise FieldError([TOO_MANY_WINDOWS])
        windows = []
        for index, item in enumerate(value):
            window = _window(item)
            if window is None:
                raise FieldError([BAD_WINDOW.format(index=index)])
            windows.append(window)
        return sorted(windows, key=lambda w: (w["weekday"], w["from"], w["to"]))

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "maxItems": MAX_WINDOWS,
            "items": {
                "type": "object",
                "properties": {
                    "weekday": {"type": "integer", "minimum": 0, "maximum": 6},
                    "from": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
                    "to": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
                },
                "required": ["weekday", "from", "to"],
            },
        }


def _clock(value: Any) -> time | None:
    if not isinstance(value, str) or "\x00" in value or len(value) > 8:
        return None
    try:
        parsed = timefmt.parse_time(value.strip())
    except ValueError:
        return None
    return parsed.replace(second=0, microsecond=0)


def _window(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    weekday = item.get("weekday")
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        return None
    start, end = _clock(item.get("from")), _clock(item.get("to"))
    if start is None or end is None or not start < end:
        return None
    return {"weekday": weekday, "from": start.strftime("%H:%M"), "to": end.strftime("%H:%M")}


def _fields(*, update: bool) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "patient_id": IntegerField(min_value=1, max_value=BIGINT_MAX),
        "type": PrimaryKeyField(),
        "doctor_ids": ListField(child=PrimaryKeyField(), required=False, default=list),
        "earliest_date": DateField(required=False, allow_null=True, default=None),
        "latest_date": DateField(required=False, allow_null=True, default=None),
        "windows": WindowsField(required=False, default=list),
        "priority": ChoiceField(
            choices=tuple(p.value for p in Priority), required=False, default=Priority.NORMAL
        ),
        "note": CharField(max_length=NOTE_MAX, allow_blank=True, required=False, default=""),
    }
    if update:
        fields["status"] = ChoiceField(choices=tuple(s.value for s in EntryStatus))
        fields["removal_reason"] = ChoiceField(
            choices=tuple(r.value for r in RemovalReason), allow_null=True, required=False
        )
        fields["removal_note"] = CharField(
            max_length=REMOVAL_NOTE_MAX, allow_blank=True, required=False
        )
    return fields


CREATE = Serializer("WaitingListEntryCreate", _fields(update=False))
UPDATE = Serializer("WaitingListEntryUpdate", _fields(update=True))


@dataclass(frozen=True)
class Write:
    """Who writes, through which sessions, in which zone, at which time."""

    factory: sessionmaker[Session]
    principal: Principal
    tz: ZoneInfo
    now: datetime


def _check_references(session: Session, cleaned: dict[str, Any], errors: dict[str, Any]) -> None:
    """Field errors that need the database: type and doctors."""
    if "type" in cleaned:
        type_id = cleaned["type"]
        row = session.get(AppointmentType, type_id) if type_id >= 1 else None
        if row is None:
            errors["type"] = [does_not_exist(type_id)]
        elif not row.active or not row.duration_minutes or row.duration_minutes <= 0:
            errors["type"] = [TYPE_UNUSABLE]
    if "doctor_ids" in cleaned:
        wanted = sorted(set(cleaned["doctor_ids"]))
        if len(wanted) > MAX_DOCTORS:
            errors["doctor_ids"] = [TOO_MANY_DOCTORS]
        else:
            valid = set(matching.active_doctor_ids(session, [d for d in wanted if d >= 1]))
            unknown = [d for d in wanted if d not in valid]
            if unknown:
                errors["doctor_ids"] = [BAD_DOCTOR.format(id=unknown[0])]
            cleaned["doctor_ids"] = wanted


def _check_dates(
    values: dict[str, Any], sent: dict[str, Any], errors: dict[str, Any], today: Any
) -> None:
    earliest, latest = values.get("earliest_date"), values.get("latest_date")
    if "latest_date" in errors or "earliest_date" in errors:
        return
    if earliest is not None and latest is not None and latest < earliest:
        errors["latest_date"] = [DATE_ORDER]
    elif "latest_date" in sent and latest is not None and latest < today:
        errors["latest_date"] = [LATEST_PAST]


_COLUMNS = {
    "patient_id": "patient_id",
    "type": "type_id",
    "doctor_ids": "doctor_ids",
    "earliest_date": "earliest_date",
    "latest_date": "latest_date",
    "windows": "windows",
    "priority": "priority",
    "note": "note",
}


def _stored(row: WaitingListEntry) -> dict[str, Any]:
    return {name: getattr(row, column) for name, column in _COLUMNS.items()}


def _apply(row: WaitingListEntry, cleaned: dict[str, Any]) -> None:
    for name, column in _COLUMNS.items():
        if name in cleaned:
            value = cleaned[name]
            setattr(row, column, str(value) if name == "priority" else value)


def _announce(session: Session, write: Write, row: WaitingListEntry, verb: str) -> None:
    record(
        session,
        write.principal,
        f"waiting_list_entry_{verb}",
        patient_id=row.patient_id,
        meta={"entry_id": row.id},
    )
    action = {"create": "created", "delete": "deleted"}.get(verb, "updated")
    publish(session, LiveEntity.WAITING_LIST_ENTRY, row.id, action)  # type: ignore[arg-type]


def create(write: Write, raw: Any) -> dict[str, Any]:
    with write.factory() as session, session.begin():
        cleaned, errors = CREATE.collect(raw)
        _check_references(session, cleaned, errors)
        _check_dates(cleaned, cleaned, errors, local_date(write.now, write.tz))
        if errors:
            raise ValidationFailed(errors)
        row = WaitingListEntry(
            status=EntryStatus.WAITING.value,
            created_by_id=write.principal.id,
            created_at=write.now,
            updated_at=write.now,
            removal_note="",
        )
        _apply(row, cleaned)
        session.add(row)
        session.flush()
        _announce(session, write, row, "create")
        return render.entry_json(session, row, write.tz)


def load_for_write(session: Session, entry_id: int) -> WaitingListEntry:
    row = session.get(WaitingListEntry, entry_id, with_for_update=True)
    if row is None:
        raise not_found()
    return row


def _status_change(
    row: WaitingListEntry, cleaned: dict[str, Any], errors: dict[str, Any], today: Any
) -> None:
    """Apply ``status`` / ``removal_reason`` / ``removal_note`` by the table of §2."""
    if "status" not in cleaned:
        if "removal_note" in cleaned and row.status == EntryStatus.REMOVED:
            row.removal_note = cleaned["removal_note"]
        return
    new = EntryStatus(cleaned["status"])
    current = EntryStatus(row.status)
    if new is EntryStatus.BOOKED and current is not EntryStatus.BOOKED:
        errors["status"] = [BOOKED_ONLY_BY_BOOKING]
        return
    if new is EntryStatus.REMOVED and current is not EntryStatus.REMOVED:
        reason = cleaned.get("removal_reason")
        if reason is None:
            errors["removal_reason"] = [REASON_REQUIRED]
            return
        if RemovalReason(reason) not in MANUAL_REMOVAL_REASONS:
            errors["removal_reason"] = [REASON_NOT_MANUAL]
            return
        row.removal_reason = reason
        row.removal_note = cleaned.get("removal_note", "")
    elif new.is_open and current is EntryStatus.REMOVED:
        latest = cleaned.get("latest_date", row.latest_date)
        if latest is not None and latest < today:
            errors["status"] = [REACTIVATE_EXPIRED]
            return
        row.removal_reason = None
        row.removal_note = ""
    row.status = new.value


def update(write: Write, entry_id: int, body: RawBody) -> dict[str, Any]:
    with write.factory() as session, session.begin():
        row = load_for_write(session, entry_id)
        raw = body.json()  # after the lookup: 404 before 400 (00 §3)
        cleaned, errors = UPDATE.collect(raw, partial=True)
        if row.status == EntryStatus.BOOKED:
            raise conflict(BOOKED_IS_FINAL)
        _check_references(session, cleaned, errors)
        today = local_date(write.now, write.tz)
        _check_dates({**_stored(row), **cleaned}, cleaned, errors, today)
        if not errors:
            _status_change(row, cleaned, errors, today)
        if errors:
            raise ValidationFailed(errors)
        _apply(row, cleaned)
        row.updated_at = write.now
        session.flush()
        _announce(session, write, row, "update")
        return render.entry_json(session, row, write.tz)


def delete(write: Write, entry_id: int) -> None:
    with write.factory() as session, session.begin():
        row = load_for_write(session, entry_id)
        _announce(session, write, row, "delete")
        session.delete(row)


def read_one(session: Session, principal: Principal, entry_id: int) -> WaitingListEntry:
    """The entry if the caller may see it; 404 otherwise (a doctor's foreign entry too)."""
    row = session.get(WaitingListEntry, entry_id)
    if row is None or not scoping.may_read(principal, row):
        raise not_found()
    return row
