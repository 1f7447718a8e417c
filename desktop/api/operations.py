"""Operations over the API (04 §2–§5), as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
operations.set_status(api, 42, OperationStatus.CONFIRMED), self)``), never on the UI thread.
Views get :class:`OperationDraft`, :class:`Conflict`, :class:`StartSuggestion` and
:class:`OperationStatus` values, never URLs or JSON.

The server names a conflict only by a reason code (04 §3.2: no ids of what is in the way).
:func:`check` therefore asks a few more dry runs to find out *which* team member or device is
busy, and reads the day's operations to say *with what* and *when* — all in the same
background work, so the dialog can say "Anna Müller operiert 11:00–12:30 in OP 1".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from shared.domain.statuses import OperationStatus

LIST_PATH = "/api/operations/"
VALIDATE_PATH = "/api/operations/validate/"
SUGGEST_PATH = "/api/operations/suggest/"
TYPES_PATH = "/api/operation-types/"
RESOURCES_PATH = "/api/resources/"
DOCTORS_PATH = "/api/appointments/doctors/"
#: The server clamps ``limit`` to 50 (D-OP-11); a coordinator wants a few, not fifty.
SUGGEST_LIMIT = 3


def _path(operation_id: int, action: str = "") -> str:
    return f"{LIST_PATH}{operation_id}/{action + '/' if action else ''}"


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _api_datetime(value: datetime) -> str:
    """Practice-local wall clock → API datetime (no offset = practice-local, 00 §6)."""
    return value.replace(microsecond=0).isoformat()


# -- master data the dialog picks from -------------------------------------------------------


@dataclass(frozen=True)
class OperationKind:
    """An operation type (02 §3) with its three phases in minutes."""

    id: int
    name: str
    prep: int
    op: int
    post: int
    color: str = ""

    @property
    def minutes(self) -> int:
        return max(0, self.prep) + max(0, self.op) + max(0, self.post)


@dataclass(frozen=True)
class Resource:
    id: int
    name: str


@dataclass(frozen=True)
class Doctor:
    """Every OP team role must be a doctor (04 §3.1), so one list serves all three pickers."""

    id: int
    name: str


@dataclass(frozen=True)
class Choices:
    kinds: list[OperationKind]
    rooms: list[Resource]
    devices: list[Resource]
    doctors: list[Doctor]

    def kind(self, kind_id: int | None) -> OperationKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def name_of_room(self, room_id: int) -> str:
        return next((r.name for r in self.rooms if r.id == room_id), f"#{room_id}")

    def name_of_device(self, device_id: int) -> str:
        return next((d.name for d in self.devices if d.id == device_id), f"#{device_id}")

    def name_of_doctor(self, doctor_id: int) -> str:
        return next((d.name for d in self.doctors if d.id == doctor_id), f"#{doctor_id}")


def load_choices(api: ApiClient) -> Choices:
    """Active operation types, rooms, devices and doctors (four requests)."""
    kinds = [
        OperationKind(
            int(row["id"]),
            str(row["name"]),
            int(row.get("prep_duration") or 0),
            int(row.get("op_duration") or 0),
            int(row.get("post_duration") or 0),
            str(row.get("color") or ""),
        )
        for row in api.get_all(TYPES_PATH, active="true")
        if row.get("active", True)
    ]
    rooms = [
        Resource(int(r["id"]), str(r["name"])) for r in api.get_all(RESOURCES_PATH, type="room")
    ]
    devices = [
        Resource(int(r["id"]), str(r["name"])) for r in api.get_all(RESOURCES_PATH, type="device")
    ]
    doctors = [Doctor(int(r["id"]), str(r["name"])) for r in api.get(DOCTORS_PATH)]
    return Choices(kinds, rooms, devices, doctors)


# -- writes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationDraft:
    """What the operation dialog sends to create, change or check an operation (04 §5.3)."""

    patient_id: int
    surgeon: int
    room: int
    kind: int
    start: datetime
    assistant: int | None = None
    anesthesist: int | None = None
    device_ids: tuple[int, ...] = field(default_factory=tuple)
    notes: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "primary_surgeon": self.surgeon,
            "assistant": self.assistant,
            "anesthesist": self.anesthesist,
            "op_room": self.room,
            "op_type": self.kind,
            "op_device_ids": list(self.device_ids),
            "start_time": _api_datetime(self.start),
            "notes": self.notes,
        }

    @property
    def team(self) -> list[tuple[TeamRole, int]]:
        """The chosen members in the order the server checks them (04 §3.2 step 17)."""
        members = [(TeamRole.SURGEON, self.surgeon)]
        if self.assistant is not None:
            members.append((TeamRole.ASSISTANT, self.assistant))
        if self.anesthesist is not None:
            members.append((TeamRole.ANESTHESIST, self.anesthesist))
        return members


@dataclass(frozen=True)
class OperationRecord:
    """The server's answer to a write: enough to find the new block."""

    id: int
    start: datetime
    end: datetime
    status: OperationStatus


