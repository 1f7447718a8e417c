"""HTTP layer of appointments (03 §3–§6): thin; rules live in ``pipeline`` and ``service``."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from server.appointments import read, scoping, service
from server.appointments.models import Appointment
from server.appointments.pipeline import write_serializer
from server.audit.service import record_read
from server.core import clock, timefmt
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Authorized,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX, IntegerField, Serializer, parse_int
from server.core.state import SessionDep, StateDep

router = APIRouter(prefix="/api", tags=["appointments"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
register_policy("/api/appointments/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/appointments/validate/", read=WRITE_ROLES, write=WRITE_ROLES)
register_policy("/api/appointments/{appointment_id:id}/", read=READ_ROLES, write=WRITE_ROLES)
register_policy(
    "/api/appointments/{appointment_id:id}/mark-no-show/", read=READ_ROLES, write=WRITE_ROLES
)


def _json(text: str, status_code: int = 200) -> Response:
    return Response(content=text, status_code=status_code, media_type="application/json")


def _id_or_404(value: int) -> int:
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


def _query_int(request: Request, name: str) -> int | None:
    """List filters ignore invalid values (03 §6.1)."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_int(raw)
    except ValueError:
        return None
    return value if -(2**63) <= value <= BIGINT_MAX else None


def _query_date(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError:
        return None


@router.get("/appointments/")
def list_appointments(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    tz = state.settings.tz
    conditions = ["true"]
    params: dict[str, Any] = {}
    day = _query_date(request, "date")
    if day is not None:
        params["range_start"], params["range_end"] = timefmt.local_day_bounds(day, tz)
        conditions.append(read.overlapping_sql("range_start", "range_end"))
    else:
        start_day = _query_date(request, "start_date")
        end_day = _query_date(request, "end_date")
        if start_day is not None:
            params["after"] = timefmt.local_day_bounds(start_day, tz)[0]
            conditions.append("a.end_time > :after AND a.start_time > :after - interval '26 hours'")
        if end_day is not None:
            params["before"] = timefmt.local_day_bounds(end_day, tz)[1]
            conditions.append("a.start_time < :before")
    visible, visible_params = scoping.visible_condition(principal)
    if visible is not None:
        params.update(visible_params)
        conditions.append(visible)
    for name, column in (("doctor_id", "a.doctor_id"), ("patient_id", "a.patient_id")):
        value = _query_int(request, name)
        if value is not None:
            params[name] = value
            conditions.append(f"{column} = :{name}")
    body = read.array_json(session, " AND ".join(conditions), params)
    record_read(state.session_factory, principal, "appointment_list")
    return _json(body)


def _write_serializer() -> Serializer:
    """For the OpenAPI document only (the zone affects parsing, not the schema)."""
    return write_serializer(ZoneInfo("UTC"))


@router.post("/appointments/", status_code=201, openapi_extra=openapi_body(_write_serializer()))
def create_appointment(body: Body, principal: Authorized, state: StateDep) -> Response:
    raw = body.json()
    text = service.create(
        state.session_factory,
        principal=principal,
        raw=raw,
        tz=state.settings.tz,
        now=clock.now(state.settings),
    )
    return _json(text, 201)


VALIDATE_ID = Serializer("ValidateId", {"id": IntegerField(required=False)})


@router.post("/appointments/validate/", openapi_extra=openapi_body(_write_serializer()))
def validate_appointment(body: Body, principal: Authorized, state: StateDep) -> dict[str, bool]:
    raw = body.json()
    appointment_id = None
    if isinstance(raw, dict) and raw.get("id") is not None:
        appointment_id = _id_or_404(VALIDATE_ID.validate({"id": raw["id"]})["id"])
    service.dry_run(
        state.session_factory,
        principal=principal,
        appointment_id=appointment_id,
        raw=raw,
        tz=state.settings.tz,
        now=clock.now(state.settings),
    )
    return {"ok": True}


@router.get("/appointments/{appointment_id:id}/")
def get_appointment(
    appointment_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    row = session.scalar(select(Appointment).where(Appointment.id == _id_or_404(appointment_id)))
    if row is None:
        raise not_found()
    scoping.ensure_readable(principal, row)
    text = read.object_json(session, row.id)
    record_read(state.session_factory, principal, "appointment_view", patient_id=row.patient_id)
    return _json(text)


def _update(
    appointment_id: int, body: Body, principal: Authorized, state: StateDep, *, partial: bool
) -> Response:
    text = service.update(
        state.session_factory,
        principal=principal,
        appointment_id=_id_or_404(appointment_id),
        body=body,
        tz=state.settings.tz,
        now=clock.now(state.settings),
        partial=partial,
    )
    return _json(text)


@router.put("/appointments/{appointment_id:id}/", openapi_extra=openapi_body(_write_serializer()))
def replace_appointment(
    appointment_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _update(appointment_id, body, principal, state, partial=False)


@router.patch(
    "/appointments/{appointment_id:id}/",
    openapi_extra=openapi_body(_write_serializer(), partial=True),
)
def update_appointment(
    appointment_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _update(appointment_id, body, principal, state, partial=True)


@router.delete("/appointments/{appointment_id:id}/", status_code=204)
def delete_appointment(appointment_id: int, principal: Authorized, state: StateDep) -> Response:
    service.remove(
        state.session_factory, principal=principal, appointment_id=_id_or_404(appointment_id)
    )
    return Response(status_code=204)


@router.post("/appointments/{appointment_id:id}/mark-no-show/")
def mark_no_show(appointment_id: int, principal: Authorized, state: StateDep) -> Response:
    text = service.mark_no_show(
        state.session_factory,
        principal=principal,
        appointment_id=_id_or_404(appointment_id),
        now=clock.now(state.settings),
    )
    return _json(text)
