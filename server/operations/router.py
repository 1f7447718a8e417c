"""HTTP layer of operations (spec 04 §5.2–§5.5, §5.10): thin; rules live in ``pipeline``,
``service`` and ``suggest``. Roles: ``rbac-operations-flow.md`` §2.2 and §5."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from server.audit.service import record_read
from server.core import clock, timefmt
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Authorized,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX, IntegerField, Serializer, parse_int
from server.core.state import SessionDep, StateDep
from server.operations import calendar, read, scoping, service, suggest
from server.operations.models import Operation
from server.operations.pipeline import write_serializer

router = APIRouter(prefix="/api", tags=["operations"])
calendar.install()  # the calendar's ``operations`` key (03 §10.2)

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT)
register_policy("/api/operations/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/operations/validate/", read=WRITE_ROLES, write=WRITE_ROLES)
# Read-only path without write roles: every unsafe method is 403, even for admins (00 §4).
register_policy("/api/operations/suggest/", read=READ_ROLES, write=NOBODY)
register_policy("/api/operations/{operation_id:id}/", read=READ_ROLES, write=WRITE_ROLES)


def _json(text: str, status_code: int = 200) -> Response:
    return Response(content=text, status_code=status_code, media_type="application/json")


def _id_or_404(value: int) -> int:
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


def _query_int(request: Request, name: str) -> int | None:
    """List filters ignore invalid values (04 §5.2)."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_int(raw)
    except ValueError:
        return None
    return value if -(2**63) <= value <= BIGINT_MAX else None


def _query_date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError:
        return None


def _day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _next_day_start(day: date, tz: ZoneInfo) -> datetime:
    """Start of the following local day; the end of time after 9999-12-31."""
    try:
        return _day_start(day + timedelta(days=1), tz)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


@router.get("/operations/")
def list_operations(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    tz = state.settings.tz
    conditions = ["true"]
    params: dict[str, Any] = {}
    day = _query_date(request, "date")
    if day is not None:
        params["range_start"] = _day_start(day, tz)
        params["range_end"] = _next_day_start(day, tz)
        conditions.append(read.overlapping_sql("range_start", "range_end"))
    else:
        start_day = _query_date(request, "start_date")
        end_day = _query_date(request, "end_date")
        if start_day is not None:
            params["after"] = _day_start(start_day, tz)
            conditions.append("o.end_time > :after AND o.start_time > :after - interval '73 hours'")
        if end_day is not None:
            params["before"] = _next_day_start(end_day, tz)
            conditions.append("o.start_time < :before")
    visible, visible_params = scoping.visible_condition(principal)
    if visible is not None:
        params.update(visible_params)
        conditions.append(visible)
    patient_id = _query_int(request, "patient_id")
    if patient_id is not None:
        params["patient_id"] = patient_id
        conditions.append("o.patient_id = :patient_id")
    body = read.array_json(session, " AND ".join(conditions), params)
    record_read(state.session_factory, principal, "operation_list")
    return _json(body)


def _write_serializer() -> Serializer:
    """For the OpenAPI document only (the zone affects parsing, not the schema)."""
    return write_serializer(ZoneInfo("UTC"))


@router.post("/operations/", status_code=201, openapi_extra=openapi_body(_write_serializer()))
def create_operation(body: Body, principal: Authorized, state: StateDep) -> Response:
    raw = body.json()
    text = service.create(state.session_factory, principal=principal, raw=raw, tz=state.settings.tz)
    return _json(text, 201)


VALIDATE_ID = Serializer("ValidateId", {"id": IntegerField(required=False)})


@router.post("/operations/validate/", openapi_extra=openapi_body(_write_serializer()))
def validate_operation(body: Body, principal: Authorized, state: StateDep) -> dict[str, bool]:
    raw = body.json()
    operation_id = None
    if isinstance(raw, dict) and raw.get("id") is not None:
        operation_id = _id_or_404(VALIDATE_ID.validate({"id": raw["id"]})["id"])
    service.dry_run(
        state.session_factory,
        operation_id=operation_id,
        raw=raw,
        tz=state.settings.tz,
        now=clock.now(state.settings),
    )
    return {"ok": True}


@router.get("/operations/suggest/")
def suggest_operation(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    params = dict(request.query_params)
    suggest.check_doctor_access(principal, params)
    result = suggest.suggest(session, params, state.settings.tz, clock.now(state.settings))
    record_read(state.session_factory, principal, "operation_suggest")
    return result


@router.get("/operations/{operation_id:id}/")
def get_operation(
    operation_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    row = session.scalar(select(Operation).where(Operation.id == _id_or_404(operation_id)))
    if row is None:
        raise not_found()
    scoping.ensure_readable(principal, row)
    text = read.object_json(session, row.id)
    record_read(state.session_factory, principal, "operation_view", patient_id=row.patient_id)
    return _json(text)


def _update(
    operation_id: int, body: Body, principal: Authorized, state: StateDep, *, partial: bool
) -> Response:
    text = service.update(
        state.session_factory,
        principal=principal,
        operation_id=_id_or_404(operation_id),
        body=body,
        tz=state.settings.tz,
        now=clock.now(state.settings),
        partial=partial,
    )
    return _json(text)


@router.put("/operations/{operation_id:id}/", openapi_extra=openapi_body(_write_serializer()))
def replace_operation(
    operation_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _update(operation_id, body, principal, state, partial=False)


@router.patch(
    "/operations/{operation_id:id}/",
    openapi_extra=openapi_body(_write_serializer(), partial=True),
)
def update_operation(
    operation_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _update(operation_id, body, principal, state, partial=True)


@router.delete("/operations/{operation_id:id}/", status_code=204)
def delete_operation(operation_id: int, principal: Authorized, state: StateDep) -> Response:
    service.remove(
        state.session_factory, principal=principal, operation_id=_id_or_404(operation_id)
    )
    return Response(status_code=204)
