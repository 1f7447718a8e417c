"""The waiting list (Warteliste, issue 18, docs/waiting-list.md) over the API, as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
waiting_list.entries(api), self)``), never on the UI thread. Views get :class:`Entry`,
:class:`FreedSlot` and :class:`Candidate` objects with the shared enums of
``shared.domain.waiting_list`` and German messages, never URLs or JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.waiting_list import (
    EntryStatus,
    FreedReason,
    FreedSource,
    Priority,
    RemovalReason,
)

ENTRIES_PATH = "/api/waiting-list/entries/"
FREED_SLOTS_PATH = "/api/waiting-list/freed-slots/"
COUNTS_PATH = "/api/waiting-list/counts/"
KPI_PATH = "/api/kpi/waiting-list/"
DOCTORS_PATH = "/api/appointments/doctors/"
TYPES_PATH = "/api/appointment-types/"
#: The server's filter value for every status (default: the open ones).
ALL_STATUSES = "all"

_CONTEXT = "WaitingListApi"
translate = QCoreApplication.translate


def _local(value: str) -> datetime:
    """The server writes practice-local times with an offset (00 §6): keep the wall clock."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _api_datetime(value: datetime) -> str:
    """Without an offset the server reads a time as practice-local (00 §6)."""
    return value.replace(microsecond=0).isoformat()


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _clock(value: str) -> time:
    return time.fromisoformat(value)


# -- entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeWindow:
    """When the patient can come: a weekday (0 = Monday) and a local clock range."""

    weekday: int
    start: time
    end: time

    def body(self) -> dict[str, Any]:
        return {"weekday": self.weekday, "from": f"{self.start:%H:%M}", "to": f"{self.end:%H:%M}"}


@dataclass(frozen=True)
class Entry:
    """One patient waiting for one appointment type."""

    id: int
    patient_id: int
    patient_name: str
    phone: str
    birth_date: date | None
    type_id: int
    type_name: str
    duration_minutes: int
    doctor_ids: tuple[int, ...]
    earliest_date: date | None
    latest_date: date | None
    windows: tuple[TimeWindow, ...]
    priority: Priority
    note: str
    status: EntryStatus
    removal_reason: RemovalReason | None
    removal_note: str
    booked_appointment_id: int | None
    created_by: str
    waiting_since: datetime | None

    @property
    def urgent(self) -> bool:
        return self.priority is Priority.URGENT

    @property
    def display_name(self) -> str:
        """``"Wagner, Sophie (09.07.2001)"`` as the server names patients elsewhere."""
        if self.birth_date is None:
            return self.patient_name
        return f"{self.patient_name} ({self.birth_date:%d.%m.%Y})"


def _patient_name(row: dict[str, Any]) -> str:
    patient = row.get("patient") or {}
    name = ", ".join(part for part in (patient.get("last_name"), patient.get("first_name")) if part)
    return name or translate("WaitingListApi", "Patient #{0}").format(row.get("patient_id"))


def _entry(row: dict[str, Any]) -> Entry:
    patient = row.get("patient") or {}
    reason = row.get("removal_reason")
    booked = row.get("booked_appointment_id")
    creator = row.get("created_by") or {}
    since = row.get("waiting_since") or row.get("created_at")
    return Entry(
        id=int(row["id"]),
        patient_id=int(row["patient_id"]),
        patient_name=_patient_name(row),
        phone=str(patient.get("phone") or ""),
        birth_date=_day(patient.get("birth_date")),
        type_id=int(row["type"]),
        type_name=str(row.get("type_name") or ""),
        duration_minutes=int(row.get("duration_minutes") or 0),
        doctor_ids=tuple(int(d) for d in row.get("doctor_ids") or ()),
        earliest_date=_day(row.get("earliest_date")),
        latest_date=_day(row.get("latest_date")),
        windows=tuple(
            TimeWindow(int(w["weekday"]), _clock(str(w["from"])), _clock(str(w["to"])))
            for w in row.get("windows") or ()
        ),
        priority=Priority(str(row.get("priority") or Priority.NORMAL)),
        note=str(row.get("note") or ""),
        status=EntryStatus(str(row["status"])),
        removal_reason=RemovalReason(str(reason)) if reason else None,
        removal_note=str(row.get("removal_note") or ""),
        booked_appointment_id=int(booked) if booked is not None else None,
        created_by=str(creator.get("name") or "") if isinstance(creator, dict) else "",
        waiting_since=_local(str(since)) if since else None,
    )


