"""Operation writes: create, update, delete, dry-run validation (spec 04 §5.3, §5.4, §5.10, §8).

Every write is one transaction: the operation, its devices, its occupancy rows, the audit
entries and the live event commit together. Before the scheduling checks the write takes
transaction-level advisory locks on every subject it touches (each team member as a
doctor, the patient, the room and the devices — the same keys appointments use), so a
competing booking either committed before (the checks see it) or waits. The occupancy
exclusion constraint stays the guarantee: when it fires anyway, ``with_booking_retry``
rolls back and re-runs everything in a fresh transaction, which answers with the body of
the application check (and its ``operation_conflict`` audit row), never a 500 (00 §9).

A conflict 400 writes ``operation_conflict`` in its own transaction, so the row survives
the rejected write (README "Audit and writes"); other 400s write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Occupancy
from server.appointments.service import lock_subjects, with_booking_retry
from server.audit.service import record
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import APIError, not_found
from server.core.events import publish
from server.core.fields import BIGINT_MAX, parse_int
from server.core.references import delete_unless_referenced
from server.operations import pipeline, read
from server.operations.models import Operation, OperationDevice
from shared.scheduling import Interval

FLOW_REFERENCE = "Operation is referenced by patient flow entries."


def load_for_write(session: Session, operation_id: int) -> Operation:
    row = session.scalar(select(Operation).where(Operation.id == operation_id).with_for_update())
    if row is None:
        raise not_found()
    return row


def _lock(session: Session, drafts: Iterable[pipeline.Draft]) -> None:
    """Advisory locks on every doctor, patient and resource the old and new state touch."""
    subjects: list[dict[str, Any]] = []
    resources: set[int] = set()
    for draft in drafts:
        states = [draft.values]
        if draft.current is not None:
            states.append(pipeline.stored_values(draft.current))
            resources.update(draft.current_device_ids)
        for values in states:
            subjects.extend({"doctor": values.get(n)} for n in pipeline.TEAM_FIELDS)
            subjects.append({"patient_id": values.get("patient_id")})
            resources.add(values["op_room"])
        resources.update(draft.device_ids)
    lock_subjects(session, *subjects, resource_ids=sorted(resources))


def sync_occupancy(session: Session, row: Operation, device_ids: Iterable[int]) -> None:
    """Rewrite the operation's occupancy rows (none while cancelled, 04 §8)."""
    session.execute(delete(Occupancy).where(Occupancy.operation_id == row.id))
    if row.status == "cancelled":
        return
    period = Range(row.start_time, row.end_time, bounds="[)")
    subjects = [("doctor", member) for member in row.team]
    subjects.append(("patient", row.patient_id))
    resources = dict.fromkeys([row.op_room_id, *device_ids])
    subjects += [("resource", resource) for resource in resources]
    session.add_all(
        Occupancy(operation_id=row.id, kind=kind, subject_id=subject, period=period)
        for kind, subject in subjects
    )
    session.flush()


def _replace_devices(session: Session, row: Operation, device_ids: list[int]) -> None:
    session.execute(delete(OperationDevice).where(OperationDevice.operation_id == row.id))
    session.add_all(
        OperationDevice(operation_id=row.id, resource_id=resource_id) for resource_id in device_ids
    )


def request_patient_id(raw: Any) -> int | None:
    """``patient_id`` of the request body for the conflict audit (null if unusable)."""
    if not isinstance(raw, dict):
        return None
    try:
        patient_id = parse_int(raw.get("patient_id"))
    except ValueError:
        return None
    return patient_id if 1 <= patient_id <= BIGINT_MAX else None


def _reject(
    rejection: pipeline.Rejection,
    factory: sessionmaker[Session],
    principal: Principal,
    raw: Any,
) -> None:
    if rejection.conflict:
        with factory() as session, session.begin():
            record(session, principal, "operation_conflict", patient_id=request_patient_id(raw))
    raise APIError(400, rejection.body)


