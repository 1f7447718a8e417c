"""Chains (Terminketten) over the API (docs/series-and-chains.md "Chains"), as typed objects.

The functions block: call them inside ``desktop.ops`` work, never on the UI thread. Views
get :class:`ChainTemplate`, :class:`ChainOption` and :class:`Chain` objects, never URLs or
JSON. A chain that lost its race raises :class:`ChainTaken` with the step and fresh options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError

TEMPLATES_PATH = "/api/chain-templates/"
CHAINS_PATH = "/api/chains/"

KIND_APPOINTMENT = "appointment"
KIND_OPERATION = "operation"
GAP_RANGE = "range"
GAP_SAME_DAY = "same_day"
GAP_NEXT_WORKING_DAY = "next_working_day"


@dataclass
class TemplateStep:
    """One step of a template, as the editor changes it."""

    name: str = ""
    kind: str = KIND_APPOINTMENT
    appointment_type: int | None = None
    op_type: int | None = None
    duration_minutes: int | None = 30
    doctor_ids: list[int] = field(default_factory=list)
    room_ids: list[int] = field(default_factory=list)
    resource_ids: list[int] = field(default_factory=list)
    gap_rule: str = GAP_RANGE
    gap_min: int = 0
    gap_max: int = 0
    gap_unit: str = "minutes"

    def body(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "doctor_ids": self.doctor_ids,
            "room_ids": self.room_ids,
            "resource_ids": self.resource_ids,
            "gap_rule": self.gap_rule,
            "gap_min": self.gap_min,
            "gap_max": self.gap_max,
            "gap_unit": self.gap_unit,
        }
        if self.kind == KIND_OPERATION:
            values["op_type"] = self.op_type
        else:
            values["appointment_type"] = self.appointment_type
            values["duration_minutes"] = self.duration_minutes
        return values


@dataclass
class ChainTemplate:
    id: int | None
    name: str
    description: str = ""
    active: bool = True
    steps: list[TemplateStep] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "active": self.active,
            "steps": [step.body() for step in self.steps],
        }


@dataclass(frozen=True)
class OptionStep:
    position: int
    name: str
    kind: str
    start: datetime
    end: datetime
    doctor: int
    doctor_name: str
    room: int | None
    room_name: str | None
    resource_names: tuple[str, ...]


@dataclass(frozen=True)
class ChainOption:
    steps: tuple[OptionStep, ...]


@dataclass(frozen=True)
class ChainStepState:
    position: int
    name: str
    kind: str
    appointment_id: int | None
    operation_id: int | None
    start: datetime
    end: datetime
    status: str
    doctor_name: str


@dataclass(frozen=True)
class Chain:
    id: int
    name: str
    patient_id: int
    status: str
    steps: tuple[ChainStepState, ...]


class ChainTaken(Exception):
    """409: a step is no longer free; ``options`` are fresh suggestions."""

    def __init__(self, message: str, step: int | None, options: list[ChainOption]) -> None:
        super().__init__(message)
        self.message = message
        self.step = step
        self.options = options


def _step(row: dict[str, Any]) -> TemplateStep:
    return TemplateStep(
        name=str(row.get("name") or ""),
        kind=str(row.get("kind") or KIND_APPOINTMENT),
        appointment_type=row.get("appointment_type"),
        op_type=row.get("op_type"),
        duration_minutes=row.get("duration_minutes"),
        doctor_ids=[int(i) for i in row.get("doctor_ids") or []],
        room_ids=[int(i) for i in row.get("room_ids") or []],
        resource_ids=[int(i) for i in row.get("resource_ids") or []],
        gap_rule=str(row.get("gap_rule") or GAP_RANGE),
        gap_min=int(row.get("gap_min") or 0),
        gap_max=int(row.get("gap_max") or 0),
        gap_unit=str(row.get("gap_unit") or "minutes"),
    )


def _template(row: dict[str, Any]) -> ChainTemplate:
    return ChainTemplate(
        id=int(row["id"]),
        name=str(row.get("name") or ""),
        description=str(row.get("description") or ""),
        active=bool(row.get("active", True)),
        steps=[_step(step) for step in row.get("steps") or []],
    )


def templates(api: ApiClient, *, only_active: bool = False) -> list[ChainTemplate]:
    params = {"active": "true"} if only_active else {}
    return [_template(row) for row in api.get_all(TEMPLATES_PATH, **params)]


def save_template(api: ApiClient, template: ChainTemplate) -> ChainTemplate:
    """Create (no id) or replace the template; 400 bodies come back as ``ApiError``."""
    if template.id is None:
        return _template(api.post(TEMPLATES_PATH, template.body()))
    path = f"{TEMPLATES_PATH}{template.id}/"
    return _template(api.request("PUT", path, json=template.body()))


def delete_template(api: ApiClient, template_id: int) -> None:
    api.delete(f"{TEMPLATES_PATH}{template_id}/")


def _option(row: dict[str, Any]) -> ChainOption:
    return ChainOption(
        tuple(
            OptionStep(
                position=int(step["position"]),
                name=str(step.get("name") or ""),
                kind=str(step.get("kind") or KIND_APPOINTMENT),
                start=datetime.fromisoformat(step["start_time"]),
                end=datetime.fromisoformat(step["end_time"]),
                doctor=int(step["doctor"]),
                doctor_name=str(step.get("doctor_name") or ""),
                room=step.get("room"),
                room_name=step.get("room_name"),
                resource_names=tuple(str(n) for n in step.get("resource_names") or ()),
            )
            for step in row["steps"]
        )
    )


def suggest(
    api: ApiClient, template_id: int, patient_id: int, start_date: date, *, limit: int = 5
) -> list[ChainOption]:
    body = api.get(
        f"{TEMPLATES_PATH}{template_id}/suggest/",
        patient_id=patient_id,
        start_date=start_date.isoformat(),
        limit=limit,
    )
    return [_option(row) for row in body["options"]]


def _chain(row: dict[str, Any]) -> Chain:
    return Chain(
        id=int(row["id"]),
        name=str(row.get("name") or ""),
        patient_id=int(row["patient_id"]),
        status=str(row.get("status") or ""),
        steps=tuple(
            ChainStepState(
                position=int(step["position"]),
                name=str(step.get("name") or ""),
                kind=str(step.get("kind") or KIND_APPOINTMENT),
                appointment_id=step.get("appointment_id"),
                operation_id=step.get("operation_id"),
                start=datetime.fromisoformat(step["start_time"]),
                end=datetime.fromisoformat(step["end_time"]),
                status=str(step.get("status") or ""),
                doctor_name=str(step.get("doctor_name") or ""),
            )
            for step in row.get("steps") or []
        ),
    )


def book(api: ApiClient, template_id: int, patient_id: int, option: ChainOption) -> Chain:
    """Book every step of ``option`` or none; :class:`ChainTaken` when one is taken."""
    body = {
        "template": template_id,
        "patient_id": patient_id,
        "steps": [
            {"start_time": step.start.isoformat(), "doctor": step.doctor, "room": step.room}
            for step in option.steps
        ],
    }
    try:
        return _chain(api.post(CHAINS_PATH, body))
    except ApiError as exc:
        if exc.status == 409 and isinstance(exc.body, dict) and "options" in exc.body:
            raise ChainTaken(
                str(exc.body.get("detail") or ""),
                exc.body.get("step"),
                [_option(row) for row in exc.body["options"]],
            ) from exc
        raise


def chain(api: ApiClient, chain_id: int) -> Chain:
    return _chain(api.get(f"{CHAINS_PATH}{chain_id}/"))


def cancel(api: ApiClient, chain_id: int) -> Chain:
    return _chain(api.post(f"{CHAINS_PATH}{chain_id}/cancel/"))


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class EditorChoices:
    """What a template step can name: doctors, types, rooms and devices."""

    doctors: list[Choice]
    appointment_types: list[Choice]
    op_types: list[Choice]
    rooms: list[Choice]
    devices: list[Choice]


def editor_choices(api: ApiClient) -> EditorChoices:
    def choices(rows: list[dict[str, Any]]) -> list[Choice]:
        return [Choice(int(r["id"]), str(r.get("name") or "")) for r in rows]

    resources = api.get_all("/api/resources/")
    return EditorChoices(
        doctors=choices(api.get("/api/appointments/doctors/")),
        appointment_types=choices(api.get_all("/api/appointment-types/")),
        op_types=choices(api.get_all("/api/operation-types/")),
        rooms=choices([r for r in resources if r.get("type") == "room" and r.get("active", True)]),
        devices=choices(
            [r for r in resources if r.get("type") == "device" and r.get("active", True)]
        ),
    )


@dataclass(frozen=True)
class StepCheck:
    """What cancelling (or moving) a step would do: a hard problem, gap rules it breaks."""

    ok: bool
    problem: str | None
    violations: tuple[str, ...]  # "Schritt 4 (Kontrolle): Der Abstand … passt nicht."


def for_patient(api: ApiClient, patient_id: int) -> list[Chain]:
    """The patient's chains, newest first."""
    return [_chain(row) for row in api.get_all(CHAINS_PATH, patient_id=patient_id)]