@dataclass(frozen=True)
class EntryDraft:
    """What the entry dialog sends to create or change an entry."""

    patient_id: int
    type_id: int
    doctor_ids: tuple[int, ...] = ()
    earliest_date: date | None = None
    latest_date: date | None = None
    windows: tuple[TimeWindow, ...] = ()
    priority: Priority = Priority.NORMAL
    note: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "type": self.type_id,
            "doctor_ids": list(self.doctor_ids),
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
            "latest_date": self.latest_date.isoformat() if self.latest_date else None,
            "windows": [w.body() for w in self.windows],
            "priority": self.priority.value,
            "note": self.note,
        }


_FIELD_NAMES = {
    "patient_id": QT_TRANSLATE_NOOP("WaitingListApi", "Patient"),
    "type": QT_TRANSLATE_NOOP("WaitingListApi", "Terminart"),
    "doctor_ids": QT_TRANSLATE_NOOP("WaitingListApi", "Ärzte"),
    "doctor": QT_TRANSLATE_NOOP("WaitingListApi", "Arzt"),
    "earliest_date": QT_TRANSLATE_NOOP("WaitingListApi", "Frühestens"),
    "latest_date": QT_TRANSLATE_NOOP("WaitingListApi", "Spätestens"),
    "windows": QT_TRANSLATE_NOOP("WaitingListApi", "Zeitfenster"),
    "priority": QT_TRANSLATE_NOOP("WaitingListApi", "Priorität"),
    "note": QT_TRANSLATE_NOOP("WaitingListApi", "Notiz"),
    "status": QT_TRANSLATE_NOOP("WaitingListApi", "Status"),
    "removal_reason": QT_TRANSLATE_NOOP("WaitingListApi", "Grund"),
    "removal_note": QT_TRANSLATE_NOOP("WaitingListApi", "Bemerkung"),
    "start_time": QT_TRANSLATE_NOOP("WaitingListApi", "Beginn"),
    "freed_slot": QT_TRANSLATE_NOOP("WaitingListApi", "Freier Termin"),
}


#: The server's generic field errors keep DRF's English texts (00 §7); its own are German.
_GENERIC = {
    "This field is required.": QT_TRANSLATE_NOOP("WaitingListApi", "Bitte ausfüllen."),
    "This field may not be null.": QT_TRANSLATE_NOOP("WaitingListApi", "Bitte ausfüllen."),
    "A valid integer is required.": QT_TRANSLATE_NOOP(
        "WaitingListApi", "Bitte eine ganze Zahl angeben."
    ),
    "Null characters are not allowed.": QT_TRANSLATE_NOOP(
        "WaitingListApi", "Der Text enthält ein unzulässiges Steuerzeichen."
    ),
}
_INVALID_PK = re.compile(r'^Invalid pk "\d+" - object does not exist\.$')


def _german(text: str) -> str:
    if _INVALID_PK.match(text):
        return translate("WaitingListApi", "Nicht (mehr) vorhanden.")
    known = _GENERIC.get(text)
    return translate("WaitingListApi", known) if known is not None else text


def _first_text(value: Any) -> str:
    if isinstance(value, list):
        return _first_text(value[0]) if value else ""
    if isinstance(value, dict):
        return _first_text(next(iter(value.values()))) if value else ""
    return _german(str(value))


