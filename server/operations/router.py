"""HTTP layer of operations (spec 04 §5.2–§5.5, §5.10): thin; rules live in ``pipeline``,
``service`` and ``suggest``. Roles: ``rbac-operations-flow.md`` §2.2 and §5.

List, create, validate and the detail routes are the ones every booking has
(``server.bookings.routes``); suggest is the operations' own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from server.audit.service import record_read
from server.bookings.endpoints import Endpoints
from server.bookings.routes import mount_collection_routes, mount_detail_routes
from server.core import clock
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
from server.core.state import SessionDep, StateDep
from server.operations import calendar, pipeline, read, scoping, service, suggest
from server.operations.models import Operation

router = APIRouter(prefix="/api", tags=["operations"])
calendar.install()  # the calendar's ``operations`` key (03 §10.2)

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT)
register_policy("/api/operations/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/operations/validate/", read=WRITE_ROLES, write=WRITE_ROLES)
# Read-only path without write roles: every unsafe method is 403, even for admins (00 §4).
register_policy("/api/operations/suggest/", read=READ_ROLES, write=NOBODY)
register_policy("/api/operations/{operation_id:id}/", read=READ_ROLES, write=WRITE_ROLES)


ENDPOINTS = Endpoints("operation", Operation, pipeline, service, scoping, read)
mount_collection_routes(router, ENDPOINTS)


@router.get("/operations/suggest/")
def suggest_operation(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    params = dict(request.query_params)
    suggest.check_doctor_access(principal, params)
    result = suggest.suggest(session, params, state.settings.tz, clock.now(state.settings))
    record_read(state.session_factory, principal, "operation_suggest")
    return result


mount_detail_routes(router, ENDPOINTS)
