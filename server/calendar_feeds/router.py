"""HTTP layer of ``server.calendar_feeds`` (docs/calendar-feeds.md): thin; rules live in
``service`` and ``scoping``.

The feed itself (``/api/calendar-feeds/ical/{token}/``) is public: calendar apps cannot
sign in, the secret token in the path is the credential. Everything else needs a session:
admins manage every feed, a doctor only their own (``scoping``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.audit.service import record_read
from server.calendar_feeds import service
from server.core import clock
from server.core.access import (
    ADMIN,
    DOCTOR,
    Audience,
    Authorized,
    PublicAccess,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX
from server.core.responses import JSONResponse
from server.core.state import SessionDep, StateDep

router = APIRouter(prefix="/api", tags=["calendar-feeds"])

MANAGERS = roles(ADMIN, DOCTOR)
ADMINS = roles(ADMIN)
COLLECTION_PATH = "/api/calendar-feeds/"
DETAIL_PATH = "/api/calendar-feeds/{feed_id:id}/"
DOCTOR_PATH = "/api/calendar-feeds/doctors/{doctor_id:id}/"
ROOM_PATH = "/api/calendar-feeds/rooms/{resource_id:id}/"
SETTINGS_PATH = "/api/calendar-feeds/settings/"
FEED_PATH = "/api/calendar-feeds/ical/{token}/"
register_policy(COLLECTION_PATH, read=MANAGERS, write=MANAGERS)
register_policy(DETAIL_PATH, read=MANAGERS, write=MANAGERS)
register_policy(DOCTOR_PATH, read=MANAGERS, write=MANAGERS)
register_policy(ROOM_PATH, read=ADMINS, write=ADMINS)
register_policy(SETTINGS_PATH, read=MANAGERS, write=ADMINS)
register_policy(FEED_PATH, read=Audience.PUBLIC, write=Audience.PUBLIC)

CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


def id_or_404(value: int) -> int:
    """Ids no row can have (outside ``1 … 2^63-1``) are unknown ids (00 §3)."""
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


def _json(body: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code)


@router.post(
    "/calendar-feeds/", status_code=201, openapi_extra=openapi_body(service.CREATE_SERIALIZER)
)
def create_feed(request: Request, body: Body, principal: Authorized, state: StateDep) -> Response:
    created = service.create(
        state.session_factory,
        principal=principal,
        data=body.json(),
        base_url=str(request.base_url),
        now=clock.now(state.settings),
        tz=state.settings.tz,
    )
    return _json(created, 201)


@router.get("/calendar-feeds/{feed_id:id}/")
def get_feed(feed_id: int, principal: Authorized, session: SessionDep, state: StateDep) -> Response:
    return _json(service.get_feed(session, principal, id_or_404(feed_id), state.settings.tz))


@router.delete("/calendar-feeds/{feed_id:id}/", status_code=204)
def revoke_feed(feed_id: int, principal: Authorized, state: StateDep) -> Response:
    service.revoke(
        state.session_factory,
        principal=principal,
        feed_id=id_or_404(feed_id),
        now=clock.now(state.settings),
    )
    return Response(status_code=204)


@router.get("/calendar-feeds/doctors/{doctor_id:id}/")
def doctor_feed_status(
    doctor_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    body = service.doctor_status(session, principal, id_or_404(doctor_id), state.settings.tz)
    return _json(body)


@router.get("/calendar-feeds/rooms/{resource_id:id}/")
def room_feed_status(
    resource_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    body = service.room_status(session, principal, id_or_404(resource_id), state.settings.tz)
    return _json(body)


@router.get("/calendar-feeds/settings/")
def get_settings(principal: Authorized, session: SessionDep, state: StateDep) -> Response:
    return _json(service.read_settings(session, state.settings.tz))


def _update_settings(
    body: Body, principal: Authorized, state: StateDep, *, partial: bool
) -> Response:
    updated = service.update_settings(
        state.session_factory,
        principal=principal,
        data=body.json(),
        partial=partial,
        now=clock.now(state.settings),
        tz=state.settings.tz,
    )
    return _json(updated)


@router.put("/calendar-feeds/settings/", openapi_extra=openapi_body(service.SETTINGS_SERIALIZER))
def put_settings(body: Body, principal: Authorized, state: StateDep) -> Response:
    return _update_settings(body, principal, state, partial=False)


@router.patch(
    "/calendar-feeds/settings/",
    openapi_extra=openapi_body(service.SETTINGS_SERIALIZER, partial=True),
)
def patch_settings(body: Body, principal: Authorized, state: StateDep) -> Response:
    return _update_settings(body, principal, state, partial=True)


def _unchanged(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, a list of tags or ``*``."""
    if not if_none_match:
        return False
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in candidates)


@router.get("/calendar-feeds/ical/{token}/", response_class=Response)
def calendar_feed(
    token: str, request: Request, _: PublicAccess, session: SessionDep, state: StateDep
) -> Response:
    content = service.feed_content(
        session, token, now=clock.now(state.settings), tz=state.settings.tz
    )
    session.close()  # give the connection back before rendering and the audit
    etag = content.etag
    # Clients revalidate each time (no-cache) and get 304 while nothing changed.
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if _unchanged(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    body = content.body()
    record_read(
        state.session_factory, None, "calendar_feed_read", meta={"feed_id": content.feed_id}
    )
    return Response(
        content=body,
        media_type=CALENDAR_MEDIA_TYPE,
        headers={**headers, "Content-Disposition": 'inline; filename="praxiapp.ics"'},
    )