class EntryRejected(ApiError):
    """The server refused an entry or a booking (400); ``fields`` holds one message per
    field, in the server's German (docs/waiting-list.md §8)."""

    def __init__(self, status: int, body: Any, method: str = "", path: str = "") -> None:
        super().__init__(status, body, method, path)
        self.fields: dict[str, str] = {}
        if isinstance(body, dict):
            for key, value in body.items():
                if key != "detail":
                    self.fields[str(key)] = _first_text(value)

    def __str__(self) -> str:
        if not self.fields:
            return super().__str__()
        return " ".join(
            f"{translate(_CONTEXT, _FIELD_NAMES[key]) if key in _FIELD_NAMES else key}: {text}"
            for key, text in self.fields.items()
        )


def _rejected(exc: ApiError) -> ApiError:
    if exc.status == 400:
        return EntryRejected(exc.status, exc.body, exc.method, exc.path)
    return exc


def entries(
    api: ApiClient,
    *,
    statuses: Iterable[EntryStatus] | None = None,
    priority: Priority | None = None,
    doctor_id: int | None = None,
    type_id: int | None = None,
    patient_id: int | None = None,
) -> list[Entry]:
    """The entries in the server's order (urgent first, then waiting since); ``statuses``
    None = the open ones (wartend, angeboten), empty = every status."""
    wanted = None if statuses is None else ",".join(s.value for s in statuses) or ALL_STATUSES
    rows = api.get_all(
        ENTRIES_PATH,
        status=wanted,
        priority=priority.value if priority else None,
        doctor=doctor_id,
        type=type_id,
        patient_id=patient_id,
    )
    return [_entry(row) for row in rows]


def get(api: ApiClient, entry_id: int) -> Entry:
    return _entry(api.get(f"{ENTRIES_PATH}{entry_id}/"))


def create(api: ApiClient, draft: EntryDraft) -> Entry:
    """Raises :class:`EntryRejected` when the server refuses a field."""
    try:
        return _entry(api.post(ENTRIES_PATH, draft.body()))
    except ApiError as exc:
        raise _rejected(exc) from exc


def update(api: ApiClient, entry_id: int, draft: EntryDraft) -> Entry:
    """Writes every field of the draft except the patient (an entry keeps its patient)."""
    body = draft.body()
    body.pop("patient_id")
    try:
        return _entry(api.patch(f"{ENTRIES_PATH}{entry_id}/", body))
    except ApiError as exc:
        raise _rejected(exc) from exc


def set_status(
    api: ApiClient,
    entry_id: int,
    status: EntryStatus,
    reason: RemovalReason | None = None,
    note: str = "",
) -> Entry:
    """wartend ↔ angeboten, open → entfernt (with a reason), entfernt → wartend."""
    body: dict[str, Any] = {"status": status.value}
    if reason is not None:
        body["removal_reason"] = reason.value
        body["removal_note"] = note
    try:
        return _entry(api.patch(f"{ENTRIES_PATH}{entry_id}/", body))
    except ApiError as exc:
        raise _rejected(exc) from exc


def delete(api: ApiClient, entry_id: int) -> None:
    api.delete(f"{ENTRIES_PATH}{entry_id}/")


# -- freed slots and booking -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An entry that fits a freed slot, at its earliest fitting time there."""

    rank: int
    entry: Entry
    doctor_id: int
    doctor_name: str
    start: datetime
    end: datetime


def _candidate(row: dict[str, Any]) -> Candidate:
    doctor = row.get("doctor") or {}
    return Candidate(
        rank=int(row.get("rank") or 0),
        entry=_entry(row["entry"]),
        doctor_id=int(doctor["id"]),
        doctor_name=str(doctor.get("name") or ""),
        start=_local(str(row["start_time"])),
        end=_local(str(row["end_time"])),
    )


@dataclass(frozen=True)
class FreedSlot:
    """Capacity that became free, with the ranked candidates of the waiting list."""

    id: int
    source: FreedSource
    reason: FreedReason
    doctor_id: int | None
    doctor_name: str
    start: datetime
    end: datetime
    freed_minutes: int
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


