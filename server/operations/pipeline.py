"""The operation validation pipeline of spec 04 §3.2, in its contractual order.

* Stage 1 (steps 1–5): field checks, all field errors reported together (DRF style),
  including the existence of the referenced rows and — on create — D-OP-05 (only
  ``planned`` / ``confirmed``).
* Step 5a (update only): a ``status`` sent and different from the stored one must be an
  allowed transition (§2.6, D-OP-06), checked with the effective ``start_time``.
* Stage 2 (steps 6–18): on create always; on update only when a scheduling field is sent
  with a value different from the stored one (D-OP-08). The first failure wins. Steps
  13–18 run in memory on the preloaded ``SchedulingData`` (one load per request).

Nothing here writes; the service decides what to do with a ``Rejection``.

Decisions where the spec is silent:

* ``op_device_ids`` "differs" from the stored devices when the *sets* differ (the stored
  devices have no order).
* A ``start_time`` within eight days of the ends of the representable range (year 1,
  year 9999) is a ``start_time`` format error, never a 500.
* On update the scheduling steps run on the effective values even when the request also
  cancels the operation (the literal D-OP-08 rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.bookings import scheduling_data
from server.bookings.columns import Columns, write_fields
from server.bookings.writes import Rejection
from server.core.errors import APIError, ValidationFailed
from server.core.fields import (
    BIGINT_MAX,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.core.timefmt import DATETIME_FORMAT_ERROR
from server.master_data.models import OperationType, Resource
from server.operations.models import (
    CREATE_STATUSES,
    OPERATION_STATUSES,
    Operation,
    OperationDevice,
)
from server.operations.status import transition_error
from server.users.models import User
from server.users.scoping import is_doctor
from shared.domain.statuses import OperationStatus
from shared.scheduling import (
    ConflictKind,
    Interval,
    SchedulingData,
    SourceModel,
    check_hours,
    day_segments,
    find_conflicts,
    local_date,
)

CREATE_STATUS = "Beim Anlegen sind nur planned oder confirmed erlaubt."
TYPE_INACTIVE = "op_type ist inaktiv."
ROOM_NOT_ROOM = 'op_room muss eine Ressource mit type="room" sein.'
ROOM_INACTIVE = "op_room muss aktiv sein."
BAD_DEVICES = "op_device_ids enthält unbekannte/inaktive/nicht-Gerät-Ressource(n)."
NOT_A_DOCTOR = 'Der Arzt muss die Rolle "doctor" haben.'
TEAM_DISTINCT = "Teammitglieder müssen unterschiedliche Personen sein."

TEAM_FIELDS = ("primary_surgeon", "assistant", "anesthesist")
# Fields whose changed value re-runs steps 6–18 on update (D-OP-08).
SCHEDULING_FIELDS = ("patient_id", "start_time", "op_type", "op_room", *TEAM_FIELDS)
# ``end_time`` is no write field: it follows from the start and the type (04 §2.4).
COLUMNS = Columns.of(
    "patient_id",
    "start_time",
    "status",
    "notes",
    primary_surgeon="primary_surgeon_id",
    assistant="assistant_id",
    anesthesist="anesthesist_id",
    op_room="op_room_id",
    op_type="op_type_id",
)
_MARGIN = timedelta(days=8)


def write_serializer(tz: ZoneInfo) -> Serializer:
    # Defaults apply on create only; PUT keeps stored values for omitted fields (§5.4).
    team = {
        "primary_surgeon": PrimaryKeyField(),
        "assistant": PrimaryKeyField(allow_null=True, required=False),
        "anesthesist": PrimaryKeyField(allow_null=True, required=False),
    }
    rooms = {
        "op_room": PrimaryKeyField(),
        "op_type": PrimaryKeyField(),
        "op_device_ids": ListField(child=IntegerField(), required=False),
    }
    return Serializer(
        "OperationWrite",
        write_fields(
            tz,
            team | rooms,
            times=("start_time",),
            statuses=OPERATION_STATUSES,
            default_status=OperationStatus.PLANNED.value,
        ),
    )


def stored_values(row: Operation) -> dict[str, Any]:
    return COLUMNS.stored(row)


def stored_device_ids(session: Session, operation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(OperationDevice.resource_id)
            .where(OperationDevice.operation_id == operation_id)
            .order_by(OperationDevice.id)
        )
    )


@dataclass
class Draft:
    """The effective operation a request asks for (stage-1 output)."""

    values: dict[str, Any]
    sent: dict[str, Any]
    device_ids: list[int]
    devices_sent: bool
    current: Operation | None = None
    current_device_ids: list[int] = field(default_factory=list)

    @property
    def team(self) -> list[int]:
        members = (self.values.get(name) for name in TEAM_FIELDS)
        return [member for member in members if member is not None]

    @property
    def exclude_id(self) -> int | None:
        return self.current.id if self.current is not None else None

    def changed(self, name: str) -> bool:
        if self.current is not None and name == "op_device_ids":
            return self.devices_sent and set(self.device_ids) != set(self.current_device_ids)
        return COLUMNS.changed(self.current, self.sent, name)

    @property
    def scheduling_changed(self) -> bool:
        """D-OP-08: steps 6–18 run on create, and on update when a scheduling field changed."""
        return self.current is None or any(
            self.changed(name) for name in (*SCHEDULING_FIELDS, "op_device_ids")
        )

    @property
    def status_changed(self) -> bool:
        return self.current is not None and self.values["status"] != self.current.status

    @property
    def recompute_end(self) -> bool:
        """D-OP-08: ``end_time`` follows ``start_time``/``op_type`` only when they differ."""
        return self.current is None or self.changed("start_time") or self.changed("op_type")


def _block_representable(start: datetime, tz: ZoneInfo) -> bool:
    """The block and the days around it (hours, breaks, the 72-hour look-back of the
    booking queries) must be representable; near year 1 or 9999 they are not."""
    try:
        utc = start.astimezone(UTC)
        for shift in (-_MARGIN, _MARGIN):
            (utc + shift).astimezone(tz)
    except OverflowError:
        return False
    return True


def stage_one(
    session: Session, raw: Any, tz: ZoneInfo, *, current: Operation | None, partial: bool
) -> Draft:
    """Steps 1–5: types, formats, choices and the existence of the referenced rows."""
    cleaned, errors = write_serializer(tz).collect(
        raw, partial=partial, use_defaults=current is None
    )
    references = (
        ("primary_surgeon", User),
        ("assistant", User),
        ("anesthesist", User),
        ("op_room", Resource),
        ("op_type", OperationType),
    )
    for name, model in references:
        pk = cleaned.get(name)
        if pk is not None and (not 1 <= pk <= BIGINT_MAX or session.get(model, pk) is None):
            errors[name] = [does_not_exist(pk)]
    if "start_time" in cleaned and not _block_representable(cleaned["start_time"], tz):
        errors["start_time"] = [DATETIME_FORMAT_ERROR]
    if current is None and cleaned.get("status") not in (None, *CREATE_STATUSES):
        errors.setdefault("status", [CREATE_STATUS])  # D-OP-05
    if errors:
        raise ValidationFailed(errors)
    devices_sent = "op_device_ids" in cleaned
    sent_devices = list(dict.fromkeys(cleaned.pop("op_device_ids", None) or []))
    current_devices = stored_device_ids(session, current.id) if current is not None else []
    values = {**(stored_values(current) if current is not None else {}), **cleaned}
    return Draft(
        values=values,
        sent=cleaned,
        device_ids=sent_devices if devices_sent else current_devices,
        devices_sent=devices_sent,
        current=current,
        current_device_ids=current_devices,
    )


def check_transition(draft: Draft, now: datetime) -> None:
    """Step 5a (D-OP-06): a status change through PUT/PATCH follows the status machine.

    A failure is a plain 400 (no audit row, 04 §5.4).
    """
    if draft.current is None or not draft.status_changed:
        return
    error = transition_error(
        draft.current.status,
        draft.values["status"],
        start_time=draft.values["start_time"],
        now=now,
    )
    if error is not None:
        raise APIError(400, error.body)


def operation_conflict(reason: str) -> Rejection:
    return Rejection({"detail": ["Operation conflict"], "reason": [reason]}, conflict=True)


def _object_checks(session: Session, draft: Draft) -> tuple[Rejection | None, int]:
    """Steps 6–12; also returns the type's total minutes (used by the caller)."""
    values = draft.values
    op_type = session.get(OperationType, values["op_type"])
    assert op_type is not None  # stage 1 checked existence
    if not op_type.active:  # 6
        return Rejection({"op_type": [TYPE_INACTIVE]}), 0
    total = max(0, op_type.prep_duration) + max(0, op_type.op_duration)
    total += max(0, op_type.post_duration)
    if total <= 0:  # 7
        return operation_conflict("invalid_duration"), 0
    room = session.get(Resource, values["op_room"])
    assert room is not None
    if room.type != "room":  # 8
        return Rejection({"op_room": [ROOM_NOT_ROOM]}), total
    if not room.active:
        return Rejection({"op_room": [ROOM_INACTIVE]}), total
    if draft.devices_sent and draft.device_ids:  # 9
        valid = set(
            session.scalars(
                select(Resource.id).where(
                    Resource.id.in_(draft.device_ids),
                    Resource.type == "device",
                    Resource.active.is_(True),
                )
            )
        )
        if valid != set(draft.device_ids):
            return Rejection({"op_device_ids": [BAD_DEVICES]}), total
    members: list[tuple[str, int]] = [
        (name, values[name]) for name in TEAM_FIELDS if values.get(name) is not None
    ]
    users = {
        user.id: user
        for user in session.scalars(select(User).where(User.id.in_([m for _, m in members])))
    }
    for name, member in members:  # 10
        if not is_doctor(users[member]):
            return Rejection({name: [NOT_A_DOCTOR]}), total
    for name, member in members:  # 11
        if not users[member].is_active:
            return Rejection({name: [f"{name} muss aktiv sein."]}), total
    ids = [member for _, member in members]
    if len(set(ids)) != len(ids):  # 12
        return Rejection({"non_field_errors": [TEAM_DISTINCT]}), total
    return None, total