def _record(row: dict[str, Any]) -> OperationRecord:
    return OperationRecord(
        id=int(row["id"]),
        start=_local(str(row["start_time"])),
        end=_local(str(row["end_time"])),
        status=OperationStatus(str(row.get("status") or OperationStatus.PLANNED)),
    )


def create(api: ApiClient, draft: OperationDraft) -> OperationRecord:
    return _record(api.post(LIST_PATH, draft.body()))


def update(api: ApiClient, operation_id: int, draft: OperationDraft) -> OperationRecord:
    """Writes every field of the draft (an empty device list clears the devices)."""
    return _record(api.patch(_path(operation_id), draft.body()))


def move(api: ApiClient, operation_id: int, *, room: int, start: datetime) -> OperationRecord:
    """A drag on the timeline: only room and start change (the server re-checks the rest)."""
    body = {"op_room": room, "start_time": _api_datetime(start)}
    return _record(api.patch(_path(operation_id), body))


class OperationRefused(ApiError):
    """The server refused a write; ``conflict`` says what is in the way (None if unknown)."""

    def __init__(self, error: ApiError, conflict: Conflict | None) -> None:
        super().__init__(error.status, error.body, error.method, error.path)
        self.conflict = conflict


def move_checked(
    api: ApiClient, operation_id: int, draft: OperationDraft, minutes: int
) -> OperationRecord:
    """``move`` to the draft's room and start; a refusal comes back as
    :class:`OperationRefused` with the conflict found out (see :func:`check`)."""
    try:
        return move(api, operation_id, room=draft.room, start=draft.start)
    except ApiError as exc:
        if exc.status != 400:
            raise
        raise OperationRefused(exc, check(api, draft, minutes, operation_id)) from exc


def set_status(api: ApiClient, operation_id: int, status: OperationStatus) -> OperationStatus:
    """One step of the status machine (04 §5.6.3); the server refuses what §2.6 forbids."""
    row = api.patch(f"/api/op-dashboard/{operation_id}/status/", {"status": status.value})
    return OperationStatus(str(row.get("status") or status.value))


# -- conflicts -------------------------------------------------------------------------------


class TeamRole(StrEnum):
    SURGEON = "primary_surgeon"
    ASSISTANT = "assistant"
    ANESTHESIST = "anesthesist"


class ConflictKind(StrEnum):
    """What stands in the way, in the server's reason codes (04 §3.2) plus the patient."""

    ROOM = "room_conflict"
    ROOM_APPOINTMENT = "room_conflict_with_appointments"
    DEVICE = "device_conflict"
    DEVICE_APPOINTMENT = "device_conflict_with_appointments"
    HOURS = "hours_conflict"
    ABSENCE = "absence_conflict"
    BREAK = "break_conflict"
    PERSON_APPOINTMENT = "appointment_conflict"
    PERSON_OPERATION = "operation_conflict"
    DURATION = "invalid_duration"
    PATIENT = "patient_conflict"
    OTHER = "other"

    @property
    def concerns_team(self) -> bool:
        return self in _TEAM_KINDS


_TEAM_KINDS = {
    ConflictKind.HOURS,
    ConflictKind.ABSENCE,
    ConflictKind.BREAK,
    ConflictKind.PERSON_APPOINTMENT,
    ConflictKind.PERSON_OPERATION,
}


@dataclass(frozen=True)
class Clash:
    """Another operation in the way: what, where and when."""

    id: int
    kind_name: str
    room_name: str
    surgeon_name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Conflict:
    """Why the server would refuse the draft, as precisely as it can be found out."""

    kind: ConflictKind
    #: The team member in the way (team kinds), the device (device kinds).
    role: TeamRole | None = None
    person_id: int | None = None
    device_id: int | None = None
    clash: Clash | None = None
    #: The server's own (translated) message, for refusals this module does not explain.
    message: str = ""


def _reason(error: ApiError) -> ConflictKind | None:
    body = error.body if isinstance(error.body, dict) else {}
    reason = body.get("reason")
    code = reason[0] if isinstance(reason, list) and reason else reason
    if code:
        try:
            return ConflictKind(str(code))
        except ValueError:
            return ConflictKind.OTHER
    if body.get("conflicts"):
        return ConflictKind.PATIENT
    return None


def validate(api: ApiClient, draft: OperationDraft, operation_id: int | None = None) -> None:
    """The server's dry run (04 §5.10); raises the refusal the real write would get."""
    body = draft.body()
    if operation_id is not None:
        body["id"] = operation_id
    api.post(VALIDATE_PATH, body)


def _refusal(api: ApiClient, draft: OperationDraft, operation_id: int | None) -> ApiError | None:
    try:
        validate(api, draft, operation_id)
    except ApiError as exc:
        if exc.status != 400:
            raise
        return exc
    return None


