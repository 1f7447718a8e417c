"""HTTP layer of the planning reads (03 §7–§9): doctor lists, availability, suggestions.

``/api/appointments/suggest/`` and ``/api/appointments/doctors/`` are literal paths; the
appointment id routes only match digits (``{appointment_id:id}``), so they never take them.
Suggest has no write role: every unsafe method is 403 for everyone (00 §4).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.appointments import availability, doctors, suggest
from server.audit.service import record_read
from server.core import clock
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Audience,
    Authorized,
    register_policy,
    roles,
)
from server.core.query import NUL
from server.core.responses import JSONResponse
from server.core.state import SessionDep, StateDep
from shared.scheduling import local_date

router = APIRouter(prefix="/api", tags=["scheduling"])

PLANNING_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
register_policy("/api/appointments/suggest/", read=PLANNING_ROLES, write=NOBODY)
register_policy("/api/availability/", read=PLANNING_ROLES, write=PLANNING_ROLES)
for _path in ("/api/appointments/doctors/", "/api/doctors/"):
    register_policy(_path, read=Audience.ANY_ROLE, write=Audience.ANY_ROLE)


def _query(*params: tuple[str, str, str]) -> dict[str, Any]:
    """OpenAPI description of query parameters (the handlers read them themselves, so that
    errors keep the texts of the contract)."""
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": kind},
                "description": text,
            }
            for name, kind, text in params
        ]
    }


def _doctor_picker(request: Request, session: SessionDep) -> list[dict[str, Any]]:
    q = request.query_params.get("q", "").strip()
    if NUL in q:  # no stored name or email holds one (see server.core.query.where_text)
        return []
    return [doctor.picker_item() for doctor in doctors.picker(session, q)]


PICKER_QUERY = _query(("q", "string", "case-insensitive part of name, username or email"))


@router.get("/appointments/doctors/", openapi_extra=PICKER_QUERY)
def list_doctors_for_booking(
    request: Request, _: Authorized, session: SessionDep
) -> list[dict[str, Any]]:
    """Active doctors by name (03 §7); not audited."""
    return _doctor_picker(request, session)


@router.get("/doctors/", openapi_extra=PICKER_QUERY)
def list_doctors(request: Request, _: Authorized, session: SessionDep) -> list[dict[str, Any]]:
    """Alias of ``/api/appointments/doctors/`` (03 §7)."""
    return _doctor_picker(request, session)


@router.get(
    "/availability/",
    openapi_extra=_query(
        ("start", "string", "required; ISO datetime, without offset = practice time"),
        ("end", "string", "required; ISO datetime, after start"),
        ("exclude_appointment_id", "integer", "the appointment being edited"),
        ("include_patients", "boolean", "default true; false omits available_patients"),
    ),
)
def get_availability(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    tz = state.settings.tz
    query = availability.parse_query(request.query_params, tz)
    body = availability.compute(session, query, tz)
    record_read(
        state.session_factory,
        principal,
        "availability_view",
        meta=availability.audit_meta(query, tz),
    )
    return JSONResponse(body)


@router.get(
    "/appointments/suggest/",
    openapi_extra=_query(
        ("doctor_id", "integer", "required unless any_doctor=true"),
        ("type_id", "integer", "appointment type (its duration unless duration_minutes)"),
        ("duration_minutes", "integer", "1…1440; overrides the type's duration"),
        ("start_date", "string", "YYYY-MM-DD, default today"),
        ("limit", "integer", "default 1, at most 50"),
        ("days", "integer", "days scanned from start_date, default 1, at most 31"),
        ("resource_ids", "string", "comma-separated resource ids"),
        ("any_doctor", "boolean", "every active doctor, merged by start time"),
    ),
)
def suggest_appointments(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    params = request.query_params
    suggest.check_access(params, principal)
    tz = state.settings.tz
    now = clock.now(state.settings)
    query = suggest.parse_query(session, params, today=local_date(now, tz))
    outcome = suggest.find(session, query, tz, now)
    record_read(state.session_factory, principal, "appointment_suggest")
    if outcome.substituted:
        record_read(state.session_factory, principal, "doctor_substitution_suggest")
    return JSONResponse(outcome.body)