def block_of(draft: Draft, total_minutes: int) -> Interval:
    """The occupied interval: recomputed end (D-OP-08) or the stored one."""
    start = draft.values["start_time"]
    if draft.recompute_end or draft.current is None:
        return Interval.of_length(start, timedelta(minutes=total_minutes))
    return Interval(start, draft.current.end_time)


_MEMBER_REASONS = {
    ConflictKind.ABSENCE: "absence_conflict",  # 17b
    ConflictKind.BREAK: "break_conflict",  # 17c
    ConflictKind.DOCTOR_APPOINTMENT: "appointment_conflict",  # 17d
    ConflictKind.DOCTOR_OPERATION: "operation_conflict",  # 17e
}


def _resource_reason(
    data: SchedulingData, block: Interval, resource_ids: list[int], exclude: int | None, name: str
) -> str | None:
    """Steps 13/14 (``name`` = room) and 15/16 (``name`` = device)."""
    if not resource_ids:
        return None
    hits = find_conflicts(
        block, data.busy_for(resource_ids=resource_ids, exclude_operation_id=exclude)
    )
    if any(hit.model is SourceModel.OPERATION for hit in hits):
        return f"{name}_conflict"
    if hits:
        return f"{name}_conflict_with_appointments"
    return None


def _member_reason(
    data: SchedulingData, block: Interval, member: int, exclude: int | None
) -> str | None:
    """Step 17a–17e for one team member."""
    for segment in day_segments(block, data):  # 17a: practice hours, then own hours
        if not check_hours(segment, data.practice_hours, data.tz):
            return "hours_conflict"
        if not check_hours(segment, data.hours_of(member), data.tz):
            return "hours_conflict"
    hits = find_conflicts(block, data.busy_for(member, exclude_operation_id=exclude))
    return _MEMBER_REASONS[hits[0].kind] if hits else None


