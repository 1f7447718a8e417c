"""HTTP layer of ``server.series`` (docs/series-and-chains.md): thin; rules live in
``service``. Reads are audited here, writes inside their transaction."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response

from server.bookings.routes import booking_request, id_or_404, json_text
from server.core.access import ADMIN, ASSISTANT, BILLING, DOCTOR, Authorized, register_policy, roles
from server.core.body import Body
from server.core.state import StateDep
from server.series import service

router = APIRouter(prefix="/api", tags=["series"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
BOOK_ROLES = roles(ADMIN, ASSISTANT, DOCTOR)
CANCEL_ROLES = roles(ADMIN, ASSISTANT)
register_policy("/api/appointment-series/", read=BOOK_ROLES, write=BOOK_ROLES)
register_policy("/api/appointment-series/preview/", read=BOOK_ROLES, write=BOOK_ROLES)
register_policy("/api/appointment-series/{series_id:id}/", read=READ_ROLES, write=BOOK_ROLES)
register_policy(
    "/api/appointment-series/{series_id:id}/cancel/", read=CANCEL_ROLES, write=CANCEL_ROLES
)


@router.post("/appointment-series/preview/")
def preview_series(body: Body, principal: Authorized, state: StateDep) -> Response:
    raw = body.json()
    result, patient_id = service.preview(booking_request(state, principal), raw=raw)
    state.audit.record_read(
        state.session_factory, principal, "appointment_series_preview", patient_id=patient_id
    )
    return Response(content=orjson.dumps(result), media_type="application/json")


@router.post("/appointment-series/", status_code=201)
def create_series(body: Body, principal: Authorized, state: StateDep) -> Response:
    raw = body.json()
    return json_text(service.book(booking_request(state, principal), raw=raw), 201)


@router.get("/appointment-series/{series_id:id}/")
def get_series(series_id: int, principal: Authorized, state: StateDep) -> Response:
    text, patient_id = service.detail(
        booking_request(state, principal), series_id=id_or_404(series_id)
    )
    state.audit.record_read(
        state.session_factory, principal, "appointment_series_view", patient_id=patient_id
    )
    return json_text(text)


@router.patch("/appointment-series/{series_id:id}/")
def edit_series(series_id: int, body: Body, principal: Authorized, state: StateDep) -> Response:
    request = booking_request(state, principal)
    return json_text(service.edit(request, series_id=id_or_404(series_id), body=body))


@router.post("/appointment-series/{series_id:id}/cancel/")
def cancel_series(series_id: int, body: Body, principal: Authorized, state: StateDep) -> Response:
    request = booking_request(state, principal)
    return json_text(service.cancel(request, series_id=id_or_404(series_id), body=body))