def _clashes(
    api: ApiClient, draft: OperationDraft, minutes: int, operation_id: int | None
) -> list[tuple[dict[str, Any], Clash]]:
    """The other operations overlapping the draft's time (not cancelled)."""
    end = draft.start.timestamp() + minutes * 60
    found = []
    for row in api.get(LIST_PATH, date=draft.start.date().isoformat()):
        if row.get("status") == OperationStatus.CANCELLED or int(row["id"]) == operation_id:
            continue
        start, stop = _local(str(row["start_time"])), _local(str(row["end_time"]))
        if start.timestamp() < end and stop > draft.start:
            team = row.get("team") or {}
            found.append(
                (
                    row,
                    Clash(
                        id=int(row["id"]),
                        kind_name=str((row.get("op_type") or {}).get("name") or ""),
                        room_name=str((row.get("op_room") or {}).get("name") or ""),
                        surgeon_name=str((team.get("primary_surgeon") or {}).get("name") or ""),
                        start=start,
                        end=stop,
                    ),
                )
            )
    return found


def _member_ids(row: dict[str, Any]) -> set[int]:
    team = row.get("team") or {}
    return {int(m["id"]) for m in team.values() if isinstance(m, dict) and m.get("id")}


def check(
    api: ApiClient, draft: OperationDraft, minutes: int, operation_id: int | None = None
) -> Conflict | None:
    """None when the server would take the draft; else what is in the way (see module doc).

    ``minutes`` is the operation type's total length (the draft's end is the server's to
    compute, 04 §2.4).
    """
    error = _refusal(api, draft, operation_id)
    if error is None:
        return None
    kind = _reason(error)
    if kind is None or kind is ConflictKind.OTHER:
        return Conflict(ConflictKind.OTHER, message=str(error))
    if kind is ConflictKind.PATIENT or kind is ConflictKind.DURATION:
        return Conflict(kind, message=str(error))
    clashes = _clashes(api, draft, minutes, operation_id)
    if kind in (ConflictKind.ROOM, ConflictKind.ROOM_APPOINTMENT):
        clash = next((c for row, c in clashes if _room_id(row) == draft.room), None)
        return Conflict(kind, clash=clash, message=str(error))
    if kind in (ConflictKind.DEVICE, ConflictKind.DEVICE_APPOINTMENT):
        # One device at a time: the first one refused on its own is the one in the way.
        for device in draft.device_ids:
            alone = replace(draft, device_ids=(device,))
            if _reason_of(_refusal(api, alone, operation_id)) is kind:
                clash = next(
                    (c for row, c in clashes if device in _device_ids(row)),
                    None,
                )
                return Conflict(kind, device_id=device, clash=clash, message=str(error))
        return Conflict(kind, message=str(error))
    # A team reason: the server checks surgeon, assistant, anesthesist in this order, so the
    # first prefix of the team that is refused for this reason ends with the busy member.
    members = draft.team
    role, person = members[-1]
    for count in range(1, len(members)):
        part = replace(
            draft,
            assistant=dict(members[:count]).get(TeamRole.ASSISTANT),
            anesthesist=dict(members[:count]).get(TeamRole.ANESTHESIST),
        )
        if _reason_of(_refusal(api, part, operation_id)) is kind:
            role, person = members[count - 1]
            break
    clash = None
    if kind is ConflictKind.PERSON_OPERATION:
        clash = next((c for row, c in clashes if person in _member_ids(row)), None)
    return Conflict(kind, role=role, person_id=person, clash=clash, message=str(error))


def _reason_of(error: ApiError | None) -> ConflictKind | None:
    return None if error is None else _reason(error)


def _room_id(row: dict[str, Any]) -> int:
    return int((row.get("op_room") or {}).get("id") or 0)


def _device_ids(row: dict[str, Any]) -> set[int]:
    return {int(d["id"]) for d in row.get("op_devices") or []}


# -- suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StartSuggestion:
    start: datetime
    end: datetime


def suggest(
    api: ApiClient, draft: OperationDraft, first_day: date, limit: int = SUGGEST_LIMIT
) -> list[StartSuggestion]:
    """Free starts for the draft's team, room, devices and type from ``first_day`` on
    (04 §5.5: the earliest free start per working window and day, never in the past)."""
    params: dict[str, Any] = {
        "patient_id": draft.patient_id,
        "primary_surgeon_id": draft.surgeon,
        "assistant_id": draft.assistant,
        "anesthesist_id": draft.anesthesist,
        "op_type_id": draft.kind,
        "op_room_id": draft.room,
        "start_date": first_day.isoformat(),
        "limit": limit,
    }
    if draft.device_ids:
        params["op_device_ids"] = ",".join(str(d) for d in draft.device_ids)
    body = api.get(SUGGEST_PATH, **params)
    return [
        StartSuggestion(_local(str(row["start_time"])), _local(str(row["end_time"])))
        for row in body.get("suggestions") or []
    ]