def _patient_conflicts(
    data: SchedulingData, block: Interval, patient_id: int, exclude: int | None
) -> Rejection | None:
    """Step 18 (D-OP-09): §3.3 body, appointments first, then operations (id ascending)."""
    hits = find_conflicts(
        block, data.busy_for(None, patient_id=patient_id, exclude_operation_id=exclude)
    )
    if not hits:
        return None
    conflicts = []
    for hit in hits:
        noun = "appointment" if hit.model is SourceModel.APPOINTMENT else "operation"
        conflicts.append(
            {
                "type": "patient_conflict",
                "model": hit.model.value,
                "id": hit.source_id,
                "message": f"Patient already has {noun} #{hit.source_id} in this time range",
            }
        )
    return Rejection(
        {"detail": "Scheduling conflicts detected", "conflicts": conflicts}, conflict=True
    )


def scheduling_checks(
    session: Session, draft: Draft, block: Interval, tz: ZoneInfo
) -> Rejection | None:
    """Steps 13–18 against one preloaded ``SchedulingData``."""
    team = draft.team
    data = scheduling_data.load(
        session, tz, local_date(block.start, tz), local_date(block.end, tz), doctor_ids=team
    )
    exclude = draft.exclude_id
    reason = _resource_reason(data, block, [draft.values["op_room"]], exclude, "room")
    if reason is None:
        reason = _resource_reason(data, block, draft.device_ids, exclude, "device")
    for member in team:
        if reason is not None:
            break
        reason = _member_reason(data, block, member, exclude)
    if reason is not None:
        return operation_conflict(reason)
    return _patient_conflicts(data, block, draft.values["patient_id"], exclude)


@dataclass(frozen=True)
class Verdict:
    """Stage-2 outcome: a rejection, or the interval the operation will occupy."""

    rejection: Rejection | None
    block: Interval | None


def stage_two(session: Session, draft: Draft, tz: ZoneInfo) -> Verdict:
    """Steps 6–18 when D-OP-08 says so; else the stored block stays."""
    if not draft.scheduling_changed:
        return Verdict(None, None)
    rejection, total = _object_checks(session, draft)
    if rejection is not None:
        return Verdict(rejection, None)
    block = block_of(draft, total)
    return Verdict(scheduling_checks(session, draft, block, tz), block)
