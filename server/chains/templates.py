"""Chain templates (master data): validation, storage, JSON, and the search's view of them.

A template is a name plus 1–10 ordered steps. A step is an appointment type or an operation
type; ``doctor_ids`` are the doctors that may take it (one = a specific doctor), ``room_ids``
the rooms of which it needs one (an operation needs one operating room), ``resource_ids``
resources it needs all of (for an operation: devices), and the gap rule to the step before
(``gap_rule`` range/same_day/next_working_day, ``gap_min``/``gap_max`` in ``gap_unit``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.chains.models import ChainTemplate, ChainTemplateStep
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import ValidationFailed, not_found
from server.core.events import Action, publish
from server.core.fields import (
    BooleanField,
    CharField,
    ChoiceField,
    Field,
    IntegerField,
    ListField,
    PrimaryKeyField,
    Serializer,
    does_not_exist,
)
from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType, OperationType, Resource
from server.users.models import User
from server.users.scoping import is_doctor
from shared.domain.events import LiveEntity
from shared.scheduling.chains import ChainStep, GapKind, GapRule, GapUnit, StepKind

MAX_STEPS = 10
MAX_CHOICES = 20
# Upper bounds of a gap per unit: 30 days however it is written.
GAP_LIMITS = {"minutes": 43_200, "hours": 720, "days": 30}

STEPS_REQUIRED = "Eine Terminkette braucht mindestens einen Schritt."
TOO_MANY_STEPS = f"Höchstens {MAX_STEPS} Schritte."
TYPE_REQUIRED = "Terminart angeben."
OP_TYPE_REQUIRED = "OP-Art angeben."
NO_APPOINTMENT_TYPE = "Ein OP-Schritt hat keine Terminart."
NO_OP_TYPE = "Ein Terminschritt hat keine OP-Art."
DURATION_REQUIRED = "Dauer angeben (die Terminart hat keine)."
NOT_A_DOCTOR = 'Nur aktive Benutzer mit der Rolle "doctor".'
DOCTORS_REQUIRED = "Mindestens ein Arzt."
NOT_A_ROOM = "Nur aktive Räume."
ROOM_REQUIRED = "Ein OP-Schritt braucht mindestens einen OP-Raum."
BAD_RESOURCES = "Unbekannte oder inaktive Ressource(n)."
OP_DEVICES_ONLY = "Ein OP-Schritt kann nur Geräte als Ressourcen haben."
GAP_ORDER = "gap_min darf nicht größer als gap_max sein."
TOO_MANY = f"Höchstens {MAX_CHOICES} Einträge."


def _ids(*, required: bool) -> ListField:
    if required:
        return ListField(child=PrimaryKeyField())
    return ListField(child=PrimaryKeyField(), required=False, default=list)


STEP_SERIALIZER = Serializer(
    "ChainTemplateStep",
    {
        "name": CharField(max_length=100, required=False, allow_blank=True, default=""),
        "kind": ChoiceField(choices=tuple(StepKind), required=False, default="appointment"),
        "appointment_type": PrimaryKeyField(allow_null=True, required=False, default=None),
        "op_type": PrimaryKeyField(allow_null=True, required=False, default=None),
        "duration_minutes": IntegerField(
            min_value=1, max_value=1440, allow_null=True, required=False, default=None
        ),
        "doctor_ids": _ids(required=True),
        "room_ids": _ids(required=False),
        "resource_ids": _ids(required=False),
        "gap_rule": ChoiceField(choices=tuple(GapKind), required=False, default="range"),
        "gap_min": IntegerField(min_value=0, max_value=43_200, required=False, default=0),
        "gap_max": IntegerField(min_value=0, max_value=43_200, required=False, default=0),
        "gap_unit": ChoiceField(choices=tuple(GapUnit), required=False, default="minutes"),
    },
)


def template_serializer(*, partial: bool = False) -> Serializer:
    fields: dict[str, Field] = {
        "name": CharField(max_length=100),
        "description": CharField(max_length=2000, allow_blank=True, required=False, default=""),
        "active": BooleanField(required=False, default=True),
        "steps": ListField(child=Field(), required=True),
    }
    return Serializer("ChainTemplate", fields)


def _step_errors(session: Session, step: dict[str, Any]) -> dict[str, list[str]]:
    """Database-dependent checks of one cleaned step (all of them, DRF style)."""
    errors: dict[str, list[str]] = {}
    operation = step["kind"] == StepKind.OPERATION
    if operation:
        if step["appointment_type"] is not None:
            errors["appointment_type"] = [NO_APPOINTMENT_TYPE]
        if step["op_type"] is None:
            errors["op_type"] = [OP_TYPE_REQUIRED]
        elif session.get(OperationType, step["op_type"]) is None:
            errors["op_type"] = [does_not_exist(step["op_type"])]
    else:
        if step["op_type"] is not None:
            errors["op_type"] = [NO_OP_TYPE]
        if step["appointment_type"] is not None and (
            session.get(AppointmentType, step["appointment_type"]) is None
        ):
            errors["appointment_type"] = [does_not_exist(step["appointment_type"])]
    doctor_ids = step["doctor_ids"]
    if not doctor_ids:
        errors["doctor_ids"] = [DOCTORS_REQUIRED]
    elif len(doctor_ids) > MAX_CHOICES:
        errors["doctor_ids"] = [TOO_MANY]
    else:
        doctors = session.scalars(select(User).where(User.id.in_(doctor_ids))).all()
        if len(doctors) != len(set(doctor_ids)) or not all(
            is_doctor(d) and d.is_active for d in doctors
        ):
            errors["doctor_ids"] = [NOT_A_DOCTOR]
    resources = {
        r.id: r
        for r in session.scalars(
            select(Resource).where(Resource.id.in_(step["room_ids"] + step["resource_ids"]))
        )
    }
    rooms = step["room_ids"]
    if len(rooms) > MAX_CHOICES:
        errors["room_ids"] = [TOO_MANY]
    elif any(
        r not in resources or resources[r].type != "room" or not resources[r].active for r in rooms
    ):
        errors["room_ids"] = [NOT_A_ROOM]
    elif operation and not rooms:
        errors["room_ids"] = [ROOM_REQUIRED]
    needed = step["resource_ids"]
    if len(needed) > MAX_CHOICES:
        errors["resource_ids"] = [TOO_MANY]
    elif any(r not in resources or not resources[r].active for r in needed):
        errors["resource_ids"] = [BAD_RESOURCES]
    elif operation and any(resources[r].type != "device" for r in needed):
        errors["resource_ids"] = [OP_DEVICES_ONLY]
    if step["gap_min"] > step["gap_max"]:
        errors["gap_max"] = [GAP_ORDER]
    elif step["gap_max"] > GAP_LIMITS[step["gap_unit"]]:
        limit = GAP_LIMITS[step["gap_unit"]]
        errors["gap_max"] = [f"Ensure this value is less than or equal to {limit}."]
    return errors


def _default_name_and_duration(session: Session, step: dict[str, Any]) -> dict[str, list[str]]:
    """Fill ``name`` and ``duration_minutes`` from the type when not given."""
    errors: dict[str, list[str]] = {}
    if step["kind"] == StepKind.OPERATION:
        op_type = session.get(OperationType, step["op_type"])
        assert op_type is not None
        total = op_type.prep_duration + op_type.op_duration + op_type.post_duration
        step["duration_minutes"] = total  # an operation always blocks its whole block
        step["name"] = step["name"] or op_type.name
        if total < 1:
            errors["op_type"] = [DURATION_REQUIRED]
        return errors
    appointment_type = (
        session.get(AppointmentType, step["appointment_type"])
        if step["appointment_type"] is not None
        else None
    )
    if step["duration_minutes"] is None:
        if appointment_type is None or not appointment_type.duration_minutes:
            errors["duration_minutes"] = [DURATION_REQUIRED]
        else:
            step["duration_minutes"] = appointment_type.duration_minutes
    if not step["name"]:
        step["name"] = appointment_type.name if appointment_type else "Termin"
    return errors


def clean(session: Session, raw: Any) -> dict[str, Any]:
    """The validated template body (400 with every problem at once)."""
    cleaned, errors = template_serializer().collect(raw)
    steps_raw = cleaned.get("steps")
    steps: list[dict[str, Any]] = []
    if "steps" in cleaned:
        if not steps_raw:
            errors["steps"] = [STEPS_REQUIRED]
        elif len(steps_raw) > MAX_STEPS:
            errors["steps"] = [TOO_MANY_STEPS]
        else:
            step_errors: list[dict[str, Any]] = []
            for item in steps_raw:
                try:
                    step, item_errors = STEP_SERIALIZER.collect(item)
                except ValidationFailed as exc:
                    step_errors.append(exc.body)
                    continue
                if not item_errors:
                    item_errors = _step_errors(session, step)
                if not item_errors:
                    item_errors = _default_name_and_duration(session, step)
                step_errors.append(item_errors)
                steps.append(step)
            if any(step_errors):
                errors["steps"] = step_errors
    if errors:
        raise ValidationFailed(errors)
    cleaned["steps"] = steps
    return cleaned


def write(session: Session, row: ChainTemplate, cleaned: dict[str, Any]) -> None:
    row.name = cleaned["name"]
    row.description = cleaned["description"]
    row.active = cleaned["active"]
    session.add(row)
    session.flush()
    session.execute(delete(ChainTemplateStep).where(ChainTemplateStep.template_id == row.id))
    for position, step in enumerate(cleaned["steps"], start=1):
        session.add(
            ChainTemplateStep(
                template_id=row.id,
                position=position,
                name=step["name"],
                kind=step["kind"],
                appointment_type_id=step["appointment_type"],
                op_type_id=step["op_type"],
                duration_minutes=step["duration_minutes"],
                doctor_ids=list(dict.fromkeys(step["doctor_ids"])),
                room_ids=list(dict.fromkeys(step["room_ids"])),
                resource_ids=sorted(set(step["resource_ids"])),
                gap_rule=step["gap_rule"],
                gap_min=step["gap_min"],
                gap_max=step["gap_max"],
                gap_unit=step["gap_unit"],
            )
        )
    session.flush()


def steps_of(session: Session, template_id: int) -> list[ChainTemplateStep]:
    return list(
        session.scalars(
            select(ChainTemplateStep)
            .where(ChainTemplateStep.template_id == template_id)
            .order_by(ChainTemplateStep.position)
        )
    )


def step_rule(step: ChainTemplateStep) -> dict[str, Any]:
    """One step as JSON: the template's ``steps`` item and a booked chain's ``rules`` item."""
    return {
        "position": step.position,
        "name": step.name,
        "kind": step.kind,
        "appointment_type": step.appointment_type_id,
        "op_type": step.op_type_id,
        "duration_minutes": step.duration_minutes,
        "doctor_ids": list(step.doctor_ids),
        "room_ids": list(step.room_ids),
        "resource_ids": list(step.resource_ids),
        "gap_rule": step.gap_rule,
        "gap_min": step.gap_min,
        "gap_max": step.gap_max,
        "gap_unit": step.gap_unit,
    }


def template_json(session: Session, row: ChainTemplate, tz: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "active": row.active,
        "steps": [step_rule(step) for step in steps_of(session, row.id)],
        "created_at": format_datetime(row.created_at, tz),
        "updated_at": format_datetime(row.updated_at, tz),
    }


def search_step(rule: dict[str, Any], *, only_doctor: int | None = None) -> ChainStep:
    """A rule (``step_rule`` JSON) as the pure search's step; ``only_doctor`` narrows a
    doctor caller's choice to themself."""
    doctors = tuple(rule["doctor_ids"])
    if only_doctor is not None:
        doctors = tuple(d for d in doctors if d == only_doctor)
    return ChainStep(
        duration=timedelta(minutes=rule["duration_minutes"]),
        doctor_ids=doctors or (0,),
        kind=StepKind(rule["kind"]),
        room_ids=tuple(rule["room_ids"]),
        resource_ids=frozenset(rule["resource_ids"]),
        gap=GapRule(
            GapKind(rule["gap_rule"]), rule["gap_min"], rule["gap_max"], GapUnit(rule["gap_unit"])
        ),
        name=rule["name"],
    )