def _freed_slot(row: dict[str, Any]) -> FreedSlot:
    doctor = row.get("doctor") or {}
    return FreedSlot(
        id=int(row["id"]),
        source=FreedSource(str(row["source"])),
        reason=FreedReason(str(row["reason"])),
        doctor_id=int(doctor["id"]) if doctor.get("id") is not None else None,
        doctor_name=str(doctor.get("name") or ""),
        start=_local(str(row["start_time"])),
        end=_local(str(row["end_time"])),
        freed_minutes=int(row.get("freed_minutes") or 0),
        candidates=tuple(_candidate(c) for c in row.get("candidates") or ()),
    )


def freed_slots(api: ApiClient) -> list[FreedSlot]:
    """Freed slots that have not ended and still have candidates, newest first."""
    return [_freed_slot(row) for row in api.get(FREED_SLOTS_PATH)]


def freed_slot(api: ApiClient, slot_id: int) -> FreedSlot:
    return _freed_slot(api.get(f"{FREED_SLOTS_PATH}{slot_id}/"))


@dataclass(frozen=True)
class Booking:
    """The booked entry and its new appointment."""

    entry: Entry
    appointment_id: int
    doctor_id: int
    start: datetime
    end: datetime


class SlotGone(ApiError):
    """409: someone was faster (the entry is closed or the time is taken); ``candidates``
    are the next ones for the same freed slot, computed after the winner's commit."""

    def __init__(self, status: int, body: Any, method: str = "", path: str = "") -> None:
        super().__init__(status, body, method, path)
        data = body if isinstance(body, dict) else {}
        self.code = str(data.get("code") or "")
        self.candidates: tuple[Candidate, ...] = tuple(
            _candidate(row) for row in data.get("candidates") or ()
        )


def book(api: ApiClient, candidate: Candidate, freed_slot_id: int | None = None) -> Booking:
    """Books the candidate's entry at its offered time; raises :class:`SlotGone` (409) when
    another workstation was faster and :class:`EntryRejected` (400) for field problems."""
    body: dict[str, Any] = {
        "doctor": candidate.doctor_id,
        "start_time": _api_datetime(candidate.start),
    }
    if freed_slot_id is not None:
        body["freed_slot"] = freed_slot_id
    path = f"{ENTRIES_PATH}{candidate.entry.id}/book/"
    try:
        answer = api.post(path, body)
    except ApiError as exc:
        if exc.status == 409:
            raise SlotGone(exc.status, exc.body, exc.method, exc.path) from exc
        raise _rejected(exc) from exc
    appointment = answer["appointment"]
    return Booking(
        entry=_entry(answer["entry"]),
        appointment_id=int(appointment["id"]),
        doctor_id=int(appointment["doctor"]),
        start=_local(str(appointment["start_time"])),
        end=_local(str(appointment["end_time"])),
    )


# -- counts and KPI ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    waiting: int
    offered: int
    urgent: int
    open_slots: int

    @property
    def open(self) -> int:
        """Entries still waiting for a slot (wartend and angeboten)."""
        return self.waiting + self.offered


def counts(api: ApiClient) -> Counts:
    body = api.get(COUNTS_PATH)
    return Counts(
        int(body.get("waiting") or 0),
        int(body.get("offered") or 0),
        int(body.get("urgent") or 0),
        int(body.get("open_slots") or 0),
    )


# -- what the entry dialog chooses from --------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Choices:
    """The doctors and the appointment types an entry can name."""

    doctors: tuple[Choice, ...]
    types: tuple[Choice, ...]

    def doctor_name(self, doctor_id: int) -> str:
        return next((d.name for d in self.doctors if d.id == doctor_id), f"#{doctor_id}")

    @property
    def bookable_types(self) -> tuple[Choice, ...]:
        """Only a type with a duration says how long the appointment is (the server's rule)."""
        return tuple(t for t in self.types if t.duration_minutes)


def choices(api: ApiClient) -> Choices:
    doctors = tuple(Choice(int(r["id"]), str(r["name"])) for r in api.get(DOCTORS_PATH))
    types = tuple(
        Choice(int(r["id"]), str(r["name"]), r.get("duration_minutes"))
        for r in api.get_all(TYPES_PATH, active="true")
    )
    return Choices(doctors, types)