def _apply(row: Operation, draft: pipeline.Draft, block: Interval | None) -> None:
    values = draft.values
    row.patient_id = values["patient_id"]
    row.primary_surgeon_id = values["primary_surgeon"]
    row.assistant_id = values.get("assistant")
    row.anesthesist_id = values.get("anesthesist")
    row.op_room_id = values["op_room"]
    row.op_type_id = values["op_type"]
    row.start_time = values["start_time"]
    if block is not None:
        row.end_time = block.end
    row.status = values.get("status", "planned")
    row.notes = values.get("notes", "")


def create(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    raw: Any,
    tz: ZoneInfo,
) -> str:
    def work(session: Session) -> str:
        draft = pipeline.stage_one(session, raw, tz, current=None, partial=False)
        _lock(session, [draft])
        verdict = pipeline.stage_two(session, draft, tz)
        if verdict.rejection is not None:
            session.rollback()
            _reject(verdict.rejection, factory, principal, raw)
        row = Operation()
        _apply(row, draft, verdict.block)
        session.add(row)
        session.flush()
        _replace_devices(session, row, draft.device_ids)
        sync_occupancy(session, row, draft.device_ids)
        record(session, principal, "operation_create", patient_id=row.patient_id)
        publish(session, "operation", row.id, "created")
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def update(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    operation_id: int,
    body: RawBody,
    tz: ZoneInfo,
    now: datetime,
    partial: bool,
) -> str:
    def work(session: Session) -> str:
        row = load_for_write(session, operation_id)
        raw = body.json()  # parsed after the lookup: 404 comes before 400 (00 §3)
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=partial)
        pipeline.check_transition(draft, now)
        if draft.scheduling_changed:
            _lock(session, [draft])
        verdict = pipeline.stage_two(session, draft, tz)
        if verdict.rejection is not None:
            session.rollback()
            _reject(verdict.rejection, factory, principal, raw)
        old_status = row.status
        _apply(row, draft, verdict.block if draft.recompute_end else None)
        row.updated_at = func.now()
        if draft.devices_sent:
            _replace_devices(session, row, draft.device_ids)
        session.flush()
        # Occupancy follows the schedule, and is released when the operation is cancelled.
        if draft.scheduling_changed or (row.status == "cancelled") != (old_status == "cancelled"):
            sync_occupancy(session, row, draft.device_ids)
        record(session, principal, "operation_update", patient_id=row.patient_id)
        if row.status != old_status:
            record(
                session,
                principal,
                "op_status_update",
                patient_id=row.patient_id,
                meta={"from": old_status, "to": row.status, "ok": True},
            )
        publish(session, "operation", row.id, "updated")
        session.flush()
        return read.object_json(session, row.id)

    return with_booking_retry(factory, work)


def dry_run(
    factory: sessionmaker[Session],
    *,
    operation_id: int | None,
    raw: Any,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    """``POST /api/operations/validate/`` (D-OP-21): the create/PUT verdict, nothing written."""
    with factory() as session:
        row = session.get(Operation, operation_id) if operation_id else None
        if operation_id and row is None:
            raise not_found()
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=False)
        pipeline.check_transition(draft, now)
        verdict = pipeline.stage_two(session, draft, tz)
        session.rollback()
    if verdict.rejection is not None:
        raise APIError(400, verdict.rejection.body)  # no audit, not even the conflict row


def remove(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    operation_id: int,
) -> None:
    with factory() as session, session.begin():
        row = load_for_write(session, operation_id)
        patient_id = row.patient_id
        # Devices and occupancy rows are owned children (cascade); a patient flow pointing
        # at the operation refuses the delete (D-OP-15).
        delete_unless_referenced(session, row, detail=FLOW_REFERENCE)
        record(session, principal, "operation_delete", patient_id=patient_id)
        publish(session, "operation", operation_id, "deleted")
