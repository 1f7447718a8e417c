"""``/api/patients/…`` (02 §1.2); patients cannot be deleted through the API (405)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request

from server.audit.service import record_read
from server.core import clock
from server.core.access import ADMIN, ASSISTANT, BILLING, DOCTOR, Authorized, register_policy
from server.core.access import roles as role_set
from server.core.body import Body, RawBody, openapi_body
from server.core.errors import not_found
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.state import AppState, SessionDep, StateDep
from server.patients import render, search, service
from server.patients.models import Patient

router = APIRouter(prefix="/api", tags=["patients"])

READ_ROLES = role_set(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = role_set(ADMIN, ASSISTANT, DOCTOR)
for _path in ("/api/patients/", "/api/patients/search/", "/api/patients/{patient_id}/"):
    register_policy(_path, read=READ_ROLES, write=WRITE_ROLES)


def _today(state: AppState) -> date:
    return clock.now(state.settings).astimezone(state.settings.tz).date()


@router.get("/patients/")
def list_patients(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    tz = state.settings.tz
    page = paginate(
        request,
        session,
        search.ordered(),
        lambda rows: [render.patient(row, tz) for row in rows],
        trust_proxy=state.settings.trust_proxy_headers,
    )
    record_read(state.session_factory, principal, "patient_list")
    return page


@router.post("/patients/", status_code=201, openapi_extra=openapi_body(service.PATIENT_CREATE))
def create_patient(
    body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    data = body.validate(service.patient_serializer(today=_today(state)))
    patient = service.create_patient(session, data, actor=principal)
    session.commit()
    return render.patient(patient, state.settings.tz)


# Registered before the id routes so that "search" is never taken for an id (00 §1).
@router.get("/patients/search/")
def search_patients(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> list[dict[str, Any]]:
    q = search.clean_query(request.query_params.get("q", ""))
    rows = session.scalars(search.statement(q)).all()
    tz = state.settings.tz
    result = [render.patient(row, tz) for row in rows]
    record_read(state.session_factory, principal, "patient_search", meta={"q": q})
    return result


def _get_patient(session: SessionDep, raw_id: str) -> Patient:
    patient = session.get(Patient, parse_path_id(raw_id))
    if patient is None:
        raise not_found()
    return patient


@router.get("/patients/{patient_id}/")
def get_patient(
    patient_id: str, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    patient = _get_patient(session, patient_id)
    body = render.patient(patient, state.settings.tz)
    record_read(state.session_factory, principal, "patient_view", patient_id=patient.id)
    return body


def _update(
    patient_id: str,
    body: RawBody,
    principal: Authorized,
    session: SessionDep,
    state: AppState,
    *,
    partial: bool,
) -> dict[str, Any]:
    patient = _get_patient(session, patient_id)
    serializer = service.patient_serializer(today=_today(state), path_id=patient.id)
    data = body.validate(serializer, partial=partial)
    service.update_patient(session, patient, data, actor=principal)
    session.commit()
    return render.patient(patient, state.settings.tz)


@router.put("/patients/{patient_id}/", openapi_extra=openapi_body(service.PATIENT_UPDATE))
def replace_patient(
    patient_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _update(patient_id, body, principal, session, state, partial=False)


@router.patch(
    "/patients/{patient_id}/",
    openapi_extra=openapi_body(service.PATIENT_UPDATE, partial=True),
)
def update_patient(
    patient_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _update(patient_id, body, principal, session, state, partial=True)
