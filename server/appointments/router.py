"""HTTP layer of appointments (03 §3–§6): thin; rules live in ``pipeline`` and ``service``.

List, create, validate and the detail routes are the ones every booking has
(``server.bookings.routes``); mark-no-show is the appointments' own.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from server.appointments import pipeline, read, scoping, service
from server.appointments.models import Appointment
from server.bookings.endpoints import Endpoints
from server.bookings.routes import (
    booking_request,
    id_or_404,
    json_text,
    mount_collection_routes,
    mount_detail_routes,
)
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Authorized,
    register_policy,
    roles,
)
from server.core.state import StateDep

router = APIRouter(prefix="/api", tags=["appointments"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
register_policy("/api/appointments/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/appointments/validate/", read=WRITE_ROLES, write=WRITE_ROLES)
register_policy("/api/appointments/{appointment_id:id}/", read=READ_ROLES, write=WRITE_ROLES)
register_policy(
    "/api/appointments/{appointment_id:id}/mark-no-show/", read=READ_ROLES, write=WRITE_ROLES
)

ENDPOINTS = Endpoints("appointment", Appointment, pipeline, service, scoping, read)
mount_collection_routes(router, ENDPOINTS)
mount_detail_routes(router, ENDPOINTS)


@router.post("/appointments/{appointment_id:id}/mark-no-show/")
def mark_no_show(appointment_id: int, principal: Authorized, state: StateDep) -> Response:
    request = booking_request(state, principal)
    return json_text(service.mark_no_show(request, appointment_id=id_or_404(appointment_id)))
