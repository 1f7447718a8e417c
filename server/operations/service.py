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
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from server.audit.service import record
from server.bookings import occupancy, writes
from server.bookings.locks import lock_subjects
from server.bookings.retry import with_booking_retry
from server.bookings.writes import BookingRequest
from server.core.body import RawBody
from server.core.errors import not_found
from server.operations import pipeline, read, scoping
from server.operations.models import Operation, OperationDevice
from shared.domain.events import LiveEntity
from shared.domain.statuses import OperationStatus
from shared.scheduling import Interval

FLOW_REFERENCE = "Operation is referenced by patient flow entries."
KIND = writes.Kind(LiveEntity.OPERATION, "operation_conflict", read.object_json)


def load_for_write(session: Session, operation_id: int) -> Operation:
    return writes.lock_row(session, Operation, operation_id)


def _lock(session: Session, drafts: Iterable[pipeline.Draft]) -> None:
    """Advisory locks on every doctor, patient and resource the old and new state touch."""
    doctors: list[int | None] = []
    patients: list[int | None] = []
    resources: set[int] = set()
    for draft in drafts:
        states = [draft.values]
        if draft.current is not None:
            states.append(pipeline.stored_values(draft.current))
            resources.update(draft.current_device_ids)
        for values in states:
            doctors.extend(values.get(n) for n in pipeline.TEAM_FIELDS)
            patients.append(values.get("patient_id"))
            resources.add(values["op_room"])
        resources.update(draft.device_ids)
    lock_subjects(session, doctor_ids=doctors, patient_ids=patients, resource_ids=resources)


def sync_occupancy(session: Session, row: Operation, device_ids: Iterable[int]) -> None:
    """Rewrite the operation's occupancy rows (04 §8): every team member as a doctor, the
    patient, the room and each device."""
    subjects: list[occupancy.Subject] = [("doctor", member) for member in row.team]
    subjects.append(("patient", row.patient_id))
    resources = dict.fromkeys([row.op_room_id, *device_ids])
    subjects += [("resource", resource) for resource in resources]
    occupancy.rewrite(session, "operation", row, subjects)


def _replace_devices(session: Session, row: Operation, device_ids: list[int]) -> None:
    writes.replace_links(session, OperationDevice, OperationDevice.operation_id, row.id, device_ids)


def _apply(row: Operation, draft: pipeline.Draft, block: Interval | None) -> None:
    pipeline.COLUMNS.apply(row, draft.values, status=OperationStatus.PLANNED.value, notes="")
    if block is not None:
        row.end_time = block.end


def create(request: BookingRequest, *, raw: Any) -> str:
    def work(session: Session) -> str:
        draft = pipeline.stage_one(session, raw, request.tz, current=None, partial=False)
        _lock(session, [draft])
        verdict = pipeline.stage_two(session, draft, request.tz)
        writes.refuse(session, request, KIND, verdict.rejection, raw)
        row = Operation()
        _apply(row, draft, verdict.block)

        def attach() -> None:
            _replace_devices(session, row, draft.device_ids)
            sync_occupancy(session, row, draft.device_ids)

        return writes.insert(session, request, KIND, row, attach)

    return with_booking_retry(request.factory, work)


def _status_audit(session: Session, request: BookingRequest, row: Operation, old: str) -> None:
    """``op_status_update`` when a PUT/PATCH moved the status (04 §5.4)."""
    if row.status != old:
        record(
            session,
            request.principal,
            "op_status_update",
            patient_id=row.patient_id,
            meta={"from": old, "to": row.status, "ok": True},
        )


def update(request: BookingRequest, *, booking_id: int, body: RawBody, partial: bool) -> str:
    tz = request.tz

    def work(session: Session) -> str:
        row = load_for_write(session, booking_id)
        scoping.ensure_writable(request.principal, row)
        raw = body.json()  # parsed after the lookup: 404 comes before 400 (00 §3)
        draft = pipeline.stage_one(session, raw, tz, current=row, partial=partial)
        pipeline.check_transition(draft, request.now)
        if draft.scheduling_changed:
            _lock(session, [draft])
        verdict = pipeline.stage_two(session, draft, tz)
        writes.refuse(session, request, KIND, verdict.rejection, raw)
        old_status = row.status
        _apply(row, draft, verdict.block if draft.recompute_end else None)
        row.updated_at = func.now()
        if draft.devices_sent:
            _replace_devices(session, row, draft.device_ids)
        session.flush()
        # Occupancy follows the schedule, and is released when the operation is cancelled.
        cancelled = OperationStatus.CANCELLED
        if draft.scheduling_changed or (row.status == cancelled) != (old_status == cancelled):
            sync_occupancy(session, row, draft.device_ids)
        writes.announce(session, request.principal, row, entity=KIND.entity, action="updated")
        _status_audit(session, request, row, old_status)
        session.flush()
        return read.object_json(session, row.id)

    return with_booking_retry(request.factory, work)


def dry_run(request: BookingRequest, *, booking_id: int | None, raw: Any) -> None:
    """``POST /api/operations/validate/`` (D-OP-21): the create/PUT verdict, nothing written."""
    with request.factory() as session:
        row = session.get(Operation, booking_id) if booking_id else None
        if booking_id and row is None:
            raise not_found()
        if row is not None:
            scoping.ensure_writable(request.principal, row)
        draft = pipeline.stage_one(session, raw, request.tz, current=row, partial=False)
        pipeline.check_transition(draft, request.now)
        verdict = pipeline.stage_two(session, draft, request.tz)
        session.rollback()
    if verdict.rejection is not None:  # no audit, not even the conflict row
        writes.reject(
            verdict.rejection, request.factory, request.principal, raw, conflict_action=None
        )


def remove(request: BookingRequest, *, booking_id: int) -> None:
    def load(session: Session) -> Operation:
        row = load_for_write(session, booking_id)
        scoping.ensure_writable(request.principal, row)
        return row

    writes.remove(request, load=load, entity=KIND.entity, referenced=FLOW_REFERENCE)