def check_cancel_step(api: ApiClient, chain_id: int, position: int) -> StepCheck:
    body = api.post(f"{CHAINS_PATH}{chain_id}/steps/{position}/validate/", {"action": "cancel"})
    return _check(body)


def cancel_step(api: ApiClient, chain_id: int, position: int, *, accept_violations: bool) -> Chain:
    return _chain(
        api.post(
            f"{CHAINS_PATH}{chain_id}/steps/{position}/cancel/",
            {"accept_violations": accept_violations},
        )
    )


def _check(body: dict[str, Any]) -> StepCheck:
    problem = body.get("problem")
    return StepCheck(
        ok=bool(body.get("ok")),
        problem=str(problem.get("detail")) if isinstance(problem, dict) else None,
        violations=tuple(
            f"Schritt {v['step']} ({v['step_name']}): {v['message']}"
            for v in body.get("violations") or []
        ),
    )


def check_move_step(api: ApiClient, chain_id: int, position: int, start: datetime) -> StepCheck:
    body = api.post(
        f"{CHAINS_PATH}{chain_id}/steps/{position}/validate/",
        {"action": "move", "start_time": start.isoformat()},
    )
    return _check(body)


def move_step(
    api: ApiClient, chain_id: int, position: int, start: datetime, *, accept_violations: bool
) -> Chain:
    """Move a step (same duration, doctor and room); a conflict comes back as ``ApiError``."""
    return _chain(
        api.post(
            f"{CHAINS_PATH}{chain_id}/steps/{position}/move/",
            {"start_time": start.isoformat(), "accept_violations": accept_violations},
        )
    )
