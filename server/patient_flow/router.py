"""HTTP layer of the patient flow (spec 05 §7): thin; rules live in ``service``.

Roles (05 §8, ``rbac-operations-flow.md`` §2.7, §5): read admin, assistant, doctor, billing;
write admin, assistant, doctor. Unsupported methods answer 405 to callers who pass the
path's role check and 403 to the rest (``install_method_fallbacks``). Path ids are
``{flow_id:id}``, so ``/api/patient-flow/live/`` is never captured as an id.

Decision (D-PF-10): an empty ``date=`` counts as absent; any other value that is not exactly
``YYYY-MM-DD`` (within the supported years of ``timefmt.parse_date``) is the 400 of 05 §7.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response

from server.audit.service import record_read
from server.core import clock, timefmt
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Authorized,
    Principal,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import bad_request, not_found
from server.core.fields import BIGINT_MAX
from server.core.state import SessionDep, StateDep
from server.patient_flow import calls, read, scoping, service

router = APIRouter(prefix="/api", tags=["patient-flow"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
LIST_PATH = "/api/patient-flow/"
LIVE_PATH = "/api/patient-flow/live/"
DETAIL_PATH = "/api/patient-flow/{flow_id:id}/"
STATUS_PATH = "/api/patient-flow/{flow_id:id}/status/"
CALL_PATH = "/api/patient-flow/{flow_id:id}/call/"  # issue 20, docs/call-up-display.md
for _path in (LIST_PATH, LIVE_PATH, DETAIL_PATH, STATUS_PATH, CALL_PATH):
    register_policy(_path, read=READ_ROLES, write=WRITE_ROLES)

DATE_ERROR = "Date must be in format YYYY-MM-DD."


def _json(text: str, status_code: int = 200) -> Response:
    return Response(content=text, status_code=status_code, media_type="application/json")


def _id_or_404(value: int) -> int:
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


def _day(request: Request) -> date | None:
    raw = request.query_params.get("date")
    if not raw:
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        raise bad_request(DATE_ERROR) from exc


def _list(
    request: Request,
    principal: Principal,
    session: SessionDep,
    state: StateDep,
    *,
    live: bool,
) -> Response:
    conditions, params = scoping.visible_condition(principal)
    if live:
        conditions.insert(0, read.LIVE_SQL)
    day = _day(request)
    if day is not None:
        params["day_start"], params["day_end"] = timefmt.local_day_bounds(day, state.settings.tz)
        conditions.append(read.DAY_SQL)
    where_sql = " AND ".join(conditions) or "true"
    body = read.array_json(session, where_sql, params, clock.now(state.settings))
    session.close()  # give the connection back before the audit's own transaction
    record_read(
        state.session_factory, principal, "patient_flow_view", meta={"live": True} if live else None
    )
    return _json(body)


@router.get("/patient-flow/")
def list_flows(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _list(request, principal, session, state, live=False)


@router.get("/patient-flow/live/")
def live_flows(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _list(request, principal, session, state, live=True)


def _write_serializer_doc() -> dict[str, Any]:
    return openapi_body(service.write_serializer(ZoneInfo("UTC")))


@router.post("/patient-flow/", status_code=201, openapi_extra=_write_serializer_doc())
def create_flow(body: Body, principal: Authorized, state: StateDep) -> Response:
    text = service.create(
        state.session_factory,
        principal=principal,
        body=body,
        tz=state.settings.tz,
        now=clock.now(state.settings),
    )
    return _json(text, 201)


@router.get("/patient-flow/{flow_id:id}/")
def get_flow(flow_id: int, principal: Authorized, session: SessionDep, state: StateDep) -> Response:
    conditions, params = scoping.visible_condition(principal)
    text = read.object_json(
        session,
        _id_or_404(flow_id),
        clock.now(state.settings),
        where_sql=" AND ".join(conditions) or "true",
        params=params,
    )
    if text is None:
        raise not_found()  # unknown, or (doctor) someone else's flow
    session.close()
    record_read(state.session_factory, principal, "patient_flow_view")
    return _json(text)


def _update(
    flow_id: int, body: Body, principal: Principal, state: StateDep, *, partial: bool
) -> Response:
    text = service.update(
        state.session_factory,
        principal=principal,
        flow_id=_id_or_404(flow_id),
        body=body,
        tz=state.settings.tz,
        now=clock.now(state.settings),
        partial=partial,
    )
    return _json(text)


@router.put("/patient-flow/{flow_id:id}/", openapi_extra=_write_serializer_doc())
def replace_flow(flow_id: int, body: Body, principal: Authorized, state: StateDep) -> Response:
    return _update(flow_id, body, principal, state, partial=False)


@router.patch(
    "/patient-flow/{flow_id:id}/",
    openapi_extra=openapi_body(service.write_serializer(ZoneInfo("UTC")), partial=True),
)
def update_flow(flow_id: int, body: Body, principal: Authorized, state: StateDep) -> Response:
    return _update(flow_id, body, principal, state, partial=True)


@router.delete("/patient-flow/{flow_id:id}/", status_code=204)
def delete_flow(flow_id: int, principal: Authorized, state: StateDep) -> Response:
    service.remove(state.session_factory, principal=principal, flow_id=_id_or_404(flow_id))
    return Response(status_code=204)


@router.patch(
    "/patient-flow/{flow_id:id}/status/", openapi_extra=openapi_body(service.STATUS_SERIALIZER)
)
def change_flow_status(
    flow_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    text = service.change_status(
        state.session_factory,
        principal=principal,
        flow_id=_id_or_404(flow_id),
        body=body,
        now=clock.now(state.settings),
    )
    return _json(text)


@router.post("/patient-flow/{flow_id:id}/call/", openapi_extra=openapi_body(calls.CALL_SERIALIZER))
def call_patient(flow_id: int, body: Body, principal: Authorized, state: StateDep) -> Response:
    """ "Aufrufen": the call-up displays show the flow's number and ``room``."""
    text = calls.call(
        state.session_factory,
        principal=principal,
        flow_id=_id_or_404(flow_id),
        body=body,
        now=clock.now(state.settings),
        tz=state.settings.tz,
    )
    return _json(text)
