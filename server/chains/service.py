"""Chain suggestions, atomic chain booking, cancelling and moving steps (docs/series-and-chains.md).

Every write is one transaction: the chain row, its step links, every appointment and
operation with their resource links and occupancy rows, one audit entry for the chain plus
one per appointment/operation, and the live events commit together or not at all.

Booking takes the advisory locks of every doctor, the patient and every resource of every
step (``server.bookings.locks``, one global order, so chains and single bookings never
deadlock), then loads the scheduling data once and checks the whole chain with the pure
``shared.scheduling.chains.verify_chain``. The occupancy exclusion constraint stays the
guarantee; if it fires anyway the whole booking re-runs once, and a chain that lost its race
answers 409 naming the first step that is no longer free, with fresh options.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.appointments.service import sync_occupancy as sync_appointment_occupancy
from server.audit.service import record
from server.bookings import scheduling_data, writes
from server.bookings.locks import lock_subjects
from server.chains import data as chain_data
from server.chains import read, templates
from server.chains.models import AppointmentChain, AppointmentChainStep, ChainTemplate
from server.core.access import Principal
from server.core.errors import APIError, ValidationFailed, not_found
from server.core.events import publish
from server.core.fields import (
    BIGINT_MAX,
    BooleanField,
    DateTimeField,
    Field,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.core.timefmt import format_datetime
from server.master_data.models import Resource
from server.operations.models import Operation, OperationDevice
from server.operations.service import sync_occupancy as sync_operation_occupancy
from server.users.models import User
from server.users.scoping import own_rows_of
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus, OperationStatus
from shared.scheduling import SchedulingData, local_date
from shared.scheduling.chains import (
    BookedTime,
    ChainSearch,
    ChainStep,
    Placement,
    StepProblem,
    check_gap,
    check_placement,
    latest_gap_days,
    suggest_chains,
)

T = TypeVar("T")

DEFAULT_LIMIT = 5
MAX_LIMIT = 10
DEFAULT_HORIZON_DAYS = 42
MAX_HORIZON_DAYS = 90
CANDIDATES_PER_STEP = 6
MAX_NODES = 4000
FIRST_PHASE_DAYS = 7

TEMPLATE_INACTIVE = "Die Vorlage ist inaktiv."
STEP_COUNT = "Genau ein Eintrag je Schritt der Vorlage ({count})."
OWN_ONLY = "Ärzte dürfen nur eigene Terminketten buchen."
CHAIN_CANCELLED = "Die Terminkette ist abgesagt."
STEP_CANCELLED = "Dieser Schritt ist bereits abgesagt."
STEP_NOT_ACTIVE = "Nur geplante Schritte können verschoben werden."
GAP_VIOLATIONS = "Die Abstände folgender Schritte passen nicht mehr. Bitte bestätigen."
RACE_LOST = "Schritt {position} ({name}) ist nicht mehr frei."
RACE_UNKNOWN = "Die Terminkette konnte nicht gebucht werden, bitte erneut versuchen."

PROBLEM_TEXTS = {
    StepProblem.DOCTOR_NOT_ALLOWED: "Dieser Arzt ist für den Schritt nicht vorgesehen.",
    StepProblem.ROOM_NOT_ALLOWED: "Dieser Raum ist für den Schritt nicht vorgesehen.",
    StepProblem.DURATION: "Die Dauer passt nicht zum Schritt.",
    StepProblem.GAP: "Der Abstand zum vorigen Schritt passt nicht.",
    StepProblem.PAST: "Der Schritt liegt in der Vergangenheit.",
    StepProblem.HOURS: "Außerhalb der Sprechzeiten.",
    StepProblem.ABSENCE: "Der Arzt ist abwesend.",
    StepProblem.BUSY: "Zu dieser Zeit belegt (Arzt, Patient oder Ressource).",
}
# A lost race (or data that changed since the options were shown): 409 with fresh options.
RACE_PROBLEMS = frozenset({StepProblem.BUSY, StepProblem.HOURS, StepProblem.ABSENCE})

ACTIVE_APPOINTMENT = (AppointmentStatus.SCHEDULED.value, AppointmentStatus.CONFIRMED.value)
ACTIVE_OPERATION = (OperationStatus.PLANNED.value, OperationStatus.CONFIRMED.value)


@dataclass(frozen=True)
class Context:
    factory: sessionmaker[Session]
    principal: Principal
    tz: ZoneInfo
    now: datetime


# -- helpers ----------------------------------------------------------------------------


def _is_race(exc: DBAPIError) -> bool:
    return isinstance(
        exc.orig,
        pg_errors.ExclusionViolation | pg_errors.DeadlockDetected | pg_errors.SerializationFailure,
    )


def _run(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T | None:
    """``work`` in a transaction, re-run once after a lost occupancy race; None if lost twice."""
    for _ in range(2):
        with factory() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if not _is_race(exc):
                    raise
    return None


def load_template(session: Session, template_id: int) -> ChainTemplate:
    row = session.get(ChainTemplate, template_id) if 1 <= template_id <= BIGINT_MAX else None
    if row is None:
        raise not_found()
    return row


def _search_steps(rules: Sequence[dict[str, Any]], principal: Principal) -> list[ChainStep]:
    return [templates.search_step(rule, only_doctor=own_rows_of(principal)) for rule in rules]


def _ensure_doctor_may(principal: Principal, rules: Sequence[dict[str, Any]]) -> None:
    """A doctor books (and asks for) only chains whose every step they can take."""
    own = own_rows_of(principal)
    if own is not None and any(own not in rule["doctor_ids"] for rule in rules):
        raise APIError(403, {"detail": OWN_ONLY})


def _subjects(rules: Sequence[dict[str, Any]]) -> tuple[set[int], set[int]]:
    doctors = {d for rule in rules for d in rule["doctor_ids"]}
    resources = {r for rule in rules for r in (*rule["room_ids"], *rule["resource_ids"])}
    return doctors, resources


def _load(
    session: Session,
    ctx: Context,
    rules: Sequence[dict[str, Any]],
    steps: Sequence[ChainStep],
    first_day: date,
    days: int,
    patient_id: int,
) -> tuple[SchedulingData, BookedTime]:
    doctors, resources = _subjects(rules)
    last_day = first_day + timedelta(days=days - 1 + latest_gap_days(steps))
    return chain_data.load_for_search(
        session,
        ctx.tz,
        first_day,
        last_day,
        doctor_ids=doctors,
        resource_ids=resources,
        patient_id=patient_id,
    )


def _resource_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.query(Resource.id, Resource.name).filter(Resource.id.in_(ids)).all()
    return {row[0]: row[1] for row in rows}


def _doctor_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.query(User).filter(User.id.in_(ids))}


def options_json(
    session: Session,
    rules: Sequence[dict[str, Any]],
    options: Sequence[Sequence[Placement]],
    tz: ZoneInfo,
) -> list[dict[str, Any]]:
    doctors = {p.doctor_id for option in options for p in option}
    resources = {r for option in options for p in option for r in p.all_resource_ids}
    doctor_names = _doctor_names(session, doctors)
    resource_names = _resource_names(session, resources)
    return [
        {
            "steps": [
                {
                    "position": rule["position"],
                    "name": rule["name"],
                    "kind": rule["kind"],
                    "start_time": format_datetime(p.start, tz),
                    "end_time": format_datetime(p.end, tz),
                    "doctor": p.doctor_id,
                    "doctor_name": doctor_names.get(p.doctor_id, ""),
                    "room": p.room_id,
                    "room_name": resource_names.get(p.room_id) if p.room_id else None,
                    "resource_ids": sorted(p.resource_ids),
                    "resource_names": [resource_names.get(r, "") for r in sorted(p.resource_ids)],
                }
                for rule, p in zip(rules, option, strict=True)
            ]
        }
        for option in options
    ]


# -- suggest ----------------------------------------------------------------------------

SUGGEST_QUERY = Serializer(
    "ChainSuggestQuery",
    {
        "patient_id": IntegerField(min_value=1, max_value=BIGINT_MAX),
        "start_date": Field(required=False, default=None),
        "limit": IntegerField(min_value=1, max_value=MAX_LIMIT, required=False, default=5),
        "horizon_days": IntegerField(
            min_value=1, max_value=MAX_HORIZON_DAYS, required=False, default=DEFAULT_HORIZON_DAYS
        ),
    },
)


@dataclass(frozen=True)
class SuggestQuery:
    patient_id: int
    start_date: date
    limit: int = DEFAULT_LIMIT
    horizon_days: int = DEFAULT_HORIZON_DAYS


def suggest_in(
    session: Session,
    ctx: Context,
    rules: Sequence[dict[str, Any]],
    query: SuggestQuery,
) -> dict[str, Any]:
    """Options for ``rules`` from ``query.start_date`` (no audit, no write).

    Two phases: the first week of the horizon is loaded and searched on its own, and only
    when it holds fewer than ``limit`` options is the rest loaded and searched. Most
    answers need only the first week, and the load (every booking of the steps' doctors
    and resources) is most of the work.
    """
    steps = tuple(_search_steps(rules, ctx.principal))
    phases = [(query.start_date, min(FIRST_PHASE_DAYS, query.horizon_days))]
    if query.horizon_days > FIRST_PHASE_DAYS:
        phases.append(
            (
                query.start_date + timedelta(days=FIRST_PHASE_DAYS),
                query.horizon_days - FIRST_PHASE_DAYS,
            )
        )
    options: list[tuple[Placement, ...]] = []
    nodes = 0
    exhausted = False
    for first_day, days in phases:
        data, booked = _load(session, ctx, rules, steps, first_day, days, query.patient_id)
        result = suggest_chains(
            data,
            ChainSearch(
                steps=steps,
                patient_id=query.patient_id,
                first_day=first_day,
                not_before=ctx.now,
                horizon_days=days,
                limit=query.limit - len(options),
                candidates_per_step=CANDIDATES_PER_STEP,
                max_nodes=MAX_NODES - nodes,
            ),
            booked=booked,
        )
        options.extend(result.options)
        nodes += result.nodes
        if result.budget_exhausted:
            exhausted = True
            break
        if len(options) >= query.limit or nodes >= MAX_NODES:
            break
    return {
        "options": options_json(session, rules, options, ctx.tz),
        "complete": not exhausted,
    }


def suggest(session: Session, ctx: Context, template_id: int, query: SuggestQuery) -> str | Any:
    template = load_template(session, template_id)
    rules = [templates.step_rule(step) for step in templates.steps_of(session, template.id)]
    _ensure_doctor_may(ctx.principal, rules)
    answer = suggest_in(session, ctx, rules, query)
    return {
        "template": template.id,
        "patient_id": query.patient_id,
        "start_date": query.start_date.isoformat(),
        "horizon_days": query.horizon_days,
        **answer,
    }


# -- book -------------------------------------------------------------------------------


def _book_serializer(tz: ZoneInfo) -> Serializer:
    return Serializer(
        "ChainBooking",
        {
            "template": PrimaryKeyField(),
            "patient_id": IntegerField(min_value=1, max_value=BIGINT_MAX),
            "steps": ListField(child=Field()),
            "notes": Field(required=False, default=""),
        },
    )


def _step_serializer(tz: ZoneInfo) -> Serializer:
    return Serializer(
        "ChainBookingStep",
        {
            "start_time": DateTimeField(tz=tz),
            "doctor": PrimaryKeyField(),
            "room": PrimaryKeyField(allow_null=True, required=False, default=None),
        },
    )


@dataclass(frozen=True)
class Booking:
    template: ChainTemplate
    rules: list[dict[str, Any]]
    steps: list[ChainStep]
    placements: list[Placement]
    patient_id: int


def _parse_booking(session: Session, ctx: Context, raw: Any) -> Booking:
    cleaned, errors = _book_serializer(ctx.tz).collect(raw)
    template = None
    if "template" in cleaned:
        template = session.get(ChainTemplate, cleaned["template"])
        if template is None:
            errors["template"] = [does_not_exist(cleaned["template"])]
        elif not template.active:
            errors["template"] = [TEMPLATE_INACTIVE]
    if errors:
        raise ValidationFailed(errors)
    assert template is not None
    rules = [templates.step_rule(step) for step in templates.steps_of(session, template.id)]
    raw_steps = cleaned["steps"]
    if len(raw_steps) != len(rules):
        raise ValidationFailed({"steps": [STEP_COUNT.format(count=len(rules))]})
    _ensure_doctor_may(ctx.principal, rules)
    steps = [templates.search_step(rule) for rule in rules]
    placements: list[Placement] = []
    step_errors: list[dict[str, Any]] = []
    for step, item in zip(steps, raw_steps, strict=True):
        try:
            values = _step_serializer(ctx.tz).validate(item)
        except ValidationFailed as exc:
            step_errors.append(exc.body)
            continue
        step_errors.append({})
        start = values["start_time"]
        placements.append(Placement(start, start + step.duration, values["doctor"], values["room"]))
    if any(step_errors):
        raise ValidationFailed({"steps": step_errors})
    # Structural problems are the caller's mistake (400), not a lost race.
    practice = _practice(session, ctx)
    for index, (step, placement) in enumerate(zip(steps, placements, strict=True)):
        problem = None
        if placement.doctor_id not in step.doctor_ids:
            problem = ("doctor", StepProblem.DOCTOR_NOT_ALLOWED)
        elif (step.room_ids and placement.room_id not in step.room_ids) or (
            not step.room_ids and placement.room_id is not None
        ):
            problem = ("room", StepProblem.ROOM_NOT_ALLOWED)
        elif placement.start < ctx.now:
            problem = ("start_time", StepProblem.PAST)
        elif index and not check_gap(placements[index - 1], placement.start, step.gap, practice):
            problem = ("start_time", StepProblem.GAP)
        if problem is not None:
            errors_list: list[dict[str, Any]] = [{} for _ in steps]
            errors_list[index] = {problem[0]: [PROBLEM_TEXTS[problem[1]]]}
            raise ValidationFailed({"steps": errors_list})
    placements = [
        Placement(p.start, p.end, p.doctor_id, p.room_id, step.resource_ids)
        for step, p in zip(steps, placements, strict=True)
    ]
    return Booking(template, rules, steps, placements, cleaned["patient_id"])


def _practice(session: Session, ctx: Context) -> SchedulingData:
    """The practice hours (all "next working day" needs), without any booking."""
    today = local_date(ctx.now, ctx.tz)
    return scheduling_data.load(
        session, ctx.tz, today, today, doctor_ids=(), only_doctors_bookings=True
    )


def _insert_step(
    session: Session,
    ctx: Context,
    rule: dict[str, Any],
    placement: Placement,
    patient_id: int,
    notes: str,
) -> tuple[str, int]:
    if rule["kind"] == "operation":
        operation = Operation(
            patient_id=patient_id,
            primary_surgeon_id=placement.doctor_id,
            op_room_id=placement.room_id,
            op_type_id=rule["op_type"],
            start_time=placement.start,
            end_time=placement.end,
            status=OperationStatus.PLANNED.value,
            notes=notes,
        )
        session.add(operation)
        session.flush()
        devices = sorted(placement.resource_ids)
        writes.replace_links(
            session, OperationDevice, OperationDevice.operation_id, operation.id, devices
        )
        sync_operation_occupancy(session, operation, devices)
        writes.announce(session, ctx.principal, operation, entity="operation", action="created")
        return "operation", operation.id
    appointment = Appointment(
        patient_id=patient_id,
        doctor_id=placement.doctor_id,
        type_id=rule["appointment_type"],
        start_time=placement.start,
        end_time=placement.end,
        status=AppointmentStatus.SCHEDULED.value,
        notes=notes,
    )
    session.add(appointment)
    session.flush()
    resources = sorted(placement.all_resource_ids)
    writes.replace_links(
        session, AppointmentResource, AppointmentResource.appointment_id, appointment.id, resources
    )
    sync_appointment_occupancy(session, appointment, resources)
    writes.announce(session, ctx.principal, appointment, entity="appointment", action="created")
    return "appointment", appointment.id


@dataclass
class _Lost:
    index: int | None
    problem: StepProblem | None


def book(ctx: Context, raw: Any) -> dict[str, Any]:
    """``POST /api/chains/``: every step or none."""
    with ctx.factory() as session:
        booking = _parse_booking(session, ctx, raw)
        notes = raw.get("notes") if isinstance(raw, dict) else ""
    notes = notes if isinstance(notes, str) and "\x00" not in notes else ""
    notes = notes[:10_000]
    lost = _Lost(None, None)

    def work(session: Session) -> dict[str, Any] | None:
        doctors = {p.doctor_id for p in booking.placements}
        resources = {r for p in booking.placements for r in p.all_resource_ids}
        lock_subjects(
            session,
            doctor_ids=sorted(doctors),
            patient_ids=[booking.patient_id],
            resource_ids=sorted(resources),
        )
        first_day = local_date(booking.placements[0].start, ctx.tz)
        last_day = local_date(booking.placements[-1].end, ctx.tz)
        data = chain_data.load(
            session,
            ctx.tz,
            first_day,
            last_day,
            doctor_ids=doctors,
            resource_ids=resources,
            patient_id=booking.patient_id,
        )
        for index, (step, placement) in enumerate(
            zip(booking.steps, booking.placements, strict=True)
        ):
            problem = check_placement(
                data, step, placement, patient_id=booking.patient_id, not_before=ctx.now
            )
            if problem is not None:
                lost.index, lost.problem = index, problem
                session.rollback()
                return None
        chain = AppointmentChain(
            template_id=booking.template.id,
            name=booking.template.name,
            patient_id=booking.patient_id,
            doctor_ids=sorted(doctors),
            status="active",
            step_count=len(booking.rules),
            rules=booking.rules,
            created_by=ctx.principal.id,
        )
        session.add(chain)
        session.flush()
        booked = []
        for rule, placement in zip(booking.rules, booking.placements, strict=True):
            kind, booking_id = _insert_step(
                session, ctx, rule, placement, booking.patient_id, notes
            )
            session.add(
                AppointmentChainStep(
                    chain_id=chain.id,
                    position=rule["position"],
                    name=rule["name"],
                    appointment_id=booking_id if kind == "appointment" else None,
                    operation_id=booking_id if kind == "operation" else None,
                )
            )
            booked.append({"position": rule["position"], kind: booking_id})
        session.flush()
        record(
            session,
            ctx.principal,
            "chain_create",
            patient_id=booking.patient_id,
            meta={"chain_id": chain.id, "template_id": booking.template.id, "steps": booked},
        )
        publish(session, LiveEntity.CHAIN, chain.id, "created")
        session.flush()
        session.refresh(chain)
        return read.chain_json(session, chain, ctx.tz)

    result = _run(ctx.factory, work)
    if result is not None:
        return result
    _refuse_lost(ctx, booking, lost)
    raise AssertionError("unreachable")


def _refuse_lost(ctx: Context, booking: Booking, lost: _Lost) -> None:
    """409 naming the step that is no longer free, with fresh options from its first day."""
    with ctx.factory() as session:
        query = SuggestQuery(
            patient_id=booking.patient_id,
            start_date=max(
                local_date(booking.placements[0].start, ctx.tz), local_date(ctx.now, ctx.tz)
            ),
            limit=DEFAULT_LIMIT,
            horizon_days=DEFAULT_HORIZON_DAYS,
        )
        fresh = suggest_in(session, ctx, booking.rules, query)
        record(
            session,
            ctx.principal,
            "chain_conflict",
            patient_id=booking.patient_id,
            meta={"template_id": booking.template.id, "step": _position(booking, lost.index)},
        )
        session.commit()
    body: dict[str, Any] = {"options": fresh["options"]}
    if lost.index is None or lost.problem is None:
        body.update(detail=RACE_UNKNOWN, step=None, step_name=None, reason="busy")
    else:
        rule = booking.rules[lost.index]
        body.update(
            detail=RACE_LOST.format(position=rule["position"], name=rule["name"]),
            step=rule["position"],
            step_name=rule["name"],
            reason=lost.problem.value,
        )
    raise APIError(409, body)


def _position(booking: Booking, index: int | None) -> int | None:
    return None if index is None else booking.rules[index]["position"]


# -- read -------------------------------------------------------------------------------


def load_chain(session: Session, principal: Principal, chain_id: int) -> AppointmentChain:
    chain = session.get(AppointmentChain, chain_id) if 1 <= chain_id <= BIGINT_MAX else None
    if chain is None or not read.is_visible(principal, chain):
        raise not_found()
    return chain


# -- cancel / move ----------------------------------------------------------------------


@dataclass
class _Step:
    link: AppointmentChainStep
    rule: dict[str, Any]
    booking: Appointment | Operation

    @property
    def active(self) -> bool:
        if isinstance(self.booking, Appointment):
            return self.booking.status in ACTIVE_APPOINTMENT
        return self.booking.status in ACTIVE_OPERATION

    def placement(self) -> Placement:
        if isinstance(self.booking, Appointment):
            doctor = self.booking.doctor_id
            room = None
        else:
            doctor = self.booking.primary_surgeon_id
            room = self.booking.op_room_id
        return Placement(self.booking.start_time, self.booking.end_time, doctor, room)


def _steps(session: Session, chain: AppointmentChain, *, lock: bool) -> list[_Step]:
    rules = {rule["position"]: rule for rule in chain.rules}
    steps = []
    for link in read.links(session, chain.id):
        booking: Appointment | Operation | None
        if link.appointment_id is not None:
            booking = session.get(Appointment, link.appointment_id, with_for_update=lock)
        else:
            booking = session.get(Operation, link.operation_id, with_for_update=lock)
        assert booking is not None
        steps.append(_Step(link, rules[link.position], booking))
    return steps


def _find(steps: list[_Step], position: int) -> _Step:
    for step in steps:
        if step.link.position == position:
            return step
    raise not_found()


def _broken(practice: SchedulingData, timeline: list[tuple[_Step, Placement]]) -> dict[int, _Step]:
    """Steps whose gap rule to the step before (in ``timeline``) is broken, by position."""
    broken = {}
    for (_, previous), (step, placement) in itertools.pairwise(timeline):
        gap = templates.search_step(step.rule).gap
        if not check_gap(previous, placement.start, gap, practice):
            broken[step.link.position] = step
    return broken


def _violations(
    practice: SchedulingData, steps: list[_Step], changed: _Step, new: Placement | None
) -> list[dict[str, Any]]:
    """Gap rules newly broken once ``changed`` moves to ``new`` (None: is cancelled).

    The gap of a step is measured to the step before it that is still planned, so after a
    cancel the next step is checked against the one before the cancelled step.
    """
    before = [(step, step.placement()) for step in steps if step.active]
    after: list[tuple[_Step, Placement]] = []
    for step in steps:
        if step is changed:
            if new is not None:
                after.append((step, new))
        elif step.active:
            after.append((step, step.placement()))
    old = _broken(practice, before)
    return [
        {
            "step": position,
            "step_name": step.link.name,
            "message": PROBLEM_TEXTS[StepProblem.GAP],
        }
        for position, step in sorted(_broken(practice, after).items())
        if position not in old
    ]


def _move_serializer(tz: ZoneInfo) -> Serializer:
    return Serializer(
        "ChainStepMove",
        {
            "start_time": DateTimeField(tz=tz),
            "doctor": PrimaryKeyField(required=False, default=None),
            "room": PrimaryKeyField(allow_null=True, required=False, default=None),
            "accept_violations": BooleanField(required=False, default=False),
        },
    )


CANCEL_SERIALIZER = Serializer(
    "ChainStepCancel", {"accept_violations": BooleanField(required=False, default=False)}
)


@dataclass(frozen=True)
class StepPlan:
    """What a move or cancel of one step would do: a hard problem and gap violations."""

    problem: dict[str, Any] | None
    violations: list[dict[str, Any]]
    placement: Placement | None


def _plan_move(
    session: Session,
    ctx: Context,
    chain: AppointmentChain,
    steps: list[_Step],
    step: _Step,
    values: dict[str, Any],
) -> StepPlan:
    if not step.active:
        return StepPlan({"detail": STEP_NOT_ACTIVE}, [], None)
    rule_step = templates.search_step(step.rule)
    current = step.placement()
    doctor = values["doctor"] if values["doctor"] is not None else current.doctor_id
    room = values["room"] if values["room"] is not None else current.room_id
    if rule_step.room_ids and room is None:
        room = rule_step.room_ids[0]
    if not rule_step.room_ids:
        room = None
    start = values["start_time"]
    placement = Placement(
        start, start + (current.end - current.start), doctor, room, rule_step.resource_ids
    )
    data = chain_data.load(
        session,
        ctx.tz,
        local_date(start, ctx.tz),
        local_date(placement.end, ctx.tz),
        doctor_ids=[doctor],
        resource_ids=placement.all_resource_ids,
        patient_id=chain.patient_id,
    )
    own = own_rows_of(ctx.principal)
    problem = None
    if own is not None and doctor != own:
        problem = StepProblem.DOCTOR_NOT_ALLOWED
    if problem is None:
        problem = check_placement(
            data,
            replace(rule_step, duration=placement.end - placement.start),
            placement,
            patient_id=chain.patient_id,
            not_before=ctx.now,
            exclude_appointment_id=step.booking.id
            if isinstance(step.booking, Appointment)
            else None,
            exclude_operation_id=step.booking.id if isinstance(step.booking, Operation) else None,
        )
    if problem is not None:
        return StepPlan(
            {
                "detail": PROBLEM_TEXTS[problem],
                "step": step.link.position,
                "step_name": step.link.name,
                "reason": problem.value,
            },
            [],
            placement,
        )
    return StepPlan(None, _violations(data, steps, step, placement), placement)


def _plan_cancel(session: Session, ctx: Context, steps: list[_Step], step: _Step) -> StepPlan:
    if not step.active:
        return StepPlan({"detail": STEP_CANCELLED}, [], None)
    return StepPlan(None, _violations(_practice(session, ctx), steps, step, None), None)


def _ensure_open(chain: AppointmentChain) -> None:
    if chain.status != "active":
        raise APIError(400, {"detail": CHAIN_CANCELLED})


def validate_step(
    ctx: Context, chain_id: int, position: int, parse: Callable[[], tuple[str, Any]]
) -> dict[str, Any]:
    """``POST …/steps/{position}/validate/``: what a move or cancel would do, nothing saved."""
    with ctx.factory() as session:
        chain = load_chain(session, ctx.principal, chain_id)
        steps = _steps(session, chain, lock=False)
        step = _find(steps, position)
        action, raw = parse()  # after the lookups: 404 before 400
        _ensure_open(chain)
        if action == "cancel":
            plan = _plan_cancel(session, ctx, steps, step)
        else:
            values = _move_serializer(ctx.tz).validate(raw)
            plan = _plan_move(session, ctx, chain, steps, step, values)
        session.rollback()
    return {
        "ok": plan.problem is None and not plan.violations,
        "problem": plan.problem,
        "violations": plan.violations,
    }


def _set_status(session: Session, ctx: Context, step: _Step, *, cancelled: bool) -> None:
    booking = step.booking
    if isinstance(booking, Appointment):
        booking.status = AppointmentStatus.CANCELLED.value
        session.flush()
        sync_appointment_occupancy(session, booking, [])
        writes.announce(session, ctx.principal, booking, entity="appointment", action="updated")
    else:
        booking.status = OperationStatus.CANCELLED.value
        session.flush()
        sync_operation_occupancy(session, booking, [])
        writes.announce(session, ctx.principal, booking, entity="operation", action="updated")


def _touch(session: Session, chain: AppointmentChain) -> None:
    from sqlalchemy import func

    chain.updated_at = func.now()
    session.flush()
    session.refresh(chain)


def move_step(
    ctx: Context, chain_id: int, position: int, raw_body: Callable[[], Any]
) -> dict[str, Any]:
    def work(session: Session) -> dict[str, Any]:
        chain = load_chain(session, ctx.principal, chain_id)
        steps = _steps(session, chain, lock=True)
        step = _find(steps, position)
        values = _move_serializer(ctx.tz).validate(raw_body())
        _ensure_open(chain)
        current = step.placement()
        doctor = values["doctor"] or current.doctor_id
        lock_subjects(
            session,
            doctor_ids=[doctor, current.doctor_id],
            patient_ids=[chain.patient_id],
            resource_ids=sorted(set(step.rule["room_ids"]) | set(step.rule["resource_ids"])),
        )
        plan = _plan_move(session, ctx, chain, steps, step, values)
        if plan.problem is not None:
            raise APIError(400, plan.problem)
        if plan.violations and not values["accept_violations"]:
            raise APIError(409, {"detail": GAP_VIOLATIONS, "violations": plan.violations})
        assert plan.placement is not None
        booking = step.booking
        booking.start_time = plan.placement.start
        booking.end_time = plan.placement.end
        resources = sorted(plan.placement.all_resource_ids)
        if isinstance(booking, Appointment):
            booking.doctor_id = plan.placement.doctor_id
            writes.replace_links(
                session,
                AppointmentResource,
                AppointmentResource.appointment_id,
                booking.id,
                resources,
            )
            session.flush()
            sync_appointment_occupancy(session, booking, resources)
            writes.announce(session, ctx.principal, booking, entity="appointment", action="updated")
        else:
            booking.primary_surgeon_id = plan.placement.doctor_id
            if plan.placement.room_id is not None:
                booking.op_room_id = plan.placement.room_id
            session.flush()
            devices = sorted(plan.placement.resource_ids)
            sync_operation_occupancy(session, booking, devices)
            writes.announce(session, ctx.principal, booking, entity="operation", action="updated")
        chain.doctor_ids = sorted(set(chain.doctor_ids) | {plan.placement.doctor_id})
        record(
            session,
            ctx.principal,
            "chain_step_move",
            patient_id=chain.patient_id,
            meta={
                "chain_id": chain.id,
                "step": position,
                "accepted_violations": [v["step"] for v in plan.violations],
            },
        )
        publish(session, LiveEntity.CHAIN, chain.id, "updated")
        _touch(session, chain)
        return read.chain_json(session, chain, ctx.tz)

    result = _run(ctx.factory, work)
    if result is None:
        raise APIError(409, {"detail": RACE_UNKNOWN})
    return result


def cancel_step(
    ctx: Context, chain_id: int, position: int, raw_body: Callable[[], Any]
) -> dict[str, Any]:
    with ctx.factory() as session, session.begin():
        chain = load_chain(session, ctx.principal, chain_id)
        steps = _steps(session, chain, lock=True)
        step = _find(steps, position)
        values = CANCEL_SERIALIZER.validate(raw_body())
        _ensure_open(chain)
        plan = _plan_cancel(session, ctx, steps, step)
        if plan.problem is not None:
            raise APIError(400, plan.problem)
        if plan.violations and not values["accept_violations"]:
            raise APIError(409, {"detail": GAP_VIOLATIONS, "violations": plan.violations})
        _set_status(session, ctx, step, cancelled=True)
        record(
            session,
            ctx.principal,
            "chain_step_cancel",
            patient_id=chain.patient_id,
            meta={"chain_id": chain.id, "step": position},
        )
        publish(session, LiveEntity.CHAIN, chain.id, "updated")
        _touch(session, chain)
        return read.chain_json(session, chain, ctx.tz)


def cancel_chain(ctx: Context, chain_id: int) -> dict[str, Any]:
    with ctx.factory() as session, session.begin():
        chain = load_chain(session, ctx.principal, chain_id)
        _ensure_open(chain)
        steps = _steps(session, chain, lock=True)
        cancelled = []
        for step in steps:
            if step.active:
                _set_status(session, ctx, step, cancelled=True)
                cancelled.append(step.link.position)
        chain.status = "cancelled"
        record(
            session,
            ctx.principal,
            "chain_cancel",
            patient_id=chain.patient_id,
            meta={"chain_id": chain.id, "steps": cancelled},
        )
        publish(session, LiveEntity.CHAIN, chain.id, "updated")
        _touch(session, chain)
        return read.chain_json(session, chain, ctx.tz)
