"""The list, write and detail routes every kind of booking has, mounted from one description.

``GET/POST /<plural>/``, ``POST /<plural>/validate/`` and ``GET/PUT/PATCH/DELETE
/<plural>/{<entity>_id}/`` behave alike for appointments and operations (03 §4–§6, 04 §5):
lists filter by period, the caller's scope and ids; ids outside the id range are 404
before anything else; the body is parsed by the service (so that 404/403 come before
400); a dry run answers ``{"ok": true}``; lists and views are audited as
``<entity>_list`` / ``<entity>_view``. The domain supplies what differs (``Endpoints``).

Route names, path parameter names and the absence of docstrings are those of the routes
this replaced: FastAPI derives the OpenAPI operation ids, summaries and titles from them.

No ``from __future__ import annotations`` here: FastAPI evaluates the endpoints'
annotations, and the path parameter's alias is a local of ``mount_detail_routes``.
"""

from collections.abc import AsyncIterator
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import StreamingResponse

from server.bookings.bigjson import JsonChunks
from server.bookings.endpoints import Endpoints
from server.bookings.listing import Filters, id_filters, period_filters
from server.bookings.writes import BookingRequest
from server.core import clock
from server.core.access import Authorized, Principal
from server.core.body import Body, RawBody, openapi_body
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX, IntegerField, Serializer
from server.core.state import AppState, SessionDep, StateDep

VALIDATE_ID = Serializer("ValidateId", {"id": IntegerField(required=False)})


def booking_request(state: AppState, principal: Principal) -> BookingRequest:
    """The caller's booking write, at the app's clock (``server.core.clock``)."""
    return BookingRequest(
        state.session_factory, principal, state.settings.tz, clock.now(state.settings)
    )


def json_text(text: str, status_code: int = 200) -> Response:
    """A body that PostgreSQL already rendered as JSON."""
    return Response(content=text, status_code=status_code, media_type="application/json")


def json_list(body: str | JsonChunks) -> Response:
    """A list PostgreSQL rendered: one text, or a long list's chunks sent one by one.

    The chunks are complete before the response starts (a failure while rendering is the
    request's error, never a cut-off 200), and the length is declared; each chunk is let go
    once it is sent.
    """
    if isinstance(body, str):
        return json_text(body)
    chunks = body.chunks[::-1]

    async def sent() -> AsyncIterator[bytes]:
        while chunks:
            yield chunks.pop()

    return StreamingResponse(
        sent(), media_type="application/json", headers={"Content-Length": str(body.size)}
    )


def id_or_404(value: int) -> int:
    """Ids no row can have (outside ``1 … 2^63-1``) are unknown ids (00 §3)."""
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


def _validate_target(raw: Any) -> int | None:
    """The ``id`` of a dry run: the booking an update would change (None: a create)."""
    if isinstance(raw, dict) and raw.get("id") is not None:
        return id_or_404(VALIDATE_ID.validate({"id": raw["id"]})["id"])
    return None


def list_filters(
    request: Request, principal: Principal, endpoints: Endpoints, tz: ZoneInfo
) -> Filters:
    """The conditions of a booking list: period, the caller's scope, then the id filters."""
    read = endpoints.read
    filters = period_filters(
        request,
        alias=read.ALIAS,
        longest_hours=read.LONGEST_HOURS,
        day_bounds=lambda day: read.day_bounds(day, tz),
    )
    condition, params = endpoints.scoping.visible_condition(principal)
    filters.add(condition, **params)
    id_filters(request, filters, read.ID_FILTERS)
    return filters


def mount_collection_routes(router: APIRouter, endpoints: Endpoints) -> None:
    """``GET`` and ``POST /<plural>/``, and ``POST /<plural>/validate/``."""
    service = endpoints.service

    def list_(
        request: Request, principal: Authorized, session: SessionDep, state: StateDep
    ) -> Response:
        filters = list_filters(request, principal, endpoints, state.settings.tz)
        body = endpoints.read.list_json(
            session, filters.where_sql, filters.params, one_day=filters.one_day
        )
        state.audit.record_read(state.session_factory, principal, f"{endpoints.entity}_list")
        return json_list(body)

    def create(body: Body, principal: Authorized, state: StateDep) -> Response:
        raw = body.json()
        return json_text(service.create(booking_request(state, principal), raw=raw), 201)

    def validate(body: Body, principal: Authorized, state: StateDep) -> dict[str, bool]:
        raw = body.json()
        target = _validate_target(raw)
        service.dry_run(booking_request(state, principal), booking_id=target, raw=raw)
        return {"ok": True}

    path, entity = f"/{endpoints.plural}/", endpoints.entity
    body_schema = openapi_body(endpoints.serializer)
    router.get(path, name=f"list_{endpoints.plural}")(list_)
    router.post(path, status_code=201, openapi_extra=body_schema, name=f"create_{entity}")(create)
    router.post(f"{path}validate/", openapi_extra=body_schema, name=f"validate_{entity}")(validate)


def mount_detail_routes(router: APIRouter, endpoints: Endpoints) -> None:
    """``GET``, ``PUT``, ``PATCH`` and ``DELETE /<plural>/{<entity>_id}/``."""
    entity = endpoints.entity
    RowId = Annotated[int, Path(alias=f"{entity}_id")]  # noqa: N806 — a type alias

    def get(row_id: RowId, principal: Authorized, session: SessionDep, state: StateDep) -> Response:
        row = session.get(endpoints.model, id_or_404(row_id))
        if row is None:
            raise not_found()
        endpoints.scoping.ensure_readable(principal, row)
        text = endpoints.read.object_json(session, row.id)
        state.audit.record_read(
            state.session_factory, principal, f"{entity}_view", patient_id=row.patient_id
        )
        return json_text(text)

    def update(
        row_id: int, body: RawBody, principal: Principal, state: AppState, *, partial: bool
    ) -> Response:
        text = endpoints.service.update(
            booking_request(state, principal),
            booking_id=id_or_404(row_id),
            body=body,
            partial=partial,
        )
        return json_text(text)

    def replace(row_id: RowId, body: Body, principal: Authorized, state: StateDep) -> Response:
        return update(row_id, body, principal, state, partial=False)

    def patch(row_id: RowId, body: Body, principal: Authorized, state: StateDep) -> Response:
        return update(row_id, body, principal, state, partial=True)

    def delete(row_id: RowId, principal: Authorized, state: StateDep) -> Response:
        endpoints.service.remove(booking_request(state, principal), booking_id=id_or_404(row_id))
        return Response(status_code=204)

    path = f"/{endpoints.plural}/{{{entity}_id:id}}/"
    write_body = openapi_body(endpoints.serializer)
    router.get(path, name=f"get_{entity}")(get)
    router.put(path, openapi_extra=write_body, name=f"replace_{entity}")(replace)
    patch_body = openapi_body(endpoints.serializer, partial=True)
    router.patch(path, openapi_extra=patch_body, name=f"update_{entity}")(patch)
    router.delete(path, status_code=204, name=f"delete_{entity}")(delete)