# -- writes (admin) ---------------------------------------------------------------------


def _audit_and_publish(
    session: Session, principal: Principal, row_id: int, verb: str, action: Action
) -> None:
    record(session, principal, f"chain_template_{verb}", meta={"template_id": row_id})
    publish(session, LiveEntity.CHAIN_TEMPLATE, row_id, action)


def create(
    factory: sessionmaker[Session], principal: Principal, raw: RawBody, tz: Any
) -> dict[str, Any]:
    with factory() as session, session.begin():
        cleaned = clean(session, raw.json())
        row = ChainTemplate()
        write(session, row, cleaned)
        _audit_and_publish(session, principal, row.id, "create", "created")
        session.flush()
        session.refresh(row)
        return template_json(session, row, tz)


def update(
    factory: sessionmaker[Session], principal: Principal, template_id: int, raw: RawBody, tz: Any
) -> dict[str, Any]:
    with factory() as session, session.begin():
        row = session.get(ChainTemplate, template_id, with_for_update=True)
        if row is None:
            raise not_found()
        cleaned = clean(session, raw.json())  # parsed after the lookup: 404 before 400
        write(session, row, cleaned)
        row.updated_at = func.now()
        _audit_and_publish(session, principal, row.id, "update", "updated")
        session.flush()
        session.refresh(row)
        return template_json(session, row, tz)


def remove(factory: sessionmaker[Session], principal: Principal, template_id: int) -> None:
    """Booked chains keep their rules (a snapshot); their ``template`` becomes null."""
    with factory() as session, session.begin():
        row = session.get(ChainTemplate, template_id, with_for_update=True)
        if row is None:
            raise not_found()
        session.delete(row)
        _audit_and_publish(session, principal, template_id, "delete", "deleted")
