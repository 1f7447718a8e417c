"""HTTP layer of ``server.chains``: thin; rules live in ``templates`` and ``service``.

Roles (docs/series-and-chains.md, "Chains"): templates are master data — every role reads,
admin writes. Suggestions: admin, assistant, doctor (a doctor only for chains whose every
step they can take, and only with themself). Booking: admin, assistant, doctor (own
only). Cancel and move: admin, assistant. Chains are read by every role; a doctor sees only
chains with a step of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from server.audit.service import record_read
from server.chains import read, service, templates
from server.chains.models import AppointmentChain, ChainTemplate
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
from server.core.body import Body
from server.core.errors import ValidationFailed, not_found
from server.core.fields import BIGINT_MAX, parse_int
from server.core.pagination import paginate
from server.core.state import AppState, SessionDep, StateDep
from shared.scheduling import local_date

router = APIRouter(prefix="/api", tags=["chains"])

ALL_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
BOOKING_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
DESK_ROLES = roles(ADMIN, ASSISTANT)

TEMPLATES_PATH = "/api/chain-templates/"
TEMPLATE_PATH = "/api/chain-templates/{template_id:id}/"
SUGGEST_PATH = "/api/chain-templates/{template_id:id}/suggest/"
CHAINS_PATH = "/api/chains/"
CHAIN_PATH = "/api/chains/{chain_id:id}/"
CANCEL_PATH = "/api/chains/{chain_id:id}/cancel/"
STEP_VALIDATE_PATH = "/api/chains/{chain_id:id}/steps/{position:id}/validate/"
STEP_MOVE_PATH = "/api/chains/{chain_id:id}/steps/{position:id}/move/"
STEP_CANCEL_PATH = "/api/chains/{chain_id:id}/steps/{position:id}/cancel/"

register_policy(TEMPLATES_PATH, read=ALL_ROLES, write=roles(ADMIN))
register_policy(TEMPLATE_PATH, read=ALL_ROLES, write=roles(ADMIN))
register_policy(SUGGEST_PATH, read=BOOKING_ROLES, write=roles())
register_policy(CHAINS_PATH, read=ALL_ROLES, write=BOOKING_ROLES)
register_policy(CHAIN_PATH, read=ALL_ROLES, write=roles())
for _path in (CANCEL_PATH, STEP_VALIDATE_PATH, STEP_MOVE_PATH, STEP_CANCEL_PATH):
    register_policy(_path, read=roles(), write=DESK_ROLES)

DATE_ERROR = "Date must be in format YYYY-MM-DD."
ACTIONS = ("move", "cancel")


def _json(value: Any, status_code: int = 200) -> Response:
    return Response(
        content=orjson.dumps(value), status_code=status_code, media_type="application/json"
    )


def _ctx(principal: Principal, state: AppState) -> service.Context:
    return service.Context(
        state.session_factory, principal, state.settings.tz, clock.now(state.settings)
    )


# -- templates --------------------------------------------------------------------------


@router.get("/chain-templates/")
def list_templates(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    statement = select(ChainTemplate).order_by(ChainTemplate.name, ChainTemplate.id)
    if request.query_params.get("active") in ("true", "1"):
        statement = statement.where(ChainTemplate.active.is_(True))
    tz = state.settings.tz

    def render(rows: Sequence[ChainTemplate]) -> list[dict[str, Any]]:
        return [templates.template_json(session, row, tz) for row in rows]

    page = paginate(
        request, session, statement, render, trust_proxy=state.settings.trust_proxy_headers
    )
    return _json(page)


@router.post("/chain-templates/", status_code=201)
def create_template(body: Body, principal: Authorized, state: StateDep) -> Response:
    value = templates.create(state.session_factory, principal, body, state.settings.tz)
    return _json(value, 201)


@router.get("/chain-templates/{template_id:id}/")
def get_template(
    template_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    row = service.load_template(session, template_id)
    return _json(templates.template_json(session, row, state.settings.tz))


@router.put("/chain-templates/{template_id:id}/")
def replace_template(
    template_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    if not 1 <= template_id <= BIGINT_MAX:
        raise not_found()
    value = templates.update(state.session_factory, principal, template_id, body, state.settings.tz)
    return _json(value)


@router.delete("/chain-templates/{template_id:id}/", status_code=204)
def delete_template(template_id: int, principal: Authorized, state: StateDep) -> Response:
    if not 1 <= template_id <= BIGINT_MAX:
        raise not_found()
    templates.remove(state.session_factory, principal, template_id)
    return Response(status_code=204)


def _query_int(
    request: Request, name: str, errors: dict[str, list[str]], *, low: int, high: int
) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = parse_int(raw)
    except ValueError:
        errors[name] = ["A valid integer is required."]
        return None
    if value < low:
        errors[name] = [f"Ensure this value is greater than or equal to {low}."]
    elif value > high:
        errors[name] = [f"Ensure this value is less than or equal to {high}."]
    return value


def _suggest_query(request: Request, today: date) -> service.SuggestQuery:
    errors: dict[str, list[str]] = {}
    patient_id = _query_int(request, "patient_id", errors, low=1, high=BIGINT_MAX)
    if patient_id is None and "patient_id" not in errors:
        errors["patient_id"] = ["This field is required."]
    limit = _query_int(request, "limit", errors, low=1, high=service.MAX_LIMIT)
    horizon = _query_int(request, "horizon_days", errors, low=1, high=service.MAX_HORIZON_DAYS)
    start = today
    raw_start = request.query_params.get("start_date")
    if raw_start:
        try:
            start = timefmt.parse_date(raw_start)
        except ValueError:
            errors["start_date"] = [DATE_ERROR]
    if errors:
        raise ValidationFailed(errors)
    assert patient_id is not None
    return service.SuggestQuery(
        patient_id=patient_id,
        start_date=max(start, today),
        limit=limit or service.DEFAULT_LIMIT,
        horizon_days=horizon or service.DEFAULT_HORIZON_DAYS,
    )


@router.get("/chain-templates/{template_id:id}/suggest/")
def suggest_chains(
    template_id: int,
    request: Request,
    principal: Authorized,
    session: SessionDep,
    state: StateDep,
) -> Response:
    ctx = _ctx(principal, state)
    service.load_template(session, template_id)  # 404 before 400
    query = _suggest_query(request, local_date(ctx.now, ctx.tz))
    value = service.suggest(session, ctx, template_id, query)
    session.close()
    record_read(
        state.session_factory,
        principal,
        "chain_suggest",
        patient_id=query.patient_id,
        meta={"template_id": template_id},
    )
    return _json(value)


# -- chains -----------------------------------------------------------------------------


@router.get("/chains/")
def list_chains(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    statement = (
        select(AppointmentChain).where(read.visible(principal)).order_by(AppointmentChain.id.desc())
    )
    patient_id = None
    raw_patient = request.query_params.get("patient_id")
    if raw_patient:
        try:
            patient_id = parse_int(raw_patient)
        except ValueError:
            patient_id = None
        if patient_id is not None and 1 <= patient_id <= BIGINT_MAX:
            statement = statement.where(AppointmentChain.patient_id == patient_id)
        else:
            patient_id = None
    status = request.query_params.get("status")
    if status in ("active", "cancelled"):
        statement = statement.where(AppointmentChain.status == status)
    tz = state.settings.tz

    def render(rows: Sequence[AppointmentChain]) -> list[dict[str, Any]]:
        return [read.chain_json(session, row, tz) for row in rows]

    page = paginate(
        request, session, statement, render, trust_proxy=state.settings.trust_proxy_headers
    )
    session.close()
    record_read(state.session_factory, principal, "chain_list", patient_id=patient_id)
    return _json(page)


@router.post("/chains/", status_code=201)
def book_chain(body: Body, principal: Authorized, state: StateDep) -> Response:
    return _json(service.book(_ctx(principal, state), body.json()), 201)


@router.get("/chains/{chain_id:id}/")
def get_chain(
    chain_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    chain = service.load_chain(session, principal, chain_id)
    value = read.chain_json(session, chain, state.settings.tz)
    patient_id = chain.patient_id
    session.close()
    record_read(
        state.session_factory,
        principal,
        "chain_view",
        patient_id=patient_id,
        meta={"chain_id": chain_id},
    )
    return _json(value)


@router.post("/chains/{chain_id:id}/cancel/")
def cancel_chain(chain_id: int, principal: Authorized, state: StateDep) -> Response:
    return _json(service.cancel_chain(_ctx(principal, state), chain_id))


@router.post("/chains/{chain_id:id}/steps/{position:id}/validate/")
def validate_step(
    chain_id: int, position: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    ctx = _ctx(principal, state)

    def action_and_body() -> tuple[str, Any]:
        raw = body.json()
        action = raw.get("action", "move") if isinstance(raw, dict) else "move"
        if action not in ACTIONS:
            raise ValidationFailed({"action": [f'"{action}" is not a valid choice.']})
        return action, raw

    return _json(service.validate_step(ctx, chain_id, position, action_and_body))


@router.post("/chains/{chain_id:id}/steps/{position:id}/move/")
def move_step(
    chain_id: int, position: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _json(service.move_step(_ctx(principal, state), chain_id, position, body.json))


@router.post("/chains/{chain_id:id}/steps/{position:id}/cancel/")
def cancel_step(
    chain_id: int, position: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    return _json(service.cancel_step(_ctx(principal, state), chain_id, position, body.json))
