"""Patient-flow writes: create, update (PUT/PATCH), status change, delete (spec 05 §6, §7, §9, §10).

Every write is one transaction: the flow, its status event, the audit rows and the live event
commit together or not at all.

Check order (05 §6, 00 §3): role (router policy, 403) → object lookup (404; a doctor's
lookup is restricted to own flows, so a foreign flow is 404) → done lock (403, D-PF-04) →
ownership of the body's links (403, D-PF-08) → rules 1–7 (400). The body is parsed after the
lookup, so a malformed body on an unknown id is still 404.

Concurrency (05 §10): every write on an existing flow first locks its row
(``SELECT … FOR NO KEY UPDATE`` — conflicts with itself like ``FOR UPDATE``, so two status
changes of one flow are serialised and the second is validated against the first one's
result; DELETE takes ``FOR UPDATE``). The weaker lock lets a concurrent delete of the linked
appointment/operation run its foreign-key check without deadlocking against us. Linked
appointments/operations are read ``FOR KEY SHARE``, so they cannot vanish between the
existence check and the insert. Rule 7 is guaranteed by partial unique indexes; their
violation answers with the rule-7 body, never a 500.

Decisions where the spec is silent:

* A status request for the current status (status endpoint) is audited
  (``from == to``) but writes no event, keeps ``status_changed_at`` and publishes no live
  event — nothing changed. A successful detail PUT/PATCH always publishes ``updated``.
* Ids ``<= 0`` in ``appointment_id`` / ``operation_id`` are "unknown ids" (rule 1, DRF's
  ``Invalid pk`` text), like in the original.
* An ``arrival_time`` within two days of the ends of the representable range (year 1,
  year 9999) is an ``arrival_time`` format error, never a 500.
* ``notes`` follows DRF's ``CharField(allow_null, allow_blank)``: surrounding whitespace is
  trimmed, ``""`` is kept as ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from psycopg import errors as pg_errors
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from server.audit.service import record
from server.core import timefmt
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import APIError, ValidationFailed, not_found, permission_denied
from server.core.events import publish
from server.core.fields import (
    BIGINT_MAX,
    ChoiceField,
    DateTimeField,
    FieldError,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
    notes_field,
)
from server.operations.models import Operation
from server.patient_flow import numbers, read, scoping, status
from server.patient_flow.models import (
    ACTIVE_APPOINTMENT_INDEX,
    ACTIVE_OPERATION_INDEX,
    FLOW_STATUSES,
    PatientFlow,
    PatientFlowStatusEvent,
)
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus, OperationStatus, PatientFlowStatus

NEED_ONE_LINK = "Entweder Termin oder Operation muss gesetzt sein."
ONLY_ONE_LINK = "Nur Termin oder Operation darf gesetzt sein, nicht beides."
CANCELLED_LINK = "Cannot create a patient flow for a cancelled appointment or operation."
ACTIVE_EXISTS = (
    "Für diesen Termin bzw. diese Operation existiert bereits ein aktiver Patientenfluss."
)
LINK_FIELDS = ("appointment_id", "operation_id")
_MARGIN = timedelta(days=2)


def write_serializer(tz: ZoneInfo) -> Serializer:
    """05 §6 writable fields; none is required at field level (rule 2 covers the link)."""
    return Serializer(
        "PatientFlowWrite",
        {
            "appointment_id": PrimaryKeyField(required=False, allow_null=True),
            "operation_id": PrimaryKeyField(required=False, allow_null=True),
            "status": ChoiceField(required=False, choices=FLOW_STATUSES),
            "arrival_time": DateTimeField(required=False, allow_null=True, tz=tz),
            "notes": notes_field(),
        },
    )


STATUS_SERIALIZER = Serializer("PatientFlowStatus", {"status": ChoiceField(choices=FLOW_STATUSES)})


def _rule(body: dict[str, Any]) -> APIError:
    return ValidationFailed(body)


def _non_field(message: str) -> APIError:
    return ValidationFailed({"non_field_errors": [message]})


# --- linked appointments / operations -------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """What the flow rules need of a linked appointment or operation."""

    patient_id: int
    status: str
    members: tuple[int, ...]  # the appointment's doctor, or the operation team


@dataclass
class Links:
    """Linked rows loaded once per request (``FOR KEY SHARE`` on writes)."""

    session: Session
    lock: bool
    _cache: dict[tuple[str, int], Link | None] = field(default_factory=dict)

    def get(self, name: str, link_id: int) -> Link | None:
        key = (name, link_id)
        if key not in self._cache:
            self._cache[key] = self._load(name, link_id)
        return self._cache[key]

    def _load(self, name: str, link_id: int) -> Link | None:
        if not 1 <= link_id <= BIGINT_MAX:
            return None
        if name == "appointment_id":
            query = select(Appointment.patient_id, Appointment.status, Appointment.doctor_id).where(
                Appointment.id == link_id
            )
            if self.lock:
                query = query.with_for_update(read=True, key_share=True)
            row = self.session.execute(query).first()
            return None if row is None else Link(row[0], row[1], (row[2],))
        op_query = select(
            Operation.patient_id,
            Operation.status,
            Operation.primary_surgeon_id,
            Operation.assistant_id,
            Operation.anesthesist_id,
        ).where(Operation.id == link_id)
        if self.lock:
            op_query = op_query.with_for_update(read=True, key_share=True)
        op = self.session.execute(op_query).first()
        if op is None:
            return None
        return Link(op[0], op[1], tuple(m for m in op[2:] if m is not None))

    def of_flow(self, flow: PatientFlow) -> Link | None:
        if flow.appointment_id is not None:
            return self.get("appointment_id", flow.appointment_id)
        if flow.operation_id is not None:
            return self.get("operation_id", flow.operation_id)
        return None


def _well_formed_ids(raw: Any) -> dict[str, int]:
    """The link ids of a body that parse as primary keys (the rest is left to rule 1)."""
    ids: dict[str, int] = {}
    if not isinstance(raw, dict):
        return ids
    for name in LINK_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        try:
            ids[name] = PrimaryKeyField().convert(value)
        except FieldError:
            continue
    return ids


def _check_ownership(principal: Principal, raw: Any, links: Links) -> None:
    """D-PF-08: a doctor may only link own appointments / operations of their team (403);
    the links are loaded lazily, as the scoping asks for them."""
    requested = _well_formed_ids(raw).items()
    scoping.ensure_may_link(principal, (links.get(name, link_id) for name, link_id in requested))


def _representable(moment: datetime, tz: ZoneInfo) -> bool:
    """A time whose surroundings can be read back in the practice zone (not near year 1 or
    9999, where the database would hand out timestamps Python cannot load)."""
    try:
        utc = moment.astimezone(UTC)
        for shift in (-_MARGIN, _MARGIN):
            (utc + shift).astimezone(tz)
    except OverflowError:
        return False
    return True


def _validate_fields(
    serializer: Serializer, raw: Any, links: Links, tz: ZoneInfo
) -> dict[str, Any]:
    """Rule 1: types, choices and existing ids, all field errors reported together."""
    cleaned, errors = serializer.collect(raw, partial=True)
    arrival = cleaned.get("arrival_time")
    if arrival is not None and not _representable(arrival, tz):
        errors["arrival_time"] = [timefmt.DATETIME_FORMAT_ERROR]
    for name in LINK_FIELDS:
        link_id = cleaned.get(name)
        if link_id is not None and links.get(name, link_id) is None:
            errors[name] = [does_not_exist(raw[name])]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _check_links(appointment_id: int | None, operation_id: int | None) -> None:
    """Rules 2 and 3: exactly one link."""
    if appointment_id is None and operation_id is None:
        raise _non_field(NEED_ONE_LINK)
    if appointment_id is not None and operation_id is not None:
        raise _non_field(ONLY_ONE_LINK)


def _check_no_active_flow(
    session: Session,
    appointment_id: int | None,
    operation_id: int | None,
    exclude_id: int | None = None,
) -> None:
    """Rule 7 (D-PF-07): at most one non-done flow per appointment and per operation."""
    query = select(PatientFlow.id).where(PatientFlow.status != PatientFlowStatus.DONE)
    if appointment_id is not None:
        query = query.where(PatientFlow.appointment_id == appointment_id)
    else:
        query = query.where(PatientFlow.operation_id == operation_id)
    if exclude_id is not None:
        query = query.where(PatientFlow.id != exclude_id)
    if session.scalar(query.limit(1)) is not None:
        raise _non_field(ACTIVE_EXISTS)


def _is_active_duplicate(exc: IntegrityError) -> bool:
    if not isinstance(exc.orig, pg_errors.UniqueViolation):
        return False
    return exc.orig.diag.constraint_name in (ACTIVE_APPOINTMENT_INDEX, ACTIVE_OPERATION_INDEX)


# --- flows ----------------------------------------------------------------------------------


def _load_for_write(
    session: Session, principal: Principal, flow_id: int, links: Links, *, deleting: bool = False
) -> PatientFlow:
    """Lock the flow row; 404 for unknown and (doctors) foreign flows; 403 when ``done``."""
    query = select(PatientFlow).where(PatientFlow.id == flow_id)
    query = query.with_for_update() if deleting else query.with_for_update(key_share=True)
    flow = session.scalar(query)
    if flow is None:
        raise not_found()
    scoping.ensure_writable(principal, lambda: links.of_flow(flow))
    if flow.status == PatientFlowStatus.DONE:
        raise permission_denied()  # D-PF-04: the done lock, for every role and write
    return flow


def _add_event(
    session: Session,
    flow: PatientFlow,
    old: str | None,
    new: str,
    principal: Principal,
    now: datetime,
) -> None:
    session.add(
        PatientFlowStatusEvent(
            flow_id=flow.id, from_status=old, to_status=new, changed_at=now, user_id=principal.id
        )
    )


def _move(
    session: Session, flow: PatientFlow, new: str, principal: Principal, now: datetime
) -> None:
    """An actual status change: new status, ``status_changed_at`` (D-PF-06) and its event."""
    old = flow.status
    flow.status = new
    flow.status_changed_at = now
    _add_event(session, flow, old, new, principal, now)


def _render(session: Session, flow_id: int, now: datetime) -> str:
    text_json = read.object_json(session, flow_id, now)
    assert text_json is not None  # written in this very transaction
    return text_json


def _duplicate_guard(exc: IntegrityError) -> None:
    """A concurrent request won rule 7 (partial unique index): the rule-7 body, not a 500."""
    if _is_active_duplicate(exc):
        raise _non_field(ACTIVE_EXISTS) from exc


def create(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    body: RawBody,
    tz: ZoneInfo,
    now: datetime,
) -> str:
    try:
        with factory() as session, session.begin():
            raw = body.json()
            links = Links(session, lock=True)
            _check_ownership(principal, raw, links)
            cleaned = _validate_fields(write_serializer(tz), raw, links, tz)
            appointment_id = cleaned.get("appointment_id")
            operation_id = cleaned.get("operation_id")
            _check_links(appointment_id, operation_id)
            link = (
                links.get("appointment_id", appointment_id)
                if appointment_id is not None
                else links.get("operation_id", operation_id)  # type: ignore[arg-type]
            )
            assert link is not None  # rule 1 checked existence
            if link.status in (AppointmentStatus.CANCELLED, OperationStatus.CANCELLED):
                raise _non_field(CANCELLED_LINK)  # rule 4, D-PF-14
            initial = cleaned.get("status", PatientFlowStatus.REGISTERED.value)
            error = status.initial_status_error(initial)
            if error is not None:
                raise _rule(error)  # rule 6, D-PF-03
            _check_no_active_flow(session, appointment_id, operation_id)  # rule 7
            flow = PatientFlow(
                appointment_id=appointment_id,
                operation_id=operation_id,
                status=initial,
                # D-PF-05: omitted → creation time; an explicit null stays null.
                arrival_time=cleaned.get("arrival_time", now),
                status_changed_at=now,
                notes=cleaned.get("notes"),
            )
            session.add(flow)
            numbers.assign_number(session, flow, now, tz)  # issue 20: the number at check-in
            session.flush()
            _add_event(session, flow, None, initial, principal, now)
            record(
                session,
                principal,
                "patient_flow_create",
                patient_id=link.patient_id,
                meta={"flow_id": flow.id, "status": initial},
            )
            publish(session, LiveEntity.PATIENT_FLOW, flow.id, "created")
            session.flush()
            return _render(session, flow.id, now)
    except IntegrityError as exc:
        _duplicate_guard(exc)
        raise


def update(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    flow_id: int,
    body: RawBody,
    tz: ZoneInfo,
    now: datetime,
    partial: bool,
) -> str:
    """Detail PUT/PATCH (05 §6, D-PF-11, D-PF-15); a status change follows §3 (rule 5)."""
    try:
        with factory() as session, session.begin():
            links = Links(session, lock=True)
            flow = _load_for_write(session, principal, flow_id, links)
            raw = body.json()  # after the lookup and the done lock (00 §3)
            _check_ownership(principal, raw, links)
            cleaned = _validate_fields(write_serializer(tz), raw, links, tz)
            if partial:
                appointment_id = cleaned.get("appointment_id", flow.appointment_id)
                operation_id = cleaned.get("operation_id", flow.operation_id)
            else:  # D-PF-15: PUT takes the links from the payload alone
                appointment_id = cleaned.get("appointment_id")
                operation_id = cleaned.get("operation_id")
            _check_links(appointment_id, operation_id)
            old = flow.status
            new = cleaned.get("status", old)
            if new != old:
                error = status.transition_error(old, new)
                if error is not None:
                    raise _rule(error)  # rule 5
            relinked = (appointment_id, operation_id) != (flow.appointment_id, flow.operation_id)
            if relinked and new != PatientFlowStatus.DONE:
                _check_no_active_flow(session, appointment_id, operation_id, flow.id)
            flow.appointment_id = appointment_id
            flow.operation_id = operation_id
            if "arrival_time" in cleaned:
                flow.arrival_time = cleaned["arrival_time"]
            if "notes" in cleaned:
                flow.notes = cleaned["notes"]
            if new != old:
                _move(session, flow, new, principal, now)
            session.flush()
            record(session, principal, "patient_flow_update")
            if new != old:
                link = links.of_flow(flow)
                record(
                    session,
                    principal,
                    "patient_flow_status_update",
                    patient_id=link.patient_id if link else None,
                    meta={"flow_id": flow.id, "from": old, "to": new},
                )
            publish(session, LiveEntity.PATIENT_FLOW, flow.id, "updated")
            session.flush()
            return _render(session, flow.id, now)
    except IntegrityError as exc:
        _duplicate_guard(exc)
        raise


def change_status(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    flow_id: int,
    body: RawBody,
    now: datetime,
) -> str:
    """``PATCH /api/patient-flow/{id}/status/`` (05 §7): ``{"status": "<new>"}``."""
    with factory() as session, session.begin():
        links = Links(session, lock=False)
        flow = _load_for_write(session, principal, flow_id, links)
        new = STATUS_SERIALIZER.validate(body.json())["status"]  # D-PF-12: required
        old = flow.status
        if new != old:
            error = status.transition_error(old, new)
            if error is not None:
                raise _rule(error)
            _move(session, flow, new, principal, now)
            publish(session, LiveEntity.PATIENT_FLOW, flow.id, "updated")
        link = links.of_flow(flow)
        record(
            session,
            principal,
            "patient_flow_status_update",
            patient_id=link.patient_id if link else None,
            meta={"flow_id": flow.id, "from": old, "to": new},
        )
        session.flush()
        return _render(session, flow.id, now)


def remove(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    flow_id: int,
) -> None:
    """Hard delete; the status events go with the flow (CASCADE)."""
    with factory() as session, session.begin():
        links = Links(session, lock=False)
        flow = _load_for_write(session, principal, flow_id, links, deleting=True)
        link = links.of_flow(flow)
        session.delete(flow)
        session.flush()
        record(
            session,
            principal,
            "patient_flow_delete",
            patient_id=link.patient_id if link else None,
            meta={"flow_id": flow_id},
        )
        publish(session, LiveEntity.PATIENT_FLOW, flow_id, "deleted")
