"""HTTP layer of the calendar views (03 §10): parse, build, audit — rules live in ``service``.

Roles (rbac-appointments §4, §5): GET for admin, assistant, doctor (own data) and billing;
the write set (admin, assistant, doctor) only decides 405 vs 403 for unsupported methods.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.calendar import service
from server.core import clock
from server.core.access import ADMIN, ASSISTANT, BILLING, DOCTOR, Authorized, register_policy, roles
from server.core.state import SessionDep, StateDep

router = APIRouter(prefix="/api", tags=["calendar"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
for _view in service.VIEWS:
    register_policy(f"/api/calendar/{_view}/", read=READ_ROLES, write=WRITE_ROLES)


def _calendar(
    view: str, request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    query = service.parse_request(view, request.query_params)
    content = service.calendar_json(session, state, principal, query, clock.now(state.settings))
    session.close()  # give the connection back before the audit transaction
    service.record_audit(state.session_factory, principal, query)
    return Response(content=content, media_type="application/json")


@router.get("/calendar/day/")
def calendar_day(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _calendar("day", request, principal, session, state)


@router.get("/calendar/week/")
def calendar_week(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _calendar("week", request, principal, session, state)


@router.get("/calendar/month/")
def calendar_month(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _calendar("month", request, principal, session, state)
